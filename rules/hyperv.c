/* Hyper-V rules (issue 16), over the view model/hyperv.h holds of a
 * Hyper-V host's and its Windows guests' PowerShell exports:
 *   VFS032 a guest team over a vNIC whose AllowTeaming is Off;
 *   VFS033 the hidden mismatch: a switch's physical NIC disconnected while
 *          the vNIC on it reports Ok and the guest team member is Active;
 *   VFS034 a vNIC meant for SR-IOV without a VF;
 *   VFS035 a guest team not switch independent, or not an address hash
 *          over SR-IOV members;
 *   VFS036 a guest team mixing SR-IOV and synthetic paths, not Active/Standby;
 *   VFS037 more than two members in a guest team;
 *   VFS038 a host LBFO team on SR-IOV adapters under an SR-IOV switch;
 *   VFS039 two members of a guest team on one physical NIC;
 *   VFS040 (info) a guest team member no host vNIC has the MAC of: not checked.
 * Evidence, severity and fixes: docs/rules.md. Fixes are PowerShell commands
 * made of names read from the exports (quoted as PowerShell literals);
 * where a name is unknown the fix says so. Unknown never matches unknown. */
#include "rules/rules_int.h"
#include "model/hyperv.h"
#include <stdio.h>
#include <string.h>

/* --- values -------------------------------------------------------------- */

static bool vi_is(const struct vi *v, int64_t x)
{
	return VI_KNOWN(*v) && v->v == x;
}

static const char *name_of(const struct hv_enum *t, const struct vi *v, char *buf, size_t n)
{
	if (!VI_KNOWN(*v))
		return "unknown";
	const char *s = hv_enum_name(t, v->v);
	if (s)
		return s;
	snprintf(buf, n, "%lld", (long long)v->v);
	return buf;
}

/* A PowerShell single-quoted literal of a known name ('' doubles a quote);
 * NULL when the name is unknown or would not fit. */
static const char *psq(char *buf, size_t n, const struct vs *v)
{
	if (!vs_known_nonempty(v) || n < 3)
		return NULL;
	size_t o = 0;
	buf[o++] = '\'';
	for (const char *p = v->v; *p; p++) {
		if (o + 3 >= n)
			return NULL;
		if (*p == '\'')
			buf[o++] = '\'';
		buf[o++] = *p;
	}
	buf[o++] = '\'';
	buf[o] = 0;
	return buf;
}

/* 1 the link is down (MediaConnectionState Disconnected, else Status
 * "Disconnected"), 0 up (Connected / "Up"), -1 unknown. */
static int nic_down(const struct hv_nic *n)
{
	if (!n)
		return -1;
	if (VI_KNOWN(n->media_state)) {
		if (n->media_state.v == HV_MS_DISCONNECTED)
			return 1;
		if (n->media_state.v == HV_MS_CONNECTED)
			return 0;
	}
	if (vs_is(&n->status, "Disconnected"))
		return 1;
	if (vs_is(&n->status, "Up"))
		return 0;
	return -1;
}

/* Does the vNIC carry a working VF? 1 yes (a VF in use and nothing known
 * says otherwise), 0 no (IovWeight 0, or IovUsage 0, VirtualFunction null
 * or VFDataPathActive false), -1 unknown. */
static int vnic_vf(const struct hv_vnic *n)
{
	if (vi_is(&n->iov_weight, 0) || vi_is(&n->iov_usage, 0) || vi_is(&n->vf_present, 0) ||
	    vi_is(&n->vf_datapath_active, 0))
		return 0;
	if ((VI_KNOWN(n->iov_usage) && n->iov_usage.v > 0) || vi_is(&n->vf_present, 1) ||
	    vi_is(&n->vf_datapath_active, 1))
		return 1;
	return -1;
}

static const struct hv_switch *vnic_switch(const struct hv_view *h, const struct hv_vnic *n)
{
	return n->switch_idx >= 0 && (size_t)n->switch_idx < h->nswitches ? &h->switches[n->switch_idx] : NULL;
}

/* --- walking guest teams -------------------------------------------------- */

/* One guest team member with the host objects behind it. */
struct gref {
	int gi;
	struct machine *gm;
	const struct hv_team *t;
	const struct hv_member *mb;
	const struct hv_nic *gnic;   /* the member's adapter in the guest */
	const struct hv_vnic *vn;    /* host vNIC (by MAC), or NULL */
	const struct hv_switch *sw;  /* its switch, or NULL */
	const struct hv_nic *pnic;   /* the physical NIC under that switch, or NULL */
};

static void gref_get(struct machine *host, int gi, const struct hv_team *t, size_t j, struct gref *r)
{
	memset(r, 0, sizeof(*r));
	r->gi = gi;
	r->gm = host->guests[gi];
	r->t = t;
	r->mb = &t->members[j];
	r->gnic = hv_member_nic(r->gm->hyperv, r->mb);
	r->vn = host->hyperv ? hv_member_vnic(host, r->mb) : NULL;
	if (r->vn) {
		r->sw = vnic_switch(host->hyperv, r->vn);
		r->pnic = hv_vnic_nic(host->hyperv, r->vn);
	}
}

#define FOR_GUEST_TEAMS(host, gi, t)                                                                     \
	for (int gi = 0; gi < (int)(host)->nguests; gi++)                                                 \
		if ((host)->guests[gi] && (host)->guests[gi]->hyperv)                                       \
			for (size_t _t = 0; _t < (host)->guests[gi]->hyperv->nteams; _t++)                  \
				for (const struct hv_team *t = &(host)->guests[gi]->hyperv->teams[_t]; t; t = NULL)

static void subject_member_hv(struct finding *f, struct machine *host, const struct gref *r)
{
	finding_subject(f, "%s %s/%s", machine_name(host, r->gi), S(r->t->name), S(r->mb->name));
}

static void subject_team_hv(struct finding *f, struct machine *host, int gi, const struct hv_team *t)
{
	finding_subject(f, "%s %s", machine_name(host, gi), S(t->name));
}

/* "vm-app01 Team1/Ethernet 2 -> vNIC NIC-B (Status Ok, AllowTeaming Off) ->
 * switch SRIOV-B -> NIC SLOT 3 Port 1 (Disconnected)" */
static void ev_hv_path(struct finding *f, struct machine *host, const struct gref *r)
{
	char a[32], p[640];
	int n = snprintf(p, sizeof(p), "%s %s/%s", machine_name(host, r->gi), S(r->t->name), S(r->mb->name));
	if (!r->vn) {
		snprintf(p + n, sizeof(p) - (size_t)n, " -> no host vNIC with its MAC");
		finding_ev(f, SRC_DERIVED, "path", "%s", p);
		return;
	}
	int ok = hv_vnic_status_ok(r->vn);
	n += snprintf(p + n, sizeof(p) - (size_t)n, " -> vNIC %s of %s (Status %s, AllowTeaming %s)", S(r->vn->name),
		      S(r->vn->vm_name), ok == 1 ? "Ok" : ok == 0 ? "not Ok" : "unknown",
		      name_of(hv_onoff_names, &r->vn->allow_teaming, a, sizeof(a)));
	if (n < (int)sizeof(p))
		n += snprintf(p + n, sizeof(p) - (size_t)n, " -> switch %s", r->sw ? S(r->sw->name) : S(r->vn->switch_name));
	if (n < (int)sizeof(p)) {
		if (r->pnic) {
			int d = nic_down(r->pnic);
			snprintf(p + n, sizeof(p) - (size_t)n, " -> NIC %s (%s)", S(r->pnic->name),
				 d == 1 ? "Disconnected" : d == 0 ? "Up" : vs_known_nonempty(&r->pnic->status) ? r->pnic->status.v : "link unknown");
		} else {
			snprintf(p + n, sizeof(p) - (size_t)n, " -> physical NIC not known");
		}
	}
	finding_ev(f, SRC_DERIVED, "path", "%s", p);
}

/* Set-VMNetworkAdapter -VMName 'vm' -Name 'nic' ARGS, or what is missing. */
static const char *fix_vnic(char *buf, size_t n, const struct hv_vnic *v, const char *args)
{
	char vm[160], nm[160];
	if (!psq(vm, sizeof(vm), &v->vm_name) || !psq(nm, sizeof(nm), &v->name))
		snprintf(buf, n, "Set-VMNetworkAdapter %s on the host (the vNIC's VM or adapter name is not in the export)",
			 args);
	else
		snprintf(buf, n, "Set-VMNetworkAdapter -VMName %s -Name %s %s", vm, nm, args);
	return buf;
}

/* --- VFS032 ---------------------------------------------------------------- */
static void rule_allow_teaming(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_GUEST_TEAMS(host, gi, t) {
		if (t->nmembers < 2)
			continue;
		for (size_t j = 0; j < t->nmembers; j++) {
			struct gref r;
			gref_get(host, gi, t, j, &r);
			if (!r.vn || !vi_is(&r.vn->allow_teaming, HV_OFF))
				continue;
			struct finding *f = rule_add(out, rl, SEV_WARNING);
			subject_member_hv(f, host, &r);
			finding_ev(f, r.vn->allow_teaming.src, "vNIC AllowTeaming", "Off (%s of %s)", S(r.vn->name),
				   S(r.vn->vm_name));
			finding_ev_vs(f, "vNIC MAC", &r.vn->mac);
			finding_ev(f, SRC_DERIVED, "team members", "%zu", t->nmembers);
			ev_hv_path(f, host, &r);
			char a[400];
			finding_fix(f, "%s  # on the host; the team may then move MACs between its members, and Hyper-V "
				       "tells the guest when the switch's physical NIC loses its link",
				    fix_vnic(a, sizeof(a), r.vn, "-AllowTeaming On"));
		}
	}
}

/* --- VFS033 ---------------------------------------------------------------- */
static void rule_hidden_mismatch(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_GUEST_TEAMS(host, gi, t) {
		for (size_t j = 0; j < t->nmembers; j++) {
			struct gref r;
			gref_get(host, gi, t, j, &r);
			int ok = r.vn ? hv_vnic_status_ok(r.vn) : 0;
			if (!r.vn || nic_down(r.pnic) != 1 || ok == 0 || !vi_is(&r.mb->oper_mode, HV_OM_ACTIVE))
				continue;
			/* The vNIC's Status unknown (absent, or cut to a string by
			 * -Depth): what was seen, at info, not the mismatch. */
			struct finding *f = rule_add(out, rl, ok == 1 ? SEV_ERROR : SEV_INFO);
			if (ok != 1)
				finding_title(f, "physical NIC disconnected under an Active guest team member; the vNIC's "
						 "Status is not known (not in the export, or cut by -Depth)");
			subject_member_hv(f, host, &r);
			char a[32], c[400];
			if (VI_KNOWN(r.pnic->media_state))
				finding_ev(f, r.pnic->media_state.src, "physical NIC MediaConnectionState", "%s (%s)",
					   name_of(hv_media_state_names, &r.pnic->media_state, a, sizeof(a)), S(r.pnic->name));
			else
				finding_ev(f, r.pnic->status.src, "physical NIC Status", "%s (%s)", S(r.pnic->status),
					   S(r.pnic->name));
			if (ok == 1)
				finding_ev(f, r.vn->status_src, "vNIC Status", "Ok (%s)", S(r.vn->name));
			else
				finding_ev(f, SRC_NONE, "vNIC Status", "unknown (%s)", S(r.vn->name));
			finding_ev(f, r.mb->oper_mode.src, "guest member OperationalMode", "Active");
			finding_ev(f, r.mb->failure_reason.src, "guest member FailureReason", "%s",
				   name_of(hv_failure_reason_names, &r.mb->failure_reason, a, sizeof(a)));
			finding_ev(f, r.vn->allow_teaming.src, "vNIC AllowTeaming", "%s",
				   name_of(hv_onoff_names, &r.vn->allow_teaming, a, sizeof(a)));
			ev_hv_path(f, host, &r);
			finding_ev(f, SRC_DERIVED, "note",
				   "host and guest exports are taken apart: compare their collect.json times");
			if (vi_is(&r.vn->allow_teaming, HV_OFF))
				finding_fix(f, "%s  # on the host, so the guest sees the link loss and fails over; and "
					       "restore the link of %s",
					    fix_vnic(c, sizeof(c), r.vn, "-AllowTeaming On"), S(r.pnic->name));
			else
				finding_fix(f, "restore the link of %s; AllowTeaming is %s, so export host and guest again "
					       "to see whether the member is marked Failed", S(r.pnic->name),
					    name_of(hv_onoff_names, &r.vn->allow_teaming, a, sizeof(a)));
		}
	}
}

/* --- VFS034 ---------------------------------------------------------------- */
static void ev_strlist(struct finding *f, const char *what, const struct hv_strlist *l)
{
	char b[512];
	finding_ev(f, l->src, what, "%s", hv_strlist_join(l, b, sizeof(b)));
}

static void rule_vnic_no_vf(const struct rule *rl, struct machine *host, struct findings *out)
{
	const struct hv_view *h = host->hyperv;
	if (!h || h->is_guest)
		return;
	for (size_t i = 0; i < h->nvnics; i++) {
		const struct hv_vnic *v = &h->vnics[i];
		if (!vi_is(&v->is_management_os, 0) || !VI_KNOWN(v->iov_weight))
			continue;
		const struct hv_switch *sw = vnic_switch(h, v);
		const struct hv_nic *pn = hv_vnic_nic(h, v);
		bool teamed = v->guest_idx >= 0;
		int sev = teamed ? SEV_WARNING : SEV_INFO;
		char a[400], q[160], d[200];
		struct finding *f = NULL;
		if (v->iov_weight.v == 0) {
			/* Not asked for a VF: only a finding on a switch that offers them. */
			if (!sw || !vi_is(&sw->iov_enabled, 1))
				continue;
			f = rule_add(out, rl, sev);
			finding_title(f, "vNIC on an SR-IOV switch with IovWeight 0: it never gets a VF");
			finding_fix(f, "%s  # on the host (any weight 1-100 asks for a VF)",
				    fix_vnic(a, sizeof(a), v, "-IovWeight 100"));
		} else if (sw && vi_is(&sw->iov_enabled, 0)) {
			f = rule_add(out, rl, sev);
			finding_title(f, "vNIC asks for a VF on a switch without SR-IOV");
			if (psq(q, sizeof(q), &sw->name) && pn && psq(d, sizeof(d), &pn->name))
				finding_fix(f, "IOV is fixed when a switch is made: recreate %s with SR-IOV, e.g. "
					       "Remove-VMSwitch -Name %s; New-VMSwitch -Name %s -NetAdapterName %s -EnableIov $true "
					       "(its vNICs must be connected again: Connect-VMNetworkAdapter -VMName ... -SwitchName %s)",
					    q, q, q, d, q);
			else
				finding_fix(f, "IOV is fixed when a switch is made: recreate switch %s with New-VMSwitch "
					       "-EnableIov $true on its physical NIC (the NIC's name is not in the export)",
					    S(sw->name));
		} else if (vnic_vf(v) == 0) {
			f = rule_add(out, rl, sev);
			finding_title(f, "vNIC asks for a VF (IovWeight > 0) but has none");
			if (pn && VI_KNOWN(pn->num_vfs) && VI_KNOWN(pn->num_allocated_vfs) &&
			    pn->num_allocated_vfs.v >= pn->num_vfs.v && psq(d, sizeof(d), &pn->name))
				finding_fix(f, "all %lld VFs of %s are allocated: free one, or raise the count with "
					       "Set-NetAdapterSriov -Name %s -NumVFs N (N above %lld, up to what the adapter "
					       "supports: not in the export)",
					    (long long)pn->num_vfs.v, S(pn->name), d, (long long)pn->num_vfs.v);
			else if (sw && vi_is(&sw->iov_support, 0))
				finding_fix(f, "switch %s reports IovSupport False: see its IovSupportReasons (evidence); "
					       "SR-IOV needs the switch on a physical SR-IOV NIC, not on a team", S(sw->name));
			else if (vi_is(&h->host_iov_support, 0))
				finding_fix(f, "the host reports IovSupport False: see its IovSupportReasons (evidence: "
					       "firmware SR-IOV / IOMMU)");
			else
				finding_fix(f, "check the guest has the VF's driver and the PF's SR-IOV state "
					       "(Get-NetAdapterSriov%s%s), then Get-VMNetworkAdapter -VMName %s -Name %s | "
					       "Format-List Iov*, VirtualFunction, VFDataPathActive",
					    pn && psq(d, sizeof(d), &pn->name) ? " -Name " : "", pn && psq(d, sizeof(d), &pn->name) ? d : "",
					    psq(a, 160, &v->vm_name) ? a : "VM", psq(q, sizeof(q), &v->name) ? q : "NIC");
		}
		if (!f)
			continue;
		finding_subject(f, "%s %s", S(v->vm_name), S(v->name));
		finding_ev_vi(f, "IovWeight", &v->iov_weight);
		finding_ev_vi(f, "IovUsage", &v->iov_usage);
		finding_ev_vi(f, "IovQueuePairsAssigned", &v->iov_qp_assigned);
		finding_ev(f, v->vf_present.src, "VirtualFunction", "%s",
			   !VI_KNOWN(v->vf_present) ? "unknown" : v->vf_present.v ? "present" : "none");
		finding_ev_vi(f, "VFDataPathActive", &v->vf_datapath_active);
		if (sw) {
			finding_ev(f, sw->name.src, "switch", "%s", S(sw->name));
			finding_ev_vi(f, "switch IovEnabled", &sw->iov_enabled);
			finding_ev_vi(f, "switch IovSupport", &sw->iov_support);
			if (sw->iov_support_reasons.src != SRC_NONE && sw->iov_support_reasons.n)
				ev_strlist(f, "switch IovSupportReasons", &sw->iov_support_reasons);
		} else {
			finding_ev_vs(f, "switch (not in the export)", &v->switch_name);
		}
		if (pn) {
			finding_ev(f, pn->name.src, "physical NIC", "%s", S(pn->name));
			if (vi_is(&pn->sriov_seen, 1)) {
				finding_ev_vi(f, "NIC SR-IOV NumVFs", &pn->num_vfs);
				finding_ev_vi(f, "NIC SR-IOV NumAllocatedVFs", &pn->num_allocated_vfs);
			} else {
				finding_ev(f, SRC_DERIVED, "NIC SR-IOV", "no Get-NetAdapterSriov entry for %s", S(pn->name));
			}
		}
		if (VI_KNOWN(h->host_iov_support))
			finding_ev_vi(f, "host IovSupport", &h->host_iov_support);
		if (h->host_iov_support_reasons.src != SRC_NONE && h->host_iov_support_reasons.n)
			ev_strlist(f, "host IovSupportReasons", &h->host_iov_support_reasons);
		if (teamed)
			finding_ev(f, SRC_DERIVED, "guest team member", "yes (a guest team uses this vNIC)");
	}
}

/* --- VFS035 ---------------------------------------------------------------- */
static bool team_has_vf_member(struct machine *host, int gi, const struct hv_team *t)
{
	for (size_t j = 0; j < t->nmembers; j++) {
		struct gref r;
		gref_get(host, gi, t, j, &r);
		if (r.vn && vnic_vf(r.vn) == 1)
			return true;
	}
	return false;
}

static void rule_team_mode(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_GUEST_TEAMS(host, gi, t) {
		char a[32], n[160];
		const char *tn = psq(n, sizeof(n), &t->name);
		if (VI_KNOWN(t->teaming_mode) && t->teaming_mode.v != HV_TM_SWITCH_INDEPENDENT) {
			struct finding *f = rule_add(out, rl, SEV_ERROR);
			finding_title(f, "guest team in a switch-dependent mode: the Hyper-V switch takes no part in it");
			subject_team_hv(f, host, gi, t);
			finding_ev(f, t->teaming_mode.src, "TeamingMode", "%s",
				   name_of(hv_teaming_mode_names, &t->teaming_mode, a, sizeof(a)));
			if (tn)
				finding_fix(f, "Set-NetLbfoTeam -Name %s -TeamingMode SwitchIndependent  # in the guest", tn);
			else
				finding_fix(f, "Set-NetLbfoTeam -TeamingMode SwitchIndependent in the guest (the team's name "
					       "is not in the export)");
		}
		if (!VI_KNOWN(t->lb_algo) || t->lb_algo.v == HV_LB_TRANSPORT_PORTS || t->lb_algo.v == HV_LB_IP_ADDRESSES ||
		    t->lb_algo.v == HV_LB_MAC_ADDRESSES || !team_has_vf_member(host, gi, t))
			continue;
		struct finding *f = rule_add(out, rl, SEV_WARNING);
		finding_title(f, "guest team over SR-IOV members distributes by other than an address hash");
		subject_team_hv(f, host, gi, t);
		finding_ev(f, t->lb_algo.src, "LoadBalancingAlgorithm", "%s",
			   name_of(hv_lb_algo_names, &t->lb_algo, a, sizeof(a)));
		finding_ev(f, SRC_DERIVED, "SR-IOV member", "at least one member's vNIC has a VF in use");
		if (tn)
			finding_fix(f, "Set-NetLbfoTeam -Name %s -LoadBalancingAlgorithm TransportPorts  # in the guest "
				       "(or IPAddresses / MacAddresses)", tn);
		else
			finding_fix(f, "Set-NetLbfoTeam -LoadBalancingAlgorithm TransportPorts in the guest (the team's "
				       "name is not in the export)");
	}
}

/* --- VFS036 ---------------------------------------------------------------- */
static void rule_mixed(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_GUEST_TEAMS(host, gi, t) {
		int nvf = 0, nsyn = 0, syn_active = -1, syn_standby = 0;
		for (size_t j = 0; j < t->nmembers; j++) {
			struct gref r;
			gref_get(host, gi, t, j, &r);
			int k = r.vn ? vnic_vf(r.vn) : -1;
			if (k == 1)
				nvf++;
			if (k != 0)
				continue;
			nsyn++;
			if (vi_is(&r.mb->admin_mode, HV_AM_STANDBY))
				syn_standby++;
			else if (vi_is(&r.mb->admin_mode, HV_AM_ACTIVE) && syn_active < 0)
				syn_active = (int)j;
		}
		if (!nvf || !nsyn || syn_active < 0 || syn_standby)
			continue;
		struct gref r;
		gref_get(host, gi, t, (size_t)syn_active, &r);
		struct finding *f = rule_add(out, rl, SEV_WARNING);
		subject_team_hv(f, host, gi, t);
		finding_ev(f, SRC_DERIVED, "members with a VF", "%d", nvf);
		finding_ev(f, SRC_DERIVED, "members without a VF", "%d", nsyn);
		finding_ev(f, r.mb->admin_mode.src, "AdministrativeMode", "Active (%s, no VF)", S(r.mb->name));
		for (size_t j = 0; j < t->nmembers; j++) {
			struct gref q;
			gref_get(host, gi, t, j, &q);
			ev_hv_path(f, host, &q);
		}
		char m[160], n[160];
		if (psq(m, sizeof(m), &r.mb->name) && psq(n, sizeof(n), &t->name))
			finding_fix(f, "Set-NetLbfoTeamMember -Name %s -Team %s -AdministrativeMode Standby  # in the guest: "
				       "the VF path carries the traffic, the synthetic one waits", m, n);
		else
			finding_fix(f, "make the member without a VF the team's Standby member with Set-NetLbfoTeamMember "
				       "-AdministrativeMode Standby (its or the team's name is not in the export)");
	}
}

/* --- VFS037 ---------------------------------------------------------------- */
static void rule_too_many(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_GUEST_TEAMS(host, gi, t) {
		if (t->nmembers <= 2)
			continue;
		struct finding *f = rule_add(out, rl, SEV_WARNING);
		subject_team_hv(f, host, gi, t);
		finding_ev(f, SRC_POWERSHELL, "members", "%zu", t->nmembers);
		for (size_t j = 0; j < t->nmembers; j++) {
			struct gref r;
			gref_get(host, gi, t, j, &r);
			ev_hv_path(f, host, &r);
		}
		char m[160], n[160];
		const struct hv_member *last = &t->members[t->nmembers - 1];
		if (psq(m, sizeof(m), &last->name) && psq(n, sizeof(n), &t->name))
			finding_fix(f, "Remove-NetLbfoTeamMember -Name %s -Team %s  # in the guest (and likewise any other "
				       "member past two: one per physical NIC)", m, n);
		else
			finding_fix(f, "remove members past two with Remove-NetLbfoTeamMember in the guest (a member's or "
				       "the team's name is not in the export)");
	}
}

/* --- VFS038 ---------------------------------------------------------------- */
static void rule_host_team(const struct rule *rl, struct machine *host, struct findings *out)
{
	const struct hv_view *h = host->hyperv;
	if (!h || h->is_guest)
		return;
	for (size_t s = 0; s < h->nswitches; s++) {
		const struct hv_switch *sw = &h->switches[s];
		if (sw->team_idx < 0 || (size_t)sw->team_idx >= h->nteams)
			continue;
		const struct hv_team *t = &h->teams[sw->team_idx];
		int wants = vi_is(&sw->iov_enabled, 1), capable = 0;
		for (size_t i = 0; i < h->nvnics && !wants; i++)
			if (h->vnics[i].switch_idx == (int)s && VI_KNOWN(h->vnics[i].iov_weight) && h->vnics[i].iov_weight.v > 0)
				wants = 1;
		for (size_t j = 0; j < t->nmembers; j++) {
			int ni = t->members[j].nic_idx;
			if (ni >= 0 && (size_t)ni < h->nnics && vi_is(&h->nics[ni].sriov_seen, 1) &&
			    !vi_is(&h->nics[ni].sriov_enabled, 0))
				capable++;
		}
		if (!wants || !capable)
			continue;
		struct finding *f = rule_add(out, rl, SEV_WARNING);
		finding_subject(f, "%s %s", machine_name(host, -1), S(t->name));
		finding_ev(f, sw->name.src, "switch bound to the team", "%s", S(sw->name));
		finding_ev_vi(f, "switch IovEnabled", &sw->iov_enabled);
		if (sw->iov_support_reasons.src != SRC_NONE && sw->iov_support_reasons.n)
			ev_strlist(f, "switch IovSupportReasons", &sw->iov_support_reasons);
		finding_ev(f, SRC_DERIVED, "SR-IOV capable members", "%d of %zu", capable, t->nmembers);
		char fix[900], q[160], d[160];
		int n = snprintf(fix, sizeof(fix), "SR-IOV does not pass through an LBFO team: bind one SR-IOV switch to "
						   "each physical NIC and team in the guest instead");
		bool named = psq(q, sizeof(q), &t->name) != NULL;
		for (size_t j = 0; j < t->nmembers && named; j++)
			if (!vs_known_nonempty(&t->members[j].name))
				named = false;
		if (named) {
			n += snprintf(fix + n, sizeof(fix) - (size_t)n, ": after moving %s's vNICs off it, Remove-NetLbfoTeam -Name %s",
				      S(sw->name), q);
			for (size_t j = 0; j < t->nmembers && n < (int)sizeof(fix); j++) {
				psq(d, sizeof(d), &t->members[j].name);
				n += snprintf(fix + n, sizeof(fix) - (size_t)n,
					      "; New-VMSwitch -Name 'SRIOV-%s' -NetAdapterName %s -EnableIov $true "
					      "-AllowManagementOS $false", t->members[j].name.v, d);
			}
			if (n < (int)sizeof(fix))
				snprintf(fix + n, sizeof(fix) - (size_t)n, "; then one vNIC per switch with -AllowTeaming On");
		} else {
			snprintf(fix + n, sizeof(fix) - (size_t)n, " (the team's or a member's name is not in the export)");
		}
		finding_fix(f, "%s", fix);
		for (size_t j = 0; j < t->nmembers; j++)
			finding_ev_vs(f, "team member", &t->members[j].name);
	}
}

/* --- VFS039 ---------------------------------------------------------------- */
static void rule_shared_nic(const struct rule *rl, struct machine *host, struct findings *out)
{
	const struct hv_view *h = host->hyperv;
	if (!h)
		return;
	FOR_GUEST_TEAMS(host, gi, t) {
		/* Each member against the earlier ones, once: a finding per member
		 * that shares, not per pair (a hostile team of 1024 on one NIC
		 * gives 1023 findings, not half a million). */
		for (size_t b = 1; b < t->nmembers; b++)
			for (size_t a = 0; a < b; a++) {
				struct gref ra, rb;
				gref_get(host, gi, t, a, &ra);
				gref_get(host, gi, t, b, &rb);
				if (!ra.vn || !rb.vn)
					continue;
				/* A switch on a host team's NIC is not one NIC: VFS038's case. */
				if ((ra.sw && ra.sw->team_idx >= 0) || (rb.sw && rb.sw->team_idx >= 0))
					continue;
				const char *why = NULL;
				if (ra.pnic && ra.pnic == rb.pnic)
					why = "one physical NIC";
				else if (ra.sw && ra.sw == rb.sw)
					why = "one switch";
				if (!why)
					continue;
				struct finding *f = rule_add(out, rl, SEV_WARNING);
				finding_subject(f, "%s %s: %s and %s", machine_name(host, gi), S(t->name), S(ra.mb->name),
						S(rb.mb->name));
				finding_ev(f, SRC_DERIVED, "shared", "%s%s%s", why, ra.pnic ? ": " : "",
					   ra.pnic ? S(ra.pnic->name) : "");
				ev_hv_path(f, host, &ra);
				ev_hv_path(f, host, &rb);
				/* Another SR-IOV switch on another NIC, else an SR-IOV NIC with no switch. */
				const struct hv_switch *other = NULL;
				const struct hv_nic *free_nic = NULL;
				for (size_t s = 0; s < h->nswitches && !other; s++) {
					const struct hv_switch *sw = &h->switches[s];
					const struct hv_nic *pn = sw->nnic_idx && sw->nic_idx[0] >= 0 &&
								   (size_t)sw->nic_idx[0] < h->nnics ? &h->nics[sw->nic_idx[0]] : NULL;
					if (sw != ra.sw && sw != rb.sw && pn && pn != ra.pnic && vi_is(&sw->iov_enabled, 1))
						other = sw;
				}
				for (size_t i = 0; i < h->nnics && !other && !free_nic; i++)
					if (h->nics[i].switch_idx < 0 && vi_is(&h->nics[i].sriov_seen, 1) &&
					    !vi_is(&h->nics[i].sriov_enabled, 0) && &h->nics[i] != ra.pnic &&
					    h->nics[i].team_idx < 0)
						free_nic = &h->nics[i];
				char vm[160], nm[160], q[160], d[160];
				bool names = psq(vm, sizeof(vm), &rb.vn->vm_name) && psq(nm, sizeof(nm), &rb.vn->name);
				if (names && other && psq(q, sizeof(q), &other->name))
					finding_fix(f, "Connect-VMNetworkAdapter -VMName %s -Name %s -SwitchName %s  # on the host: "
						       "each member on its own physical NIC", vm, nm, q);
				else if (names && free_nic && psq(d, sizeof(d), &free_nic->name))
					finding_fix(f, "New-VMSwitch -Name 'SRIOV-%s' -NetAdapterName %s -EnableIov $true "
						       "-AllowManagementOS $false; Connect-VMNetworkAdapter -VMName %s -Name %s "
						       "-SwitchName 'SRIOV-%s'  # on the host: each member on its own physical NIC",
						    free_nic->name.v, d, vm, nm, free_nic->name.v);
				else
					finding_fix(f, "connect %s to a switch on another physical NIC (%s)", S(rb.vn->name),
						    names ? "no other SR-IOV NIC or switch is in the export"
							  : "the vNIC's VM or adapter name is not in the export");
				break;
			}
	}
}

/* --- VFS040 ---------------------------------------------------------------- */
/* What could not be checked: a guest team member no host vNIC carries the
 * MAC of (another host's VM, a host export without it, or a MAC changed in
 * the guest). Info, worded as what was seen. */
static void rule_unmatched(const struct rule *rl, struct machine *host, struct findings *out)
{
	const struct hv_view *h = host->hyperv;
	if (!h || h->is_guest || !h->nvnics)
		return;
	FOR_GUEST_TEAMS(host, gi, t) {
		for (size_t j = 0; j < t->nmembers; j++) {
			struct gref r;
			gref_get(host, gi, t, j, &r);
			if (r.vn)
				continue;
			struct finding *f = rule_add(out, rl, SEV_INFO);
			subject_member_hv(f, host, &r);
			if (r.gnic)
				finding_ev_vs(f, "guest adapter MAC", &r.gnic->mac);
			else
				finding_ev(f, SRC_NONE, "guest adapter", "no Get-NetAdapter entry named %s", S(r.mb->name));
			finding_ev(f, SRC_DERIVED, "host vNICs", "%zu in the host export, none with this MAC", h->nvnics);
			finding_fix(f, "nothing to change; to check this member, export the host that runs %s (collect.ps1 "
				       "there) and give both to vfscope", machine_name(host, gi));
		}
	}
}

static const struct rule hyperv_rules[] = {
	{ { "VFS032-hv-allow-teaming-off", SEV_WARNING, "guest team over a vNIC whose AllowTeaming is Off" },
	  rule_allow_teaming, NULL },
	{ { "VFS033-hv-pnic-down-hidden", SEV_ERROR,
	    "physical NIC disconnected under a vNIC still Ok and a guest team member still Active (info: Status unknown)" },
	  rule_hidden_mismatch, NULL },
	{ { "VFS034-hv-vnic-no-vf", SEV_WARNING, "vNIC meant for SR-IOV without a VF (info: not in a guest team)" },
	  rule_vnic_no_vf, NULL },
	{ { "VFS035-hv-guest-team-mode", SEV_ERROR,
	    "guest team not switch independent (error) or not an address hash over SR-IOV (warning)" },
	  rule_team_mode, NULL },
	{ { "VFS036-hv-mixed-not-standby", SEV_WARNING, "guest team mixes SR-IOV and synthetic paths, not Active/Standby" },
	  rule_mixed, NULL },
	{ { "VFS037-hv-too-many-members", SEV_WARNING, "more than two members in a guest team (the supported limit)" },
	  rule_too_many, NULL },
	{ { "VFS038-hv-host-team-sriov", SEV_WARNING, "host LBFO team of SR-IOV adapters under an SR-IOV switch" },
	  rule_host_team, NULL },
	{ { "VFS039-hv-shared-pnic", SEV_WARNING, "guest team members on one physical NIC or switch" },
	  rule_shared_nic, NULL },
	{ { "VFS040-hv-member-unmatched", SEV_INFO, "guest team member whose MAC no host vNIC has: not checked" },
	  rule_unmatched, NULL },
};
RULE_FAMILY(rules_hyperv, "hyperv", hyperv_rules);
