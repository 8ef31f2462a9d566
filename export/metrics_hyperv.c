/* Prometheus families of the Hyper-V view (--hyperv): one family after
 * the other, HELP and TYPE once each, a sample only for a known value
 * (an unknown is absent, never 0). Labels are bounded: the export's own
 * NIC, switch, VM, vNIC, team and member names. docs/metrics.md. */
#include "export/metrics_hyperv.h"
#include "model/hyperv.h"
#include <inttypes.h>
#include <stdio.h>

static void head(FILE *f, bool *done, const char *name, const char *help)
{
	if (*done)
		return;
	*done = true;
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void lbl(FILE *f, const char *k, const struct vs *v, bool first)
{
	fprintf(f, "%s%s=\"", first ? "{" : ",", k);
	metrics_escape(f, VS_KNOWN(*v) ? v->v : "");
	fputc('"', f);
}

void metrics_hyperv(FILE *f, const struct machine *m)
{
	const struct hv_view *h = m ? m->hyperv : NULL;
	bool d;
	if (!h)
		return;
	d = false;
	for (size_t i = 0; i < h->nnics; i++) {
		const struct hv_nic *n = &h->nics[i];
		if (!VI_KNOWN(n->media_state) || n->media_state.v == HV_MS_UNKNOWN)
			continue;
		head(f, &d, "vfscope_hyperv_nic_connected", "Host network adapter media connected (1) or disconnected (0).");
		fputs("vfscope_hyperv_nic_connected", f);
		lbl(f, "nic", &n->name, true);
		fprintf(f, "} %d\n", n->media_state.v == HV_MS_CONNECTED);
	}
	d = false;
	for (size_t i = 0; i < h->nswitches; i++) {
		const struct hv_switch *s = &h->switches[i];
		if (!VI_KNOWN(s->iov_enabled))
			continue;
		head(f, &d, "vfscope_hyperv_switch_iov_enabled", "Virtual switch created with SR-IOV (IovEnabled).");
		fputs("vfscope_hyperv_switch_iov_enabled", f);
		lbl(f, "switch", &s->name, true);
		fprintf(f, "} %" PRId64 "\n", s->iov_enabled.v);
	}
	static const struct { const char *name, *help; int what; } vf[] = {
		{ "vfscope_hyperv_vnic_allow_teaming", "vNIC AllowTeaming On (1) or Off (0).", 0 },
		{ "vfscope_hyperv_vnic_iov_weight", "vNIC IovWeight (0: SR-IOV not requested).", 1 },
		{ "vfscope_hyperv_vnic_vf_data_path_active", "vNIC traffic on its VF (VFDataPathActive).", 2 },
		{ "vfscope_hyperv_vnic_status_ok", "vNIC Status all Ok (1) or not (0).", 3 },
	};
	for (size_t k = 0; k < sizeof(vf) / sizeof(vf[0]); k++) {
		d = false;
		for (size_t i = 0; i < h->nvnics; i++) {
			const struct hv_vnic *n = &h->vnics[i];
			int64_t v;
			if (vf[k].what == 0 && VI_KNOWN(n->allow_teaming) && n->allow_teaming.v <= HV_OFF)
				v = n->allow_teaming.v == HV_ON;
			else if (vf[k].what == 1 && VI_KNOWN(n->iov_weight))
				v = n->iov_weight.v;
			else if (vf[k].what == 2 && VI_KNOWN(n->vf_datapath_active))
				v = n->vf_datapath_active.v;
			else if (vf[k].what == 3 && hv_vnic_status_ok(n) >= 0)
				v = hv_vnic_status_ok(n);
			else
				continue;
			head(f, &d, vf[k].name, vf[k].help);
			fputs(vf[k].name, f);
			lbl(f, "vm", &n->vm_name, true);
			lbl(f, "vnic", &n->name, false);
			fprintf(f, "} %" PRId64 "\n", v);
		}
	}
	/* guests' LBFO members: operationally active (1) or not (0) */
	d = false;
	for (size_t g = 0; g < m->nguests; g++) {
		const struct hv_view *gv = m->guests[g]->hyperv;
		for (size_t t = 0; gv && t < gv->nteams; t++)
			for (size_t j = 0; j < gv->teams[t].nmembers; j++) {
				const struct hv_member *mb = &gv->teams[t].members[j];
				if (!VI_KNOWN(mb->oper_mode))
					continue;
				head(f, &d, "vfscope_hyperv_team_member_active",
				     "Windows guest LBFO team member OperationalMode Active (1) or Standby/Failed (0).");
				fputs("vfscope_hyperv_team_member_active{vm=\"", f);
				metrics_escape(f, m->guests[g]->label ? m->guests[g]->label : "");
				fputc('"', f);
				lbl(f, "team", &gv->teams[t].name, false);
				lbl(f, "member", &mb->name, false);
				fprintf(f, "} %d\n", mb->oper_mode.v == HV_OM_ACTIVE);
			}
	}
}
