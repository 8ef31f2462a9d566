/* Walking teams and what backs their members: member -> host VF -> PF,
 * the path evidence and subjects every team rule uses, whether a netdev is
 * a VF, and what a kernel log line's PCI address / VF number names on the
 * host. Shared by the rule files (rules/link.c, rules/mac.c, ...). */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

bool vs_is(const struct vs *v, const char *s)
{
	return vs_known_nonempty(v) && !strcmp(v->v, s);
}

const char *machine_name(const struct machine *host, int gi)
{
	if (gi < 0 || (size_t)gi >= host->nguests)
		return VS_KNOWN(host->hostname) ? host->hostname.v : "host";
	const struct machine *g = host->guests[gi];
	/* A network namespace is its label: "pod NS/POD", "netns NAME" (docs/netns.md). */
	if (g->label && g->role && !strcmp(g->role, "netns"))
		return g->label;
	/* A --guest-file path says less than the guest's own name. */
	if (g->label && (!strchr(g->label, '/') || !VS_KNOWN(g->hostname)))
		return g->label;
	if (VS_KNOWN(g->hostname))
		return g->hostname.v;
	return "guest";
}

const char *pf_name(const struct pf *pf)
{
	if (!pf)
		return "?";
	if (vs_known_nonempty(&pf->netdev))
		return pf->netdev.v;
	return S(pf->pci);
}

bool mac_nonzero(const struct vs *v)
{
	uint8_t b[6];
	return vs_known_nonempty(v) && !vfs_mac_parse(v->v, b) && !vfs_mac_is_zero(b);
}

/* Drivers that bind only virtual functions, by the name the kernel gives
 * them (struct pci_driver .name, what device/driver links to): igbvf,
 * ixgbevf, iavf (i40evf before Linux 4.20), cxgb4vf (KBUILD_MODNAME of
 * drivers/net/ethernet/chelsio/cxgb4vf), nicvf (Cavium ThunderX) and
 * rvu_nicvf (Marvell OcteonTX2/CN10K otx2_vf.c). mlx5_core, bnxt_en, ice,
 * qede, enic, ena, hinic and fm10k drive their PFs and VFs alike, so their
 * name says nothing: a VF of theirs is known only from device/physfn
 * (is_virtfn) or from the host's VF list (PCI address or MAC). */
bool driver_is_vf(const char *d)
{
	static const char *const vf[] = { "igbvf", "ixgbevf", "iavf", "i40evf", "cxgb4vf", "nicvf", "rvu_nicvf" };
	for (size_t i = 0; d && i < ARRAY_SIZE(vf); i++)
		if (!strcmp(d, vf[i]))
			return true;
	return false;
}

bool driver_is_emulated(const char *d)
{
	static const char *const em[] = { "virtio_net", "virtio-net", "hv_netvsc", "netvsc", "e1000", "e1000e",
					  "8139cp", "8139too", "rtl8139", "vmxnet3", "xen-netfront", "vif",
					  "ne2k-pci", "pcnet32", "tulip", "veth", "tun" };
	for (size_t i = 0; d && i < ARRAY_SIZE(em); i++)
		if (!strcmp(d, em[i]))
			return true;
	return false;
}

void mref_get(struct machine *host, struct machine *m, int gi, struct team *t, size_t j, struct mref *r)
{
	memset(r, 0, sizeof(*r));
	r->m = m;
	r->gi = gi;
	r->t = t;
	r->mb = &t->members[j];
	r->vfidx = -1;
	if (r->mb->netdev_idx >= 0 && (size_t)r->mb->netdev_idx < m->nnetdevs)
		r->nd = &m->netdevs[r->mb->netdev_idx];
	int pfi = r->mb->host_pf_idx, vfi = r->mb->host_vf_idx;
	if (pfi >= 0 && (size_t)pfi < host->npfs && vfi >= 0 && (size_t)vfi < host->pfs[pfi].nvfs) {
		r->pf = &host->pfs[pfi];
		r->vf = &r->pf->vfs[vfi];
		r->vfidx = r->vf->index;
		if (r->pf->netdev_idx >= 0 && (size_t)r->pf->netdev_idx < host->nnetdevs)
			r->pfnd = &host->netdevs[r->pf->netdev_idx];
	}
}

bool member_is_vf(const struct mref *r)
{
	if (r->vf)
		return true;
	if (r->nd && VI_KNOWN(r->nd->is_virtfn) && r->nd->is_virtfn.v == 1)
		return true;
	return driver_is_vf(r->mb->driver.v) || (r->nd && driver_is_vf(r->nd->driver.v));
}


int team_vf_members(struct machine *host, struct machine *m, int gi, struct team *t)
{
	int n = 0;
	for (size_t j = 0; j < t->nmembers; j++) {
		struct mref r;
		mref_get(host, m, gi, t, j, &r);
		n += member_is_vf(&r);
	}
	return n;
}

void ev_path(struct finding *f, struct machine *host, const struct mref *r)
{
	char b[512];
	int n = snprintf(b, sizeof(b), "%s %s/%s", machine_name(host, r->gi), S(r->t->name), S(r->mb->name));
	if (r->vf) {
		n += snprintf(b + n, sizeof(b) - (size_t)MIN(n, (int)sizeof(b)), " -> VF %d (%s) -> PF %s (%s)", r->vfidx,
			      S(r->vf->pci), pf_name(r->pf), S(r->pf->pci));
		if (r->pfnd && n < (int)sizeof(b))
			n += snprintf(b + n, sizeof(b) - (size_t)n, " link %s",
				      VI_KNOWN(r->pfnd->carrier) ? (r->pfnd->carrier.v ? "up" : "down") : "?");
		if (vs_known_nonempty(&r->pf->lldp_chassis) && n < (int)sizeof(b))
			snprintf(b + n, sizeof(b) - (size_t)n, " -> switch %s port %s",
				 vs_known_nonempty(&r->pf->lldp_sysname) ? r->pf->lldp_sysname.v : r->pf->lldp_chassis.v,
				 S(r->pf->lldp_port));
	} else if (n < (int)sizeof(b)) {
		snprintf(b + n, sizeof(b) - (size_t)n, " -> no host VF found");
	}
	finding_ev(f, SRC_DERIVED, "path", "%s", b);
}

void subject_member(struct finding *f, struct machine *host, const struct mref *r)
{
	finding_subject(f, "%s %s/%s", machine_name(host, r->gi), S(r->t->name), S(r->mb->name));
}

void subject_team(struct finding *f, struct machine *host, int gi, const struct team *t)
{
	finding_subject(f, "%s %s", machine_name(host, gi), S(t->name));
}

bool netdev_is_vf(struct machine *host, struct machine *m, const struct netdev *n, struct pf **pf, struct vf **vf)
{
	*pf = NULL;
	*vf = NULL;
	if (m == host && n->vf_pf_idx >= 0 && (size_t)n->vf_pf_idx < host->npfs && n->vf_idx >= 0 &&
	    (size_t)n->vf_idx < host->pfs[n->vf_pf_idx].nvfs) {
		*pf = &host->pfs[n->vf_pf_idx];
		*vf = &(*pf)->vfs[n->vf_idx];
		return true;
	}
	int pi, vi;
	const struct vs *mac = vs_known_nonempty(&n->perm_mac) ? &n->perm_mac : &n->mac;
	if (m != host && mac_nonzero(mac) && !machine_find_vf_mac(host, mac->v, &pi, &vi)) {
		*pf = &host->pfs[pi];
		*vf = &(*pf)->vfs[vi];
		return true;
	}
	if (m != host && vs_known_nonempty(&n->pci) && !machine_find_vf_pci(host, n->pci.v, &pi, &vi)) {
		*pf = &host->pfs[pi];
		*vf = &(*pf)->vfs[vi];
		return true;
	}
	return (VI_KNOWN(n->is_virtfn) && n->is_virtfn.v == 1) || driver_is_vf(n->driver.v);
}

static struct vf *pf_vf(struct pf *pf, int index)
{
	for (size_t j = 0; pf && index >= 0 && j < pf->nvfs; j++)
		if (pf->vfs[j].index == index)
			return &pf->vfs[j];
	return NULL;
}

void kref_resolve(struct machine *host, struct machine *m, const struct kmsg_info *ki, struct kref *k)
{
	memset(k, 0, sizeof(*k));
	k->vfidx = ki->vf;
	k->how = "";
	if (!ki->pci[0])
		return;
	int pi, vi;
	if (m == host) {
		pi = machine_find_pf(host, ki->pci);
		if (pi >= 0) {
			/* A PF driver's line: "<pf pci>: VF 8 ...": the VF is the line's number. */
			k->pf = &host->pfs[pi];
			k->vf = pf_vf(k->pf, ki->vf);
			k->how = "a PF of this host";
			return;
		}
		if (!machine_find_vf_pci(host, ki->pci, &pi, &vi)) {
			/* A VF driver's line on the host ("igbvf <vf pci>: ..."). */
			k->pf = &host->pfs[pi];
			k->vf = &k->pf->vfs[vi];
			k->vfidx = k->vf->index;
			k->how = "a VF of this host";
		}
		return;
	}
	/* A guest's line names the guest's PCI address: the guest netdev there
	 * and the host VF behind it (MAC or PCI address, as correlated). */
	for (size_t i = 0; i < m->nnetdevs; i++) {
		const struct netdev *n = &m->netdevs[i];
		struct pf *pf;
		struct vf *vf;
		if (!vs_is(&n->pci, ki->pci) || !netdev_is_vf(host, m, n, &pf, &vf) || !vf)
			continue;
		k->pf = pf;
		k->vf = vf;
		k->vfidx = vf->index;
		k->how = "the guest's VF netdev, backed by this host VF";
		return;
	}
}
