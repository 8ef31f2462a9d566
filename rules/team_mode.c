/* Team mode rules: VFS006 a switch-dependent mode (or LACP) over VFs;
 * VFS007 a VF teamed with an emulated NIC without the VF as active-backup
 * primary; VFS010 a bond with no failure detection.
 * Evidence and severity policy: docs/rules.md. */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

static bool mode_switch_dependent(const struct team *t)
{
	static const char *const m[] = { "802.3ad", "balance-rr", "balance-xor", "broadcast" };
	for (size_t i = 0; i < ARRAY_SIZE(m); i++)
		if (vs_is(&t->mode, m[i]))
			return true;
	if (!vs_known_nonempty(&t->mode) && VI_KNOWN(t->mode_num))
		return t->mode_num.v == 0 || t->mode_num.v == 2 || t->mode_num.v == 3 || t->mode_num.v == 4;
	return false;
}

static int lacp_frames(const struct machine *m, const struct vs *ifname)
{
	int n = 0;
	for (size_t i = 0; vs_known_nonempty(ifname) && i < m->nevents; i++)
		if (m->events[i].kind == EV_FRAME && !strncmp(m->events[i].text, "LACP", 4) &&
		    !strcmp(m->events[i].ifname, ifname->v))
			n++;
	return n;
}

/* VFS006 */
static void rule_switch_dependent(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		int nvf = team_vf_members(host, m, gi, t);
		if (!nvf)
			continue;
		int frames = 0;
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			frames += lacp_frames(m, &r.mb->name);
			if (r.vf && m != host)
				frames += lacp_frames(host, &r.vf->netdev);
		}
		bool swdep = mode_switch_dependent(t);
		if (!swdep && !frames)
			continue;
		struct finding *f = rule_add(out, rl, swdep ? SEV_ERROR : SEV_WARNING);
		subject_team(f, host, gi, t);
		if (vs_known_nonempty(&t->mode))
			finding_ev_vs(f, "team mode", &t->mode);
		else
			finding_ev_vi(f, "team mode number", &t->mode_num);
		finding_ev(f, SRC_DERIVED, "members that are VFs", "%d of %zu", nvf, t->nmembers);
		if (frames)
			finding_ev(f, SRC_CAPTURE, "LACP frames seen on member VFs", "%d", frames);
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			if (r.vf)
				ev_path(f, host, &r);
		}
		char a[320];
		if (swdep)
			finding_fix(f, "VFs share the PF's switch port: the switch cannot form a LAG or balance over them; "
				       "use %s (with miimon 100) and VFs of different PFs",
				    fix_bond(a, sizeof(a), t, "mode active-backup"));
		else
			finding_fix(f, "the team's mode is not switch-dependent, yet LACPDUs are seen on its VFs: find what "
				       "sends them (a bond or teamd in 802.3ad/lacp mode on these ports, or the "
				       "switch port configured as a LAG member) and stop it; a VF cannot take part in LACP");
	}
}

static const struct vs *member_driver(const struct mref *r)
{
	if (vs_known_nonempty(&r->mb->driver) || !r->nd)
		return &r->mb->driver;
	return &r->nd->driver;
}

/* VFS007 */
static void rule_mixed(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (team_is_pair(t))
			continue; /* a net_failover/netvsc pair is that construct done by the kernel (VFS030 for bonds over pairs) */
		const struct mref *vfm = NULL, *em = NULL;
		struct mref rs[64];
		size_t n = MIN(t->nmembers, ARRAY_SIZE(rs));
		for (size_t j = 0; j < n; j++) {
			mref_get(host, m, gi, t, j, &rs[j]);
			if (member_is_vf(&rs[j]))
				vfm = vfm ? vfm : &rs[j];
			else if (driver_is_emulated(vs_val(member_driver(&rs[j]))))
				em = em ? em : &rs[j];
		}
		if (!vfm || !em)
			continue;
		bool ab = vs_is(&t->mode, "active-backup");
		bool vf_primary = false;
		for (size_t j = 0; j < n; j++)
			if (vs_same(&t->primary, &rs[j].mb->name) && member_is_vf(&rs[j]))
				vf_primary = true;
		if (ab && vf_primary)
			continue;
		struct finding *f = rule_add(out, rl, SEV_WARNING);
		subject_team(f, host, gi, t);
		finding_ev_vs(f, "team mode", &t->mode);
		finding_ev_vs(f, "team primary", &t->primary);
		char w[96];
		snprintf(w, sizeof(w), "%s driver (VF)", S(vfm->mb->name));
		finding_ev_vs(f, w, member_driver(vfm));
		snprintf(w, sizeof(w), "%s driver (emulated)", S(em->mb->name));
		finding_ev_vs(f, w, member_driver(em));
		char a[320], args[160];
		if (vs_known_nonempty(&vfm->mb->name)) {
			snprintf(args, sizeof(args), "mode active-backup primary %s", vfm->mb->name.v);
			finding_fix(f, "%s  # VF as primary, the emulated path as standby (mode changes need the bond down "
				       "and empty)", fix_bond(a, sizeof(a), t, args));
		} else
			finding_fix(f, "%s with the VF member as primary (its name is not known), the emulated path as standby",
				    fix_bond(a, sizeof(a), t, "mode active-backup"));
	}
}

/* VFS010: error when miimon 0 and arp_interval 0 are both read; with
 * arp_interval not read, info saying what could not be checked. */
static void rule_no_monitor(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (t->driver != TEAM_BONDING || !VI_KNOWN(t->miimon) || t->miimon.v != 0 || !t->nmembers)
			continue; /* a bond without members has nothing to fail over */
		if (VI_KNOWN(t->arp_interval) && t->arp_interval.v != 0)
			continue;
		if (vs_is(&t->mode, "802.3ad"))
			continue; /* LACPDUs detect failures, and VFS006 covers LACP over VFs */
		bool known = VI_KNOWN(t->arp_interval);
		struct finding *f = rule_add(out, rl, known ? SEV_ERROR : SEV_INFO);
		if (!known)
			finding_title(f, "team has miimon 0; its arp_interval was not read");
		subject_team(f, host, gi, t);
		finding_ev_vi(f, "miimon", &t->miimon);
		finding_ev_vi(f, "arp_interval", &t->arp_interval);
		char a[320], chk[160] = "";
		if (!known)
			snprintf(chk, sizeof(chk), vs_known_nonempty(&t->name)
				 ? "; first check arp_interval (cat /sys/class/net/%s/bonding/arp_interval)"
				 : "; first check the team's arp_interval (its name is not known)%s",
				 vs_known_nonempty(&t->name) ? t->name.v : "");
		char note[200];
		const char *target = fix_arp_target(m, t, note, sizeof(note));
		finding_fix(f, "%s  # or arp_interval 1000 arp_ip_target %s%s%s%s%s", fix_bond(a, sizeof(a), t, "miimon 100"),
			    target, note[0] ? " (" : "", note, note[0] ? ")" : "", chk);
	}
}

static const struct rule team_mode_rules[] = {
	{ { "VFS006-switch-dependent-mode", SEV_ERROR, "switch-dependent team mode (or LACP) over VFs" },
	  rule_switch_dependent, NULL },
	{ { "VFS007-mixed-vf-emulated", SEV_WARNING, "team mixes a VF with an emulated path without VF as primary" },
	  rule_mixed, NULL },
	{ { "VFS010-no-failure-detection", SEV_ERROR, "team has no failure detection (miimon 0 and arp_interval 0)" },
	  rule_no_monitor, NULL },
};
RULE_FAMILY(rules_team_mode, "team_mode", team_mode_rules);
