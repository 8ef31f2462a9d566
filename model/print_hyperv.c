/* The Hyper-V view as text, for `snapshot` (model/print.c calls
 * hv_print for a machine that has one): physical NICs, switches, vNICs
 * with the path down to the link, VFs, LBFO teams with each member's path
 * to the host; every unknown value prints as "?". */
#include "model/hyperv.h"
#include "model/print.h"
#include <inttypes.h>
#include <stdio.h>

#define S(x) (VS_KNOWN(x) ? (x).v : "?")

/* A value of an enumeration: its name, else its number, else "?". */
static const char *E(const struct hv_enum *t, const struct vi *v, char *b, size_t len)
{
	if (!VI_KNOWN(*v))
		return "?";
	const char *n = hv_enum_name(t, v->v);
	if (n)
		return n;
	snprintf(b, len, "%" PRId64, v->v);
	return b;
}

static const char *B(const struct vi *v)
{
	return !VI_KNOWN(*v) ? "?" : v->v ? "yes" : "no";
}

static const char *I(const struct vi *v, char *b, size_t len)
{
	if (!VI_KNOWN(*v))
		return "?";
	snprintf(b, len, "%" PRId64, v->v);
	return b;
}

static const char *link_of(const struct hv_nic *n, char *b, size_t len)
{
	char e[24];
	if (!n)
		return "?";
	snprintf(b, len, "%s/%s", S(n->status), E(hv_media_state_names, &n->media_state, e, sizeof(e)));
	return b;
}

static void vnic_status_str(const struct hv_vnic *n, char *b, size_t len)
{
	if (!n->status_src) {
		snprintf(b, len, "?");
		return;
	}
	size_t u = 0;
	b[0] = 0;
	for (size_t i = 0; i < n->nstatus && u + 1 < len; i++) {
		const char *nm = hv_enum_name(hv_vnic_status_names, n->status[i]);
		int w = nm ? snprintf(b + u, len - u, "%s%s", i ? "," : "", nm)
			   : snprintf(b + u, len - u, "%s%" PRId64, i ? "," : "", n->status[i]);
		if (w < 0)
			break;
		u += (size_t)w;
	}
	if (!n->nstatus)
		snprintf(b, len, "(none)");
}

static void print_vnic_path(FILE *f, const struct hv_view *h, const struct hv_vnic *n)
{
	char l[64];
	const struct hv_switch *s = n->switch_idx >= 0 ? &h->switches[n->switch_idx] : NULL;
	const struct hv_nic *pn = hv_vnic_nic(h, n);
	fprintf(f, " -> switch %s", s ? S(s->name) : S(n->switch_name));
	if (s && s->team_idx >= 0)
		fprintf(f, " -> host team %s", S(h->teams[s->team_idx].name));
	fprintf(f, " -> NIC %s link %s", pn ? S(pn->name) : "?", link_of(pn, l, sizeof(l)));
}

static void print_host(FILE *f, const struct hv_view *h, const struct machine *m)
{
	char a[32], b[32], c[32], d[32], l[64], r[512];
	fprintf(f, "\nhyper-v host %s (PowerShell %s): IOV support %s", S(h->computer_name), S(h->ps_version),
		B(&h->host_iov_support));
	if (h->host_iov_support_reasons.n)
		fprintf(f, " (%s)", hv_strlist_join(&h->host_iov_support_reasons, r, sizeof(r)));
	fputc('\n', f);
	for (size_t i = 0; i < h->nnics; i++) {
		const struct hv_nic *n = &h->nics[i];
		if (VI_KNOWN(n->is_virtual) && n->is_virtual.v && !VI_KNOWN(n->sriov_seen))
			continue; /* host vNICs and team NICs: shown where used */
		fprintf(f, "  NIC %s [%s] mac %s link %s", S(n->name), S(n->ifdesc), S(n->mac), link_of(n, l, sizeof(l)));
		if (VI_KNOWN(n->speed))
			fprintf(f, " speed %" PRId64 "Mb/s", n->speed.v / 1000000);
		if (VI_KNOWN(n->sriov_seen))
			fprintf(f, " sriov enabled %s support %s VFs %s allocated of %s", B(&n->sriov_enabled),
				VS_KNOWN(n->sriov_support_name) ? n->sriov_support_name.v
								: E(hv_sriov_support_names, &n->sriov_support, a, sizeof(a)),
				I(&n->num_allocated_vfs, b, sizeof(b)), I(&n->num_vfs, c, sizeof(c)));
		if (n->team_idx >= 0)
			fprintf(f, " member of host team %s", S(h->teams[n->team_idx].name));
		fputc('\n', f);
	}
	for (size_t i = 0; i < h->nswitches; i++) {
		const struct hv_switch *s = &h->switches[i];
		fprintf(f, "  switch %s (%s) IOV enabled %s support %s", S(s->name),
			E(hv_switch_type_names, &s->switch_type, a, sizeof(a)), B(&s->iov_enabled), B(&s->iov_support));
		if (s->iov_support_reasons.n)
			fprintf(f, " reasons %s", hv_strlist_join(&s->iov_support_reasons, r, sizeof(r)));
		if (VI_KNOWN(s->iov_vf_count))
			fprintf(f, " VFs %s in use of %s", I(&s->iov_vf_in_use, b, sizeof(b)), I(&s->iov_vf_count, c, sizeof(c)));
		if (VI_KNOWN(s->embedded_teaming) && s->embedded_teaming.v)
			fprintf(f, " SET");
		fprintf(f, " on");
		if (!s->nnic_idx)
			fprintf(f, " ?");
		for (size_t k = 0; k < s->nnic_idx; k++) {
			const struct hv_nic *n = s->nic_idx[k] >= 0 ? &h->nics[s->nic_idx[k]] : NULL;
			const char *desc = s->ifdescs.n > k ? s->ifdescs.v[k].v : s->ifdesc.v;
			fprintf(f, " %s%s", n ? S(n->name) : "[", n ? "" : desc ? desc : "?");
			if (!n)
				fputc(']', f);
			else
				fprintf(f, " (%s)", link_of(n, l, sizeof(l)));
		}
		if (s->team_idx >= 0)
			fprintf(f, " = host team %s", S(h->teams[s->team_idx].name));
		fputc('\n', f);
	}
	for (size_t i = 0; i < h->nvnics; i++) {
		const struct hv_vnic *n = &h->vnics[i];
		char st[96];
		vnic_status_str(n, st, sizeof(st));
		fprintf(f, "  vNIC %s/%s mac %s AllowTeaming %s MacAddressSpoofing %s IovWeight %s IovUsage %s "
			   "queue pairs %s VF %s data path %s status %s\n",
			VI_KNOWN(n->is_management_os) && n->is_management_os.v ? "(management OS)" : S(n->vm_name),
			S(n->name), S(n->mac), E(hv_onoff_names, &n->allow_teaming, a, sizeof(a)),
			E(hv_onoff_names, &n->mac_spoofing, b, sizeof(b)), I(&n->iov_weight, c, sizeof(c)),
			I(&n->iov_usage, d, sizeof(d)), I(&n->iov_qp_assigned, l, sizeof(l)), B(&n->vf_present),
			B(&n->vf_datapath_active), st);
		fprintf(f, "   ");
		if (n->vf_idx >= 0)
			fprintf(f, " VF %s of %s", I(&h->vfs[n->vf_idx].function_id, a, sizeof(a)), S(h->vfs[n->vf_idx].pf_name));
		print_vnic_path(f, h, n);
		if (n->guest_idx >= 0 && (size_t)n->guest_idx < m->nguests && m->guests[n->guest_idx]->hyperv) {
			const struct machine *g = m->guests[n->guest_idx];
			const struct hv_team *t = &g->hyperv->teams[n->guest_team_idx];
			fprintf(f, "; guest %s team %s member %s", g->label ? g->label : "?", S(t->name),
				S(t->members[n->guest_member_idx].name));
		}
		fputc('\n', f);
	}
	for (size_t i = 0; i < h->nvfs; i++) {
		const struct hv_vf *v = &h->vfs[i];
		fprintf(f, "  VF %s on %s VM %s mac %s%s\n", I(&v->function_id, a, sizeof(a)), S(v->pf_name),
			S(v->vm_name), S(v->cur_mac), v->vnic_idx >= 0 ? "" : " (no vNIC with this MAC)");
	}
}

static void print_team(FILE *f, const struct hv_view *v, const struct hv_team *t, const struct machine *host)
{
	char a[32], b[32], c[32], d[32], l[64], st[96];
	fprintf(f, "  LBFO team %s mode %s algorithm %s status %s\n", S(t->name),
		E(hv_teaming_mode_names, &t->teaming_mode, a, sizeof(a)), E(hv_lb_algo_names, &t->lb_algo, b, sizeof(b)),
		E(hv_team_status_names, &t->status, c, sizeof(c)));
	for (size_t j = 0; j < t->nmembers; j++) {
		const struct hv_member *mb = &t->members[j];
		const struct hv_nic *n = hv_member_nic(v, mb);
		fprintf(f, "    member %s admin %s oper %s failure %s mac %s link %s\n", S(mb->name),
			E(hv_admin_mode_names, &mb->admin_mode, a, sizeof(a)), E(hv_oper_mode_names, &mb->oper_mode, b, sizeof(b)),
			E(hv_failure_reason_names, &mb->failure_reason, c, sizeof(c)), n ? S(n->mac) : "?",
			link_of(n, l, sizeof(l)));
		const struct hv_vnic *vn = v->is_guest ? hv_member_vnic(host, mb) : NULL;
		if (!vn)
			continue;
		vnic_status_str(vn, st, sizeof(st));
		fprintf(f, "      -> host vNIC %s (AllowTeaming %s, IovWeight %s, VF %s, status %s)", S(vn->name),
			E(hv_onoff_names, &vn->allow_teaming, a, sizeof(a)), I(&vn->iov_weight, d, sizeof(d)),
			B(&vn->vf_present), st);
		print_vnic_path(f, host->hyperv, vn);
		fputc('\n', f);
	}
}

void hv_print(FILE *f, const struct machine *m, const struct machine *host)
{
	const struct hv_view *v = m ? m->hyperv : NULL;
	if (!v)
		return;
	if (!v->is_guest)
		print_host(f, v, m);
	else
		fprintf(f, "\nwindows guest %s (PowerShell %s)\n", S(v->computer_name), S(v->ps_version));
	for (size_t i = 0; i < v->nteams; i++)
		print_team(f, v, &v->teams[i], host ? host : m);
	fprintf(f, "  export files:");
	for (size_t i = 0; i < v->nfiles; i++) {
		static const char *const st[] = { "ok", "partial", "skipped", "failed" };
		const struct hv_file *fl = &v->files[i];
		fprintf(f, "\n    %s: %s, %zu object(s), %s, %s%s%s", fl->name, fl->kind ? fl->kind : "not read",
			fl->objects, fl->encoding ? fl->encoding : "?", st[fl->status & 3], fl->detail ? ": " : "",
			fl->detail ? fl->detail : "");
	}
	fputc('\n', f);
}
