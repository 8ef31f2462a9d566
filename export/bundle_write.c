/* vfscope support bundle writer: one tar.gz (libarchive, pax) holding the
 * model (snapshot.json, findings.json), the raw files the readers used laid
 * out as a sysroot (so --sysroot works on the extracted tree), PCI config
 * spaces as lspci -xxxx text, the netlink view, driver info, kernel log,
 * modules, an event window and a manifest saying what worked and what did
 * not. Layout: docs/bundle.md.
 *
 * Bounded: the raw files stop at max_bytes (uncompressed), every directory
 * walk has an entry limit, the event window has a deadline, and *stop
 * (SIGINT) finishes the archive with what is there, marked partial.
 * Read-only: sysfs/procfs reads through collectors/root.h, ETHTOOL_GDRVINFO
 * (a get), a netlink multicast subscription; nothing is ever set. */
#include "export/bundle.h"
#include "collectors/iplink_json.h"
#include "export/redact.h"
#include "bpf/probes.h"
#include "collectors/capture.h"
#include "collectors/collect.h"
#include "collectors/nl_monitor.h"
#include "collectors/frames.h"
#include "collectors/pci.h"
#include "collectors/root.h"
#include "model/json.h"
#include "rules/rules.h"
#include "lib/util.h"
#include "lib/outfile.h"
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define MAX_DIR_ENTRIES 8192   /* per directory walked */
#define MAX_UNREADABLE 200     /* unreadable files listed in the manifest */
#define MAX_EVENTS 65536       /* events kept from the window */

struct bw {
	const struct bundle_opts *o;
	struct archive *a;
	struct redact *rd;
	struct machine *m;
	size_t raw_bytes, max_bytes, total_bytes;
	unsigned nfiles, nlinks, ndirs;
	bool capped, interrupted;
	int write_errno;     /* first errno of a failed archive write (ENOSPC, EIO) */
	time_t now;
	json_t *parts;       /* [{name,status,detail}] the bundle's own pieces */
	json_t *unreadable;  /* [{path,error}] */
	unsigned nunreadable;
	/* paths already in the archive (open addressing) */
	char **seen; size_t nseen, capseen;
	struct nl_monitor *nl; /* rtnetlink link monitor (collectors/nl_monitor.h) */
	bool probes;         /* bpf/probes.h opened by us */
	char probes_why[256];
	/* control-frame capture (collectors/capture.h) in its own thread */
	pthread_t cap_th;
	bool cap_running;
	const char *cap_ifs[CAPTURE_MAX_IFS];
	int cap_nifs, cap_secs, cap_ret;
	char cap_path[64], cap_err[256];
	uint64_t window_end_ns;
	struct vfs_event *ev; size_t nev, capev;
	unsigned char *rbuf; size_t rcap; /* copy_file's read buffer, reused */
};

static bool stopped(struct bw *b)
{
	if ((b->o->stop && *b->o->stop) || capture_was_signalled())
		b->interrupted = true;
	return b->interrupted;
}

static void progress(struct bw *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void progress(struct bw *b, const char *fmt, ...)
{
	if (!b->o->progress)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "vfscope bundle: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void part(struct bw *b, const char *name, const char *status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void part(struct bw *b, const char *name, const char *status, const char *fmt, ...)
{
	char d[512] = "";
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(d, sizeof(d), fmt, ap);
		va_end(ap);
	}
	json_array_append_new(b->parts, json_pack("{s:s, s:s, s:s}", "name", name, "status", status, "detail", d));
}

/* ---- path set ---------------------------------------------------------- */
static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* true if newly added */
static bool seen_add(struct bw *b, const char *p)
{
	if (b->nseen * 2 >= b->capseen) {
		size_t nc = b->capseen ? b->capseen * 2 : 1024;
		char **nv = vfs_xcalloc(nc, sizeof(char *));
		for (size_t i = 0; i < b->capseen; i++)
			if (b->seen[i]) {
				size_t h = hash(b->seen[i]) & (nc - 1);
				while (nv[h])
					h = (h + 1) & (nc - 1);
				nv[h] = b->seen[i];
			}
		free(b->seen);
		b->seen = nv;
		b->capseen = nc;
	}
	size_t h = hash(p) & (b->capseen - 1);
	while (b->seen[h]) {
		if (!strcmp(b->seen[h], p))
			return false;
		h = (h + 1) & (b->capseen - 1);
	}
	b->seen[h] = vfs_xstrdup(p);
	b->nseen++;
	return true;
}

/* ---- archive entries --------------------------------------------------- */
static int put_entry(struct bw *b, const char *path, int type, const char *link, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, (unsigned)type);
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : type == AE_IFLNK ? 0777 : 0644);
	archive_entry_set_mtime(e, b->now, 0);
	archive_entry_set_uname(e, "root");
	archive_entry_set_gname(e, "root");
	if (link)
		archive_entry_set_symlink(e, link);
	archive_entry_set_size(e, type == AE_IFREG ? (la_int64_t)len : 0);
	int r = archive_write_header(b->a, e);
	if (r == ARCHIVE_OK && type == AE_IFREG && len)
		r = archive_write_data(b->a, data, len) < 0 ? ARCHIVE_FATAL : ARCHIVE_OK;
	archive_entry_free(e);
	if (r != ARCHIVE_OK) {
		if (!b->write_errno && archive_errno(b->a) > 0)
			b->write_errno = archive_errno(b->a);
		return -EIO;
	}
	b->total_bytes += len;
	return 0;
}

static void add_dirs(struct bw *b, const char *path)
{
	char p[4096];
	vfs_strlcpy(p, path, sizeof(p));
	for (char *s = strchr(p, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		if (seen_add(b, p)) {
			put_entry(b, p, AE_IFDIR, NULL, NULL, 0);
			b->ndirs++;
		}
		*s = '/';
	}
}

/* A file of the bundle; raw files count against the size cap. Redacted
 * when asked (every file goes through here, manifest included). */
static int add_file(struct bw *b, const char *path, const void *data, size_t len, bool raw)
{
	if (!seen_add(b, path))
		return 0;
	if (raw && b->raw_bytes + len > b->max_bytes) {
		b->capped = true;
		return -EFBIG;
	}
	add_dirs(b, path);
	char *red = NULL;
	if (b->rd) {
		red = redact_text(b->rd, data, len, &len);
		data = red;
	}
	int r = put_entry(b, path, AE_IFREG, NULL, data, len);
	free(red);
	if (raw)
		b->raw_bytes += len;
	b->nfiles++;
	return r;
}

static int add_link(struct bw *b, const char *path, const char *target)
{
	if (!seen_add(b, path))
		return 0;
	add_dirs(b, path);
	b->nlinks++;
	return put_entry(b, path, AE_IFLNK, target, NULL, 0);
}

static void add_dir(struct bw *b, const char *path)
{
	char p[4096];
	snprintf(p, sizeof(p), "%s/", path);
	add_dirs(b, p);
}

static void unreadable(struct bw *b, const char *path, int err)
{
	if (b->nunreadable++ >= MAX_UNREADABLE)
		return;
	json_array_append_new(b->unreadable, json_pack("{s:s, s:s}", "path", path, "error", strerror(-err)));
}

/* ---- raw files through the root ---------------------------------------- */
/* Copy one file under the root to the same path in the bundle. Errors a
 * live kernel gives on purpose (EINVAL for carrier of a down device,
 * EOPNOTSUPP, ENODATA) leave the file out, as the readers see it. */
static int copy_file(struct bw *b, const char *rel)
{
	if (stopped(b))
		return -EINTR;
	/* into one reused buffer: a zeroed allocation per file (root_read_bin)
	 * was a fifth of a bundle's CPU with 5,000 files at 256 VFs (issue 17) */
	ssize_t n = root_read_into(rel, &b->rbuf, &b->rcap, ROOT_MAX_FILE);
	if (n < 0) {
		if (n != -ENOENT && n != -EINVAL && n != -EOPNOTSUPP && n != -ENODATA && n != -ENXIO)
			unreadable(b, rel, (int)n);
		return (int)n;
	}
	return add_file(b, rel, b->rbuf, (size_t)n, true);
}

static int copy_link(struct bw *b, const char *rel, char *target, size_t tsize)
{
	ssize_t n = root_readlink(rel, target, tsize);
	if (n < 0)
		return (int)n;
	return add_link(b, rel, target);
}

/* Lexical join of dirname(linkpath) and a relative link target, ".."
 * resolved; stays inside the root (leading ".." dropped, as
 * RESOLVE_IN_ROOT does). */
static void norm_join(const char *linkpath, const char *target, char *out, size_t size)
{
	char tmp[8192];
	if (target[0] == '/')
		snprintf(tmp, sizeof(tmp), "%s", target + 1);
	else {
		const char *sl = strrchr(linkpath, '/');
		snprintf(tmp, sizeof(tmp), "%.*s/%s", sl ? (int)(sl - linkpath) : 0, linkpath, target);
	}
	char *parts[256];
	int np = 0;
	char *save = NULL;
	for (char *s = strtok_r(tmp, "/", &save); s; s = strtok_r(NULL, "/", &save)) {
		if (!strcmp(s, ".") || !*s)
			continue;
		if (!strcmp(s, "..")) {
			if (np)
				np--;
			continue;
		}
		if (np < 256)
			parts[np++] = s;
	}
	out[0] = 0;
	size_t o = 0;
	for (int i = 0; i < np; i++)
		o += (size_t)snprintf(out + o, o < size ? size - o : 0, "%s%s", i ? "/" : "", parts[i]);
}

static bool skip_dot(const char *n) { return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])); }

/* Regular files of one directory (not recursive); links named in keep_links
 * (NULL-terminated; a trailing '*' matches a prefix) kept as links. */
static void copy_dir_files_(struct bw *b, const char *dir, const char *const *keep_links, const char *const *only);

/* One pass over a directory: its path resolved once, each entry opened
 * relative to it (collectors/root.h's cache; a full RESOLVE_IN_ROOT walk
 * of every file's path was a sixth of a bundle's CPU). */
static void copy_dir_files(struct bw *b, const char *dir, const char *const *keep_links, const char *const *only)
{
	root_cache_begin();
	copy_dir_files_(b, dir, keep_links, only);
	root_cache_end();
}

static void copy_dir_files_(struct bw *b, const char *dir, const char *const *keep_links, const char *const *only)
{
	DIR *d = root_opendir(dir);
	if (!d)
		return;
	add_dir(b, dir);
	struct dirent *e;
	unsigned n = 0;
	char rel[4096], t[4096];
	while ((e = readdir(d)) && n++ < MAX_DIR_ENTRIES && !stopped(b)) {
		if (skip_dot(e->d_name))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_LNK) {
			for (const char *const *k = keep_links; k && *k; k++) {
				size_t kl = strlen(*k);
				if ((*k)[kl - 1] == '*' ? !strncmp(e->d_name, *k, kl - 1) : !strcmp(e->d_name, *k)) {
					copy_link(b, rel, t, sizeof(t));
					break;
				}
			}
			continue;
		}
		if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN)
			continue;
		if (only) {
			bool ok = false;
			for (const char *const *k = only; *k && !ok; k++) {
				size_t kl = strlen(*k);
				ok = (*k)[kl - 1] == '*' ? !strncmp(e->d_name, *k, kl - 1) : !strcmp(e->d_name, *k);
			}
			if (!ok)
				continue;
		}
		if (e->d_type == DT_UNKNOWN) {
			struct stat st;
			int fd = root_open(rel, O_PATH | O_NOFOLLOW);
			if (fd < 0)
				continue;
			int r = fstat(fd, &st);
			close(fd);
			if (r || !S_ISREG(st.st_mode))
				continue;
		}
		copy_file(b, rel);
	}
	closedir(d);
}

/* The device dir a netdev's/PCI device's "device" link points at: its dir
 * and the links the readers follow (driver, physfn). */
static void copy_pci_dev(struct bw *b, const char *devdir)
{
	static const char *const links[] = { "driver", "physfn", "virtfn*", "iommu_group", "subsystem", NULL };
	/* Attribute allowlist: never resource<N> (BAR mmaps), rom, vpd (can
	 * hang on some devices), remove/rescan/reset (write-only anyway). */
	static const char *const attrs[] = {
		"vendor", "device", "subsystem_vendor", "subsystem_device", "class", "revision", "irq",
		"resource", "config", "numa_node", "local_cpulist", "enable", "current_link_speed",
		"current_link_width", "max_link_speed", "max_link_width", "driver_override", "modalias",
		"uevent", "label", "index", "acpi_index", "sriov_*", "ari_enabled", "msi_bus", NULL,
	};
	char key[4200];
	snprintf(key, sizeof(key), "\001dev:%s", devdir); /* marker: device dir handled */
	if (!seen_add(b, key))
		return;
	copy_dir_files(b, devdir, links, attrs);
}

static void copy_netdev(struct bw *b, const char *name)
{
	static const char *const links[] = { "device", "master", "upper_*", "lower_*", NULL };
	char rel[4096], t[4096], dir[4096], sub[4160];
	snprintf(rel, sizeof(rel), "sys/class/net/%s", name);
	ssize_t n = root_readlink(rel, t, sizeof(t));
	if (n < 0) {
		/* not a link (some sysroots): copy the directory in place */
		vfs_strlcpy(dir, rel, sizeof(dir));
	} else {
		add_link(b, rel, t);
		norm_join(rel, t, dir, sizeof(dir));
	}
	copy_dir_files(b, dir, links, NULL);
	static const char *const subs[] = { "bonding", "bonding_slave", "statistics" };
	for (size_t i = 0; i < ARRAY_SIZE(subs); i++) {
		snprintf(sub, sizeof(sub), "%s/%s", dir, subs[i]);
		if (root_exists(sub))
			copy_dir_files(b, sub, NULL, NULL);
	}
	/* the device: a PCI function or something else (virtio0): its dir with
	 * the driver link, so device/driver resolves in the extracted tree */
	snprintf(sub, sizeof(sub), "%s/device", dir);
	n = root_readlink(sub, t, sizeof(t));
	if (n >= 0) {
		char ddir[4096];
		norm_join(sub, t, ddir, sizeof(ddir));
		copy_pci_dev(b, ddir);
	}
}


static bool name_ok(const char *name)
{
	return vfs_is_sane(name) && !strchr(name, '/');
}

static char **list(const char *rel, size_t *n)
{
	return root_list(rel, MAX_DIR_ENTRIES, name_ok, n, NULL);
}

static void copy_sysroot(struct bw *b)
{
	static const char *const proc[] = { "proc/sys/kernel/hostname", "proc/sys/kernel/osrelease", "proc/version",
					    "proc/cmdline" };
	for (size_t i = 0; i < ARRAY_SIZE(proc); i++)
		copy_file(b, proc[i]);
	int r = copy_file(b, "proc/modules");
	part(b, "proc/modules", r ? "skipped" : "ok", "%s", r ? strerror(-r) : "loaded modules");
	size_t n;
	char **v = list("proc/net/bonding", &n);
	char rel[4096], t[4096];
	for (size_t i = 0; i < n; i++) {
		snprintf(rel, sizeof(rel), "proc/net/bonding/%s", v[i]);
		copy_file(b, rel);
	}
	root_list_free(v, n);
	/* sysroot extras the readers use */
	if (!root_is_live())
		copy_file(b, "ip-link.json");

	progress(b, "sysfs: network devices");
	v = list("sys/class/net", &n);
	if (!v)
		part(b, "sys/class/net", "failed", "%s", strerror(errno));
	for (size_t i = 0; i < n && !stopped(b); i++)
		copy_netdev(b, v[i]);
	root_list_free(v, n);

	progress(b, "sysfs: PCI functions");
	v = list("sys/bus/pci/devices", &n);
	for (size_t i = 0; i < n && !stopped(b); i++) {
		char p1[4200], p2[4200], p3[4200];
		snprintf(p1, sizeof(p1), "sys/bus/pci/devices/%s/sriov_totalvfs", v[i]);
		snprintf(p2, sizeof(p2), "sys/bus/pci/devices/%s/physfn", v[i]);
		snprintf(p3, sizeof(p3), "sys/bus/pci/devices/%s/net", v[i]);
		/* Only SR-IOV PFs, VFs and network functions: a bundle is about
		 * them, and libpci would refuse a devices/ link without attributes. */
		if (!root_exists(p1) && !root_exists(p2) && !root_exists(p3))
			continue;
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", v[i]);
		if (root_readlink(rel, t, sizeof(t)) < 0)
			continue;
		char dir[4096];
		norm_join(rel, t, dir, sizeof(dir));
		add_link(b, rel, t);
		copy_pci_dev(b, dir);
	}
	root_list_free(v, n);
	if (b->capped)
		part(b, "raw files", "partial", "size cap of %zu bytes reached: later files left out", b->max_bytes);
	else
		part(b, "raw files", stopped(b) ? "partial" : "ok", "%u files, %u links, %zu bytes", b->nfiles,
		     b->nlinks, b->raw_bytes);
}

/* ---- network namespaces: docs/netns.md's tree layout -------------------- */
/* So that --sysroot on the unpacked bundle sees the namespaces and owners
 * too: a tree's netns/ copied as it is; live, each namespace written from
 * the model (name, inode, pid, ip-link.json as iproute2 would print it
 * inside), with the owner files the readers used: the holder's cgroup,
 * the kubelet checkpoint, devinfo files, sriov-cni's cache, and the
 * /var/log/pods names of the pods seen (names only, as they are read). */
static void add_json(struct bw *b, const char *path, json_t *j);

static void copy_tree_files(struct bw *b, const char *dir, int depth)
{
	size_t n;
	char **v = list(dir, &n);
	for (size_t i = 0; i < n && !stopped(b); i++) {
		char rel[4096];
		snprintf(rel, sizeof(rel), "%s/%s", dir, v[i]);
		int fd = root_open(rel, O_DIRECTORY);
		if (fd >= 0) {
			close(fd);
			if (depth < 4)
				copy_tree_files(b, rel, depth + 1);
		} else
			copy_file(b, rel);
	}
	root_list_free(v, n);
}

static void pod_log_dir(struct bw *b, const char *uid)
{
	size_t n;
	if (!uid || b->rd) /* --redact: the directory names are the pods' names */
		return;
	char **v = list("var/log/pods", &n);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]), ul = strlen(uid);
		if (l > ul && !strcmp(v[i] + l - ul, uid) && v[i][l - ul - 1] == '_') {
			char rel[4096];
			snprintf(rel, sizeof(rel), "var/log/pods/%s", v[i]);
			add_dir(b, rel);
		}
	}
	root_list_free(v, n);
}

static void netns_files(struct bw *b)
{
	int n = 0;
	if (!root_is_live()) {
		copy_tree_files(b, "netns", 0);
	} else {
		for (size_t g = 0; g < b->m->nguests && !stopped(b); g++) {
			const struct machine *ns = b->m->guests[g];
			if (!ns->role || strcmp(ns->role, "netns"))
				continue;
			char p[600], v[320];
			if (VS_KNOWN(ns->netns_name)) {
				snprintf(p, sizeof(p), "netns/%zu/name", g);
				snprintf(v, sizeof(v), "%s\n", ns->netns_name.v);
				add_file(b, p, v, strlen(v), false);
			}
			if (VI_KNOWN(ns->netns_inode)) {
				snprintf(p, sizeof(p), "netns/%zu/inode", g);
				snprintf(v, sizeof(v), "%lld\n", (long long)ns->netns_inode.v);
				add_file(b, p, v, strlen(v), false);
			}
			if (VI_KNOWN(ns->netns_pid)) {
				snprintf(p, sizeof(p), "netns/%zu/pid", g);
				snprintf(v, sizeof(v), "%lld\n", (long long)ns->netns_pid.v);
				add_file(b, p, v, strlen(v), false);
			}
			snprintf(p, sizeof(p), "netns/%zu/ip-link.json", g);
			json_t *j = iplink_json_write(ns);
			add_json(b, p, j);
			json_decref(j);
			n++;
		}
	}
	for (size_t g = 0; g < b->m->nguests; g++) {
		const struct machine *ns = b->m->guests[g];
		if (!ns->role || strcmp(ns->role, "netns"))
			continue;
		if (VI_KNOWN(ns->netns_pid)) {
			char p[64];
			snprintf(p, sizeof(p), "proc/%lld/cgroup", (long long)ns->netns_pid.v);
			copy_file(b, p);
		}
		pod_log_dir(b, ns->pod_uid.v);
	}
	for (size_t i = 0; i < b->m->npfs; i++)
		for (size_t k = 0; k < b->m->pfs[i].nvfs; k++)
			pod_log_dir(b, b->m->pfs[i].vfs[k].alloc_pod_uid.v);
	copy_file(b, "var/lib/kubelet/device-plugins/kubelet_internal_checkpoint");
	copy_tree_files(b, "var/run/k8s.cni.cncf.io/devinfo/dp", 3);
	copy_tree_files(b, "var/lib/cni/sriov", 3);
	if (root_is_live())
		part(b, "netns/", "ok", "%d network namespaces written from the model", n);
	else
		part(b, "netns/", root_exists("netns") ? "ok" : "skipped", "%s",
		     root_exists("netns") ? "copied from the sysroot" : "no netns/ in the sysroot");
}

/* ---- PCI config spaces as lspci -xxxx text ----------------------------- */
static void pci_dumps(struct bw *b)
{
	int ok = 0, bad = 0, lastr = 0;
	for (size_t i = 0; i < b->m->npfs && !stopped(b); i++) {
		const struct pf *p = &b->m->pfs[i];
		const char *addrs[1 + 4096];
		size_t na = 0;
		if (p->pci.v)
			addrs[na++] = p->pci.v;
		for (size_t k = 0; k < p->nvfs && na < ARRAY_SIZE(addrs); k++)
			if (p->vfs[k].pci.v)
				addrs[na++] = p->vfs[k].pci.v;
		for (size_t k = 0; k < na; k++) {
			uint8_t *cfg = NULL;
			int n;
			{
				/* The bytes libpci's sysfs method reads, without a
				 * bus rescan per device (pci_read_config scans the
				 * whole bus each call: 256 VFs took ~300 ms). */
				char rel[300];
				snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/config", addrs[k]);
				unsigned char *raw = NULL;
				ssize_t got = root_read_bin(rel, &raw, 4096);
				if (got >= 64) {
					cfg = vfs_xcalloc(1, 4096);
					memset(cfg, 0xff, 4096);
					memcpy(cfg, raw, (size_t)got);
					n = got >= 4096 ? 4096 : got >= 256 ? 256 : 64;
				} else {
					n = got < 0 ? (int)got : -ENODATA;
				}
				free(raw);
			}
			if (n <= 0 && b->o->pci_dump) /* not in the tree: the dump may have it */
				n = pci_read_config(b->o->pci_dump, addrs[k], &cfg);
			if (n <= 0) {
				bad++;
				lastr = n;
				continue;
			}
			char *txt = NULL;
			size_t tl = 0;
			FILE *f = open_memstream(&txt, &tl);
			fprintf(f, "%s %s function (vfscope bundle, %d bytes of config space)\n", addrs[k],
				k ? "SR-IOV virtual" : "SR-IOV physical", n);
			for (int off = 0; off < n; off += 16) {
				fprintf(f, "%03x:", off);
				for (int j = 0; j < 16; j++)
					fprintf(f, " %02x", cfg[off + j]);
				fputc('\n', f);
			}
			fputc('\n', f);
			fclose(f);
			char path[256];
			snprintf(path, sizeof(path), "pci/%s.lspci", addrs[k]);
			add_file(b, path, txt, tl, false);
			free(txt);
			free(cfg);
			ok++;
		}
	}
	if (!ok && !bad)
		part(b, "pci/", "skipped", "no SR-IOV PFs");
	else if (bad)
		part(b, "pci/", ok ? "partial" : "failed", "%d config spaces, %d unreadable (%s)", ok, bad,
		     strerror(-lastr));
	else
		part(b, "pci/", "ok", "%d config spaces (lspci -F FILE -vvv reads them)", ok);
}

/* ---- netlink view, ip link, driver info, kmsg --------------------------- */
static char *dumps(json_t *j)
{
	return json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
}

static void add_json(struct bw *b, const char *path, json_t *j)
{
	char *s = dumps(j);
	if (s) {
		size_t l = strlen(s);
		s = realloc(s, l + 2);
		s[l] = '\n';
		s[l + 1] = 0;
		add_file(b, path, s, l + 1, false);
	}
	free(s);
}

static void netlink_view(struct bw *b, json_t *snap)
{
	json_t *o = json_object();
	json_object_set(o, "netdevs", json_object_get(snap, "netdevs"));
	json_t *pfs = json_array(), *p;
	size_t i;
	json_array_foreach(json_object_get(snap, "pfs"), i, p) json_array_append_new(
		pfs, json_pack("{s:O, s:O, s:O}", "pci", json_object_get(p, "pci"), "netdev", json_object_get(p, "netdev"),
			       "vfs", json_object_get(p, "vfs")));
	json_object_set_new(o, "pfs", pfs);
	add_json(b, "netlink.json", o);
	json_decref(o);
	const struct source *s = machine_source(b->m, "netlink");
	part(b, "netlink.json", "ok", "netdevs and VF settings from the model (netlink source: %s)",
	     s ? s->detail[0] ? s->detail : (s->status == SOURCE_OK ? "ok" : "not ok") : "absent");

	/* iproute2's own view beside it, when it's there */
	if (b->o->model_only) {
		part(b, "ip-link.json", "skipped", "the model was read from a bundle (--from)");
	} else if (b->o->ip_link_json) {
		FILE *f = fopen(b->o->ip_link_json, "r");
		char *buf = vfs_xcalloc(1, VFS_JSON_MAX_BYTES);
		size_t n = f ? fread(buf, 1, VFS_JSON_MAX_BYTES, f) : 0;
		if (f)
			fclose(f);
		if (n)
			add_file(b, "ip-link.json", buf, n, false);
		free(buf);
		part(b, "ip-link.json", n ? "ok" : "failed", "copied from %s", b->o->ip_link_json);
	} else if (root_is_live()) {
		/* Written from the model, not by running ip: `ip link` sends an
		 * empty RTM_NEWLINK as a feature probe, and vfscope sends no
		 * set requests at all (tests/live/no_writes.sh). */
		json_t *j = iplink_json_write(b->m);
		add_json(b, "ip-link.json", j);
		json_decref(j);
		part(b, "ip-link.json", "ok", "the live rtnetlink view in ip -d -j link show form (written by vfscope)");
	} else if (root_exists("ip-link.json")) {
		part(b, "ip-link.json", "ok", "copied from the sysroot");
	} else {
		part(b, "ip-link.json", "skipped", "a sysroot has no live netlink and no ip-link.json");
	}
}

static void drvinfo(struct bw *b)
{
	if (!root_is_live()) {
		part(b, "drvinfo.json", "skipped", "sysroot: ethtool asks the live kernel, not the tree");
		return;
	}
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		part(b, "drvinfo.json", "failed", "socket: %s", strerror(errno));
		return;
	}
	json_t *a = json_array();
	int ok = 0, bad = 0;
	for (size_t i = 0; i < b->m->nnetdevs; i++) {
		const struct netdev *n = &b->m->netdevs[i];
		if (!n->name.v || (n->pf_idx < 0 && n->vf_pf_idx < 0 && !n->pci.v))
			continue;
		struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };
		struct ifreq ifr = { 0 };
		vfs_strlcpy(ifr.ifr_name, n->name.v, sizeof(ifr.ifr_name));
		ifr.ifr_data = (void *)&di;
		if (ioctl(fd, SIOCETHTOOL, &ifr)) {
			json_array_append_new(a, json_pack("{s:s, s:s}", "netdev", n->name.v, "error", strerror(errno)));
			bad++;
			continue;
		}
		char d[64], v[64], fw[64], bus[64];
		di.driver[sizeof(di.driver) - 1] = di.version[sizeof(di.version) - 1] = 0;
		di.fw_version[sizeof(di.fw_version) - 1] = di.bus_info[sizeof(di.bus_info) - 1] = 0;
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "netdev", n->name.v, "role",
						   n->pf_idx >= 0 ? "pf" : n->vf_pf_idx >= 0 ? "vf" : "other", "driver",
						   vfs_sanitize(d, sizeof(d), di.driver), "version",
						   vfs_sanitize(v, sizeof(v), di.version), "fw_version",
						   vfs_sanitize(fw, sizeof(fw), di.fw_version), "bus_info",
						   vfs_sanitize(bus, sizeof(bus), di.bus_info)));
		ok++;
	}
	close(fd);
	json_t *o = json_pack("{s:o}", "drvinfo", a);
	add_json(b, "drvinfo.json", o);
	json_decref(o);
	if (!ok && !bad)
		part(b, "drvinfo.json", "skipped", "no PCI-backed netdevs");
	else
		part(b, "drvinfo.json", bad ? "partial" : "ok", "%d netdevs, %d failed (ETHTOOL_GDRVINFO)", ok, bad);
}

static void kmsg_file(struct bw *b)
{
	const struct source *s = machine_source(b->m, "kmsg");
	if (!b->m->nkmsg && (!s || s->status > SOURCE_PARTIAL)) {
		/* no file: `--sysroot` on the extracted tree then says the same */
		part(b, "kmsg.txt", "skipped", "kernel log not read%s%s", s ? ": " : "", s ? s->detail : "");
		return;
	}
	char *txt = NULL;
	size_t tl = 0;
	FILE *f = open_memstream(&txt, &tl);
	/* /dev/kmsg record format, so `--sysroot` on the extracted bundle reads
	 * it back as the same lines */
	for (size_t i = 0; i < b->m->nkmsg; i++)
		fprintf(f, "%d,%zu,%llu,-;%s\n", b->m->kmsg[i].prio, i, (unsigned long long)b->m->kmsg[i].ts_us,
			b->m->kmsg[i].text);
	fclose(f);
	add_file(b, "kmsg.txt", txt ? txt : "", tl, false);
	free(txt);
	part(b, "kmsg.txt", "ok", "%zu lines (SR-IOV, VF, bonding)%s%s", b->m->nkmsg, s ? ": " : "", s ? s->detail : "");
}

/* ---- event window: eBPF probes (bpf/probes.h) + rtnetlink link monitor
 * (collectors/nl_monitor.h), both live only. */
static void on_event(const struct vfs_event *ev, void *ctx)
{
	struct bw *b = ctx;
	if (b->nev < MAX_EVENTS) {
		VFS_PUSH(b->ev, b->nev, b->capev);
		b->ev[b->nev++] = *ev;
	}
}

static void mon_open(struct bw *b)
{
	if (!root_is_live() || !b->o->duration_ms)
		return;
	b->nl = nl_monitor_open(NULL, 0, on_event, b);
	struct probes_opts po = { .cb = on_event, .cb_ctx = b };
	int r = probes_open(&po);
	if (r == 0) {
		b->probes = true;
		snprintf(b->probes_why, sizeof(b->probes_why), "%d probes attached", probes_attached());
	} else {
		snprintf(b->probes_why, sizeof(b->probes_why), "probes: %s",
			 r == -EBUSY ? "already open in this process" : strerror(-r));
	}
}

static void *cap_thread(void *arg)
{
	struct bw *b = arg;
	b->cap_ret = capture_run(b->cap_ifs, b->cap_nifs, b->cap_path, b->cap_secs, b->cap_err, sizeof(b->cap_err));
	return NULL;
}

/* Start capturing control frames on the PFs, VFs and team members for the
 * window. --redact drops the pcap (frame bytes are not rewritten). */
static void cap_start(struct bw *b)
{
	if (!root_is_live() || b->o->duration_ms < 1000 || b->o->redact)
		return;
	b->cap_nifs = MIN(capture_pick_ifs(b->m, b->cap_ifs, CAPTURE_MAX_IFS), CAPTURE_MAX_IFS);
	if (!b->cap_nifs)
		return;
	snprintf(b->cap_path, sizeof(b->cap_path), "/tmp/vfscope-bundle-%d.pcap", (int)getpid());
	b->cap_secs = (int)((b->o->duration_ms + 999) / 1000);
	if (!pthread_create(&b->cap_th, NULL, cap_thread, b))
		b->cap_running = true;
}

static void cap_finish(struct bw *b)
{
	if (!b->cap_running) {
		part(b, "control.pcap", "skipped", "%s",
		     !root_is_live() ? "sysroot: nothing to capture"
		     : b->o->redact ? "dropped: --redact does not rewrite frame bytes"
		     : b->o->duration_ms < 1000 ? "window shorter than 1 s"
		     : !b->cap_nifs ? "no PF, VF or team member netdevs to capture on" : "capture thread failed");
		return;
	}
	pthread_join(b->cap_th, NULL);
	b->cap_running = false;
	if (b->cap_ret < 0) {
		part(b, "control.pcap", "failed", "%s", b->cap_err);
		unlink(b->cap_path);
		return;
	}
	char ferr[256];
	frames_read_file(b->m, b->cap_path, NULL, "capture", "capture", ferr, sizeof(ferr));
	unsigned char *buf = NULL;
	FILE *f = fopen(b->cap_path, "rb");
	size_t n = 0;
	if (f) {
		buf = vfs_xcalloc(1, 16u << 20);
		n = fread(buf, 1, 16u << 20, f);
		fclose(f);
	}
	unlink(b->cap_path);
	if (!n) {
		part(b, "control.pcap", "failed", "capture file empty");
		free(buf);
		return;
	}
	/* binary: never through the text redactor (redact drops it above) */
	struct redact *rd = b->rd;
	b->rd = NULL;
	add_file(b, "control.pcap", buf, n, false);
	b->rd = rd;
	free(buf);
	part(b, "control.pcap", "ok", "%d control frames (LACP, LLDP, ARP, NA) on %d interfaces over %d s", b->cap_ret,
	     b->cap_nifs, b->cap_secs);
}

static void mon_wait(struct bw *b)
{
	if (!b->o->duration_ms)
		return;
	uint64_t now = vfs_now_mono_ns();
	if (now < b->window_end_ns)
		progress(b, "recording events for %.1f s more (Ctrl-C finishes early)",
			 (double)(b->window_end_ns - now) / 1e9);
	while (!stopped(b) && (now = vfs_now_mono_ns()) < b->window_end_ns) {
		int ms = (int)MIN((b->window_end_ns - now) / 1000000 + 1, 200);
		struct pollfd p[2];
		int np = 0;
		if (b->nl)
			p[np++] = (struct pollfd){ .fd = nl_monitor_fd(b->nl), .events = POLLIN };
		if (b->probes && probes_fd() >= 0)
			p[np++] = (struct pollfd){ .fd = probes_fd(), .events = POLLIN };
		if (np)
			poll(p, (nfds_t)np, ms);
		else
			usleep((useconds_t)ms * 1000);
		if (b->nl)
			nl_monitor_read(b->nl);
		if (b->probes)
			probes_poll(0);
	}
	if (b->nl)
		nl_monitor_read(b->nl);
	if (b->probes)
		probes_poll(0);
}

static void mon_close(struct bw *b)
{
	if (b->probes) {
		struct probes_info pi[64];
		size_t n = probes_list(pi, ARRAY_SIZE(pi));
		for (size_t i = 0; i < n; i++) {
			char name[64];
			snprintf(name, sizeof(name), "probe %s", pi[i].name);
			part(b, name, pi[i].state == PROBE_ATTACHED ? "ok" : "skipped", "%s %s %s: %s%s%s",
			     pi[i].group, pi[i].type, pi[i].target, probe_state_name(pi[i].state),
			     pi[i].reason[0] ? ": " : "", pi[i].reason);
		}
		probes_close();
		b->probes = false;
	}
	nl_monitor_close(b->nl);
	b->nl = NULL;
}

static void events_file(struct bw *b)
{
	char *txt = NULL;
	size_t tl = 0;
	FILE *f = open_memstream(&txt, &tl);
	for (size_t i = 0; i < b->m->nevents; i++) {
		json_t *j = event_to_json(&b->m->events[i]);
		char *s = json_dumps(j, JSON_COMPACT);
		fprintf(f, "%s\n", s ? s : "{}");
		free(s);
		json_decref(j);
	}
	for (size_t i = 0; i < b->nev; i++) {
		json_t *j = event_to_json(&b->ev[i]);
		char *s = json_dumps(j, JSON_COMPACT);
		fprintf(f, "%s\n", s ? s : "{}");
		free(s);
		json_decref(j);
	}
	fclose(f);
	add_file(b, "events.jsonl", txt ? txt : "", tl, false);
	free(txt);
	/* The window's link and failover changes (rtnetlink) join the model, so
	 * snapshot.json, the findings ("N s after" a link change) and a replay
	 * of the bundle have them. Probe events stay in events.jsonl only: the
	 * kernel log already gives the model its resets and TX timeouts, and
	 * counting both would count each twice. */
	for (size_t i = 0; i < b->nev; i++)
		if (!strcmp(b->ev[i].probe, "rtnetlink") && (b->ev[i].kind == EV_LINK || b->ev[i].kind == EV_FAILOVER))
			machine_add_event(b->m, &b->ev[i]);
	bool window = b->nl || b->probes;
	if (window)
		part(b, "events.jsonl", b->probes && b->nl ? "ok" : "partial",
		     "%zu model events + %zu events over %u ms (rtnetlink %s; %s)", b->m->nevents, b->nev,
		     b->o->duration_ms, b->nl ? "monitor on" : "monitor failed", b->probes_why);
	else
		part(b, "events.jsonl", b->m->nevents ? "partial" : "skipped", "%zu model events; %s", b->m->nevents,
		     !b->o->duration_ms ? "no event window (--duration 0)"
		     : !root_is_live() ? "sysroot: no live event sources"
					: "rtnetlink monitor and probes could not open");
	mon_close(b);
}

/* ---- manifest ---------------------------------------------------------- */
static const char *const status_names[] = { "ok", "partial", "skipped", "failed" };

static void add_sources(json_t *arr, json_t *failed, const struct machine *m, const char *prefix)
{
	for (size_t i = 0; i < m->nsources; i++) {
		char name[128];
		snprintf(name, sizeof(name), "%s%s", prefix, m->sources[i].name);
		const char *st = status_names[m->sources[i].status & 3];
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "name", name, "status", st, "detail",
						     m->sources[i].detail));
		if (m->sources[i].status >= SOURCE_SKIPPED)
			json_array_append_new(failed, json_pack("{s:s, s:s, s:s}", "name", name, "status", st, "error",
								m->sources[i].detail));
	}
}

static void manifest(struct bw *b)
{
	char ts[32];
	vfs_fmt_time(vfs_now_real_ns(), ts);
	json_t *cmd = json_array();
	for (int i = 0; i < b->o->argc; i++) {
		char *c = vfs_sanitize_dup(b->o->argv[i]);
		json_array_append_new(cmd, json_string(c));
		free(c);
	}
	json_t *src = json_array(), *failed = json_array();
	add_sources(src, failed, b->m, "");
	for (size_t g = 0; g < b->m->nguests; g++) {
		char pre[96];
		snprintf(pre, sizeof(pre), "guest %s: ", b->m->guests[g]->label ? b->m->guests[g]->label : "?");
		add_sources(src, failed, b->m->guests[g], pre);
	}
	json_t *p;
	size_t i;
	json_array_foreach(b->parts, i, p) {
		const char *st = json_string_value(json_object_get(p, "status"));
		if (st && (!strcmp(st, "failed") || !strcmp(st, "skipped")))
			json_array_append_new(failed, json_pack("{s:s, s:O, s:O}", "name",
								json_string_value(json_object_get(p, "name")), "status",
								json_object_get(p, "status"), "error",
								json_object_get(p, "detail")));
	}
	json_t *why = json_array();
	if (b->interrupted)
		json_array_append_new(why, json_string("interrupted (SIGINT): finished with what was collected"));
	if (b->capped)
		json_array_append_new(why, json_string("size cap reached: raw files left out"));
	size_t macs = 0, ips = 0, hosts = 0;
	if (b->rd)
		redact_counts(b->rd, &macs, &ips, &hosts);
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:i, s:I, s:b, s:o, s:b}",
			      "schema", 1, "vfscope", VFSCOPE_VERSION, "time", ts,
			      "host", b->m->hostname.v ? b->m->hostname.v : "",
			      "kernel", b->m->kernel.v ? b->m->kernel.v : "",
			      "root", b->m->root ? b->m->root : root_dir(),
			      "command_line", cmd, "format", "tar.gz (pax)",
			      "duration_ms", (int)b->o->duration_ms, "max_bytes", (json_int_t)b->max_bytes,
			      "partial", b->interrupted || b->capped, "partial_reasons", why,
			      "redacted", b->rd != NULL);
	if (b->rd)
		json_object_set_new(o, "redaction", json_pack("{s:I, s:I, s:I}", "macs", (json_int_t)macs, "ips",
							      (json_int_t)ips, "hosts", (json_int_t)hosts));
	json_object_set_new(o, "sources", src);
	json_object_set_new(o, "failed", failed);
	json_object_set(o, "files", b->parts);
	json_object_set_new(o, "counts", json_pack("{s:I, s:I, s:I, s:I}", "files", (json_int_t)b->nfiles, "links",
						   (json_int_t)b->nlinks, "raw_bytes", (json_int_t)b->raw_bytes,
						   "unreadable", (json_int_t)b->nunreadable));
	json_object_set(o, "unreadable", b->unreadable);
	add_json(b, "manifest.json", o);
	json_decref(o);
}

/* ---- the whole bundle -------------------------------------------------- */
static void seed_redaction(struct redact *rd, const struct machine *m)
{
	redact_add_host(rd, m->hostname.v);
	/* a namespace's name and pod are names of the customer's as much as a host's */
	redact_add_host(rd, m->netns_name.v);
	redact_add_host(rd, m->pod_name.v);
	redact_add_host(rd, m->pod_namespace.v);
	if (m->hostname.v && strchr(m->hostname.v, '.')) {
		char h[256];
		vfs_strlcpy(h, m->hostname.v, sizeof(h));
		*strchr(h, '.') = 0;
		redact_add_host(rd, h);
	}
	if (m->label && strcmp(m->role ? m->role : "", "host"))
		redact_add_host(rd, m->label);
	for (size_t i = 0; i < m->nnetdevs; i++) {
		redact_reserve(rd, m->netdevs[i].mac.v);
		redact_reserve(rd, m->netdevs[i].perm_mac.v);
	}
	for (size_t i = 0; i < m->npfs; i++) {
		redact_add_host(rd, m->pfs[i].lldp_sysname.v); /* the switch's name */
		for (size_t k = 0; k < m->pfs[i].nvfs; k++)
			redact_reserve(rd, m->pfs[i].vfs[k].mac.v);
	}
	for (size_t i = 0; i < m->nteams; i++)
		for (size_t k = 0; k < m->teams[i].nmembers; k++)
			redact_reserve(rd, m->teams[i].members[k].perm_mac.v);
	for (size_t g = 0; g < m->nguests; g++)
		seed_redaction(rd, m->guests[g]);
}

static void model_files(struct bw *b)
{
	progress(b, "model and findings");
	json_t *snap = machine_to_json(b->m);
	add_json(b, "snapshot.json", snap);
	json_decref(snap);
	part(b, "snapshot.json", "ok", "%zu PFs, %zu netdevs, %zu teams, %zu guests", b->m->npfs, b->m->nnetdevs,
	     b->m->nteams, b->m->nguests);
	struct findings fs = { 0 };
	if (rules_run(b->m, &fs) == 0) {
		json_t *fj = findings_to_json(&fs);
		add_json(b, "findings.json", fj);
		json_decref(fj);
		part(b, "findings.json", "ok", "%zu findings", fs.n);
	} else {
		part(b, "findings.json", "failed", "rules failed");
	}
	findings_free(&fs);
}

static void default_name(const struct machine *m, bool redact, char *out, size_t size)
{
	char host[64] = "", ts[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y%m%dT%H%M%SZ", &tm);
	if (!redact && m->hostname.v)
		for (size_t i = 0, o = 0; m->hostname.v[i] && o + 1 < sizeof(host); i++) {
			char c = m->hostname.v[i];
			host[o++] = (char)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
						   c == '-' || c == '.' ? c : '_');
			host[o] = 0;
		}
	snprintf(out, size, "vfscope-%s-%s.tar.gz", host[0] ? host : "bundle", ts);
}

int bundle_write(const struct bundle_opts *o, char *err, size_t errlen)
{
	struct bw b = { .o = o };
	char path[4096];
	int ret = 0;
	bool own_m = false;
	b.now = time(NULL);
	b.max_bytes = o->max_bytes ? o->max_bytes : BUNDLE_DEFAULT_MAX_BYTES;
	b.window_end_ns = vfs_now_mono_ns() + (uint64_t)o->duration_ms * 1000000ull;
	b.m = o->m;
	if (!b.m) {
		struct collect_opts co = { .role = "host", .pci_dump = o->pci_dump, .ip_link_json = o->ip_link_json };
		char rootcopy[4096]; /* root_set copies into the buffer root_dir() returns */
		vfs_strlcpy(rootcopy, root_dir(), sizeof(rootcopy));
		if (!root_is_live())
			co.sysroot = rootcopy;
		b.m = collect_machine(&co, err, errlen);
		if (!b.m)
			return -EINVAL;
		host_extras(b.m, NULL);
		correlate(b.m);
		own_m = true;
	}
	if (!o->model_only)
		mon_open(&b); /* subscribe first: the window starts now */
	if (o->output)
		vfs_strlcpy(path, o->output, sizeof(path));
	else
		default_name(b.m, o->redact, path, sizeof(path));
	/* Complete or absent under its name: written to PATH.PID.part, fsync'ed
	 * and renamed (lib/outfile.h); a kill half way leaves only the .part. */
	struct outfile of;
	int r = outfile_open(&of, path, err, errlen);
	if (r) {
		if (own_m)
			machine_free(b.m);
		mon_close(&b);
		return r;
	}
	b.a = archive_write_new();
	archive_write_add_filter_gzip(b.a);
	archive_write_set_format_pax_restricted(b.a);
	/* no padding to 10240-byte blocks: the file ends where the gzip stream does */
	archive_write_set_bytes_in_last_block(b.a, 1);
	if (archive_write_open_fd(b.a, of.fd) != ARCHIVE_OK) {
		snprintf(err, errlen, "%s: %s", path, archive_error_string(b.a));
		archive_write_free(b.a);
		outfile_abort(&of);
		if (own_m)
			machine_free(b.m);
		mon_close(&b);
		return -EIO;
	}
	b.parts = json_array();
	b.unreadable = json_array();
	if (o->redact) {
		b.rd = redact_new();
		seed_redaction(b.rd, b.m);
	}

	if (!o->model_only)
		cap_start(&b);
	json_t *snap = machine_to_json(b.m);
	netlink_view(&b, snap);
	json_decref(snap);
	kmsg_file(&b);
	if (o->model_only) {
		static const char *const skipped[] = { "drvinfo.json", "pci/", "raw files", "events.jsonl" };
		for (size_t i = 0; i < ARRAY_SIZE(skipped); i++)
			part(&b, skipped[i], "skipped", "the model was read from a bundle (--from): no raw files");
		goto finish;
	}
	drvinfo(&b);
	if (o->pci_dump) {
		FILE *f = fopen(o->pci_dump, "r");
		char *buf = vfs_xcalloc(1, 16u << 20);
		size_t n = f ? fread(buf, 1, 16u << 20, f) : 0;
		if (f)
			fclose(f);
		add_file(&b, "pci/pci-dump.lspci", buf, n, false);
		free(buf);
	}
	progress(&b, "PCI config spaces");
	pci_dumps(&b);
	copy_sysroot(&b);
	netns_files(&b);
	mon_wait(&b);
	events_file(&b);
	cap_finish(&b);
finish:
	if (o->model_only)
		part(&b, "control.pcap", "skipped", "the model was read from a bundle (--from)");
	/* last, so the window's control frames are in the model and findings */
	model_files(&b);
	manifest(&b);

	if (archive_write_close(b.a) != ARCHIVE_OK || b.write_errno) {
		int e = b.write_errno ? b.write_errno : archive_errno(b.a);
		snprintf(err, errlen, "%s: %s", path, e > 0 ? strerror(e) : archive_error_string(b.a));
		ret = e > 0 ? -e : -EIO;
	}
	archive_write_free(b.a);
	if (ret)
		outfile_abort(&of);
	else
		ret = outfile_commit(&of, err, errlen);
	if (!ret) {
		if (o->written)
			vfs_strlcpy(o->written, path, o->written_len);
		progress(&b, "wrote %s (%u files, %u links, %zu bytes before compression)%s", path, b.nfiles, b.nlinks,
			 b.total_bytes, b.interrupted || b.capped ? ", partial" : "");
		ret = b.interrupted || b.capped ? 1 : 0;
	}
	for (size_t i = 0; i < b.capseen; i++)
		free(b.seen[i]);
	free(b.seen);
	free(b.ev);
	free(b.rbuf);
	json_decref(b.parts);
	json_decref(b.unreadable);
	redact_free(b.rd);
	if (own_m)
		machine_free(b.m);
	return ret;
}
