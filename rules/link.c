/* Link-state rules: VFS001 a PF link that is down under a member its team
 * still treats as up; VFS002 a VF link state forced (enable/disable).
 * Evidence and severity policy: docs/rules.md. */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

static bool member_thinks_up(const struct mref *r)
{
	return vs_is(&r->mb->mii_status, "up") || vs_is(&r->mb->state, "active") || vs_same(&r->t->active, &r->mb->name);
}

/* Read state that says the PF's link is down: carrier 0, or administratively
 * down (no IFF_UP: its carrier is then unknown, but nothing goes out), or,
 * when neither is read, operstate down. */
static bool pf_link_down(const struct netdev *pfnd)
{
	if (!pfnd)
		return false;
	if (VI_KNOWN(pfnd->admin_up) && pfnd->admin_up.v == 0)
		return true;
	if (VI_KNOWN(pfnd->carrier))
		return pfnd->carrier.v == 0;
	return vs_is(&pfnd->operstate, "down") || vs_is(&pfnd->operstate, "lowerlayerdown");
}

/* VFS001 */
static void rule_hidden_link(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			if (!r.vf || !pf_link_down(r.pfnd) || !member_thinks_up(&r))
				continue;
			struct finding *f = rule_add(out, rl, SEV_ERROR);
			subject_member(f, host, &r);
			char w[160];
			if (VI_KNOWN(r.pfnd->admin_up) && r.pfnd->admin_up.v == 0) {
				snprintf(w, sizeof(w), "PF %s (%s) admin_up", pf_name(r.pf), S(r.pf->pci));
				finding_ev_vi(f, w, &r.pfnd->admin_up);
			}
			snprintf(w, sizeof(w), "PF %s (%s) carrier", pf_name(r.pf), S(r.pf->pci));
			if (VI_KNOWN(r.pfnd->carrier))
				finding_ev_vi(f, w, &r.pfnd->carrier);
			else
				finding_ev_vs(f, "PF operstate", &r.pfnd->operstate);
			snprintf(w, sizeof(w), "member %s mii_status", S(r.mb->name));
			finding_ev_vs(f, w, &r.mb->mii_status);
			if (vs_known_nonempty(&r.mb->state)) {
				snprintf(w, sizeof(w), "member %s state", S(r.mb->name));
				finding_ev_vs(f, w, &r.mb->state);
			}
			if (vs_known_nonempty(&r.t->active))
				finding_ev_vs(f, "team active member", &r.t->active);
			snprintf(w, sizeof(w), "VF %d link_state", r.vfidx);
			if (VI_KNOWN(r.vf->link_state))
				finding_ev(f, r.vf->link_state.src, w, "%s", vf_link_state_name((int)r.vf->link_state.v));
			ev_path(f, host, &r);
			ev_failover_frames(f, host, m, gi, t);
			char a[320], b[320], args[160], note[200];
			snprintf(args, sizeof(args), "miimon 0 arp_interval 1000 arp_ip_target %s arp_validate all",
				 fix_arp_target(m, t, note, sizeof(note)));
			fix_bond(b, sizeof(b), t, args);
			bool forced = VI_KNOWN(r.vf->link_state) && r.vf->link_state.v == VF_LINK_ENABLE;
			if (forced)
				finding_fix(f, "%s  # let the VF follow the PF link; then the team's miimon sees the failure",
					    fix_vf(a, sizeof(a), r.pf, r.vfidx, "state auto"));
			else if (!VI_KNOWN(r.vf->link_state))
				finding_fix(f, "%s  # if 'ip link show' of the PF says state enable; otherwise the VF driver "
					       "hides the PF link: %s; and repair PF %s's link%s%s",
					    fix_vf(a, sizeof(a), r.pf, r.vfidx, "state auto"), b, pf_name(r.pf),
					    note[0] ? "; " : "", note);
			else
				finding_fix(f, "the VF driver does not report the PF link: monitor the path instead: %s; "
					       "and repair PF %s's link%s%s", b, pf_name(r.pf), note[0] ? "  # " : "", note);
			finding_kmsg(f, m, KM_BOND_DOWN | KM_BOND_UP | KM_BOND_ACTIVE, NULL, -1, vs_val(&r.mb->name));
		}
	}
}

/* VFS002 */
static void rule_forced_link(const struct rule *rl, struct machine *host, struct findings *out)
{
	for (size_t i = 0; i < host->npfs; i++)
		for (size_t j = 0; j < host->pfs[i].nvfs; j++) {
			struct pf *pf = &host->pfs[i];
			struct vf *v = &pf->vfs[j];
			if (!VI_KNOWN(v->link_state) || v->link_state.v == VF_LINK_AUTO)
				continue;
			struct finding *f = rule_add(out, rl, SEV_WARNING);
			finding_subject(f, "PF %s VF %d", pf_name(pf), v->index);
			char w[96];
			snprintf(w, sizeof(w), "VF %d link_state", v->index);
			finding_ev(f, v->link_state.src, w, "%s", vf_link_state_name((int)v->link_state.v));
			if (v->link_state.v == VF_LINK_ENABLE)
				finding_ev(f, SRC_DERIVED, "effect", "VF reports carrier up even when PF %s is down",
					   pf_name(pf));
			else
				finding_ev(f, SRC_DERIVED, "effect", "VF link is always down");
			if (pf->netdev_idx >= 0 && (size_t)pf->netdev_idx < host->nnetdevs)
				finding_ev_vi(f, "PF carrier", &host->netdevs[pf->netdev_idx].carrier);
			char a[320];
			finding_fix(f, "%s", fix_vf(a, sizeof(a), pf, v->index, "state auto"));
		}
}

static const struct rule link_rules[] = {
	{ { "VFS001-pf-link-hidden", SEV_ERROR, "physical link down under a team member its team still treats as up" },
	  rule_hidden_link, NULL },
	{ { "VFS002-vf-link-forced", SEV_WARNING, "VF link state forced (does not follow the PF link)" },
	  rule_forced_link, NULL },
};
RULE_FAMILY(rules_link, "link", link_rules);
