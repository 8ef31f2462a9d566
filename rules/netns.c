/* Network-namespace and pod rules (issue 14): VFS020 a PF whose LACP is
 * down (the LACPDUs say so) under a team member the team keeps active, the
 * case OpenShift's pf-status-relay exists for; VFS021 a VF Kubernetes gave
 * to a pod that is not in that pod's network namespace (a leaked VF,
 * sriov-cni#219 class). A pod's or named namespace is a machine with role
 * "netns" in host->guests, so every team rule (VFS001 hidden PF link,
 * VFS003 shared PF, VFS004 refused MAC, ...) applies to its teams as they
 * are; the helpers at the end give those rules the pod's own fix (bond-cni
 * and device plugin settings instead of `ip link set` on a bond that
 * bond-cni remakes with every pod). Evidence and severity policy:
 * docs/rules.md. */
#include "rules/netns.h"
#include "decoders/lacp.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

bool machine_is_netns(const struct machine *m)
{
	return m && m->role && !strcmp(m->role, "netns");
}

bool machine_is_pod(const struct machine *m)
{
	return machine_is_netns(m) && vs_known_nonempty(&m->pod_uid);
}

/* --- VFS020: LACP down on the PF's uplink ------------------------------- */

/* The state octet after "WHO ... state 0x" in a LACPDU event's text
 * (decoders/lacp.c lacp_format: "LACPv1 actor P,SYS key K port P,N state
 * 0xNN [...] partner ... state 0xNN [...]"), -1 when the text has none. The
 * actor's must come before " partner ". */
static int lacp_state_of(const char *text, const char *who)
{
	const char *p = strstr(text, who);
	if (!p)
		return -1;
	const char *s = strstr(p, " state 0x"), *partner = strstr(text, " partner ");
	unsigned v;
	if (!s || (!strcmp(who, " actor ") && partner && s > partner) || sscanf(s, " state 0x%x", &v) != 1 || v > 0xff)
		return -1;
	return (int)v;
}

/* As pf-status-relay decides it (pkg/lacp/flags): a port is operational
 * when Aggregation, Synchronization, Collecting and Distributing are all
 * set and neither Defaulted nor Expired. */
static bool lacp_operational(int st)
{
	const int need = LACP_ST_AGGREGATION | LACP_ST_SYNC | LACP_ST_COLLECTING | LACP_ST_DISTRIBUTING;
	return st >= 0 && (st & need) == need && !(st & (LACP_ST_DEFAULTED | LACP_ST_EXPIRED));
}

/* The latest LACPDU (EV_FRAME "LACPv...") seen on netdev ifname of m: the
 * newest by its capture time, else the last one recorded. */
static const struct vfs_event *latest_lacpdu(const struct machine *m, const char *ifname)
{
	const struct vfs_event *best = NULL;
	for (size_t i = 0; ifname && i < m->nevents; i++) {
		const struct vfs_event *e = &m->events[i];
		if (e->kind != EV_FRAME || strncmp(e->text, "LACPv", 5) || strcmp(e->ifname, ifname))
			continue;
		if (!best || e->ts_real_ns >= best->ts_real_ns)
			best = e;
	}
	return best;
}

/* "0x7d [Activity,...]" and, when not operational, what it lacks or has
 * too many of: "; lacks Synchronization; Defaulted". */
static void lacp_bits(int st, char *buf, size_t n)
{
	static const struct { int bit; const char *name; } need[] = {
		{ LACP_ST_AGGREGATION, "Aggregation" }, { LACP_ST_SYNC, "Synchronization" },
		{ LACP_ST_COLLECTING, "Collecting" }, { LACP_ST_DISTRIBUTING, "Distributing" },
	};
	char b[128], lack[96] = "";
	size_t l = 0;
	lacp_state_format((uint8_t)st, b, sizeof(b));
	for (size_t i = 0; i < ARRAY_SIZE(need); i++)
		if (!(st & need[i].bit))
			l += (size_t)snprintf(lack + l, sizeof(lack) - MIN(l, sizeof(lack)), "%s%s", l ? "," : "", need[i].name);
	snprintf(buf, n, "0x%02x [%s]%s%s%s%s%s", st, b, lack[0] ? "; lacks " : "", lack,
		 st & LACP_ST_DEFAULTED ? "; Defaulted (no partner information received)" : "",
		 st & LACP_ST_EXPIRED ? "; Expired" : "", lacp_operational(st) ? "; operational" : "");
}

static bool pf_link_known_down(const struct netdev *pfnd)
{
	if (VI_KNOWN(pfnd->admin_up) && pfnd->admin_up.v == 0)
		return true;
	if (VI_KNOWN(pfnd->carrier))
		return pfnd->carrier.v == 0;
	return vs_is(&pfnd->operstate, "down") || vs_is(&pfnd->operstate, "lowerlayerdown");
}

/* A host team the PF is a member of (pf-status-relay needs the PF in a
 * one-port 802.3ad bond: that bond's LACP is what it watches). */
static const struct team *pf_host_team(const struct machine *host, const struct pf *pf)
{
	for (size_t t = 0; vs_known_nonempty(&pf->netdev) && t < host->nteams; t++)
		for (size_t j = 0; j < host->teams[t].nmembers; j++)
			if (vs_is(&host->teams[t].members[j].name, pf->netdev.v))
				return &host->teams[t];
	return NULL;
}

static void rule_lacp_hidden(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			/* A PF link known down is VFS001's; a VF link-state disable
			 * already takes the VF's carrier. */
			if (!r.vf || !r.pfnd || pf_link_known_down(r.pfnd))
				continue;
			if (VI_KNOWN(r.vf->link_state) && r.vf->link_state.v == VF_LINK_DISABLE)
				continue;
			bool active = vs_is(&r.mb->state, "active") || vs_same(&t->active, &r.mb->name);
			bool backup = !active && vs_is(&r.mb->state, "backup") && vs_is(&r.mb->mii_status, "up");
			if (!active && !backup)
				continue;
			const struct vfs_event *e = latest_lacpdu(host, vs_val(&r.pf->netdev));
			if (!e)
				continue;
			int as = lacp_state_of(e->text, " actor "), ps = lacp_state_of(e->text, " partner ");
			if (as < 0 || ps < 0 || (lacp_operational(as) && lacp_operational(ps)))
				continue;
			struct finding *f = rule_add(out, rl, active ? SEV_ERROR : SEV_WARNING);
			if (!active)
				finding_title(f, "LACP down on the PF of a backup member: the team would fail over onto it");
			subject_member(f, host, &r);
			char w[160], b[256], ts[32] = "?";
			if (e->ts_real_ns)
				vfs_fmt_time(e->ts_real_ns, ts);
			snprintf(w, sizeof(w), "latest LACPDU on PF %s", pf_name(r.pf));
			finding_ev(f, SRC_CAPTURE, w, "%s at %s", e->text, ts);
			lacp_bits(as, b, sizeof(b));
			finding_ev(f, SRC_CAPTURE, "LACP actor state", "%s", b);
			lacp_bits(ps, b, sizeof(b));
			finding_ev(f, SRC_CAPTURE, "LACP partner state", "%s", b);
			snprintf(w, sizeof(w), "PF %s (%s) carrier", pf_name(r.pf), S(r.pf->pci));
			finding_ev_vi(f, w, &r.pfnd->carrier);
			const struct team *ht = pf_host_team(host, r.pf);
			if (ht) {
				snprintf(w, sizeof(w), "PF %s member of host team %s, mode", pf_name(r.pf), S(ht->name));
				finding_ev_vs(f, w, &ht->mode);
			}
			snprintf(w, sizeof(w), "member %s state", S(r.mb->name));
			if (vs_known_nonempty(&r.mb->state))
				finding_ev_vs(f, w, &r.mb->state);
			if (vs_known_nonempty(&t->active))
				finding_ev_vs(f, "team active member", &t->active);
			snprintf(w, sizeof(w), "member %s mii_status", S(r.mb->name));
			finding_ev_vs(f, w, &r.mb->mii_status);
			snprintf(w, sizeof(w), "VF %d link_state", r.vfidx);
			if (VI_KNOWN(r.vf->link_state))
				finding_ev(f, r.vf->link_state.src, w, "%s", vf_link_state_name((int)r.vf->link_state.v));
			else
				finding_ev(f, SRC_NONE, w, "not read");
			ev_path(f, host, &r);
			char dis[320], aut[320];
			fix_vf(dis, sizeof(dis), r.pf, r.vfidx, "state disable");
			fix_vf(aut, sizeof(aut), r.pf, r.vfidx, "state auto");
			const char *relay = "pf-status-relay (PF_STATUS_RELAY_INTERFACES) does both on every LACP change "
					    "for the VFs in state auto; it needs the PF in a one-port 802.3ad bond with "
					    "lacp_rate fast";
			if (VI_KNOWN(r.vf->link_state) && r.vf->link_state.v == VF_LINK_ENABLE)
				finding_fix(f, "%s  # link-state enable keeps the VF up whatever happens and pf-status-relay "
					       "leaves it alone; then, while the PF's LACP is down, %s (the VF loses carrier, "
					       "the team's miimon fails over) and %s once it is up again; %s. And repair the "
					       "LAG on the switch port",
					    aut, dis, aut, relay);
			else
				finding_fix(f, "%s  # while the PF's LACP is down: the VF loses carrier and the team's miimon "
					       "fails over; %s once it is up again; %s. And repair the LAG on the switch port",
					    dis, aut, relay);
		}
	}
}

/* --- VFS021: a pod's VF not in the pod's namespace ---------------------- */

static int netns_of_pod(const struct machine *host, const char *uid)
{
	for (size_t i = 0; uid && i < host->nguests; i++)
		if (machine_is_netns(host->guests[i]) && vs_is(&host->guests[i]->pod_uid, uid))
			return (int)i;
	return -1;
}

/* Drivers with which a VF has no netdev anywhere by design: a DPDK pod's
 * VF is bound to vfio-pci (or a uio driver) and stays out of every
 * namespace. */
static bool driver_userspace(const char *d)
{
	return d && (!strcmp(d, "vfio-pci") || !strcmp(d, "uio_pci_generic") || !strcmp(d, "igb_uio"));
}

/* The host namespace's netdev of VF v, or NULL. */
static const struct netdev *host_vf_netdev(const struct machine *host, const struct pf *pf, const struct vf *v)
{
	for (size_t i = 0; i < host->nnetdevs; i++) {
		const struct netdev *n = &host->netdevs[i];
		if (n->vf_pf_idx >= 0 && (size_t)n->vf_pf_idx < host->npfs && &host->pfs[n->vf_pf_idx] == pf &&
		    n->vf_idx >= 0 && (size_t)n->vf_idx < pf->nvfs && &pf->vfs[n->vf_idx] == v)
			return n;
	}
	if (vs_known_nonempty(&v->netdev)) {
		int k = machine_find_netdev(host, v->netdev.v);
		if (k >= 0 && vs_same(&host->netdevs[k].pci, &v->pci))
			return &host->netdevs[k];
	}
	return NULL;
}

/* Were some namespaces not read whole, or some without a known owner? Then
 * "no namespace of that pod" is not known. */
static bool netns_view_complete(const struct machine *host)
{
	const struct source *s = machine_source(host, "netns");
	if (!s || s->status != SOURCE_OK)
		return false;
	for (size_t i = 0; i < host->nguests; i++)
		if (machine_is_netns(host->guests[i]) && !vs_known_nonempty(&host->guests[i]->pod_uid) &&
		    !vs_known_nonempty(&host->guests[i]->netns_name))
			return false;
	return true;
}

static void rule_pod_vf_leaked(const struct rule *rl, struct machine *host, struct findings *out)
{
	for (size_t p = 0; p < host->npfs; p++)
		for (size_t k = 0; k < host->pfs[p].nvfs; k++) {
			struct pf *pf = &host->pfs[p];
			struct vf *v = &pf->vfs[k];
			const char *uid = vs_val(&v->alloc_pod_uid);
			if (!uid || driver_userspace(vs_val(&v->driver)))
				continue;
			int gi = netns_of_pod(host, uid);
			const struct machine *pod = gi >= 0 ? host->guests[gi] : NULL;
			/* Where the VF's netdev is now: a namespace machine (correlation
			 * sets vf->netns to its label), or the host namespace. */
			const char *now = vs_val(&v->netns);
			const struct netdev *hn = host_vf_netdev(host, pf, v);
			if (pod && now && pod->label && !strcmp(now, pod->label))
				continue; /* where it belongs */
			int sev;
			const char *title = NULL;
			if (pod && (hn || now))
				sev = SEV_ERROR; /* the pod's namespace was read, the VF is elsewhere */
			else if (pod)
				continue; /* in neither place we read: an unreadable namespace, not known to be leaked */
			else if (hn && netns_view_complete(host)) {
				sev = SEV_WARNING;
				title = "VF allocated to a pod whose network namespace is not on this machine";
			} else if (hn || now) {
				sev = SEV_INFO;
				title = "VF allocated to a pod whose network namespace was not found (not every namespace was "
					"read or has a known owner)";
			} else
				continue;
			struct finding *f = rule_add(out, rl, sev);
			if (title)
				finding_title(f, title);
			finding_subject(f, "PF %s VF %d", pf_name(pf), v->index);
			finding_ev_vs(f, "VF PCI address", &v->pci);
			finding_ev_vs(f, "allocated to pod UID", &v->alloc_pod_uid);
			if (vs_known_nonempty(&v->alloc_pod))
				finding_ev_vs(f, "allocated to pod", &v->alloc_pod);
			if (vs_known_nonempty(&v->alloc_resource))
				finding_ev_vs(f, "resource", &v->alloc_resource);
			if (vs_known_nonempty(&v->alloc_netns))
				finding_ev_vs(f, "sriov-cni moved it into namespace", &v->alloc_netns);
			if (pod)
				finding_ev(f, SRC_DERIVED, "the pod's network namespace", "%s", pod->label ? pod->label : "?");
			else
				finding_ev(f, SRC_DERIVED, "the pod's network namespace", "none of the %zu machines read has pod "
					   "UID %s", host->nguests, uid);
			if (now)
				finding_ev_vs(f, "VF netdev is in namespace", &v->netns);
			if (hn)
				finding_ev(f, hn->name.src, "VF netdev is in the host namespace as", "%s", S(hn->name));
			finding_ev_vs(f, "VF driver", &v->driver);
			const char *pn = vs_val(&v->alloc_pod);
			const char *sl = pn ? strchr(pn, '/') : NULL;
			char kd[256];
			if (pn && sl && sl > pn && sl[1])
				snprintf(kd, sizeof(kd), "kubectl -n %.*s delete pod %s", (int)(sl - pn), pn, sl + 1);
			else
				snprintf(kd, sizeof(kd), "delete pod UID %s (its namespace/name are not known here)", uid);
			if (pod)
				finding_fix(f, "the CNI did not (or no longer does) hold the VF in the pod: %s and let its "
					       "controller recreate it, so sriov-cni's ADD moves a VF in again; look for a "
					       "second pod given the same VF (sriov-cni#219: one pod's DEL reset another's VF)",
					    kd);
			else if (vs_known_nonempty(&v->pci))
				finding_fix(f, "the pod is gone but the VF is still held for it: check `kubectl get pod -A` for UID "
					       "%s; if none, the allocation is stale: sriov-cni's record is "
					       "/var/lib/cni/sriov/pci/%s (it holds the namespace path it was given to), "
					       "and restarting the SR-IOV device plugin on this node re-reads kubelet's "
					       "allocations", uid, v->pci.v);
			else
				finding_fix(f, "the pod is gone but the VF is still held for it: check `kubectl get pod -A` for UID "
					       "%s; the VF's PCI address is not known here", uid);
		}
}

/* --- the pod's fix for the team rules ----------------------------------- */

static const char *pod_name_of(const struct machine *m, char *buf, size_t n)
{
	if (vs_known_nonempty(&m->pod_namespace) && vs_known_nonempty(&m->pod_name))
		snprintf(buf, n, "pod %s/%s", m->pod_namespace.v, m->pod_name.v);
	else
		snprintf(buf, n, "pod UID %s", S(m->pod_uid));
	return buf;
}

const char *pod_fix_fail_over_mac(char *buf, size_t n, const struct machine *m, const struct team *t)
{
	char pn[200];
	snprintf(buf, n, "set \"failOverMac\": 1 in the bond-cni configuration (NetworkAttachmentDefinition) of %s's "
			 "bond %s and recreate the pod: bond-cni sets fail_over_mac when it makes the bond (the kernel "
			 "changes it only on a bond without members), and makes the bond anew with every pod",
		 pod_name_of(m, pn, sizeof(pn)), S(t->name));
	return buf;
}

const char *pod_fix_same_pf(char *buf, size_t n, const struct machine *m, const struct vf *a, const struct vf *b)
{
	char pn[200];
	pod_name_of(m, pn, sizeof(pn));
	if (a && b && vs_same(&a->alloc_resource, &b->alloc_resource))
		snprintf(buf, n, "both VFs came from resource %s, and the SR-IOV device plugin hands out any VF of a "
				 "resource: give %s one resource per PF (selectors pfNames) and a VF of each in its "
				 "network attachments",
			 a->alloc_resource.v, pn);
	else
		snprintf(buf, n, "the SR-IOV device plugin does not keep a pod's VFs on different PFs: give %s one "
				 "resource per PF (selectors pfNames) and a VF of each in its network attachments", pn);
	return buf;
}

static const struct rule netns_rules[] = {
	{ { "VFS020-pf-lacp-down-hidden", SEV_ERROR,
	    "LACP down on a PF's uplink under a team member its team keeps active (pf-status-relay's case)" },
	  rule_lacp_hidden, NULL },
	{ { "VFS021-pod-vf-leaked", SEV_ERROR, "VF allocated to a pod is not in that pod's network namespace" },
	  rule_pod_vf_leaked, NULL },
};
RULE_FAMILY(rules_netns, "netns", netns_rules);
