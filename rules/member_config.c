/* Member configuration rule: VFS009 members of one team that differ in VF
 * VLAN/QoS, rate limits or MTU (after a failover the team must behave the
 * same). Evidence and severity policy: docs/rules.md. */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

/* VFS009: both values read and different; an unknown side is no difference. */
static void rule_differs(const struct rule *rl, struct machine *host, struct findings *out)
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
				struct finding *f = rule_add(out, rl, SEV_WARNING);
				finding_subject(f, "%s %s: %s of %s and %s", machine_name(host, gi), S(t->name), cmp[k].what,
						S(a.mb->name), S(r.mb->name));
				char w[128];
				snprintf(w, sizeof(w), "%s %s", S(a.mb->name), cmp[k].what);
				finding_ev_vi(f, w, cmp[k].x);
				snprintf(w, sizeof(w), "%s %s", S(r.mb->name), cmp[k].what);
				finding_ev_vi(f, w, cmp[k].y);
				char c[320], args[96];
				if (!strcmp(cmp[k].what, "mtu")) {
					snprintf(args, sizeof(args), "mtu %lld", (long long)cmp[k].x->v);
					finding_fix(f, "%s", fix_dev(c, sizeof(c), &r.mb->name, args));
				} else if (!strcmp(cmp[k].what, "vlan") || !strcmp(cmp[k].what, "qos")) {
					/* qos only when read: a value not measured is not 0 */
					if (VI_KNOWN(a.vf->qos))
						snprintf(args, sizeof(args), "vlan %lld qos %lld", (long long)a.vf->vlan.v,
							 (long long)a.vf->qos.v);
					else
						snprintf(args, sizeof(args), "vlan %lld", (long long)a.vf->vlan.v);
					if (!VI_KNOWN(a.vf->vlan))
						finding_fix(f, "give VF %d of PF %s the VLAN/QoS of %s's VF (its VLAN was not read)",
							    r.vfidx, pf_name(r.pf), S(a.mb->name));
					else
						finding_fix(f, "%s", fix_vf(c, sizeof(c), r.pf, r.vfidx, args));
				} else {
					snprintf(args, sizeof(args), "%s %lld", cmp[k].what, (long long)cmp[k].x->v);
					finding_fix(f, "%s", fix_vf(c, sizeof(c), r.pf, r.vfidx, args));
				}
			}
		}
	}
}

static const struct rule member_config_rules[] = {
	{ { "VFS009-member-config-differs", SEV_WARNING, "team members differ in VLAN/QoS, MTU or rate limits" },
	  rule_differs, NULL },
};
RULE_FAMILY(rules_member_config, "member_config", member_config_rules);
