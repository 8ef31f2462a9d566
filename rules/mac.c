/* MAC policy rules: VFS004 a team that moves its MAC onto a member whose PF
 * refuses the change; VFS016 an untrusted VF denied what it asked for;
 * VFS017 one MAC on two VFs; VFS018 spoofed packets dropped by the PF.
 * Evidence and severity policy: docs/rules.md. */
#include "rules/rules_int.h"
#include "rules/netns.h"
#include "lib/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Does the team move its MAC onto every member? 1 yes, 0 no, -1 unknown
 * (teamd's runner config is not modelled; a mode or fail_over_mac not
 * read is not taken for the default). */
static int team_moves_mac(const struct team *t)
{
	if (t->driver == TEAM_TEAMD)
		return -1;
	bool ab = vs_is(&t->mode, "active-backup") || (VI_KNOWN(t->mode_num) && t->mode_num.v == 1);
	if (!ab) {
		if (!vs_known_nonempty(&t->mode) && !VI_KNOWN(t->mode_num))
			return -1;
		return !vs_is(&t->mode, "balance-tlb") && !vs_is(&t->mode, "balance-alb") &&
		       !(VI_KNOWN(t->mode_num) && (t->mode_num.v == 5 || t->mode_num.v == 6));
	}
	if (!vs_known_nonempty(&t->fail_over_mac))
		return -1;
	return vs_is(&t->fail_over_mac, "none") || vs_is(&t->fail_over_mac, "0");
}

bool team_needs_mac_change(const struct team *t)
{
	return team_moves_mac(t) == 1;
}

bool vf_mac_pinned(const struct vf *v)
{
	return v && mac_nonzero(&v->mac) && VI_KNOWN(v->trust) && v->trust.v == 0;
}

static int mbx_nacks(const struct machine *m, const struct pf *pf, int vfidx)
{
	int n = 0;
	for (size_t i = 0; i < m->nevents; i++) {
		const struct vfs_event *e = &m->events[i];
		if (e->kind != EV_MBX || e->result != EV_RES_NACK || e->vf != vfidx || vfidx < 0)
			continue;
		if ((vs_known_nonempty(&pf->netdev) && (!strcmp(e->pf, pf->netdev.v) || !strcmp(e->ifname, pf->netdev.v))) ||
		    (vs_known_nonempty(&pf->pci) && !strcmp(e->pf, pf->pci.v)))
			n++;
	}
	return n;
}

void ev_mac_policy(struct finding *f, const struct pf *pf, const struct vf *v)
{
	char w[96];
	snprintf(w, sizeof(w), "PF %s VF %d mac", pf_name(pf), v->index);
	finding_ev_vs(f, w, &v->mac);
	snprintf(w, sizeof(w), "PF %s VF %d trust", pf_name(pf), v->index);
	finding_ev_vi(f, w, &v->trust);
	snprintf(w, sizeof(w), "PF %s VF %d spoofchk", pf_name(pf), v->index);
	finding_ev_vi(f, w, &v->spoofchk);
}

static int count_kmsg(const struct machine *m, unsigned cls, const char *pci, int vf, const char *ifname)
{
	struct finding tmp = { 0 };
	int n = finding_kmsg(&tmp, m, cls, pci, vf, ifname);
	for (size_t k = 0; k < tmp.nkmsg; k++)
		free(tmp.kmsg[k]);
	free(tmp.kmsg);
	return n;
}

/* VFS004: error on a record that says the PF refused the change (its
 * "administratively set MAC" line for this VF, bonding's set_mac_address
 * error for this member, mailbox NACKs from the probes); info when only
 * the configuration read (a VF MAC set, trust off) says it would be. */
static void rule_mac_refused(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (!team_needs_mac_change(t))
			continue;
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			if (!r.vf)
				continue;
			if (mac_nonzero(&t->mac) && mac_nonzero(&r.mb->perm_mac) && vfs_mac_eq(t->mac.v, r.mb->perm_mac.v))
				continue; /* this member keeps its own address */
			const char *pci = vs_val(&r.pf->pci);
			/* A PF line refusing this VF's MAC change counts while the VF
			 * is not read as trusted: igb/ixgbe accept a trusted VF's
			 * change, so with trust on the line is from before. (Bonding's
			 * set_mac_address error for an enslaved member is from an
			 * earlier attempt too: enslaving succeeded since.) */
			bool trusted = VI_KNOWN(r.vf->trust) && r.vf->trust.v == 1;
			int nacks = mbx_nacks(host, r.pf, r.vfidx);
			int km = pci && r.vfidx >= 0 && !trusted ? count_kmsg(host, KM_ADMIN_MAC, pci, r.vfidx, NULL) : 0;
			/* The PF's record of the VF's MAC is the team's: the PF took
			 * the change, so the configuration says nothing against it. */
			bool took = mac_nonzero(&t->mac) && mac_nonzero(&r.vf->mac) && vfs_mac_eq(t->mac.v, r.vf->mac.v);
			bool pinned = vf_mac_pinned(r.vf) && !took;
			if (!nacks && !km && !pinned)
				continue;
			int sev = nacks || km ? SEV_ERROR : SEV_INFO;
			struct finding *f = rule_add(out, rl, sev);
			if (sev == SEV_INFO)
				finding_title(f, "team moves its MAC onto a VF with a MAC set and trust off");
			subject_member(f, host, &r);
			finding_ev_vs(f, "team mode", &t->mode);
			finding_ev_vs(f, "team fail_over_mac", &t->fail_over_mac);
			finding_ev_vs(f, "team MAC", &t->mac);
			finding_ev_vs(f, "member permanent MAC", &r.mb->perm_mac);
			ev_mac_policy(f, r.pf, r.vf);
			if (nacks)
				finding_ev(f, SRC_PROBE, "mailbox requests refused (NACK)", "%d", nacks);
			if (sev == SEV_INFO)
				finding_ev(f, SRC_DERIVED, "seen", "no kernel-log line or mailbox record of a refusal: a MAC "
					   "the host admin set on an untrusted VF is refused by igb/ixgbe, a MAC the VF chose is not");
			ev_path(f, host, &r);
			ev_failover_frames(f, host, m, gi, t);
			if (km)
				finding_kmsg(f, host, KM_ADMIN_MAC, pci, r.vfidx, NULL);
			if (vs_known_nonempty(&r.mb->name))
				finding_kmsg(f, m, KM_PF_ERROR, NULL, -1, r.mb->name.v);
			char a[320], b[320], pod[640];
			if (machine_is_pod(m)) /* bond-cni makes the bond: its setting, not ip link (rules/netns.c) */
				finding_fix(f, "%s%s%s%s", pod_fix_fail_over_mac(pod, sizeof(pod), m, t), trusted ? "" : "; or ",
					    trusted ? "" : fix_vf(b, sizeof(b), r.pf, r.vfidx, "trust on"),
					    trusted ? "" : " (sriov-cni's \"trust\": \"on\" keeps it for the pod)");
			else if (trusted)
				finding_fix(f, "%s  # (with no members enslaved): the VF is trusted, yet its PF refuses the MAC",
					    fix_bond(a, sizeof(a), t, "fail_over_mac active"));
			else
				finding_fix(f, "%s  # (with no members enslaved), or %s, or clear the administrative MAC",
					    fix_bond(a, sizeof(a), t, "fail_over_mac active"),
					    fix_vf(b, sizeof(b), r.pf, r.vfidx, "trust on"));
		}
	}
}

/* The VF number a line without one is about: i40e logs "Cannot add more
 * MAC addresses, VF is not trusted, ..." and, for the same request, "VF 8
 * failed opcode 10, retval: -5" (its reply); the reply names the VF. Only
 * when every such reply within a second on that PCI address names one VF. */
static int companion_vf(const struct machine *m, size_t i, const char *pci, const char **line)
{
	int vf = -1;
	*line = NULL;
	for (size_t j = 0; pci[0] && j < m->nkmsg; j++) {
		struct kmsg_info kj;
		uint64_t a = m->kmsg[i].ts_us, b = m->kmsg[j].ts_us;
		if ((a > b ? a - b : b - a) > 1000000 || !(kmsg_classify(m->kmsg[j].text, &kj) & KM_MBX_FAIL) ||
		    strcmp(kj.pci, pci) || kj.vf < 0)
			continue;
		if (vf >= 0 && kj.vf != vf)
			return -1;
		vf = kj.vf;
		*line = m->kmsg[j].text;
	}
	return vf;
}

static void ev_kref(struct finding *f, struct machine *host, struct machine *m, const struct kmsg_info *ki,
		    const struct kref *k)
{
	if (!ki->pci[0]) {
		finding_ev(f, SRC_KMSG, "device named by the line", "none (no PCI address in the line)");
		return;
	}
	if (k->pf)
		finding_ev(f, SRC_DERIVED, "device named by the line", "%s: %s, PF %s (%s)%s", ki->pci, k->how,
			   pf_name(k->pf), S(k->pf->pci), vs_known_nonempty(&k->pf->netdev) ? "" : ", PF netdev unknown");
	else if (m == host) {
		char list[256] = "";
		size_t len = 0;
		for (size_t p = 0; p < host->npfs && len < sizeof(list) - 40; p++)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s (%s)", p ? ", " : "",
						S(host->pfs[p].pci), S(host->pfs[p].netdev));
		finding_ev(f, SRC_DERIVED, "device named by the line", "%s: not a PF or VF on this machine (its PFs: %s)",
			   ki->pci, host->npfs ? list : "none");
	} else
		finding_ev(f, SRC_DERIVED, "device named by the line", "%s: the guest's PCI address; no host VF found behind it",
			   ki->pci);
}

/* VFS016, VFS018: kernel log evidence grouped by (device, VF). */
struct kmsg_rule { unsigned cls; };

static void rule_kmsg_groups(const struct rule *rl, struct machine *host, struct findings *out)
{
	const struct kmsg_rule *kr = rl->arg;
	bool untrust = kr->cls & (KM_NOT_TRUSTED | KM_PROMISC);
	for (int gi = -1; gi < (int)host->nguests; gi++) {
		struct machine *m = gi < 0 ? host : host->guests[gi];
		struct { char pci[16]; int vf; } seen[32];
		size_t ns = 0;
		for (size_t i = 0; i < m->nkmsg; i++) {
			struct kmsg_info ki;
			if (!(kmsg_classify(m->kmsg[i].text, &ki) & kr->cls))
				continue;
			const char *comp = NULL;
			if (ki.vf < 0 && untrust)
				ki.vf = companion_vf(m, i, ki.pci, &comp);
			struct kref k;
			kref_resolve(host, m, &ki, &k);
			if (ki.vf < 0)
				ki.vf = k.vfidx;
			size_t s;
			for (s = 0; s < ns; s++)
				if (!strcmp(seen[s].pci, ki.pci) && seen[s].vf == ki.vf)
					break;
			if (s < ns || ns == ARRAY_SIZE(seen))
				continue;
			vfs_strlcpy(seen[ns].pci, ki.pci, sizeof(seen[ns].pci));
			seen[ns++].vf = ki.vf;
			struct finding *f = rule_add(out, rl, SEV_WARNING);
			const char *pn = k.pf && vs_known_nonempty(&k.pf->netdev) ? k.pf->netdev.v : ki.pci;
			if (!ki.pci[0])
				finding_subject(f, "%s kernel log", machine_name(host, gi));
			else if (ki.vf >= 0)
				finding_subject(f, "%s %s VF %d", machine_name(host, gi), pn, ki.vf);
			else
				finding_subject(f, "%s %s", machine_name(host, gi), pn);
			finding_ev(f, SRC_KMSG, "kernel log", "%s", m->kmsg[i].text);
			ev_kref(f, host, m, &ki, &k);
			if (comp)
				finding_ev(f, SRC_KMSG, "VF number", "%d (from the line logged with it: %s)", ki.vf, comp);
			else if (ki.vf < 0)
				finding_ev(f, SRC_KMSG, "VF number", "not in the line");
			if (k.vf) {
				char w[96];
				snprintf(w, sizeof(w), "PF %s VF %d trust", pf_name(k.pf), k.vf->index);
				finding_ev_vi(f, w, &k.vf->trust);
				snprintf(w, sizeof(w), "PF %s VF %d spoofchk", pf_name(k.pf), k.vf->index);
				finding_ev_vi(f, w, &k.vf->spoofchk);
			} else if (k.pf && ki.vf < 0 && !untrust) {
				char list[160] = "";
				size_t len = 0;
				for (size_t j = 0; j < k.pf->nvfs && len < sizeof(list) - 8; j++)
					if (VI_KNOWN(k.pf->vfs[j].spoofchk) && k.pf->vfs[j].spoofchk.v == 1)
						len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d", len ? " " : "",
									k.pf->vfs[j].index);
				char w[96];
				snprintf(w, sizeof(w), "PF %s VFs with spoofchk on", pf_name(k.pf));
				finding_ev(f, SRC_NETLINK, w, "%s", len ? list : "none read");
			}
			finding_kmsg(f, m, kr->cls, ki.pci[0] ? ki.pci : NULL, ki.vf, NULL);
			bool vf_gone = k.pf && ki.vf >= 0 && !k.vf && k.pf->nvfs;
			if (vf_gone)
				finding_ev(f, SRC_DERIVED, "VF named by the line", "VF %d is not among PF %s's %zu VFs now",
					   ki.vf, pf_name(k.pf), k.pf->nvfs);
			char a[320];
			if (vf_gone)
				finding_fix(f, "no command: VF %d named by the kernel line is not a VF of PF %s now (the line is "
					       "from before its VFs were re-created, or from another boot)", ki.vf, pf_name(k.pf));
			else if (!k.pf && ki.pci[0])
				finding_fix(f, "no command: %s named by the kernel line is not a PF or VF known on this machine; "
					       "run vfscope on the host whose PF it is (with its guests) to name the PF and VF",
					    ki.pci);
			else if (!k.pf)
				finding_fix(f, "no command: the kernel line names no device; see the lines beside it for the PF");
			else if (untrust)
				finding_fix(f, "%s  # if the guest needs promiscuous/all-multicast or more MACs/VLANs; "
					       "otherwise drop those settings in the guest",
					    fix_vf(a, sizeof(a), k.pf, ki.vf, "trust on"));
			else if (ki.vf >= 0)
				finding_fix(f, "the VF sends from a MAC the PF did not assign: use fail_over_mac active in the "
					       "guest team, or %s (with trust on) if that is intended",
					    fix_vf(a, sizeof(a), k.pf, ki.vf, "spoofchk off"));
			else
				finding_fix(f, "the line names no VF: find the VF of PF %s whose guest sends from a MAC the PF "
					       "did not assign (a team with fail_over_mac none moves its MAC onto every member) and "
					       "use fail_over_mac active in that team, or turn spoofchk off for that VF (with trust "
					       "on) if that is intended", pf_name(k.pf));
		}
	}
}

/* --- VFS017 ------------------------------------------------------------- */

/* Where a VF is used, as far as the read state says. */
enum vf_place { PLACE_UNKNOWN, PLACE_TEAM, PLACE_NO_TEAM };

static bool owner_is(const struct vf *v, const struct machine *g)
{
	return vs_known_nonempty(&v->owner_name) &&
	       ((g->label && !strcmp(g->label, v->owner_name.v)) || vs_is(&g->hostname, v->owner_name.v));
}

static enum vf_place vf_place(const struct machine *host, const struct vf *v, char *desc, size_t n)
{
	if (v->guest_team_idx >= 0) {
		const struct machine *m = v->guest_idx >= 0 && (size_t)v->guest_idx < host->nguests ? host->guests[v->guest_idx]
												: host;
		const struct team *t = (size_t)v->guest_team_idx < m->nteams ? &m->teams[v->guest_team_idx] : NULL;
		const struct member *mb = t && v->guest_member_idx >= 0 && (size_t)v->guest_member_idx < t->nmembers
						  ? &t->members[v->guest_member_idx] : NULL;
		snprintf(desc, n, "member %s of %s %s", mb ? S(mb->name) : "?", machine_name(host, v->guest_idx),
			 t ? S(t->name) : "?");
		return PLACE_TEAM;
	}
	if (vs_known_nonempty(&v->netdev)) {
		snprintf(desc, n, "netdev %s on this host, in no team", v->netdev.v);
		return PLACE_NO_TEAM;
	}
	for (size_t g = 0; g < host->nguests; g++)
		if (owner_is(v, host->guests[g])) {
			snprintf(desc, n, "held by VM %s, whose guest view has no team member on it", v->owner_name.v);
			return PLACE_NO_TEAM;
		}
	if (vs_known_nonempty(&v->owner_name))
		snprintf(desc, n, "held by VM %s; no guest view of it", v->owner_name.v);
	else
		snprintf(desc, n, "not known (no netdev here, no guest view)");
	return PLACE_UNKNOWN;
}

struct vfref { struct pf *pf; struct vf *vf; enum vf_place place; char desc[160]; };

static void rule_dup_mac(const struct rule *rl, struct machine *host, struct findings *out)
{
	for (size_t i = 0; i < host->npfs; i++)
		for (size_t j = 0; j < host->pfs[i].nvfs; j++) {
			struct vf *a = &host->pfs[i].vfs[j];
			if (!mac_nonzero(&a->mac))
				continue;
			bool first = true; /* one finding per MAC: at its first VF */
			for (size_t i2 = 0; i2 <= i && first; i2++)
				for (size_t j2 = 0; j2 < host->pfs[i2].nvfs && (i2 < i || j2 < j); j2++)
					if (mac_nonzero(&host->pfs[i2].vfs[j2].mac) && vfs_mac_eq(host->pfs[i2].vfs[j2].mac.v, a->mac.v))
						first = false;
			if (!first)
				continue;
			struct vfref g[16];
			size_t ng = 0;
			for (size_t i2 = i; i2 < host->npfs; i2++)
				for (size_t j2 = 0; j2 < host->pfs[i2].nvfs && ng < ARRAY_SIZE(g); j2++) {
					struct vf *b = &host->pfs[i2].vfs[j2];
					if ((i2 == i && j2 < j) || !mac_nonzero(&b->mac) || !vfs_mac_eq(b->mac.v, a->mac.v))
						continue;
					g[ng].pf = &host->pfs[i2];
					g[ng].vf = b;
					g[ng].place = vf_place(host, b, g[ng].desc, sizeof(g[ng].desc));
					ng++;
				}
			if (ng < 2)
				continue;
			/* Decide over every pair: a conflict the read state shows, or
			 * only what a team with fail_over_mac none looks like. */
			const char *why = NULL;
			struct vfref *fixme = NULL, *samepf_team = NULL;
			bool unknown = false;
			for (size_t x = 0; x < ng; x++)
				for (size_t y = x + 1; y < ng; y++) {
					struct vfref *p = &g[x], *q = &g[y];
					bool same_team = p->place == PLACE_TEAM && q->place == PLACE_TEAM &&
							 p->vf->guest_idx == q->vf->guest_idx &&
							 p->vf->guest_team_idx == q->vf->guest_team_idx;
					if (p->pf == q->pf) {
						why = why ? why : "two VFs of one PF: its embedded switch sees the MAC on both and "
								  "cannot deliver frames for it to the right one";
						if (same_team)
							samepf_team = samepf_team ? samepf_team : q;
						else
							fixme = fixme ? fixme : (q->place == PLACE_TEAM ? p : q);
					} else if (same_team) {
						continue; /* one team's members with fail_over_mac none: by design */
					} else if (p->place != PLACE_UNKNOWN && q->place != PLACE_UNKNOWN) {
						why = why ? why : "VFs of two PFs carry one MAC and are not members of one team";
						fixme = fixme ? fixme : (q->place == PLACE_TEAM ? p : q);
					} else
						unknown = true;
				}
			if (!why && !unknown)
				continue;
			struct finding *f = rule_add(out, rl, why ? SEV_ERROR : SEV_INFO);
			if (!why)
				finding_title(f, "VFs of two PFs carry one MAC: what a team's members look like with "
						 "fail_over_mac none");
			finding_subject(f, "MAC %s", a->mac.v);
			for (size_t x = 0; x < ng; x++) {
				char w[96];
				snprintf(w, sizeof(w), "PF %s VF %d mac", pf_name(g[x].pf), g[x].vf->index);
				finding_ev_vs(f, w, &g[x].vf->mac);
				snprintf(w, sizeof(w), "PF %s VF %d used by", pf_name(g[x].pf), g[x].vf->index);
				finding_ev(f, SRC_DERIVED, w, "%s", g[x].desc);
			}
			char c[320];
			if (why) {
				finding_ev(f, SRC_DERIVED, "conflict", "%s", why);
				if (fixme)
					finding_fix(f, "give VF %d of PF %s a MAC of its own: %s (ADDR: an unused locally "
						       "administered address)", fixme->vf->index, pf_name(fixme->pf),
						    fix_vf(c, sizeof(c), fixme->pf, fixme->vf->index, "mac ADDR"));
				else {
					const struct machine *tm = samepf_team->vf->guest_idx >= 0
									   ? host->guests[samepf_team->vf->guest_idx] : host;
					const struct team *t = &tm->teams[samepf_team->vf->guest_team_idx];
					finding_fix(f, "%s  # (with no members enslaved) each member keeps its own MAC; and give "
						       "the team VFs of different PFs (VFS003)",
						    fix_bond(c, sizeof(c), t, "fail_over_mac active"));
				}
			} else {
				finding_ev(f, SRC_DERIVED, "seen", "an active-backup bond with fail_over_mac none gives every "
					   "member its MAC; no view here says whether these VFs are one team's members");
				finding_fix(f, "nothing to change if they are one team's members; give vfscope that guest's view "
					       "(--guest or --guest-file) to tell");
			}
		}
}

static const struct kmsg_rule untrust_arg = { KM_NOT_TRUSTED | KM_PROMISC };
static const struct kmsg_rule spoof_arg = { KM_SPOOF };

static const struct rule mac_rules[] = {
	{ { "VFS004-mac-change-refused", SEV_ERROR, "team needs MAC changes the PF refuses" }, rule_mac_refused, NULL },
	{ { "VFS016-untrusted-vf-denied", SEV_WARNING, "untrusted VF denied promiscuous/multicast or extra MACs/VLANs" },
	  rule_kmsg_groups, &untrust_arg },
	{ { "VFS017-duplicate-vf-mac", SEV_ERROR, "one MAC on two VFs where it conflicts" }, rule_dup_mac, NULL },
	{ { "VFS018-spoofed-packets", SEV_WARNING, "PF dropped spoofed packets from a VF" }, rule_kmsg_groups, &spoof_arg },
};
RULE_FAMILY(rules_mac, "mac", mac_rules);
