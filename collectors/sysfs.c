#include "collectors/sysfs.h"
#include "collectors/root.h"
#include "lib/util.h"
#include <dirent.h>
#include <net/if.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define P(...) root_path(path, sizeof(path), __VA_ARGS__)

/* Read a sysfs attribute into a vs, sanitised. Missing -> unknown. A read
 * error other than ENOENT/EINVAL (e.g. EACCES) is counted as partial. */
static int read_vs(struct machine *m, struct vs *f, const char *rel)
{
	char buf[512];
	int r = root_read_str(rel, buf, sizeof(buf));
	if (r) {
		if (r == -EACCES || r == -EPERM)
			machine_add_source(m, "sysfs", SOURCE_PARTIAL, "permission denied: %s", rel);
		return r;
	}
	char clean[512];
	vs_set(f, vfs_sanitize(clean, sizeof(clean), buf), SRC_SYSFS);
	return 0;
}

static int read_vi(struct machine *m, struct vi *f, const char *rel, int base)
{
	long long v;
	int r = root_read_i64(rel, &v, base);
	if (r) {
		if (r == -EACCES || r == -EPERM)
			machine_add_source(m, "sysfs", SOURCE_PARTIAL, "permission denied: %s", rel);
		return r;
	}
	vi_set(f, v, SRC_SYSFS);
	return 0;
}

/* An Ethernet address ("02:00:00:00:00:a0"); anything else (an empty
 * address file, a tunnel's "0.0.0.0", a 20-byte IPoIB address) is not a
 * MAC: unknown. */
static int read_mac(struct machine *m, struct vs *f, const char *rel)
{
	struct vs t = { 0 };
	uint8_t b[6];
	int r = read_vs(m, &t, rel);
	if (!r && VS_KNOWN(t) && !vfs_mac_parse(t.v, b))
		vs_set(f, t.v, SRC_SYSFS);
	vs_free(&t);
	return r;
}

static int link_base_vs(struct vs *f, const char *rel)
{
	char b[256], clean[256];
	int r = root_link_base(rel, b, sizeof(b));
	if (!r)
		vs_set(f, vfs_sanitize(clean, sizeof(clean), b), SRC_SYSFS);
	return r;
}

/* First netdev (by name) under sys/bus/pci/devices/<pci>/net/. */
static int pci_first_netdev(const char *pci, char *out, size_t size)
{
	char path[512];
	size_t n;
	char **v = root_list(P("sys/bus/pci/devices/%s/net", pci), SYSFS_MAX_NETDEVS, NULL, &n, NULL);
	if (!n)
		return v ? -ENOENT : -(errno ? errno : ENOENT);
	vfs_strlcpy(out, v[0], size);
	root_list_free(v, n);
	return 0;
}

/* virtfnN, N a VF index within bounds. */
static bool keep_virtfn(const char *name)
{
	int64_t idx;
	return !strncmp(name, "virtfn", 6) && !vfs_parse_i64(name + 6, 10, &idx) && idx >= 0 && idx < SYSFS_MAX_VFS;
}

static void read_netdev(struct machine *m, const char *name, int ifr, long long ifx)
{
	char path[512], buf[256];
	struct netdev *n = machine_add_netdev(m, name);
	if (!ifr)
		vi_set(&n->ifindex, ifx, SRC_SYSFS);
	else if (ifr == -EACCES || ifr == -EPERM)
		machine_add_source(m, "sysfs", SOURCE_PARTIAL, "permission denied: %s",
				   P("sys/class/net/%s/ifindex", name));
	read_mac(m, &n->mac, P("sys/class/net/%s/address", name));
	read_vs(m, &n->operstate, P("sys/class/net/%s/operstate", name));
	read_vs(m, &n->ifalias, P("sys/class/net/%s/ifalias", name)); /* "" (none set) stays unknown */
	read_vi(m, &n->mtu, P("sys/class/net/%s/mtu", name), 10);
	read_vi(m, &n->link_ifindex, P("sys/class/net/%s/iflink", name), 10);
	/* flags is dev_get_flags() in hex ("0x1003"): bit 0 is IFF_UP. */
	struct vi flags = { 0 };
	if (!read_vi(m, &flags, P("sys/class/net/%s/flags", name), 16))
		vi_set(&n->admin_up, (flags.v & IFF_UP) != 0, SRC_SYSFS);
	/* carrier and speed read EINVAL while the device is not up (net-sysfs
	 * answers only when netif_running): unknown. A tree that has them for a
	 * device whose flags say down is not believed either. */
	if (!VI_KNOWN(n->admin_up) || n->admin_up.v) {
		read_vi(m, &n->carrier, P("sys/class/net/%s/carrier", name), 10);
		if (!read_vi(m, &n->speed, P("sys/class/net/%s/speed", name), 10) && n->speed.v < 0)
			n->speed.src = SRC_NONE;
	}
	/* device: the link (read once, not tested first), then what it
	 * leads to; a VF has a physfn link there. */
	if (!root_link_base(P("sys/class/net/%s/device", name), buf, sizeof(buf)) &&
	    root_is_dir(P("sys/class/net/%s/device", name))) {
		vs_set(&n->pci, buf, SRC_SYSFS);
		link_base_vs(&n->driver, P("sys/class/net/%s/device/driver", name));
		/* the kernel makes a physfn link for a VF only: the link is
		 * the fact (read, not followed) */
		vi_set(&n->is_virtfn, root_readlink(P("sys/class/net/%s/device/physfn", name), buf, sizeof(buf)) >= 0,
		       SRC_SYSFS);
	}
	link_base_vs(&n->master, P("sys/class/net/%s/master", name));
	if (root_exists(P("sys/class/net/%s/bonding", name)))
		vs_set(&n->kind, "bond", SRC_SYSFS);
}

static void read_vf(struct machine *m, struct pf *pf, int idx, const char *pci)
{
	char path[512], buf[256];
	struct vf *v = pf_add_vf(pf, idx);
	vs_set(&v->pci, pci, SRC_SYSFS);
	link_base_vs(&v->driver, P("sys/bus/pci/devices/%s/driver", pci));
	link_base_vs(&v->iommu_group, P("sys/bus/pci/devices/%s/iommu_group", pci));
	if (!pci_first_netdev(pci, buf, sizeof(buf)))
		vs_set(&v->netdev, buf, SRC_SYSFS);
}

static int cmp_vf(const void *a, const void *b)
{
	return ((const struct vf *)a)->index - ((const struct vf *)b)->index;
}

/* Whether the SR-IOV function pci (it has sriov_totalvfs) is a NIC PF,
 * the only kind the rules reason about. Not one: a function whose PCI
 * class is read and is no network controller (base class 0x02), e.g. an
 * NVMe drive with VFs (said in a warning when it has VFs to offer, so the
 * snapshot tells where they went; a port or bridge with a zero-VF
 * capability is left out silently), and a network function whose driver
 * or firmware allows no VFs (TotalVFs read as 0, said). An unreadable
 * class or TotalVFs is unknown: the function stays a PF. */
static bool is_nic_pf(struct machine *m, const char *pci, const struct vi *totalp)
{
	char path[512];
	struct vi cls = { 0 }, total = *totalp;
	read_vi(m, &cls, P("sys/bus/pci/devices/%s/class", pci), 16);
	bool zero = VI_KNOWN(total) && total.v == 0;
	if (VI_KNOWN(cls) && ((cls.v >> 16) & 0xff) != 0x02) {
		char tv[24] = "?";
		if (VI_KNOWN(total))
			snprintf(tv, sizeof(tv), "%lld", (long long)total.v);
		if (!zero)
			machine_warn(m, "%s: SR-IOV function of PCI class 0x%06llx (not a network controller), TotalVFs %s: "
				     "not listed as a NIC PF", pci, (unsigned long long)cls.v & 0xffffff, tv);
		return false;
	}
	if (zero) {
		machine_warn(m, "%s: network function with an SR-IOV capability but TotalVFs 0 (its driver or firmware "
			     "allows no VFs): not listed as a PF", pci);
		return false;
	}
	return true;
}

static void read_pf(struct machine *m, const char *pci, const struct vi *total)
{
	char path[512], buf[256];
	struct pf *pf = machine_add_pf(m, pci);
	read_vs(m, &pf->vendor, P("sys/bus/pci/devices/%s/vendor", pci));
	read_vs(m, &pf->device, P("sys/bus/pci/devices/%s/device", pci));
	link_base_vs(&pf->driver, P("sys/bus/pci/devices/%s/driver", pci));
	pf->sriov_totalvfs = *total; /* read by the caller */
	read_vi(m, &pf->sriov_numvfs, P("sys/bus/pci/devices/%s/sriov_numvfs", pci), 10);
	read_vi(m, &pf->sriov_offset, P("sys/bus/pci/devices/%s/sriov_offset", pci), 10);
	read_vi(m, &pf->sriov_stride, P("sys/bus/pci/devices/%s/sriov_stride", pci), 10);
	read_vs(m, &pf->sriov_vf_device, P("sys/bus/pci/devices/%s/sriov_vf_device", pci));
	if (!pci_first_netdev(pci, buf, sizeof(buf))) {
		vs_set(&pf->netdev, buf, SRC_SYSFS);
		/* Drivers without them answer EOPNOTSUPP; an empty file is unknown too. */
		read_vs(m, &pf->phys_port_id, P("sys/class/net/%s/phys_port_id", buf));
		read_vs(m, &pf->phys_switch_id, P("sys/class/net/%s/phys_switch_id", buf));
		read_vs(m, &pf->phys_port_name, P("sys/class/net/%s/phys_port_name", buf));
	}
	/* virtfnN links, in any order, bounded. */
	if (!root_is_dir(P("sys/bus/pci/devices/%s", pci))) {
		machine_add_source(m, "sysfs", SOURCE_PARTIAL, "%s vanished while reading", pci);
		return;
	}
	size_t nv;
	char **vn = root_list(P("sys/bus/pci/devices/%s", pci), SYSFS_MAX_VFS, keep_virtfn, &nv, NULL);
	for (size_t i = 0; i < nv; i++) {
		int64_t idx;
		vfs_parse_i64(vn[i] + 6, 10, &idx); /* checked by keep_virtfn */
		if (root_link_base(P("sys/bus/pci/devices/%s/%s", pci, vn[i]), buf, sizeof(buf))) {
			/* listed, then gone: SR-IOV reconfigured while we read */
			machine_add_source(m, "sysfs", SOURCE_PARTIAL, "%s/%s vanished while reading", pci, vn[i]);
			continue;
		}
		if (!root_is_dir(P("sys/bus/pci/devices/%s", buf))) { /* the link outlived its VF */
			machine_add_source(m, "sysfs", SOURCE_PARTIAL, "%s/%s -> %s: the VF is gone (SR-IOV reconfigured "
					   "while reading?)", pci, vn[i], buf);
			continue;
		}
		read_vf(m, pf, (int)idx, buf);
	}
	root_list_free(vn, nv);
	if (pf->nvfs) /* qsort(NULL, 0, ...) is undefined */
		qsort(pf->vfs, pf->nvfs, sizeof(*pf->vfs), cmp_vf);
}

/* Sorted, bounded listing; a cut-off listing is warned about. */
static char **list_dir(struct machine *m, const char *rel, size_t max, size_t *n)
{
	bool cut;
	char **v = root_list(rel, max, NULL, n, &cut);
	if (cut)
		machine_warn(m, "%s: more than %zu entries, rest ignored", rel, max);
	return v;
}

/* bonding/mode reads "active-backup 1": keep the name, and the number. */
static void split_name_num(struct vs *name, struct vi *num)
{
	if (!name->v)
		return;
	char *sp = strchr(name->v, ' ');
	if (!sp)
		return;
	int64_t v;
	if (num && !vfs_parse_i64(sp + 1, 10, &v))
		vi_set(num, v, SRC_SYSFS);
	*sp = 0;
}

static void read_bond(struct machine *m, const char *name)
{
	char path[512], buf[4096];
	struct team *t = machine_add_team(m, name);
	t->driver = TEAM_BONDING;
	read_vs(m, &t->mode, P("sys/class/net/%s/bonding/mode", name));
	split_name_num(&t->mode, &t->mode_num);
	read_vs(m, &t->xmit_hash_policy, P("sys/class/net/%s/bonding/xmit_hash_policy", name));
	split_name_num(&t->xmit_hash_policy, NULL);
	read_vs(m, &t->fail_over_mac, P("sys/class/net/%s/bonding/fail_over_mac", name));
	split_name_num(&t->fail_over_mac, NULL);
	read_vs(m, &t->lacp_rate, P("sys/class/net/%s/bonding/lacp_rate", name));
	split_name_num(&t->lacp_rate, NULL);
	read_vs(m, &t->ad_select, P("sys/class/net/%s/bonding/ad_select", name));
	split_name_num(&t->ad_select, NULL);
	read_vs(m, &t->arp_validate, P("sys/class/net/%s/bonding/arp_validate", name));
	split_name_num(&t->arp_validate, NULL);
	read_vi(m, &t->miimon, P("sys/class/net/%s/bonding/miimon", name), 10);
	read_vi(m, &t->arp_interval, P("sys/class/net/%s/bonding/arp_interval", name), 10);
	read_vi(m, &t->updelay, P("sys/class/net/%s/bonding/updelay", name), 10);
	read_vi(m, &t->downdelay, P("sys/class/net/%s/bonding/downdelay", name), 10);
	/* Empty (none set) is unknown: vs_set keeps no empty string. */
	read_vs(m, &t->arp_ip_target, P("sys/class/net/%s/bonding/arp_ip_target", name));
	read_vs(m, &t->primary, P("sys/class/net/%s/bonding/primary", name));
	read_vs(m, &t->active, P("sys/class/net/%s/bonding/active_slave", name));
	read_mac(m, &t->mac, P("sys/class/net/%s/address", name));

	if (root_read_str(P("sys/class/net/%s/bonding/slaves", name), buf, sizeof(buf)))
		return;
	char *save = NULL;
	for (char *s = strtok_r(buf, " ", &save); s && t->nmembers < 64; s = strtok_r(NULL, " ", &save)) {
		if (!vfs_is_sane(s))
			continue;
		struct member *mb = team_add_member(t, s);
		read_vs(m, &mb->state, P("sys/class/net/%s/bonding_slave/state", s));
		read_vs(m, &mb->mii_status, P("sys/class/net/%s/bonding_slave/mii_status", s));
		read_vi(m, &mb->link_failures, P("sys/class/net/%s/bonding_slave/link_failure_count", s), 10);
		read_vs(m, &mb->perm_mac, P("sys/class/net/%s/bonding_slave/perm_hwaddr", s));
		read_vi(m, &mb->queue_id, P("sys/class/net/%s/bonding_slave/queue_id", s), 10);
	}
}

/* The addresses of the VFs of the PFs read so far, sorted, to skip them
 * in the PCI listing: a VF has no SR-IOV capability of its own. */
struct vf_seen {
	const char **v;
	size_t n, cap;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void vf_seen_add(struct vf_seen *s, const struct pf *pf)
{
	for (size_t k = 0; k < pf->nvfs; k++)
		if (pf->vfs[k].pci.v) {
			VFS_PUSH(s->v, s->n, s->cap);
			s->v[s->n++] = pf->vfs[k].pci.v; /* the model's string: lives as long as m */
		}
	if (s->n)
		qsort(s->v, s->n, sizeof(*s->v), cmp_str);
}

static bool vf_seen_has(const struct vf_seen *s, const char *pci)
{
	return s->n && bsearch(&pci, s->v, s->n, sizeof(*s->v), cmp_str);
}

/* /sys/class/net also holds bonding's control file bonding_masters (a
 * regular file); a netdev is a directory (a symlink to the device's dir in
 * a live or copied tree) with the attributes net-sysfs gives every netdev:
 * ifindex, or flags where a copy (a sos report) kept only that. */
static bool is_netdev(const char *name, int *ifr, long long *ifx)
{
	char path[512];
	*ifr = root_read_i64(P("sys/class/net/%s/ifindex", name), ifx, 10);
	return (*ifr != -ENOENT && *ifr != -ENOTDIR) || root_exists(P("sys/class/net/%s/flags", name));
}

int sysfs_collect(struct machine *m)
{
	char path[512];
	size_t n;
	char **names = list_dir(m, "sys/class/net", SYSFS_MAX_NETDEVS, &n);
	if (!names && errno != 0 && !root_exists("sys/class/net")) {
		machine_add_source(m, "sysfs", SOURCE_FAILED, "cannot read %s/sys/class/net: %s",
				   root_is_live() ? "" : root_dir(), strerror(errno));
		return -ENOENT;
	}
	/* Each netdev's and PCI function's directory is resolved once for
	 * all that is read in it (root.h). */
	root_cache_begin();
	for (size_t i = 0; i < n; i++) {
		if (!vfs_is_sane(names[i])) {
			machine_warn(m, "netdev with unprintable name skipped");
			continue;
		}
		int ifr;
		long long ifx = 0;
		if (!is_netdev(names[i], &ifr, &ifx))
			continue;
		read_netdev(m, names[i], ifr, ifx);
	}
	root_list_free(names, n);

	char **pcis = list_dir(m, "sys/bus/pci/devices", SYSFS_MAX_PCI, &n);
	struct vf_seen seen = { 0 };
	for (size_t i = 0; i < n; i++) {
		/* A VF of a PF read already has no SR-IOV capability of its own. */
		if (vf_seen_has(&seen, pcis[i]))
			continue;
		/* sriov_totalvfs read once: absent, not an SR-IOV function. */
		struct vi total = { 0 };
		int r = read_vi(m, &total, P("sys/bus/pci/devices/%s/sriov_totalvfs", pcis[i]), 10);
		if ((r != -ENOENT && r != -ENOTDIR) && is_nic_pf(m, pcis[i], &total)) {
			read_pf(m, pcis[i], &total);
			vf_seen_add(&seen, &m->pfs[m->npfs - 1]);
		}
	}
	free(seen.v);
	root_list_free(pcis, n);

	for (size_t i = 0; i < m->nnetdevs; i++)
		if (m->netdevs[i].kind.v && !strcmp(m->netdevs[i].kind.v, "bond"))
			read_bond(m, m->netdevs[i].name.v);
	root_cache_end();
	machine_add_source(m, "sysfs", SOURCE_OK, NULL);
	return 0;
}
