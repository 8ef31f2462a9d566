/* The Hyper-V path as the topology panel shows it: each physical NIC with
 * its link and SR-IOV settings, the switches on it, their vNICs with VF,
 * AllowTeaming and status, and the guest LBFO member each one carries,
 * with its operational mode; the hidden mismatch (NIC down, vNIC Ok,
 * member Active) stands out in the mismatch colour. */
#include "tui/topo_hyperv.h"
#include "model/hyperv.h"
#include <inttypes.h>
#include <stdio.h>

#define S(x) (VS_KNOWN(x) ? (x).v : "?")

static bool nic_down(const struct hv_nic *n)
{
	return n && VI_KNOWN(n->media_state) && n->media_state.v == HV_MS_DISCONNECTED;
}

static void vnic_line(struct lbuf *b, const struct machine *m, const struct hv_view *h, const struct hv_vnic *n,
		      const struct hv_nic *pn)
{
	lb_col(b, C_DIM);
	lb_fmt(b, "    %s ", tui_g.vbar);
	lb_col(b, C_NORMAL);
	lb_fmt(b, "vNIC %s/%s", VI_KNOWN(n->is_management_os) && n->is_management_os.v ? "(host)" : S(n->vm_name),
	       S(n->name));
	lb_fmt(b, " VF %s", !VI_KNOWN(n->vf_present) ? "?" : n->vf_present.v ? "yes" : "no");
	const char *at = VI_KNOWN(n->allow_teaming) ? hv_enum_name(hv_onoff_names, n->allow_teaming.v) : NULL;
	lb_fmt(b, " AllowTeaming %s", at ? at : "?");
	int ok = hv_vnic_status_ok(n);
	lb_col(b, ok == 1 && nic_down(pn) ? C_MISMATCH : ok == 0 ? C_WARN : C_NORMAL);
	lb_fmt(b, " status %s", ok < 0 ? "?" : ok ? "Ok" : "not Ok");
	lb_col(b, C_NORMAL);
	if (n->guest_idx >= 0 && (size_t)n->guest_idx < m->nguests && m->guests[n->guest_idx]->hyperv) {
		const struct machine *g = m->guests[n->guest_idx];
		const struct hv_team *t = &g->hyperv->teams[n->guest_team_idx];
		const struct hv_member *mb = &t->members[n->guest_member_idx];
		const char *om = VI_KNOWN(mb->oper_mode) ? hv_enum_name(hv_oper_mode_names, mb->oper_mode.v) : NULL;
		lb_fmt(b, " -> %s %s/%s ", g->label ? g->label : "?", S(t->name), S(mb->name));
		bool active = VI_KNOWN(mb->oper_mode) && mb->oper_mode.v == HV_OM_ACTIVE;
		lb_col(b, active && nic_down(pn) ? C_MISMATCH : active ? C_OK : VI_KNOWN(mb->oper_mode) ? C_WARN : C_NORMAL);
		lb_str(b, om ? om : "?");
		if (active && nic_down(pn))
			lb_str(b, " (NIC DOWN)");
		lb_col(b, C_NORMAL);
	}
	lb_end(b);
	(void)h;
}

void topo_hyperv_lines(struct lbuf *b, const struct machine *m)
{
	const struct hv_view *h = m ? m->hyperv : NULL;
	if (!h)
		return;
	b->item = -1;
	lb_line(b, C_HEADER, "Hyper-V host %s", S(h->computer_name));
	for (size_t i = 0; i < h->nswitches; i++) {
		const struct hv_switch *s = &h->switches[i];
		const struct hv_nic *pn = s->nnic_idx && s->nic_idx[0] >= 0 ? &h->nics[s->nic_idx[0]] : NULL;
		lb_col(b, C_HEADER);
		lb_fmt(b, "NIC %s", pn ? S(pn->name) : "?");
		lb_col(b, nic_down(pn) ? C_ERR : C_NORMAL);
		lb_fmt(b, " %s", pn ? S(pn->status) : "?");
		lb_col(b, C_NORMAL);
		if (pn && VI_KNOWN(pn->sriov_seen)) {
			char al[24] = "?", nv[24] = "?";
			if (VI_KNOWN(pn->num_allocated_vfs))
				snprintf(al, sizeof(al), "%" PRId64, pn->num_allocated_vfs.v);
			if (VI_KNOWN(pn->num_vfs))
				snprintf(nv, sizeof(nv), "%" PRId64, pn->num_vfs.v);
			lb_fmt(b, "  SR-IOV %s VFs %s/%s",
			       VI_KNOWN(pn->sriov_enabled) ? pn->sriov_enabled.v ? "on" : "off" : "?", al, nv);
		}
		lb_fmt(b, "  switch %s IOV %s", S(s->name),
		       VI_KNOWN(s->iov_enabled) ? s->iov_enabled.v ? "on" : "off" : "?");
		if (s->team_idx >= 0)
			lb_fmt(b, "  host team %s", S(h->teams[s->team_idx].name));
		lb_end(b);
		for (size_t j = 0; j < h->nvnics; j++)
			if (h->vnics[j].switch_idx == (int)i)
				vnic_line(b, m, h, &h->vnics[j], pn);
	}
	if (!h->nswitches)
		lb_line(b, C_DIM, "no virtual switches in the export");
}
