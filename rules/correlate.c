/* Host <-> guest correlation. The key is the VF's MAC on the host (IFLA_VF_MAC,
 * the administratively set address) equal to the guest member's permanent
 * MAC; the PCI address (namespaces and one-tree views share it) and vfio
 * ownership (the QEMU -name / libvirt domain holding the VF) confirm it or
 * break a tie. Host-side teams over local VF netdevs are linked through the
 * netdev -> VF index that machine_link() computes. A network namespace
 * (role "netns") is matched by its netdevs' parent PCI address only. */
#include "rules/rules_int.h"
#include "lib/util.h"
#include <string.h>

static bool mac_usable(const char *mac)
{
	uint8_t b[6];
	return mac && !vfs_mac_parse(mac, b) && !vfs_mac_is_zero(b);
}

static bool owner_matches(const struct vf *v, const struct machine *g)
{
	if (!VS_KNOWN(v->owner_name))
		return false;
	return (g->label && !strcmp(g->label, v->owner_name.v)) ||
	       (VS_KNOWN(g->hostname) && !strcmp(g->hostname.v, v->owner_name.v));
}

/* Find the host VF backing a guest member; prefers a VF owned by this
 * guest's VM when the MAC is not unique (duplicate MACs are a finding). */
static int find_backing(const struct machine *host, const struct machine *g, const struct member *mb,
			int *pfi, int *vfi)
{
	int best = 0;
	const char *mac = VS_KNOWN(mb->perm_mac) ? mb->perm_mac.v : NULL;
	for (size_t i = 0; i < host->npfs; i++)
		for (size_t j = 0; j < host->pfs[i].nvfs; j++) {
			const struct vf *v = &host->pfs[i].vfs[j];
			int score = 0;
			if (mac_usable(mac) && vfs_mac_eq(v->mac.v, mac))
				score += 4;
			if (VS_KNOWN(mb->pci) && VS_KNOWN(v->pci) && !strcmp(mb->pci.v, v->pci.v))
				score += 3;
			if (!score)
				continue;
			if (owner_matches(v, g))
				score += 2;
			if (score > best) {
				best = score;
				*pfi = (int)i;
				*vfi = (int)j;
			}
		}
	return best ? 0 : -1;
}

/* A trusted VF that took its team's MAC no longer shows its own MAC on the
 * host. If exactly one member of guest g is unmatched and exactly one VF
 * held by g's VM (vfio owner = guest label/hostname) is unclaimed, they
 * are the same. */
static void by_owner(struct machine *host, struct machine *g, int gi)
{
	struct member *lone = NULL;
	int lt = -1, lj = -1, nm = 0;
	for (size_t t = 0; t < g->nteams; t++)
		for (size_t j = 0; j < g->teams[t].nmembers; j++)
			if (g->teams[t].members[j].host_pf_idx < 0 &&
			    !driver_is_emulated(g->teams[t].members[j].driver.v)) {
				lone = &g->teams[t].members[j];
				lt = (int)t;
				lj = (int)j;
				nm++;
			}
	if (nm != 1)
		return;
	int pfi = -1, vfi = -1, nv = 0;
	for (size_t i = 0; i < host->npfs; i++)
		for (size_t j = 0; j < host->pfs[i].nvfs; j++) {
			const struct vf *v = &host->pfs[i].vfs[j];
			if (v->guest_idx < 0 && owner_matches(v, g)) {
				pfi = (int)i;
				vfi = (int)j;
				nv++;
			}
		}
	if (nv != 1)
		return;
	struct vf *v = &host->pfs[pfi].vfs[vfi];
	lone->host_pf_idx = pfi;
	lone->host_vf_idx = vfi;
	v->guest_idx = gi;
	v->guest_team_idx = lt;
	v->guest_member_idx = lj;
}

/* A paravirtual failover pair (issue 15) repeats its VF's MAC on members
 * that are no VF: the standby / synthetic path, and a bond member that is
 * the pair's master. Only the pair's primary / vf member is matched. */
static bool pair_side(const struct machine *g, const struct team *t, const struct member *mb)
{
	if (team_is_pair(t))
		return !VS_KNOWN(mb->role) || (strcmp(mb->role.v, "primary") && strcmp(mb->role.v, "vf"));
	int p = machine_find_team(g, mb->name.v);
	return p >= 0 && team_is_pair(&g->teams[p]);
}

static void clear(struct machine *m)
{
	for (size_t i = 0; i < m->npfs; i++)
		for (size_t j = 0; j < m->pfs[i].nvfs; j++) {
			struct vf *v = &m->pfs[i].vfs[j];
			v->guest_idx = v->guest_team_idx = v->guest_member_idx = -1;
			vs_free(&v->netns);
		}
	for (size_t t = 0; t < m->nteams; t++)
		for (size_t j = 0; j < m->teams[t].nmembers; j++)
			m->teams[t].members[j].host_pf_idx = m->teams[t].members[j].host_vf_idx = -1;
}

/* A network namespace (issue 14): its netdevs' parent device (the VF's PCI
 * address, IFLA_PARENT_DEV_NAME) names the host VF exactly; no MAC guess.
 * Members first, so a VF in a team names its team and member. */
static void by_parent_pci(struct machine *host, struct machine *g, int gi)
{
	for (size_t t = 0; t < g->nteams; t++)
		for (size_t j = 0; j < g->teams[t].nmembers; j++) {
			struct member *mb = &g->teams[t].members[j];
			int pfi, vfi;
			if (!VS_KNOWN(mb->pci) || machine_find_vf_pci(host, mb->pci.v, &pfi, &vfi))
				continue;
			struct vf *v = &host->pfs[pfi].vfs[vfi];
			if (v->guest_idx >= 0 && v->guest_idx != gi)
				continue;
			mb->host_pf_idx = pfi;
			mb->host_vf_idx = vfi;
			v->guest_idx = gi;
			v->guest_team_idx = (int)t;
			v->guest_member_idx = (int)j;
		}
	for (size_t i = 0; i < g->nnetdevs; i++) {
		int pfi, vfi;
		if (!VS_KNOWN(g->netdevs[i].pci) || machine_find_vf_pci(host, g->netdevs[i].pci.v, &pfi, &vfi))
			continue;
		struct vf *v = &host->pfs[pfi].vfs[vfi];
		if (v->guest_idx >= 0 && v->guest_idx != gi)
			continue;
		v->guest_idx = gi;
		vs_set(&v->netns, g->label, SRC_DERIVED);
	}
}

void correlate(struct machine *host)
{
	if (!host)
		return;
	machine_link(host);
	clear(host);
	/* Host-side teams: a member netdev that is a VF of a local PF. The VF's
	 * guest_idx stays -1 (no guest); team/member name the host's team. */
	for (size_t t = 0; t < host->nteams; t++)
		for (size_t j = 0; j < host->teams[t].nmembers; j++) {
			struct member *mb = &host->teams[t].members[j];
			if (mb->netdev_idx < 0 || (size_t)mb->netdev_idx >= host->nnetdevs)
				continue;
			const struct netdev *n = &host->netdevs[mb->netdev_idx];
			if (n->vf_pf_idx < 0 || n->vf_idx < 0)
				continue;
			mb->host_pf_idx = n->vf_pf_idx;
			mb->host_vf_idx = n->vf_idx;
			struct vf *v = &host->pfs[n->vf_pf_idx].vfs[n->vf_idx];
			v->guest_team_idx = (int)t;
			v->guest_member_idx = (int)j;
		}
	for (size_t gi = 0; gi < host->nguests; gi++) {
		struct machine *g = host->guests[gi];
		machine_link(g);
		clear(g);
		if (g->role && !strcmp(g->role, "netns")) {
			by_parent_pci(host, g, (int)gi);
			continue;
		}
		for (size_t t = 0; t < g->nteams; t++)
			for (size_t j = 0; j < g->teams[t].nmembers; j++) {
				struct member *mb = &g->teams[t].members[j];
				int pfi, vfi;
				if (pair_side(g, &g->teams[t], mb))
					continue; /* the pair's VF member is the one the VF backs */
				if (find_backing(host, g, mb, &pfi, &vfi))
					continue;
				struct vf *v = &host->pfs[pfi].vfs[vfi];
				if (v->guest_idx >= 0 && v->guest_idx != (int)gi)
					continue; /* already claimed by another guest: keep the first */
				mb->host_pf_idx = pfi;
				mb->host_vf_idx = vfi;
				v->guest_idx = (int)gi;
				v->guest_team_idx = (int)t;
				v->guest_member_idx = (int)j;
			}
		by_owner(host, g, (int)gi);
	}
}
