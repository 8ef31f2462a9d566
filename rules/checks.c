/* The rules. Each looks at teams (host-side and in every guest) with the
 * host VF/PF behind each member, or at the host's PFs/VFs, or at events
 * and kernel log lines, and adds findings with evidence and a fix.
 * Thresholds and reasoning: docs/rules.md. */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define R_HIDDEN   "VFS001-pf-link-hidden"
#define R_FORCED   "VFS002-vf-link-forced"
#define R_SHARED   "VFS003-shared-pf"
#define R_MAC      "VFS004-mac-change-refused"
#define R_MISSING  "VFS005-team-member-missing"
#define R_SWDEP    "VFS006-switch-dependent-mode"
#define R_MIXED    "VFS007-mixed-vf-emulated"
#define R_MANY     "VFS008-too-many-members"
#define R_DIFFER   "VFS009-member-config-differs"
#define R_NOMON    "VFS010-no-failure-detection"
#define R_RESET    "VFS011-vf-reset-storm"
#define R_TXTO     "VFS012-tx-timeout"
#define R_NACK     "VFS013-mailbox-nack-burst"
#define R_UNUSED   "VFS014-vf-unused"
#define R_CAP      "VFS015-sriov-cap-mismatch"
#define R_UNTRUST  "VFS016-untrusted-vf-denied"
#define R_DUPMAC   "VFS017-duplicate-vf-mac"
#define R_SPOOF    "VFS018-spoofed-packets"

/* Thresholds over the collected window (events and kmsg lines held). */
#define RESET_STORM_MIN 3
#define NACK_BURST_MIN 5
#define TX_TIMEOUT_MIN 1
#define KMSG_FACTOR 2 /* kernel log lines alone need twice as many, per device */

static const struct rule_info rule_table[] = {
	{ R_HIDDEN, SEV_ERROR, "physical link down under a team member its team still treats as up" },
	{ R_FORCED, SEV_WARNING, "VF link state forced (does not follow the PF link)" },
	{ R_SHARED, SEV_WARNING, "team members share one PF, physical port or switch" },
	{ R_MAC, SEV_ERROR, "team needs MAC changes the PF refuses" },
	{ R_MISSING, SEV_ERROR, "team is missing a member whose VF is present (enslave failed)" },
	{ R_SWDEP, SEV_ERROR, "switch-dependent team mode (or LACP) over VFs" },
	{ R_MIXED, SEV_WARNING, "team mixes a VF with an emulated path without VF as primary" },
	{ R_MANY, SEV_WARNING, "more than two members in a VF team" },
	{ R_DIFFER, SEV_WARNING, "team members differ in VLAN/QoS, MTU or rate limits" },
	{ R_NOMON, SEV_ERROR, "team has no failure detection (miimon 0 and arp_interval 0)" },
	{ R_RESET, SEV_WARNING, "VF reset storm" },
	{ R_TXTO, SEV_WARNING, "transmit timeouts" },
	{ R_NACK, SEV_WARNING, "burst of refused mailbox requests" },
	{ R_UNUSED, SEV_INFO, "VFs enabled but unused" },
	{ R_CAP, SEV_WARNING, "SR-IOV capability and sysfs disagree" },
	{ R_UNTRUST, SEV_WARNING, "untrusted VF denied promiscuous/multicast or extra MACs/VLANs" },
	{ R_DUPMAC, SEV_ERROR, "duplicate VF MAC addresses on one host" },
	{ R_SPOOF, SEV_WARNING, "PF dropped spoofed packets from a VF" },
};

const struct rule_info *rules_list(size_t *n)
{
	*n = ARRAY_SIZE(rule_table);
	return rule_table;
}

static const char *title_of(const char *id)
{
	for (size_t i = 0; i < ARRAY_SIZE(rule_table); i++)
		if (!strcmp(rule_table[i].id, id))
			return rule_table[i].title;
	return id;
}

static struct finding *add(struct findings *out, const char *id, int sev)
{
	return finding_add(out, id, sev, title_of(id));
}

#define S(x) (VS_KNOWN(x) ? (x).v : "?")

/* Walk every team on the host and in each guest. */
#define FOR_TEAMS(host, m, gi, t)                                                          \
	for (int gi = -1; gi < (int)(host)->nguests; gi++)                                  \
		for (struct machine *m = gi < 0 ? (host) : (host)->guests[gi]; m; m = NULL) \
			for (size_t _t = 0; _t < m->nteams; _t++)                           \
				for (struct team *t = &m->teams[_t]; t; t = NULL)

static void ev_path(struct finding *f, struct machine *host, const struct mref *r)
{
	char b[512];
	int n = snprintf(b, sizeof(b), "%s %s/%s", machine_name(host, r->gi), S(r->t->name), S(r->mb->name));
	if (r->vf) {
		n += snprintf(b + n, sizeof(b) - (size_t)MIN(n, (int)sizeof(b)), " -> VF %d (%s) -> PF %s (%s)", r->vfidx,
			      S(r->vf->pci), pf_name(r->pf), S(r->pf->pci));
		if (r->pfnd && n < (int)sizeof(b))
			n += snprintf(b + n, sizeof(b) - (size_t)n, " link %s",
				      VI_KNOWN(r->pfnd->carrier) ? (r->pfnd->carrier.v ? "up" : "down") : "?");
		if (VS_KNOWN(r->pf->lldp_chassis) && n < (int)sizeof(b))
			snprintf(b + n, sizeof(b) - (size_t)n, " -> switch %s port %s",
				 VS_KNOWN(r->pf->lldp_sysname) ? r->pf->lldp_sysname.v : r->pf->lldp_chassis.v,
				 S(r->pf->lldp_port));
	} else if (n < (int)sizeof(b)) {
		snprintf(b + n, sizeof(b) - (size_t)n, " -> no host VF found");
	}
	finding_ev(f, SRC_DERIVED, "path", "%s", b);
}

static void subject_member(struct finding *f, struct machine *host, const struct mref *r)
{
	finding_subject(f, "%s %s/%s", machine_name(host, r->gi), S(r->t->name), S(r->mb->name));
}

static void subject_team(struct finding *f, struct machine *host, int gi, const struct team *t)
{
	finding_subject(f, "%s %s", machine_name(host, gi), S(t->name));
}

static int team_vf_members(struct machine *host, struct machine *m, int gi, struct team *t)
{
	int n = 0;
	for (size_t j = 0; j < t->nmembers; j++) {
		struct mref r;
		mref_get(host, m, gi, t, j, &r);
		n += member_is_vf(&r);
	}
	return n;
}

static bool member_thinks_up(const struct mref *r)
{
	return vs_is(&r->mb->mii_status, "up") || vs_is(&r->mb->state, "active") ||
	       (VS_KNOWN(r->t->active) && VS_KNOWN(r->mb->name) && !strcmp(r->t->active.v, r->mb->name.v));
}

static bool pf_link_down(const struct netdev *pfnd)
{
	if (!pfnd)
		return false;
	if (VI_KNOWN(pfnd->carrier))
		return pfnd->carrier.v == 0;
	return vs_is(&pfnd->operstate, "down") || vs_is(&pfnd->operstate, "lowerlayerdown");
}

/* Gratuitous ARPs / unsolicited NAs (EV_FRAME "GARP"/"NA", collectors/
 * frames.c) this team sent: on the team or a member of m, or on the host
 * VF/PF netdev behind a member with the team's or a member's MAC. What a
 * failover announces; with the link change or failover event before it
 * (same clock) when there is one within 30 s. */
static bool frame_from(const struct vfs_event *e, const struct mref *r)
{
	const char *p = strstr(e->text, " from ");
	char mac[18];
	if (!p || sscanf(p + 6, "%17s", mac) != 1)
		return false;
	return vfs_mac_eq(mac, r->t->mac.v) || vfs_mac_eq(mac, r->mb->perm_mac.v) ||
	       vfs_mac_eq(mac, r->mb->cur_mac.v) || (r->vf && vfs_mac_eq(mac, r->vf->mac.v));
}

static bool failover_frame_of(struct machine *host, struct machine *m, int gi, struct team *t, const struct vfs_event *e,
			      bool on_host)
{
	if (e->kind != EV_FRAME || (strncmp(e->text, "GARP ", 5) && strncmp(e->text, "NA ", 3)))
		return false;
	if (!on_host || m == host) {
		if (VS_KNOWN(t->name) && !strcmp(e->ifname, t->name.v))
			return true;
		for (size_t j = 0; j < t->nmembers; j++)
			if (VS_KNOWN(t->members[j].name) && !strcmp(e->ifname, t->members[j].name.v))
				return true;
	}
	for (size_t j = 0; j < t->nmembers; j++) {
		struct mref r;
		mref_get(host, m, gi, t, j, &r);
		if (r.vf && ((VS_KNOWN(r.vf->netdev) && !strcmp(e->ifname, r.vf->netdev.v)) ||
			     (VS_KNOWN(r.pf->netdev) && !strcmp(e->ifname, r.pf->netdev.v))) && frame_from(e, &r))
			return true;
	}
	return false;
}

/* "capture" or "pcap" when m's frames were really read (the team's own
 * machine, guest or host), else NULL: no frames read is not "none seen". */
static const char *frames_read(const struct machine *m)
{
	static const char *const names[] = { "capture", "pcap" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const struct source *s = machine_source(m, names[i]);
		if (s && (s->status == SOURCE_OK || s->status == SOURCE_PARTIAL))
			return names[i];
	}
	return NULL;
}

#define KMSG_SKEW_NS 250000000ull

static void ev_failover_frames(struct finding *f, struct machine *host, struct machine *m, int gi, struct team *t)
{
	int shown = 0, more = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct machine *em = pass ? host : m;
		if (pass && m == host)
			break;
		for (size_t i = 0; i < em->nevents; i++) {
			const struct vfs_event *e = &em->events[i];
			if (!failover_frame_of(host, m, gi, t, e, pass))
				continue;
			if (shown >= 6) {
				more++;
				continue;
			}
			char ts[32] = "?", after[160] = "";
			if (e->ts_real_ns)
				vfs_fmt_time(e->ts_real_ns, ts);
			/* The link change the frame follows: the latest one up to 30 s
			 * before it. A kernel-log line is stamped with the printk clock
			 * (local_clock), not the capture's: under a VM it was seen 20 ms
			 * late against the frames it caused, so it may also lie up to
			 * KMSG_SKEW_NS after the frame and is then "within" it. */
			const struct vfs_event *lc = NULL;
			for (size_t k = 0; k < em->nevents; k++) {
				const struct vfs_event *x = &em->events[k];
				uint64_t slack = strcmp(x->probe, "kmsg") ? 0 : KMSG_SKEW_NS;
				if ((x->kind == EV_LINK || x->kind == EV_FAILOVER) && x->ts_real_ns && e->ts_real_ns &&
				    x->ts_real_ns <= e->ts_real_ns + slack && x->ts_real_ns + 30000000000ull >= e->ts_real_ns &&
				    (!lc || x->ts_real_ns > lc->ts_real_ns))
					lc = x;
			}
			if (lc && lc->ts_real_ns <= e->ts_real_ns)
				snprintf(after, sizeof(after), ", %.3f s after %s on %s: %.60s",
					 (double)(e->ts_real_ns - lc->ts_real_ns) / 1e9, vfs_ev_kind_name(lc->kind),
					 lc->ifname, lc->text);
			else if (lc)
				snprintf(after, sizeof(after), ", within %.0f ms of %s on %s (kernel log clock): %.60s",
					 (double)(lc->ts_real_ns - e->ts_real_ns) / 1e6, vfs_ev_kind_name(lc->kind),
					 lc->ifname, lc->text);
			finding_ev(f, SRC_CAPTURE, "failover frames seen", "%s on %s at %s%s", e->text, e->ifname, ts, after);
			shown++;
		}
	}
	if (more)
		finding_ev(f, SRC_CAPTURE, "failover frames seen", "%d more", more);
	else if (!shown) {
		const char *read = frames_read(m);
		if (!read && m != host)
			read = frames_read(host);
		if (read)
			finding_ev(f, SRC_CAPTURE, "failover frames seen", "none from %s in the frames read (%s)",
				   S(t->name), read);
	}
}

/* VFS001 */
static void rule_hidden_link(struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			if (!r.vf || !pf_link_down(r.pfnd) || !member_thinks_up(&r))
				continue;
			struct finding *f = add(out, R_HIDDEN, SEV_ERROR);
			subject_member(f, host, &r);
			char w[160];
			snprintf(w, sizeof(w), "PF %s (%s) carrier", pf_name(r.pf), S(r.pf->pci));
			if (VI_KNOWN(r.pfnd->carrier))
				finding_ev_vi(f, w, &r.pfnd->carrier);
			else
				finding_ev_vs(f, "PF operstate", &r.pfnd->operstate);
			snprintf(w, sizeof(w), "member %s mii_status", S(r.mb->name));
			finding_ev_vs(f, w, &r.mb->mii_status);
			if (VS_KNOWN(r.mb->state)) {
				snprintf(w, sizeof(w), "member %s state", S(r.mb->name));
				finding_ev_vs(f, w, &r.mb->state);
			}
			if (VS_KNOWN(r.t->active))
				finding_ev_vs(f, "team active member", &r.t->active);
			snprintf(w, sizeof(w), "VF %d link_state", r.vfidx);
			if (VI_KNOWN(r.vf->link_state))
				finding_ev(f, r.vf->link_state.src, w, "%s", vf_link_state_name((int)r.vf->link_state.v));
			ev_path(f, host, &r);
			ev_failover_frames(f, host, m, gi, t);
			bool forced = VI_KNOWN(r.vf->link_state) && r.vf->link_state.v == VF_LINK_ENABLE;
			if (forced)
				finding_fix(f, "ip link set %s vf %d state auto  # let the VF follow the PF link; "
					       "then the team's miimon sees the failure", pf_name(r.pf), r.vfidx);
			else if (!VI_KNOWN(r.vf->link_state))
				finding_fix(f, "ip link set %s vf %d state auto  # if 'ip link show %s' says state enable; "
					       "otherwise the VF driver hides the PF link: ip link set %s type bond miimon 0 "
					       "arp_interval 1000 arp_ip_target <gateway> arp_validate all; and repair PF %s's link",
					    pf_name(r.pf), r.vfidx, pf_name(r.pf), S(t->name), pf_name(r.pf));
			else
				finding_fix(f, "the VF driver does not report the PF link: monitor the path instead: "
					       "ip link set %s type bond miimon 0 arp_interval 1000 arp_ip_target <gateway> "
					       "arp_validate all; and repair PF %s's link", S(t->name), pf_name(r.pf));
			finding_kmsg(f, m, KM_BOND_DOWN | KM_BOND_UP | KM_BOND_ACTIVE, NULL, -1, r.mb->name.v);
		}
	}
}

/* VFS002 */
static void rule_forced_link(struct machine *host, struct findings *out)
{
	for (size_t i = 0; i < host->npfs; i++)
		for (size_t j = 0; j < host->pfs[i].nvfs; j++) {
			struct pf *pf = &host->pfs[i];
			struct vf *v = &pf->vfs[j];
			if (!VI_KNOWN(v->link_state) || v->link_state.v == VF_LINK_AUTO)
				continue;
			struct finding *f = add(out, R_FORCED, SEV_WARNING);
			finding_subject(f, "PF %s VF %d", pf_name(pf), v->index);
			char w[96];
			snprintf(w, sizeof(w), "VF %d link_state", v->index);
			finding_ev(f, v->link_state.src, w, "%s", vf_link_state_name((int)v->link_state.v));
			if (v->link_state.v == VF_LINK_ENABLE)
				finding_ev(f, SRC_DERIVED, "effect", "VF reports carrier up even when PF %s is down",
					   pf_name(pf));
			else
				finding_ev(f, SRC_DERIVED, "effect", "VF link is always down");
			if (pf->netdev_idx >= 0)
				finding_ev_vi(f, "PF carrier", &host->netdevs[pf->netdev_idx].carrier);
			finding_fix(f, "ip link set %s vf %d state auto", pf_name(pf), v->index);
		}
}

/* VFS003 */
static void rule_shared(struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		for (size_t a = 0; a < t->nmembers; a++)
			for (size_t b = a + 1; b < t->nmembers; b++) {
				struct mref ra, rb;
				mref_get(host, m, gi, t, a, &ra);
				mref_get(host, m, gi, t, b, &rb);
				if (!ra.pf || !rb.pf)
					continue;
				const char *why = NULL;
				int sev = SEV_WARNING;
				if (ra.pf == rb.pf)
					why = "same PF";
				else if (VS_KNOWN(ra.pf->phys_port_id) && VS_KNOWN(rb.pf->phys_port_id) &&
					 !strcmp(ra.pf->phys_port_id.v, rb.pf->phys_port_id.v))
					why = "same physical port (phys_port_id)";
				else if (VS_KNOWN(ra.pf->lldp_chassis) && VS_KNOWN(rb.pf->lldp_chassis) &&
					 !strcmp(ra.pf->lldp_chassis.v, rb.pf->lldp_chassis.v))
					why = "same switch chassis (LLDP)", sev = SEV_INFO;
				if (!why)
					continue;
				struct finding *f = add(out, R_SHARED, sev);
				finding_subject(f, "%s %s: %s and %s", machine_name(host, gi), S(t->name), S(ra.mb->name),
						S(rb.mb->name));
				finding_ev(f, SRC_DERIVED, "shared", "%s", why);
				finding_ev_vs(f, "PF of first member", &ra.pf->pci);
				finding_ev_vs(f, "PF of second member", &rb.pf->pci);
				if (ra.pf != rb.pf && sev == SEV_WARNING)
					finding_ev_vs(f, "phys_port_id", &ra.pf->phys_port_id);
				if (sev == SEV_INFO)
					finding_ev_vs(f, "LLDP chassis", &ra.pf->lldp_chassis);
				ev_path(f, host, &ra);
				ev_path(f, host, &rb);
				int other = -1;
				for (size_t p = 0; p < host->npfs; p++)
					if (&host->pfs[p] != ra.pf && host->pfs[p].nvfs &&
					    !(VS_KNOWN(host->pfs[p].phys_port_id) && VS_KNOWN(ra.pf->phys_port_id) &&
					      !strcmp(host->pfs[p].phys_port_id.v, ra.pf->phys_port_id.v)))
						other = (int)p;
				if (sev == SEV_INFO)
					finding_fix(f, "cable the two PFs to different switches (or an MLAG pair) for switch redundancy");
				else if (other >= 0)
					finding_fix(f, "give %s a VF of another port, e.g. one of PF %s (%s), instead of VF %d of %s",
						    S(rb.mb->name), pf_name(&host->pfs[other]), S(host->pfs[other].pci),
						    rb.vfidx, pf_name(rb.pf));
				else
					finding_fix(f, "give %s a VF of another physical port; this host has no other SR-IOV port",
						    S(rb.mb->name));
			}
	}
}

/* Does the team move its MAC onto every member? */
static bool team_needs_mac_change(const struct team *t)
{
	if (t->driver == TEAM_TEAMD)
		return false; /* teamd runner config is not modelled */
	bool ab = vs_is(&t->mode, "active-backup") || (VI_KNOWN(t->mode_num) && t->mode_num.v == 1);
	if (!ab)
		return !vs_is(&t->mode, "balance-tlb") && !vs_is(&t->mode, "balance-alb");
	return !VS_KNOWN(t->fail_over_mac) || vs_is(&t->fail_over_mac, "none");
}

static int mbx_nacks(const struct machine *m, const struct pf *pf, int vfidx)
{
	int n = 0;
	for (size_t i = 0; i < m->nevents; i++) {
		const struct vfs_event *e = &m->events[i];
		if (e->kind != EV_MBX || e->result != EV_RES_NACK || e->vf != vfidx)
			continue;
		if ((VS_KNOWN(pf->netdev) && (!strcmp(e->pf, pf->netdev.v) || !strcmp(e->ifname, pf->netdev.v))) ||
		    (VS_KNOWN(pf->pci) && !strcmp(e->pf, pf->pci.v)))
			n++;
	}
	return n;
}

static bool mac_nonzero(const struct vs *v)
{
	uint8_t b[6];
	return VS_KNOWN(*v) && !vfs_mac_parse(v->v, b) && !vfs_mac_is_zero(b);
}

static void ev_mac_policy(struct finding *f, const struct pf *pf, const struct vf *v)
{
	char w[96];
	snprintf(w, sizeof(w), "PF %s VF %d mac (admin)", pf_name(pf), v->index);
	finding_ev_vs(f, w, &v->mac);
	snprintf(w, sizeof(w), "PF %s VF %d trust", pf_name(pf), v->index);
	finding_ev_vi(f, w, &v->trust);
	snprintf(w, sizeof(w), "PF %s VF %d spoofchk", pf_name(pf), v->index);
	finding_ev_vi(f, w, &v->spoofchk);
}

/* VFS004 */
static void rule_mac_refused(struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (!team_needs_mac_change(t))
			continue;
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			if (!r.vf)
				continue;
			if (VS_KNOWN(t->mac) && VS_KNOWN(r.mb->perm_mac) && vfs_mac_eq(t->mac.v, r.mb->perm_mac.v))
				continue; /* this member keeps its own address */
			bool admin = mac_nonzero(&r.vf->mac) && !(VI_KNOWN(r.vf->trust) && r.vf->trust.v == 1);
			int nacks = mbx_nacks(host, r.pf, r.vfidx);
			struct finding tmp = { 0 };
			int km = finding_kmsg(&tmp, host, KM_ADMIN_MAC, r.pf->pci.v, r.vfidx, NULL) +
				 finding_kmsg(&tmp, m, KM_SET_MAC_ERR, NULL, -1, r.mb->name.v);
			for (size_t k = 0; k < tmp.nkmsg; k++)
				free(tmp.kmsg[k]);
			free(tmp.kmsg);
			if (!admin && !nacks && !km)
				continue;
			struct finding *f = add(out, R_MAC, SEV_ERROR);
			subject_member(f, host, &r);
			finding_ev_vs(f, "team mode", &t->mode);
			finding_ev_vs(f, "team fail_over_mac", &t->fail_over_mac);
			finding_ev_vs(f, "team MAC", &t->mac);
			finding_ev_vs(f, "member permanent MAC", &r.mb->perm_mac);
			ev_mac_policy(f, r.pf, r.vf);
			if (nacks)
				finding_ev(f, SRC_PROBE, "mailbox requests refused (NACK)", "%d", nacks);
			ev_path(f, host, &r);
			ev_failover_frames(f, host, m, gi, t);
			finding_kmsg(f, host, KM_ADMIN_MAC, r.pf->pci.v, r.vfidx, NULL);
			finding_kmsg(f, m, KM_SET_MAC_ERR | KM_PF_ERROR, NULL, -1, r.mb->name.v);
			finding_fix(f, "ip link set %s type bond fail_over_mac active  # (with no members enslaved), or "
				       "ip link set %s vf %d trust on, or clear the administrative MAC",
				    S(t->name), pf_name(r.pf), r.vfidx);
		}
	}
}

/* A netdev that is a VF, on the machine m (host-local or guest). Fills the
 * host VF when known. */
static bool netdev_is_vf(struct machine *host, struct machine *m, const struct netdev *n, struct pf **pf, struct vf **vf)
{
	*pf = NULL;
	*vf = NULL;
	if (m == host && n->vf_pf_idx >= 0 && n->vf_idx >= 0) {
		*pf = &host->pfs[n->vf_pf_idx];
		*vf = &(*pf)->vfs[n->vf_idx];
		return true;
	}
	int pi, vi;
	const char *mac = VS_KNOWN(n->perm_mac) ? n->perm_mac.v : n->mac.v;
	if (m != host && mac_nonzero(VS_KNOWN(n->perm_mac) ? &n->perm_mac : &n->mac) &&
	    !machine_find_vf_mac(host, mac, &pi, &vi)) {
		*pf = &host->pfs[pi];
		*vf = &(*pf)->vfs[vi];
		return true;
	}
	if (m != host && VS_KNOWN(n->pci) && !machine_find_vf_pci(host, n->pci.v, &pi, &vi)) {
		*pf = &host->pfs[pi];
		*vf = &(*pf)->vfs[vi];
		return true;
	}
	return (VI_KNOWN(n->is_virtfn) && n->is_virtfn.v == 1) || driver_is_vf(n->driver.v);
}

static int kmsg_count(const struct machine *m, unsigned cls, const char *ifname)
{
	int n = 0;
	for (size_t i = 0; i < m->nkmsg; i++)
		if ((kmsg_classify(m->kmsg[i].text, NULL) & cls) && kmsg_mentions(m->kmsg[i].text, ifname))
			n++;
	return n;
}

/* Evidence that this VF could not join the team: the kernel log names it
 * with a set_mac_address error, or the PF pins its MAC (admin MAC, not
 * trusted) while the team moves its MAC onto members. */
static bool missing_strong(struct machine *m, const struct team *t, const struct netdev *n, const struct vf *vf)
{
	if (kmsg_count(m, KM_SET_MAC_ERR, n->name.v))
		return true;
	return vf && mac_nonzero(&vf->mac) && !(VI_KNOWN(vf->trust) && vf->trust.v == 1) && team_needs_mac_change(t);
}

/* VFS005 */
static void rule_missing_member(struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (!team_vf_members(host, m, gi, t))
			continue;
		/* Candidates: unenslaved VF netdevs on the team's machine. With
		 * strong evidence for some, report those; otherwise, when the
		 * team has fewer than two members, every candidate. */
		bool any_strong = false;
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < m->nnetdevs; i++) {
				struct netdev *n = &m->netdevs[i];
				struct pf *pf;
				struct vf *vf;
				if (VS_KNOWN(n->master) || vs_is(&n->kind, "bond") || !VS_KNOWN(n->name))
					continue;
				if (!netdev_is_vf(host, m, n, &pf, &vf))
					continue;
				bool strong = missing_strong(m, t, n, vf);
				if (pass == 0) {
					any_strong |= strong;
					continue;
				}
				if (any_strong ? !strong : t->nmembers >= 2)
					continue;
				struct finding *f = add(out, R_MISSING, SEV_ERROR);
				finding_subject(f, "%s %s: %s not enslaved", machine_name(host, gi), S(t->name), n->name.v);
				finding_ev(f, SRC_DERIVED, "team members", "%zu", t->nmembers);
				finding_ev_vs(f, "team mode", &t->mode);
				finding_ev_vs(f, "team fail_over_mac", &t->fail_over_mac);
				char w[96];
				snprintf(w, sizeof(w), "%s master", n->name.v);
				finding_ev(f, n->name.src, w, "none");
				snprintf(w, sizeof(w), "%s driver", n->name.v);
				finding_ev_vs(f, w, &n->driver);
				if (vf) {
					ev_mac_policy(f, pf, vf);
					finding_kmsg(f, host, KM_ADMIN_MAC, pf->pci.v, vf->index, NULL);
				}
				finding_kmsg(f, m, KM_SET_MAC_ERR | KM_PF_ERROR, NULL, -1, n->name.v);
				if (vf && mac_nonzero(&vf->mac) && !(VI_KNOWN(vf->trust) && vf->trust.v == 1) &&
				    team_needs_mac_change(t))
					finding_fix(f, "the PF refuses the bond's MAC on this VF: ip link set %s vf %d trust on "
						       "(or ip link set %s type bond fail_over_mac active), then ip link set %s master %s",
						    pf_name(pf), vf->index, S(t->name), n->name.v, S(t->name));
				else
					finding_fix(f, "ip link set %s down; ip link set %s master %s  # and see the kernel log for "
						       "why enslaving failed", n->name.v, n->name.v, S(t->name));
			}
	}
}

static bool mode_switch_dependent(const struct team *t)
{
	static const char *const m[] = { "802.3ad", "balance-rr", "balance-xor", "broadcast" };
	for (size_t i = 0; i < ARRAY_SIZE(m); i++)
		if (vs_is(&t->mode, m[i]))
			return true;
	if (!VS_KNOWN(t->mode) && VI_KNOWN(t->mode_num))
		return t->mode_num.v == 0 || t->mode_num.v == 2 || t->mode_num.v == 3 || t->mode_num.v == 4;
	return false;
}

static int lacp_frames(const struct machine *m, const char *ifname)
{
	int n = 0;
	for (size_t i = 0; ifname && i < m->nevents; i++)
		if (m->events[i].kind == EV_FRAME && !strncmp(m->events[i].text, "LACP", 4) &&
		    !strcmp(m->events[i].ifname, ifname))
			n++;
	return n;
}

/* VFS006 */
static void rule_switch_dependent(struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		int nvf = team_vf_members(host, m, gi, t);
		if (!nvf)
			continue;
		int frames = 0;
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			frames += lacp_frames(m, r.mb->name.v);
			if (r.vf && m != host)
				frames += lacp_frames(host, r.vf->netdev.v);
		}
		bool swdep = mode_switch_dependent(t);
		if (!swdep && !frames)
			continue;
		struct finding *f = add(out, R_SWDEP, swdep ? SEV_ERROR : SEV_WARNING);
		subject_team(f, host, gi, t);
		finding_ev_vs(f, "team mode", &t->mode);
		finding_ev(f, SRC_DERIVED, "members that are VFs", "%d of %zu", nvf, t->nmembers);
		if (frames)
			finding_ev(f, SRC_CAPTURE, "LACP frames seen on member VFs", "%d", frames);
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			if (r.vf)
				ev_path(f, host, &r);
		}
		if (swdep)
			finding_fix(f, "VFs share the PF's switch port: the switch cannot form a LAG or balance over them; "
				       "use ip link set %s type bond mode active-backup (with miimon 100) and VFs of different PFs",
				    S(t->name));
		else
			finding_fix(f, "the team's mode is not switch-dependent, yet LACPDUs are seen on its VFs: find what "
				       "sends them (a bond or teamd in 802.3ad/lacp mode on these ports, or the "
				       "switch port configured as a LAG member) and stop it; a VF cannot take part in LACP");
	}
}

/* VFS007 */
static void rule_mixed(struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		const struct mref *vfm = NULL, *em = NULL;
		struct mref rs[64];
		size_t n = MIN(t->nmembers, ARRAY_SIZE(rs));
		for (size_t j = 0; j < n; j++) {
			mref_get(host, m, gi, t, j, &rs[j]);
			if (member_is_vf(&rs[j]))
				vfm = vfm ? vfm : &rs[j];
			else if (driver_is_emulated(rs[j].mb->driver.v) || (rs[j].nd && driver_is_emulated(rs[j].nd->driver.v)))
				em = em ? em : &rs[j];
		}
		if (!vfm || !em)
			continue;
		bool ab = vs_is(&t->mode, "active-backup");
		bool vf_primary = false;
		for (size_t j = 0; j < n; j++)
			if (VS_KNOWN(t->primary) && vs_is(&rs[j].mb->name, t->primary.v) && member_is_vf(&rs[j]))
				vf_primary = true;
		if (ab && vf_primary)
			continue;
		struct finding *f = add(out, R_MIXED, SEV_WARNING);
		subject_team(f, host, gi, t);
		finding_ev_vs(f, "team mode", &t->mode);
		finding_ev_vs(f, "team primary", &t->primary);
		char w[96];
		snprintf(w, sizeof(w), "%s driver (VF)", S(vfm->mb->name));
		finding_ev_vs(f, w, VS_KNOWN(vfm->mb->driver) ? &vfm->mb->driver : &vfm->nd->driver);
		snprintf(w, sizeof(w), "%s driver (emulated)", S(em->mb->name));
		finding_ev_vs(f, w, &em->mb->driver);
		finding_fix(f, "ip link set %s type bond mode active-backup primary %s  # VF as primary, the "
			       "emulated path as standby (mode changes need the bond down and empty)",
			    S(t->name), S(vfm->mb->name));
	}
}

/* VFS008 */
static void rule_too_many(struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (t->nmembers <= 2 || !team_vf_members(host, m, gi, t))
			continue;
		struct finding *f = add(out, R_MANY, SEV_WARNING);
		subject_team(f, host, gi, t);
		finding_ev(f, SRC_DERIVED, "members", "%zu", t->nmembers);
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			ev_path(f, host, &r);
		}
		finding_fix(f, "keep one VF per physical port: ip link set %s nomaster for the extra members",
			    S(t->members[t->nmembers - 1].name));
	}
}

/* VFS009 */
static void rule_differs(struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		struct mref a = { 0 };
		bool have = false;
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			if (!r.vf && !r.nd)
				continue;
			if (!have) {
				a = r;
				have = true;
				continue;
			}
			struct { const char *what; const struct vi *x, *y; } cmp[] = {
				{ "vlan", a.vf ? &a.vf->vlan : NULL, r.vf ? &r.vf->vlan : NULL },
				{ "qos", a.vf ? &a.vf->qos : NULL, r.vf ? &r.vf->qos : NULL },
				{ "max_tx_rate", a.vf ? &a.vf->max_tx_rate : NULL, r.vf ? &r.vf->max_tx_rate : NULL },
				{ "min_tx_rate", a.vf ? &a.vf->min_tx_rate : NULL, r.vf ? &r.vf->min_tx_rate : NULL },
				{ "mtu", a.nd ? &a.nd->mtu : NULL, r.nd ? &r.nd->mtu : NULL },
			};
			for (size_t k = 0; k < ARRAY_SIZE(cmp); k++) {
				if (!cmp[k].x || !cmp[k].y || !VI_KNOWN(*cmp[k].x) || !VI_KNOWN(*cmp[k].y) ||
				    cmp[k].x->v == cmp[k].y->v)
					continue;
				struct finding *f = add(out, R_DIFFER, SEV_WARNING);
				finding_subject(f, "%s %s: %s of %s and %s", machine_name(host, gi), S(t->name), cmp[k].what,
						S(a.mb->name), S(r.mb->name));
				char w[128];
				snprintf(w, sizeof(w), "%s %s", S(a.mb->name), cmp[k].what);
				finding_ev_vi(f, w, cmp[k].x);
				snprintf(w, sizeof(w), "%s %s", S(r.mb->name), cmp[k].what);
				finding_ev_vi(f, w, cmp[k].y);
				if (!strcmp(cmp[k].what, "mtu"))
					finding_fix(f, "ip link set %s mtu %lld", S(r.mb->name), (long long)cmp[k].x->v);
				else if (!strcmp(cmp[k].what, "vlan") || !strcmp(cmp[k].what, "qos"))
					finding_fix(f, "ip link set %s vf %d vlan %lld qos %lld", pf_name(r.pf), r.vfidx,
						    (long long)a.vf->vlan.v, (long long)(VI_KNOWN(a.vf->qos) ? a.vf->qos.v : 0));
				else
					finding_fix(f, "ip link set %s vf %d %s %lld", pf_name(r.pf), r.vfidx, cmp[k].what,
						    (long long)cmp[k].x->v);
			}
		}
	}
}

/* VFS010 */
static void rule_no_monitor(struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (t->driver != TEAM_BONDING || !VI_KNOWN(t->miimon) || t->miimon.v != 0 || !t->nmembers)
			continue; /* a bond without members has nothing to fail over */
		if (VI_KNOWN(t->arp_interval) && t->arp_interval.v != 0)
			continue;
		if (vs_is(&t->mode, "802.3ad"))
			continue; /* LACPDUs detect failures, and VFS006 covers LACP over VFs */
		struct finding *f = add(out, R_NOMON, SEV_ERROR);
		subject_team(f, host, gi, t);
		finding_ev_vi(f, "miimon", &t->miimon);
		finding_ev_vi(f, "arp_interval", &t->arp_interval);
		finding_fix(f, "ip link set %s type bond miimon 100  # or arp_interval 1000 arp_ip_target <gateway>",
			    S(t->name));
	}
}

/* Events grouped by (PF/ifname, VF). */
struct evgroup { char key[40]; char pf[16]; int vf; int n; uint64_t first, last; };

static size_t group_events(const struct machine *m, int kind, int result, struct evgroup *g, size_t max)
{
	size_t ng = 0;
	for (size_t i = 0; i < m->nevents; i++) {
		const struct vfs_event *e = &m->events[i];
		if (e->kind != kind || (result && e->result != result))
			continue;
		const char *pf = e->pf[0] ? e->pf : e->ifname;
		size_t k;
		for (k = 0; k < ng; k++)
			if (!strcmp(g[k].pf, pf) && g[k].vf == e->vf)
				break;
		if (k == ng) {
			if (ng == max)
				continue;
			memset(&g[ng], 0, sizeof(g[ng]));
			vfs_strlcpy(g[ng].pf, pf, sizeof(g[ng].pf));
			g[ng].vf = e->vf;
			g[ng].first = e->ts_real_ns;
			ng++;
		}
		g[k].n++;
		g[k].last = e->ts_real_ns;
	}
	return ng;
}

static void rule_event_bursts(struct machine *host, struct findings *out)
{
	static const struct { const char *id; int kind, result, min; unsigned kcls; const char *what, *fix; } rs[] = {
		{ R_RESET, EV_VF_RESET, 0, RESET_STORM_MIN, KM_RESET | KM_STILL_RESET, "VF resets",
		  "find what resets the VF (PF link flaps, PF reconfiguration, VF driver errors); "
		  "stop changing VF settings under a running guest; check the PF firmware" },
		{ R_TXTO, EV_TX_TIMEOUT, 0, TX_TIMEOUT_MIN, KM_TX_TIMEOUT, "transmit timeouts",
		  "the VF queue stalled: check PF link and VF reset messages; update the PF/VF driver" },
		{ R_NACK, EV_MBX, EV_RES_NACK, NACK_BURST_MIN, KM_MBX_FAIL | KM_PF_ERROR, "mailbox requests refused",
		  "the PF refuses what the VF driver asks (MAC, VLAN, promiscuous): grant it (ip link set PF vf N trust on) "
		  "or stop asking (team fail_over_mac active, no VLAN filters in the guest)" },
	};
	for (size_t ri = 0; ri < ARRAY_SIZE(rs); ri++)
		for (int gi = -1; gi < (int)host->nguests; gi++) {
			struct machine *m = gi < 0 ? host : host->guests[gi];
			struct evgroup g[64];
			size_t ng = group_events(m, rs[ri].kind, rs[ri].result, g, ARRAY_SIZE(g));
			for (size_t k = 0; k < ng; k++) {
				if (g[k].n < rs[ri].min)
					continue;
				struct finding *f = add(out, rs[ri].id, SEV_WARNING);
				if (g[k].vf >= 0)
					finding_subject(f, "%s %s VF %d", machine_name(host, gi), g[k].pf, g[k].vf);
				else
					finding_subject(f, "%s %s", machine_name(host, gi), g[k].pf);
				finding_ev(f, SRC_PROBE, rs[ri].what, "%d (threshold %d)", g[k].n, rs[ri].min);
				char a[32], b[32];
				vfs_fmt_time(g[k].first, a);
				vfs_fmt_time(g[k].last, b);
				finding_ev(f, SRC_PROBE, "between", "%s and %s", a, b);
				finding_fix(f, "%s", rs[ri].fix);
				finding_kmsg(f, m, rs[ri].kcls, NULL, -1, g[k].pf);
			}
			/* The kernel log alone, when no probe saw the events: per
			 * device (the PCI address the line names), with a higher
			 * threshold, since a deliberate rebind or reconfiguration
			 * logs a reset or two per VF. */
			if (ng)
				continue;
			struct { char pci[16]; int n; } dev[64];
			size_t nd = 0;
			for (size_t i = 0; i < m->nkmsg; i++) {
				struct kmsg_info ki;
				if (!(kmsg_classify(m->kmsg[i].text, &ki) & rs[ri].kcls))
					continue;
				size_t k;
				for (k = 0; k < nd; k++)
					if (!strcmp(dev[k].pci, ki.pci))
						break;
				if (k == nd) {
					if (nd == ARRAY_SIZE(dev))
						continue;
					vfs_strlcpy(dev[nd].pci, ki.pci, sizeof(dev[nd].pci));
					dev[nd++].n = 0;
				}
				dev[k].n++;
			}
			int kmin = rs[ri].min * KMSG_FACTOR;
			for (size_t k = 0; k < nd; k++) {
				if (dev[k].n < kmin)
					continue;
				struct finding *f = add(out, rs[ri].id, SEV_WARNING);
				finding_subject(f, "%s %s", machine_name(host, gi), dev[k].pci[0] ? dev[k].pci : "kernel log");
				finding_ev(f, SRC_KMSG, rs[ri].what, "%d kernel log lines (threshold %d)", dev[k].n, kmin);
				finding_fix(f, "%s", rs[ri].fix);
				for (size_t i = 0; i < m->nkmsg; i++) {
					struct kmsg_info ki;
					if ((kmsg_classify(m->kmsg[i].text, &ki) & rs[ri].kcls) && !strcmp(ki.pci, dev[k].pci))
						finding_kmsg_line(f, &m->kmsg[i]);
				}
			}
		}
}

/* VFS014 */
static void rule_unused(struct machine *host, struct findings *out)
{
	for (size_t i = 0; i < host->npfs; i++) {
		struct pf *pf = &host->pfs[i];
		char list[256] = "";
		size_t len = 0;
		int n = 0;
		for (size_t j = 0; j < pf->nvfs; j++) {
			struct vf *v = &pf->vfs[j];
			if (VS_KNOWN(v->netdev) || VS_KNOWN(v->owner_name) || VI_KNOWN(v->owner_pid) || v->guest_idx >= 0 ||
			    v->guest_team_idx >= 0)
				continue;
			if (VS_KNOWN(v->driver) && strcmp(v->driver.v, "vfio-pci"))
				continue; /* bound to some driver that is not a netdev: someone uses it */
			n++;
			if (len < sizeof(list) - 8)
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d%s", n > 1 ? " " : "", v->index,
							VS_KNOWN(v->driver) ? "(vfio-pci, no owner)" : "");
		}
		if (!n)
			continue;
		struct finding *f = add(out, R_UNUSED, SEV_INFO);
		finding_subject(f, "PF %s", pf_name(pf));
		finding_ev(f, SRC_SYSFS, "unused VFs", "%s", list);
		finding_ev_vi(f, "sriov_numvfs", &pf->sriov_numvfs);
		finding_fix(f, "echo %d > /sys/bus/pci/devices/%s/sriov_numvfs  # (after 0) to enable only what is used, "
			       "or hand the VFs to guests", (int)(pf->nvfs - (size_t)n), S(pf->pci));
	}
}

/* VFS015 */
static void rule_cap(struct machine *host, struct findings *out)
{
	for (size_t i = 0; i < host->npfs; i++) {
		struct pf *pf = &host->pfs[i];
		if (!pf->cap.present)
			continue;
		if (VI_KNOWN(pf->sriov_numvfs) && pf->cap.num_vfs != pf->sriov_numvfs.v) {
			struct finding *f = add(out, R_CAP, SEV_WARNING);
			finding_subject(f, "PF %s NumVFs", pf_name(pf));
			finding_ev(f, pf->cap.src, "SR-IOV capability NumVFs", "%u", pf->cap.num_vfs);
			finding_ev_vi(f, "sriov_numvfs", &pf->sriov_numvfs);
			finding_fix(f, "re-read after the PF settles; if it stays, the config-space dump is stale or the "
				       "driver failed half-way: echo 0 then N > /sys/bus/pci/devices/%s/sriov_numvfs", S(pf->pci));
		}
		if (VI_KNOWN(pf->sriov_totalvfs) && pf->cap.total_vfs != pf->sriov_totalvfs.v) {
			/* igb caps sriov_totalvfs at 7 while the 82576 advertises 8: known, benign. */
			bool igb = vs_is(&pf->driver, "igb") && pf->cap.total_vfs == 8 && pf->sriov_totalvfs.v == 7;
			if (igb)
				continue;
			if (pf->sriov_totalvfs.v < pf->cap.total_vfs)
				continue; /* a driver may cap below the capability; not a problem */
			struct finding *f = add(out, R_CAP, SEV_INFO);
			finding_subject(f, "PF %s TotalVFs", pf_name(pf));
			finding_ev(f, pf->cap.src, "SR-IOV capability TotalVFs", "%u", pf->cap.total_vfs);
			finding_ev_vi(f, "sriov_totalvfs", &pf->sriov_totalvfs);
			finding_fix(f, "none needed unless VFs fail to enable; compare with the capability dump");
		}
	}
}

static struct vf *host_vf(struct machine *host, const char *pci, int vfn, struct pf **pfo)
{
	int pi = machine_find_pf(host, pci);
	if (pi < 0)
		return NULL;
	*pfo = &host->pfs[pi];
	for (size_t j = 0; j < (*pfo)->nvfs; j++)
		if ((*pfo)->vfs[j].index == vfn)
			return &(*pfo)->vfs[j];
	return NULL;
}

/* VFS016, VFS018: kernel log evidence grouped by (PF PCI, VF). */
static void rule_kmsg_groups(struct machine *host, struct findings *out, const char *id, unsigned cls)
{
	for (int gi = -1; gi < (int)host->nguests; gi++) {
		struct machine *m = gi < 0 ? host : host->guests[gi];
		struct { char pci[16]; int vf; } seen[32];
		size_t ns = 0;
		for (size_t i = 0; i < m->nkmsg; i++) {
			struct kmsg_info ki;
			if (!(kmsg_classify(m->kmsg[i].text, &ki) & cls))
				continue;
			size_t k;
			for (k = 0; k < ns; k++)
				if (!strcmp(seen[k].pci, ki.pci) && seen[k].vf == ki.vf)
					break;
			if (k < ns || ns == ARRAY_SIZE(seen))
				continue;
			vfs_strlcpy(seen[ns].pci, ki.pci, sizeof(seen[ns].pci));
			seen[ns++].vf = ki.vf;
			struct finding *f = add(out, id, SEV_WARNING);
			struct pf *pf = NULL;
			struct vf *v = ki.pci[0] && ki.vf >= 0 && m == host ? host_vf(host, ki.pci, ki.vf, &pf) : NULL;
			const char *pn = pf ? pf_name(pf) : ki.pci[0] ? ki.pci : "<pf>";
			if (ki.vf >= 0)
				finding_subject(f, "%s %s VF %d", machine_name(host, gi), pn, ki.vf);
			else
				finding_subject(f, "%s %s", machine_name(host, gi), ki.pci[0] ? pn : "kernel log");
			if (v) {
				char w[96];
				snprintf(w, sizeof(w), "PF %s VF %d trust", pn, ki.vf);
				finding_ev_vi(f, w, &v->trust);
				snprintf(w, sizeof(w), "PF %s VF %d spoofchk", pn, ki.vf);
				finding_ev_vi(f, w, &v->spoofchk);
			}
			finding_ev(f, SRC_KMSG, "kernel log", "%s", m->kmsg[i].text);
			finding_kmsg(f, m, cls, ki.pci[0] ? ki.pci : NULL, ki.vf, NULL);
			if (!strcmp(id, R_UNTRUST))
				finding_fix(f, "ip link set %s vf %d trust on  # if the guest needs promiscuous/all-multicast "
					       "or more MACs/VLANs; otherwise drop those settings in the guest",
					    pn, ki.vf >= 0 ? ki.vf : 0);
			else
				finding_fix(f, "the VF sends from a MAC the PF did not assign: use fail_over_mac active in the "
					       "guest team, or ip link set %s vf %d spoofchk off (with trust on) if that is intended",
					    pn, ki.vf >= 0 ? ki.vf : 0);
		}
	}
}

/* VFS017 */
static void rule_dup_mac(struct machine *host, struct findings *out)
{
	for (size_t i = 0; i < host->npfs; i++)
		for (size_t j = 0; j < host->pfs[i].nvfs; j++) {
			struct vf *a = &host->pfs[i].vfs[j];
			if (!mac_nonzero(&a->mac))
				continue;
			bool first = true;
			for (size_t i2 = 0; i2 <= i && first; i2++)
				for (size_t j2 = 0; j2 < host->pfs[i2].nvfs && (i2 < i || j2 < j); j2++)
					if (vfs_mac_eq(host->pfs[i2].vfs[j2].mac.v, a->mac.v))
						first = false;
			if (!first)
				continue;
			struct finding *f = NULL;
			for (size_t i2 = i; i2 < host->npfs; i2++)
				for (size_t j2 = 0; j2 < host->pfs[i2].nvfs; j2++) {
					struct vf *b = &host->pfs[i2].vfs[j2];
					if (b == a || (i2 == i && j2 < j) || !vfs_mac_eq(b->mac.v, a->mac.v))
						continue;
					/* Two members of one team carrying the team's MAC
					 * (trusted VFs, fail_over_mac none): by design. */
					if (a->guest_team_idx >= 0 && a->guest_idx == b->guest_idx &&
					    a->guest_team_idx == b->guest_team_idx)
						continue;
					/* Both held by one VM and no guest view: most likely a
					 * team in that guest carrying its MAC on both. */
					bool same_vm = VS_KNOWN(a->owner_name) && VS_KNOWN(b->owner_name) &&
						       !strcmp(a->owner_name.v, b->owner_name.v);
					if (!f) {
						f = add(out, R_DUPMAC, same_vm ? SEV_INFO : SEV_ERROR);
						if (same_vm)
							finding_ev(f, a->owner_name.src, "both VFs held by VM", "%s (a team in the "
								   "guest may carry its MAC on both; add --guest to see)", a->owner_name.v);
						finding_subject(f, "MAC %s", a->mac.v);
						char w[96];
						snprintf(w, sizeof(w), "PF %s VF %d mac", pf_name(&host->pfs[i]), a->index);
						finding_ev_vs(f, w, &a->mac);
						finding_fix(f, "ip link set %s vf %d mac <unique address>", pf_name(&host->pfs[i2]),
							    b->index);
					}
					char w[96];
					snprintf(w, sizeof(w), "PF %s VF %d mac", pf_name(&host->pfs[i2]), b->index);
					finding_ev_vs(f, w, &b->mac);
				}
		}
}

void rules_checks(struct machine *host, struct findings *out)
{
	rule_hidden_link(host, out);
	rule_forced_link(host, out);
	rule_shared(host, out);
	rule_mac_refused(host, out);
	rule_missing_member(host, out);
	rule_switch_dependent(host, out);
	rule_mixed(host, out);
	rule_too_many(host, out);
	rule_differs(host, out);
	rule_no_monitor(host, out);
	rule_event_bursts(host, out);
	rule_unused(host, out);
	rule_cap(host, out);
	rule_kmsg_groups(host, out, R_UNTRUST, KM_NOT_TRUSTED | KM_PROMISC);
	rule_kmsg_groups(host, out, R_SPOOF, KM_SPOOF);
	rule_dup_mac(host, out);
}
