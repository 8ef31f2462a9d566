/* bench/floor: the syscall floor of vfscope's sysfs collection. Reads, for
 * a sysroot tree (bench/gen-sysroot), exactly the files, links and
 * directory listings whose results vfscope's model uses (collectors/sysfs.c:
 * netdevs, SR-IOV PFs and their VFs, bonds and their members), each the
 * plainest way: open + one read + close for a file (a short read is the
 * end of a sysfs attribute), readlinkat for a link, faccessat for "is
 * there", open + getdents + close for a listing. Paths are resolved
 * relative to the tree without confining links to it (vfscope resolves
 * them inside the tree: openat2 RESOLVE_IN_ROOT), so this is a lower bound.
 * A tree with network namespaces (docs/netns.md, gen-sysroot --netns) adds
 * what the netns and kubelet readers use: each netns/<id>/ (name, inode,
 * pid, ip-link.json whole, its bonding files), the holder's cgroup, the
 * pod log directory names once, kubelet's checkpoint and sriov-cni's cache.
 * It parses nothing and keeps nothing; it prints how many of each it did.
 *
 * usage: floor SYSROOT [ROUNDS]   (ROUNDS collections in one process) */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int root;
static long nread, nlink, nexist, nlist;

static int rd(const char *fmt, const char *a, char *out, size_t size)
{
	char p[512];
	snprintf(p, sizeof(p), fmt, a);
	int fd = openat(root, p, O_RDONLY | O_CLOEXEC);
	nread++;
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, out, size - 1);
	close(fd);
	out[n > 0 ? n : 0] = 0;
	char *nl = strchr(out, '\n');
	if (nl)
		*nl = 0;
	return n < 0 ? -1 : 0;
}

static void rds(const char *fmt, const char *a)
{
	char b[4096];
	rd(fmt, a, b, sizeof(b));
}

/* a whole file of any size (a JSON document), read until EOF */
static void rdall(const char *fmt, const char *a)
{
	static char b[1 << 16];
	char p[512];
	snprintf(p, sizeof(p), fmt, a);
	int fd = openat(root, p, O_RDONLY | O_CLOEXEC);
	nread++;
	if (fd < 0)
		return;
	while (read(fd, b, sizeof(b)) > 0)
		;
	close(fd);
}

static int lnk(const char *fmt, const char *a, char *out, size_t size)
{
	char p[512];
	snprintf(p, sizeof(p), fmt, a);
	nlink++;
	ssize_t n = readlinkat(root, p, out, size - 1);
	if (n < 0)
		return -1;
	out[n] = 0;
	return 0;
}

static int exists(const char *fmt, const char *a)
{
	char p[512];
	snprintf(p, sizeof(p), fmt, a);
	nexist++;
	return faccessat(root, p, F_OK, 0) == 0;
}

/* names of a directory, NUL-separated into buf; count returned */
static int list(const char *fmt, const char *a, char *buf, size_t size)
{
	char p[512];
	snprintf(p, sizeof(p), fmt, a);
	nlist++;
	int fd = openat(root, p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	DIR *d = fdopendir(fd);
	struct dirent *e;
	size_t off = 0;
	int n = 0;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name) + 1;
		if (e->d_name[0] == '.' || off + l > size)
			continue;
		memcpy(buf + off, e->d_name, l);
		off += l;
		n++;
	}
	closedir(d);
	return n;
}

static const char *base(const char *s)
{
	const char *b = strrchr(s, '/');
	return b ? b + 1 : s;
}

static void netdev(const char *n)
{
	char b[512];
	static const char *const attrs[] = { "ifindex", "address", "operstate", "ifalias", "mtu",
					     "iflink", "flags", "carrier", "speed" };
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		char f[128];
		snprintf(f, sizeof(f), "sys/class/net/%%s/%s", attrs[i]);
		rds(f, n);
	}
	if (!lnk("sys/class/net/%s/device", n, b, sizeof(b))) {
		lnk("sys/class/net/%s/device/driver", n, b, sizeof(b));
		exists("sys/class/net/%s/device/physfn", n);
	}
	lnk("sys/class/net/%s/master", n, b, sizeof(b));
	if (exists("sys/class/net/%s/bonding", n)) {
		static const char *const bo[] = { "mode", "xmit_hash_policy", "fail_over_mac", "lacp_rate", "ad_select",
						  "arp_validate", "miimon", "arp_interval", "updelay", "downdelay",
						  "arp_ip_target", "primary", "active_slave" };
		for (size_t i = 0; i < sizeof(bo) / sizeof(bo[0]); i++) {
			char f[128];
			snprintf(f, sizeof(f), "sys/class/net/%%s/bonding/%s", bo[i]);
			rds(f, n);
		}
		char sl[4096], *save = NULL;
		rd("sys/class/net/%s/bonding/slaves", n, sl, sizeof(sl));
		for (char *s = strtok_r(sl, " ", &save); s; s = strtok_r(NULL, " ", &save)) {
			static const char *const ms[] = { "state", "mii_status", "link_failure_count", "perm_hwaddr",
							  "queue_id" };
			for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
				char f[128];
				snprintf(f, sizeof(f), "sys/class/net/%%s/bonding_slave/%s", ms[i]);
				rds(f, s);
			}
		}
	}
}

static void pf(const char *pci)
{
	static char names[1 << 20];
	char b[512], nd[256];
	static const char *const attrs[] = { "class", "sriov_totalvfs", "vendor", "device", "sriov_numvfs",
					     "sriov_offset", "sriov_stride", "sriov_vf_device" };
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		char f[128];
		snprintf(f, sizeof(f), "sys/bus/pci/devices/%%s/%s", attrs[i]);
		rds(f, pci);
	}
	lnk("sys/bus/pci/devices/%s/driver", pci, b, sizeof(b));
	if (list("sys/bus/pci/devices/%s/net", pci, nd, sizeof(nd))) {
		rds("sys/class/net/%s/phys_port_id", nd);
		rds("sys/class/net/%s/phys_switch_id", nd);
		rds("sys/class/net/%s/phys_port_name", nd);
	}
	int n = list("sys/bus/pci/devices/%s", pci, names, sizeof(names));
	const char *e = names;
	for (int i = 0; i < n; i++, e += strlen(e) + 1) {
		if (strncmp(e, "virtfn", 6))
			continue;
		char f[1200], vf[512];
		snprintf(f, sizeof(f), "sys/bus/pci/devices/%s/%s", pci, e);
		if (lnk("%s", f, b, sizeof(b)))
			continue;
		snprintf(vf, sizeof(vf), "%s", base(b));
		lnk("sys/bus/pci/devices/%s/driver", vf, b, sizeof(b));
		lnk("sys/bus/pci/devices/%s/iommu_group", vf, b, sizeof(b));
		list("sys/bus/pci/devices/%s/net", vf, nd, sizeof(nd));
	}
}

static void namespaces(void)
{
	static char ids[1 << 16], names[1 << 16];
	char b[512], p[1024];
	int n = list("%s", "netns", ids, sizeof(ids));
	const char *e = ids;
	for (int i = 0; i < n; i++, e += strlen(e) + 1) {
		rds("netns/%s/name", e);
		rds("netns/%s/inode", e);
		rd("netns/%s/pid", e, b, sizeof(b));
		rdall("netns/%s/ip-link.json", e);
		int nb = list("netns/%s/proc/net/bonding", e, names, sizeof(names));
		const char *f = names;
		for (int k = 0; k < nb; k++, f += strlen(f) + 1) {
			snprintf(p, sizeof(p), "netns/%s/proc/net/bonding/%s", e, f);
			rdall("%s", p);
		}
		if (b[0])
			rds("proc/%s/cgroup", b);
	}
	if (!n)
		return;
	list("%s", "var/log/pods", names, sizeof(names));
	rdall("%s", "var/lib/kubelet/device-plugins/kubelet_internal_checkpoint");
	list("%s", "var/run/k8s.cni.cncf.io/devinfo/dp", names, sizeof(names));
	int np = list("%s", "var/lib/cni/sriov/pci", names, sizeof(names));
	e = names;
	for (int i = 0; i < np; i++, e += strlen(e) + 1)
		rds("var/lib/cni/sriov/pci/%s", e);
	list("%s", "var/lib/cni/sriov", names, sizeof(names));
}

static void collect(void)
{
	static char names[1 << 20], pcis[1 << 20];
	int n = list("%s", "sys/class/net", names, sizeof(names));
	const char *e = names;
	for (int i = 0; i < n; i++, e += strlen(e) + 1)
		netdev(e);
	n = list("%s", "sys/bus/pci/devices", pcis, sizeof(pcis));
	e = pcis;
	for (int i = 0; i < n; i++, e += strlen(e) + 1)
		if (exists("sys/bus/pci/devices/%s/sriov_totalvfs", e))
			pf(e);
	namespaces();
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: floor SYSROOT [ROUNDS]\n");
		return 2;
	}
	root = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		perror(argv[1]);
		return 1;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 1;
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int r = 0; r < rounds; r++)
		collect();
	clock_gettime(CLOCK_MONOTONIC, &b);
	double ms = ((b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6) / rounds;
	printf("collect_ms=%.3f files=%ld links=%ld exists=%ld listings=%ld\n", ms, nread / rounds, nlink / rounds,
	       nexist / rounds, nlist / rounds);
	return 0;
}
