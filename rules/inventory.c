/* Inventory rules: VFS014 VFs enabled but unused; VFS015 the SR-IOV
 * capability (config space) and sysfs disagree.
 * Evidence and severity policy: docs/rules.md. */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

/* VFS014 */
static void rule_unused(const struct rule *rl, struct machine *host, struct findings *out)
{
	for (size_t i = 0; i < host->npfs; i++) {
		struct pf *pf = &host->pfs[i];
		char list[256] = "";
		size_t len = 0;
		int n = 0, max_used = -1;
		for (size_t j = 0; j < pf->nvfs; j++) {
			struct vf *v = &pf->vfs[j];
			bool used = vs_known_nonempty(&v->netdev) || vs_known_nonempty(&v->owner_name) ||
				    VI_KNOWN(v->owner_pid) || v->guest_idx >= 0 || v->guest_team_idx >= 0 ||
				    vs_known_nonempty(&v->alloc_pod_uid) || /* given to a pod (a DPDK pod's: vfio-pci) */
				    /* bound to some driver that is not a netdev: someone uses it */
				    (vs_known_nonempty(&v->driver) && strcmp(v->driver.v, "vfio-pci"));
			if (used) {
				max_used = MAX(max_used, v->index);
				continue;
			}
			n++;
			if (len < sizeof(list) - 24)
				len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%d%s", n > 1 ? " " : "", v->index,
							vs_known_nonempty(&v->driver) ? "(vfio-pci, no owner)" : "");
		}
		if (!n)
			continue;
		struct finding *f = rule_add(out, rl, SEV_INFO);
		finding_subject(f, "PF %s", pf_name(pf));
		finding_ev(f, SRC_SYSFS, "unused VFs", "%s", list);
		finding_ev_vi(f, "sriov_numvfs", &pf->sriov_numvfs);
		/* Lowering sriov_numvfs removes the highest-numbered VFs first:
		 * a count is only right when every unused VF is above the last used. */
		int keep = max_used + 1;
		bool tail = (size_t)keep + (size_t)n == pf->nvfs;
		const char *pci = vs_val(&pf->pci);
		if (tail && pci && !keep)
			finding_fix(f, "echo 0 > /sys/bus/pci/devices/%s/sriov_numvfs  # no VF of this PF is used: this "
				       "disables them all; or hand the VFs to guests", pci);
		else if (tail && pci)
			finding_fix(f, "echo 0 > /sys/bus/pci/devices/%s/sriov_numvfs; echo %d > /sys/bus/pci/devices/%s/sriov_numvfs"
				       "  # (re-creates the VFs: only with nothing using them) to enable only what is used, "
				       "or hand the VFs to guests", pci, keep, pci);
		else if (tail)
			finding_fix(f, "hand the unused VFs to guests, or lower sriov_numvfs to %d (the PF's PCI address is not "
				       "known here)", keep);
		else
			finding_fix(f, "hand the unused VFs to guests; lowering sriov_numvfs would remove VF %d, which is in use",
				    max_used);
	}
}

/* VFS015 */
static void rule_cap(const struct rule *rl, struct machine *host, struct findings *out)
{
	for (size_t i = 0; i < host->npfs; i++) {
		struct pf *pf = &host->pfs[i];
		/* lspci text may leave the counts out: nothing to compare then. */
		if (!pf->cap.present || (pf->cap.unknown & SRIOV_UNK_COUNTS))
			continue;
		const char *pci = vs_val(&pf->pci);
		if (VI_KNOWN(pf->sriov_numvfs) && pf->cap.num_vfs != pf->sriov_numvfs.v) {
			struct finding *f = rule_add(out, rl, SEV_WARNING);
			finding_subject(f, "PF %s NumVFs", pf_name(pf));
			finding_ev(f, pf->cap.src, "SR-IOV capability NumVFs", "%u", pf->cap.num_vfs);
			finding_ev_vi(f, "sriov_numvfs", &pf->sriov_numvfs);
			if (pci)
				finding_fix(f, "re-read after the PF settles; if it stays, the config-space dump is stale or the "
					       "driver failed half-way: echo 0, then the number wanted, to "
					       "/sys/bus/pci/devices/%s/sriov_numvfs", pci);
			else
				finding_fix(f, "re-read after the PF settles; if it stays, re-enable the VFs (the PF's PCI "
					       "address is not known here)");
		}
		if (VI_KNOWN(pf->sriov_totalvfs) && pf->cap.total_vfs != pf->sriov_totalvfs.v) {
			/* igb caps sriov_totalvfs at 7 while the 82576 advertises 8: known, benign. */
			bool igb = vs_is(&pf->driver, "igb") && pf->cap.total_vfs == 8 && pf->sriov_totalvfs.v == 7;
			if (igb)
				continue;
			if (pf->sriov_totalvfs.v < pf->cap.total_vfs)
				continue; /* a driver may cap below the capability; not a problem */
			struct finding *f = rule_add(out, rl, SEV_INFO);
			finding_subject(f, "PF %s TotalVFs", pf_name(pf));
			finding_ev(f, pf->cap.src, "SR-IOV capability TotalVFs", "%u", pf->cap.total_vfs);
			finding_ev_vi(f, "sriov_totalvfs", &pf->sriov_totalvfs);
			finding_fix(f, "none needed unless VFs fail to enable; compare with the capability dump");
		}
	}
}

static const struct rule inventory_rules[] = {
	{ { "VFS014-vf-unused", SEV_INFO, "VFs enabled but unused" }, rule_unused, NULL },
	{ { "VFS015-sriov-cap-mismatch", SEV_WARNING, "SR-IOV capability and sysfs disagree" }, rule_cap, NULL },
};
RULE_FAMILY(rules_inventory, "inventory", inventory_rules);
