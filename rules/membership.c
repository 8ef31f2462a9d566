/* Team membership rules: VFS003 members that share a PF, port or switch;
 * VFS005 a VF left out of a team; VFS008 more than two members; VFS019 a
 * team with a single member. Evidence and severity policy: docs/rules.md. */
#include "rules/rules_int.h"
#include "rules/netns.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

/* VFS003 */
static void rule_shared(const struct rule *rl, struct machine *host, struct findings *out)
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
				/* Unknown (absent or empty) identities never match: two
				 * PFs whose phys_port_id sysfs leaves blank are not one port. */
				if (ra.pf == rb.pf)
					why = "same PF";
				else if (vs_same(&ra.pf->phys_port_id, &rb.pf->phys_port_id))
					why = "same physical port (phys_port_id)";
				else if (vs_same(&ra.pf->lldp_chassis, &rb.pf->lldp_chassis))
					why = "same switch chassis (LLDP)", sev = SEV_INFO;
				if (!why)
					continue;
				struct finding *f = rule_add(out, rl, sev);
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
				/* Another port to take a VF from: one with VFs, else an
				 * SR-IOV PF with none enabled (how to enable one, from
				 * its known PCI address and TotalVFs). */
				int other = -1, idle = -1;
				for (size_t p = 0; p < host->npfs; p++) {
					const struct pf *op = &host->pfs[p];
					if (op == ra.pf || op == rb.pf || vs_same(&op->phys_port_id, &ra.pf->phys_port_id))
						continue;
					if (op->nvfs)
						other = (int)p;
					else if (VI_KNOWN(op->sriov_numvfs) && op->sriov_numvfs.v == 0 &&
						 VI_KNOWN(op->sriov_totalvfs) && op->sriov_totalvfs.v > 0)
						idle = (int)p;
				}
				if (sev == SEV_INFO) {
					finding_fix(f, "cable the two PFs to different switches (or an MLAG pair) for switch redundancy");
				} else if (machine_is_pod(m)) { /* the device plugin chose the VFs (rules/netns.c) */
					char pod[640];
					pod_fix_same_pf(pod, sizeof(pod), m, ra.vf, rb.vf);
					if (other >= 0)
						finding_fix(f, "%s (another port here: PF %s)", pod, pf_name(&host->pfs[other]));
					else
						finding_fix(f, "%s", pod);
				} else if (other >= 0) {
					finding_fix(f, "give %s a VF of another port, e.g. one of PF %s (%s), instead of VF %d of %s",
						    S(rb.mb->name), pf_name(&host->pfs[other]), S(host->pfs[other].pci),
						    rb.vfidx, pf_name(rb.pf));
				} else if (idle >= 0) {
					const struct pf *op = &host->pfs[idle];
					if (vs_known_nonempty(&op->pci))
						finding_fix(f, "PF %s (%s) has SR-IOV with 0 of %lld VFs enabled: enable one with "
							       "echo 1 > /sys/bus/pci/devices/%s/sriov_numvfs and give %s that VF "
							       "instead of VF %d of %s",
							    pf_name(op), op->pci.v, (long long)op->sriov_totalvfs.v, op->pci.v,
							    S(rb.mb->name), rb.vfidx, pf_name(rb.pf));
					else
						finding_fix(f, "PF %s has SR-IOV with 0 of %lld VFs enabled: enable one (its PCI "
							       "address, for sriov_numvfs, is not known here) and give %s that VF "
							       "instead of VF %d of %s",
							    pf_name(op), (long long)op->sriov_totalvfs.v, S(rb.mb->name), rb.vfidx,
							    pf_name(rb.pf));
				} else {
					finding_fix(f, "give %s a VF of another physical port; this host has no other SR-IOV port",
						    S(rb.mb->name));
				}
			}
	}
}

/* Kernel-log classes that say enslaving a netdev failed (bonding's
 * "Error %d calling set_mac_address" and kin, as rules/kmsg_match.c
 * classifies them). */
#define ENSLAVE_FAILED KM_SET_MAC_ERR

/* A VF netdev of machine m that is in no team (no master, not a bond). */
static bool spare_vf(struct machine *host, struct machine *m, const struct netdev *n, struct pf **pf, struct vf **vf)
{
	if (vs_known_nonempty(&n->master) || vs_is(&n->kind, "bond") || vs_is(&n->kind, "team") ||
	    !vs_known_nonempty(&n->name))
		return false;
	return netdev_is_vf(host, m, n, pf, vf);
}

/* Lines of m that say enslaving n into t failed: they name the netdev and,
 * when the team's name is known, the team ("bond0: (slave eth4): ..."). */
static int enslave_failed_lines(struct finding *f, const struct machine *m, const struct team *t, const char *name)
{
	int n = 0;
	for (size_t i = 0; i < m->nkmsg; i++) {
		const char *x = m->kmsg[i].text;
		struct kmsg_info ki;
		if (!(kmsg_classify(x, &ki) & ENSLAVE_FAILED))
			continue;
		/* bonding's "BOND: (slave MEMBER): ..." names both; else whole words */
		if (ki.slave[0] ? strcmp(ki.slave, name) : !kmsg_mentions(x, name))
			continue;
		if (vs_known_nonempty(&t->name) &&
		    (ki.slave[0] && ki.netdev[0] ? strcmp(ki.netdev, t->name.v) : !kmsg_mentions(x, t->name.v)))
			continue;
		if (f)
			finding_kmsg_line(f, &m->kmsg[i]);
		n++;
	}
	return n;
}

/* VFS005: error only when the kernel log says enslaving this VF into the
 * team failed; the spare VF beside a team of fewer than two members is
 * info, worded as what was seen. */
static void rule_missing_member(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (!team_vf_members(host, m, gi, t))
			continue;
		for (size_t i = 0; i < m->nnetdevs; i++) {
			struct netdev *n = &m->netdevs[i];
			struct pf *pf;
			struct vf *vf;
			if (!spare_vf(host, m, n, &pf, &vf))
				continue;
			int lines = enslave_failed_lines(NULL, m, t, n->name.v);
			if (!lines && t->nmembers >= 2)
				continue;
			int sev = lines ? SEV_ERROR : SEV_INFO;
			struct finding *f = rule_add(out, rl, sev);
			finding_subject(f, "%s %s: %s not enslaved", machine_name(host, gi), S(t->name), n->name.v);
			if (lines) {
				finding_title(f, "enslaving a VF into the team failed (kernel log)");
				finding_ev(f, SRC_KMSG, "enslave failed", "%d kernel log line(s) name %s and %s", lines,
					   n->name.v, S(t->name));
			} else {
				finding_title(f, "a VF on the team's machine is in no team");
				if (vf)
					finding_ev(f, SRC_DERIVED, "seen", "VF %d of PF %s is bound to %s on %s and in no team; "
						   "team %s has %zu member(s)", vf->index, pf_name(pf), S(n->driver),
						   m == host ? "this host" : machine_name(host, gi), S(t->name), t->nmembers);
				else
					finding_ev(f, SRC_DERIVED, "seen", "VF netdev %s (driver %s) on %s is in no team; team %s "
						   "has %zu member(s)", n->name.v, S(n->driver),
						   m == host ? "this host" : machine_name(host, gi), S(t->name), t->nmembers);
			}
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
				if (vs_known_nonempty(&pf->pci))
					finding_kmsg(f, host, KM_ADMIN_MAC, pf->pci.v, vf->index, NULL);
			}
			enslave_failed_lines(f, m, t, n->name.v);
			finding_kmsg(f, m, KM_PF_ERROR, NULL, -1, n->name.v);
			char a[320], b[320], c[320];
			snprintf(c, sizeof(c), "master %s", S(t->name));
			const char *enslave = vs_known_nonempty(&t->name) ? fix_dev(b, sizeof(b), &n->name, c)
									  : "enslave it (the team's name is not known)";
			if (lines && vf_mac_pinned(vf) && team_needs_mac_change(t))
				finding_fix(f, "the PF refuses the bond's MAC on this VF: %s (or %s), then ip link set %s down; %s",
					    fix_vf(a, sizeof(a), pf, vf->index, "trust on"),
					    fix_bond(c, sizeof(c), t, "fail_over_mac active"), n->name.v, enslave);
			else if (lines)
				finding_fix(f, "remove the cause the kernel log names, then ip link set %s down; %s", n->name.v,
					    enslave);
			else
				finding_fix(f, "if %s is meant to be the team's second member: ip link set %s down; %s  # and see "
					       "the kernel log if that fails; otherwise nothing to do", n->name.v, n->name.v,
					    enslave);
		}
	}
}

/* VFS008 */
static void rule_too_many(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (t->nmembers <= 2 || !team_vf_members(host, m, gi, t))
			continue;
		struct finding *f = rule_add(out, rl, SEV_WARNING);
		subject_team(f, host, gi, t);
		finding_ev(f, SRC_DERIVED, "members", "%zu", t->nmembers);
		size_t extra = t->nmembers - 1; /* one that shares a PF with an earlier member, else the last */
		bool shared = false;
		for (size_t j = 0; j < t->nmembers; j++) {
			struct mref r;
			mref_get(host, m, gi, t, j, &r);
			ev_path(f, host, &r);
			for (size_t k = 0; k < j && !shared && r.pf; k++) {
				struct mref q;
				mref_get(host, m, gi, t, k, &q);
				if (q.pf == r.pf)
					extra = j, shared = true;
			}
		}
		char a[320];
		finding_fix(f, "keep one VF per physical port: %s  # and likewise for any other extra member",
			    fix_dev(a, sizeof(a), &t->members[extra].name, "nomaster"));
	}
}

/* VFS019 */
static void rule_single_member(const struct rule *rl, struct machine *host, struct findings *out)
{
	FOR_TEAMS(host, m, gi, t) {
		if (t->nmembers != 1 || !team_vf_members(host, m, gi, t))
			continue;
		struct mref r;
		mref_get(host, m, gi, t, 0, &r);
		struct finding *f = rule_add(out, rl, SEV_WARNING);
		subject_team(f, host, gi, t);
		finding_ev(f, r.mb->name.src, "members", "%s", S(r.mb->name));
		finding_ev_vs(f, "team mode", &t->mode);
		ev_path(f, host, &r);
		/* A spare VF of another PF on the team's machine is the member to add. */
		const struct netdev *cand = NULL;
		for (size_t i = 0; i < m->nnetdevs && !cand; i++) {
			struct pf *pf;
			struct vf *vf;
			if (spare_vf(host, m, &m->netdevs[i], &pf, &vf) && pf && r.pf && pf != r.pf)
				cand = &m->netdevs[i];
		}
		char a[320], c[96];
		snprintf(c, sizeof(c), "master %s", S(t->name));
		if (cand && vs_known_nonempty(&t->name))
			finding_fix(f, "add a VF of another PF as the second member: ip link set %s down; %s", cand->name.v,
				    fix_dev(a, sizeof(a), &cand->name, c));
		else if (vs_known_nonempty(&t->name))
			finding_fix(f, "give the team a second member: a VF of another PF than %s's (ip link set VF down; "
				       "ip link set VF master %s)", S(r.mb->name), t->name.v);
		else
			finding_fix(f, "give the team a second member: a VF of another PF than %s's (the team's name is "
				       "not known)", S(r.mb->name));
	}
}

static const struct rule membership_rules[] = {
	{ { "VFS003-shared-pf", SEV_WARNING, "team members share one PF, physical port or switch" }, rule_shared, NULL },
	{ { "VFS005-team-member-missing", SEV_ERROR,
	    "VF left out of a team (error only when the kernel log says enslaving it failed)" },
	  rule_missing_member, NULL },
	{ { "VFS008-too-many-members", SEV_WARNING, "more than two members in a VF team" }, rule_too_many, NULL },
	{ { "VFS019-single-member", SEV_WARNING, "team has a single member: no redundancy" }, rule_single_member, NULL },
};
RULE_FAMILY(rules_membership, "membership", membership_rules);
