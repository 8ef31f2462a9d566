#include "collectors/collect.h"
#include "collectors/root.h"
#include "collectors/sysfs.h"
#include "collectors/netlink.h"
#include "collectors/ipaddr.h"
#include "collectors/pci.h"
#include "collectors/bond_proc.h"
#include "collectors/iplink_json.h"
#include "collectors/kmsg.h"
#include "collectors/vfio.h"
#include "collectors/netns.h"
#include "collectors/pairs.h"
#include "lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void read_identity(struct machine *m)
{
	char b[256], c[256];
	if (!root_read_str("proc/sys/kernel/hostname", b, sizeof(b)))
		vs_set(&m->hostname, vfs_sanitize(c, sizeof(c), b), SRC_PROCFS);
	if (!root_read_str("proc/sys/kernel/osrelease", b, sizeof(b)))
		vs_set(&m->kernel, vfs_sanitize(c, sizeof(c), b), SRC_PROCFS);
	else if (!root_read_str("proc/version", b, sizeof(b))) {
		/* "Linux version 6.12.95+deb12-amd64 (...)" */
		char *v = strstr(b, "version ");
		if (v) {
			v += 8;
			char *sp = strchr(v, ' ');
			if (sp)
				*sp = 0;
			vs_set(&m->kernel, vfs_sanitize(c, sizeof(c), v), SRC_PROCFS);
		}
	}
}

/* Live only: a PF whose config space NumVFs (libpci, read last) disagrees
 * with its sysfs sriov_numvfs (read first) was reconfigured while vfscope
 * read it; what was collected mixes two VF sets, so say so. */
static void check_vf_counts(struct machine *m)
{
	int changed = 0;
	for (size_t i = 0; i < m->npfs; i++) {
		const struct pf *pf = &m->pfs[i];
		if (!pf->cap.present || pf->sriov_numvfs.src != SRC_SYSFS ||
		    (pf->cap.unknown & (SRIOV_UNK_CTRL | SRIOV_UNK_COUNTS)))
			continue;
		long long cfg = (pf->cap.ctrl & 1) ? pf->cap.num_vfs : 0; /* VF Enable */
		if (cfg == (long long)pf->sriov_numvfs.v)
			continue;
		machine_warn(m, "%s: VFs came or went during collection: sysfs sriov_numvfs %lld, config space NumVFs %lld",
			     pf->pci.v, (long long)pf->sriov_numvfs.v, cfg);
		changed++;
	}
	if (changed)
		machine_add_source(m, "libpci", SOURCE_PARTIAL,
				   "SR-IOV of %d PF%s reconfigured during collection (see warnings)", changed,
				   changed == 1 ? "" : "s");
}

struct machine *collect_machine(const struct collect_opts *o, char *err, size_t errlen)
{
	uint64_t t0 = vfs_now_mono_ns();
	const char *root = o->sysroot;
	if (root) {
		struct stat st;
		if (stat(root, &st) || !S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "sysroot %s: %s", root, errno ? strerror(errno) : "not a directory");
			return NULL;
		}
	}
	int r = root_set(root);
	if (r) {
		snprintf(err, errlen, "sysroot %s: %s", root ? root : "/", strerror(-r));
		return NULL;
	}
	/* The kernel log is read in a thread while the rest is collected;
	 * host_extras() takes it (collectors/kmsg.h). */
	if (root_is_live() && !o->no_kmsg)
		kmsg_prefetch();
	struct machine *m = machine_new(o->role);
	m->root = vfs_xstrdup(root ? root : "/");
	/* A tree does not say when it was captured, and reading it is not
	 * collecting a machine: time and duration stay unknown (0) for it. */
	if (root_is_live())
		m->time_ns = vfs_now_real_ns();
	read_identity(m);
	sysfs_collect(m);
	if (o->ip_link_json)
		iplink_json_collect(m, o->ip_link_json, 0);
	else if (root && !root_is_live() && root_exists("ip-link.json"))
		iplink_json_collect(m, "ip-link.json", 1);
	else if (root && !root_is_live())
		machine_add_source(m, "netlink", SOURCE_SKIPPED, "--sysroot: netlink shows the live kernel, not the tree");
	else if (o->no_netlink)
		machine_add_source(m, "netlink", SOURCE_SKIPPED, "disabled by option");
	else
		netlink_collect(m);
	bond_proc_collect(m);
	pci_collect(m, NULL);
	if (o->pci_dump)
		pci_collect(m, o->pci_dump);
	else if (root_is_live())
		check_vf_counts(m);
	if (!o->no_netlink || !root_is_live())
		ipaddr_collect(m); /* addresses, default routes (issue 15) */
	pairs_collect(m); /* net_failover / netvsc pairs (issue 15) */
	machine_link(m);
	pairs_update(m);
	if (root_is_live())
		m->collect_ns = vfs_now_mono_ns() - t0;
	return m;
}

void host_extras(struct machine *m, const struct collect_opts *o)
{
	if (!m)
		return;
	if (!o || !o->no_kmsg)
		kmsg_collect(m);
	vfio_collect(m);
	/* Namespaces and pods (issue 14): live, or the tree's netns/. Not in a
	 * guest agent's view (its reply carries no guests). */
	if (o && o->no_netns)
		machine_add_source(m, "netns", SOURCE_SKIPPED, "disabled by option");
	else if (!m->role || !strcmp(m->role, "host"))
		netns_collect(m);
	pairs_update(m); /* the kernel log's pair lines */
}
