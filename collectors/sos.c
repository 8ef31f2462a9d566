/* sos report reader. A report is a tree (docs/sos.md):
 *   sys/, proc/                 copies of the files its plugins name (sparse:
 *                               flags, statistics, numa_node, net/bonding/ files)
 *   sos_commands/networking/    ip_-s_-d_link, ip_-d_address, ethtool_-i_DEV,
 *                               devlink_port_show, ip_netns, per-namespace
 *                               outputs (flat ip_netns_exec_NS_* in sos 4.0,
 *                               namespaces/NS/ since 4.3)
 *   sos_commands/pci/lspci_-nnvv, sos_commands/kernel/{dmesg,uname_-a}
 *   etc/hostname, version.txt, sos_reports/manifest.json
 * The copies are read by the sysroot readers with the report as the root
 * (their values keep SRC_SYSFS / SRC_PROCFS: they are the kernel's own
 * files); what the copies lack comes from the command outputs, as SRC_SOS.
 * An archive is unpacked into a private directory under $TMPDIR (only the
 * entries read here; bounded; no absolute or ".." paths, no writing through
 * links, links later resolved inside the report by root.h) and removed
 * once the model is built. */
#include "collectors/sos.h"
#include "collectors/bond_proc.h"
#include "collectors/ethtool_text.h"
#include "collectors/iplink_text.h"
#include "collectors/netns.h"
#include "collectors/kmsg.h"
#include "collectors/pci.h"
#include "collectors/root.h"
#include "collectors/sysfs.h"
#include "lib/util.h"
#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEXT_MAX (16u << 20)

/* ---- layout ------------------------------------------------------------ */

static bool is_dir_at(const char *dir, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static bool is_file_at(const char *dir, const char *rel)
{
	char p[PATH_MAX];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return !stat(p, &st) && S_ISREG(st.st_mode);
}

static bool sos_layout(const char *dir)
{
	return is_dir_at(dir, "sos_commands") && (is_dir_at(dir, "sos_reports") || is_file_at(dir, "version.txt"));
}

/* dir itself, or its only subdirectory (where the archive was unpacked). */
static bool sos_root_of(const char *dir, char *out, size_t size)
{
	if (sos_layout(dir)) {
		vfs_strlcpy(out, dir, size);
		return true;
	}
	DIR *d = opendir(dir);
	if (!d)
		return false;
	struct dirent *e;
	char found[PATH_MAX] = "";
	int subdirs = 0;
	while ((e = readdir(d)) && subdirs < 2) {
		if (e->d_name[0] == '.')
			continue;
		if (is_dir_at(dir, e->d_name)) {
			subdirs++;
			snprintf(found, sizeof(found), "%s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	if (subdirs == 1 && sos_layout(found)) {
		vfs_strlcpy(out, found, size);
		return true;
	}
	return false;
}

/* The report's top directory in an archive: "sosreport-HOST-DATE/" (or
 * none when the tree is at the top). rel is the path below it. */
static const char *strip_top(const char *name, const char *top)
{
	if (!strncmp(name, "./", 2))
		name += 2;
	if (!*top)
		return name;
	size_t l = strlen(top);
	if (strncmp(name, top, l) || name[l] != '/')
		return NULL;
	return name + l + 1;
}

static bool top_level_word(const char *name)
{
	static const char *const words[] = { "sos_commands", "sos_reports", "sos_logs", "sys", "proc", "etc",
					     "version.txt", "usr", "var", "lib", "run", "boot" };
	size_t l = strcspn(name, "/");
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == l && !strncmp(name, words[i], l))
			return true;
	return false;
}

/* From the first entry: "sosreport-HOST-DATE/..." names the top directory;
 * a report packed from inside its tree ("sos_commands/...", "./version.txt")
 * has none. */
static void guess_top(const char *name, char *top, size_t size)
{
	if (!strncmp(name, "./", 2))
		name += 2;
	size_t l = strcspn(name, "/");
	top[0] = 0;
	if (name[l] == '/' && l && l < size && !top_level_word(name)) {
		memcpy(top, name, l);
		top[l] = 0;
	}
}

static struct archive *open_archive(const char *path, char *err, size_t errlen)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open_filename(a, path, 64 * 1024) != ARCHIVE_OK) {
		snprintf(err, errlen, "%s: %s", path, archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

bool sos_is_report(const char *path)
{
	struct stat st;
	if (stat(path, &st))
		return false;
	char root[PATH_MAX];
	if (S_ISDIR(st.st_mode))
		return sos_root_of(path, root, sizeof(root));
	if (!S_ISREG(st.st_mode))
		return false;
	char err[256];
	struct archive *a = open_archive(path, err, sizeof(err));
	if (!a)
		return false;
	struct archive_entry *e;
	char top[256] = "";
	bool first = true, cmds = false, meta = false;
	uint64_t walked = 0;
	for (int n = 0; n < SOS_MAX_ENTRIES && archive_read_next_header(a, &e) == ARCHIVE_OK; n++) {
		const char *name = archive_entry_pathname(e);
		if (!name)
			continue;
		if (first)
			guess_top(name, top, sizeof(top));
		first = false;
		const char *rel = strip_top(name, top);
		if (!rel)
			continue;
		if (!strcmp(rel, "snapshot.json"))
			break; /* a vfscope bundle */
		if (!strncmp(rel, "sos_commands/", 13) || !strcmp(rel, "sos_commands"))
			cmds = true;
		if (!strncmp(rel, "sos_reports/", 12) || !strcmp(rel, "sos_reports") || !strcmp(rel, "version.txt"))
			meta = true;
		if (cmds && meta)
			break;
		la_int64_t sz = archive_entry_size(e);
		walked += sz > 0 ? (uint64_t)sz : 0;
		if (walked > SOS_MAX_WALKED)
			break;
	}
	archive_read_free(a);
	return cmds && meta;
}

/* ---- unpacking ----------------------------------------------------------- */

static bool digits_then(const char *s, const char *tail)
{
	size_t d = strspn(s, "0123456789");
	return d && !strncmp(s + d, tail, strlen(tail));
}

/* What is read from a report (the rest is never unpacked). */
static bool wanted(const char *rel)
{
	static const char *const exact[] = {
		"version.txt", "etc/hostname", "sos_reports/manifest.json", "proc/net", "proc/self",
		"proc/sys/kernel/hostname", "proc/sys/kernel/osrelease", "proc/version",
		"sos_commands/kernel/dmesg", "sos_commands/kernel/uname_-a", "sos_commands/host/hostname",
		"sos_commands/general/hostname",
	};
	for (size_t i = 0; i < ARRAY_SIZE(exact); i++)
		if (!strcmp(rel, exact[i]))
			return true;
	if (!strncmp(rel, "sys/", 4))
		return strncmp(rel, "sys/module/", 11) && strncmp(rel, "sys/firmware/", 13) &&
		       strncmp(rel, "sys/kernel/", 11) && strncmp(rel, "sys/fs/", 7);
	if (!strncmp(rel, "proc/net/bonding", 16))
		return true;
	if (!strncmp(rel, "proc/", 5) && digits_then(rel + 5, "/net")) {
		const char *p = rel + 5 + strspn(rel + 5, "0123456789");
		return !strcmp(p, "/net") || !strncmp(p, "/net/bonding", 12);
	}
	if (!strncmp(rel, "sos_commands/pci/lspci", 22) || !strncmp(rel, "sos_commands/devlink/", 21))
		return true;
	if (!strncmp(rel, "sos_commands/networking/", 24)) {
		const char *f = rel + 24;
		if (!strncmp(f, "namespaces/", 11)) {
			f = strrchr(f, '/') + 1;
			return !strncmp(f, "ip_netns_exec_", 14) && strstr(f, "_ip_") &&
			       (strstr(f, "address") || strstr(f, "link"));
		}
		if (!strncmp(f, "ip_netns_exec_", 14))
			return strstr(f, "_ip_") && (strstr(f, "address") || strstr(f, "link"));
		return !strncmp(f, "ip_", 3) || !strncmp(f, "ethtool_-i_", 11) || !strncmp(f, "devlink", 7);
	}
	return false;
}

static bool safe_rel(const char *rel)
{
	if (!*rel || rel[0] == '/' || strlen(rel) > 1024)
		return false;
	for (const char *p = rel; *p;) {
		size_t l = strcspn(p, "/");
		if ((l == 2 && p[0] == '.' && p[1] == '.') || (l == 1 && p[0] == '.'))
			return false;
		p += l;
		if (*p == '/')
			p++;
	}
	return true;
}

struct unpack {
	int files, refused, too_big;
	uint64_t bytes;
	bool cut;          /* a bound was reached: what follows was not unpacked */
	char why[160];
};

static int copy_data(struct archive *a, struct archive *w)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	for (;;) {
		int r = archive_read_data_block(a, &buf, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN)
			return -EIO;
		if (archive_write_data_block(w, buf, size, off) < ARCHIVE_WARN)
			return -EIO;
	}
}

static int unpack(const char *path, const char *dir, struct unpack *u, char *err, size_t errlen)
{
	struct archive *a = open_archive(path, err, errlen);
	if (!a)
		return -EINVAL;
	struct archive *w = archive_write_disk_new();
	archive_write_disk_set_options(w, ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT);
	struct archive_entry *e;
	char top[256] = "";
	bool first = true;
	uint64_t walked = 0;
	int r = ARCHIVE_OK, n = 0;
	while (n++ < SOS_MAX_ENTRIES && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e);
		if (!name)
			continue;
		if (first)
			guess_top(name, top, sizeof(top));
		first = false;
		la_int64_t sz = archive_entry_size(e);
		walked += sz > 0 ? (uint64_t)sz : 0;
		if (walked > SOS_MAX_WALKED) {
			u->cut = true;
			snprintf(u->why, sizeof(u->why), "more than %llu bytes in the archive",
				 (unsigned long long)SOS_MAX_WALKED);
			break;
		}
		const char *rel = strip_top(name, top);
		if (!rel || !wanted(rel))
			continue;
		if (!safe_rel(rel) || archive_entry_hardlink(e)) {
			u->refused++;
			continue;
		}
		int type = archive_entry_filetype(e);
		if (type != AE_IFREG && type != AE_IFLNK && type != AE_IFDIR)
			continue;
		if (type == AE_IFREG && (sz < 0 || sz > SOS_MAX_FILE)) {
			u->too_big++;
			continue;
		}
		if (u->files >= SOS_MAX_FILES || u->bytes + (uint64_t)(sz > 0 ? sz : 0) > SOS_MAX_TOTAL) {
			u->cut = true;
			snprintf(u->why, sizeof(u->why), "more than %d files or %u bytes to unpack", SOS_MAX_FILES,
				 SOS_MAX_TOTAL);
			break;
		}
		char full[PATH_MAX];
		if ((size_t)snprintf(full, sizeof(full), "%s/%s", dir, rel) >= sizeof(full)) {
			u->refused++;
			continue;
		}
		archive_entry_set_pathname(e, full);
		archive_entry_set_perm(e, type == AE_IFDIR ? 0700 : 0600);
		if (archive_write_header(w, e) < ARCHIVE_WARN) {
			u->refused++; /* e.g. through a link: SECURE_SYMLINKS said no */
			continue;
		}
		if (type == AE_IFREG && copy_data(a, w) < 0)
			u->refused++;
		archive_write_finish_entry(w);
		u->files++;
		u->bytes += sz > 0 ? (uint64_t)sz : 0;
	}
	int ret = 0;
	if (r != ARCHIVE_OK && r != ARCHIVE_EOF) {
		snprintf(err, errlen, "%s: %s", path, archive_error_string(a) ? archive_error_string(a) : "read error");
		if (!u->files)
			ret = -EBADMSG;
		else {
			u->cut = true;
			snprintf(u->why, sizeof(u->why), "archive damaged after %d files: %s", u->files,
				 archive_error_string(a) ? archive_error_string(a) : "read error");
		}
	}
	archive_write_free(w);
	archive_read_free(a);
	return ret;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)f;
	if (flag == FTW_DP || flag == FTW_D)
		rmdir(p);
	else
		unlink(p);
	return 0;
}

static void remove_tree(const char *dir)
{
	if (dir && *dir)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- readers over the report --------------------------------------------- */

/* A text file of the report (relative to the root), NUL-terminated; NULL
 * when absent or unreadable. */
static char *read_text(const char *rel, size_t *len)
{
	int fd = root_open(rel, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	size_t max = st.st_size > (off_t)TEXT_MAX ? TEXT_MAX : (size_t)st.st_size;
	char *t = vfs_xcalloc(1, max + 1);
	size_t off = 0;
	while (off < max) {
		ssize_t n = read(fd, t + off, max - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	t[off] = 0;
	*len = off;
	return t;
}

static void set_str(struct vs *f, const char *s, int src)
{
	char clean[256];
	vs_set(f, vfs_sanitize(clean, sizeof(clean), s), src);
}

static bool is_pci_addr(const char *s)
{
	unsigned d, b, dv, fn;
	char tail;
	size_t dl = strspn(s, "0123456789abcdefABCDEF");
	return dl >= 4 && dl <= 8 && sscanf(s, "%x:%2x:%2x.%1u%c", &d, &b, &dv, &fn, &tail) == 4 &&
	       strlen(s) == dl + 8 && fn < 8 && dv < 32;
}

/* The kernel's host name (what the live reader takes from
 * /proc/sys/kernel/hostname): `hostname` output (sos's host plugin), else
 * uname -a's node name; etc/hostname (a copy of the file, which may differ
 * from the running name) last. */
static void read_identity(struct machine *m)
{
	char b[512], w[3][256];
	static const char *const hn[] = { "sos_commands/host/hostname", "sos_commands/general/hostname" };
	for (size_t i = 0; i < ARRAY_SIZE(hn); i++)
		if (!root_read_str(hn[i], b, sizeof(b)) && b[0] && !strchr(b, '\n') && !strchr(b, ' ')) {
			set_str(&m->hostname, b, SRC_SOS);
			break;
		}
	if (!root_read_str("sos_commands/kernel/uname_-a", b, sizeof(b)) &&
	    sscanf(b, "%255s %255s %255s", w[0], w[1], w[2]) == 3) {
		/* "Linux HOST RELEASE #1 SMP ..." */
		set_str(&m->kernel, w[2], SRC_SOS);
		if (!VS_KNOWN(m->hostname))
			set_str(&m->hostname, w[1], SRC_SOS);
	}
	if (!VS_KNOWN(m->hostname) && !root_read_str("etc/hostname", b, sizeof(b)) && b[0] && !strchr(b, '\n'))
		set_str(&m->hostname, b, SRC_SOS);
	if (!VS_KNOWN(m->hostname) && !root_read_str("proc/sys/kernel/hostname", b, sizeof(b)))
		set_str(&m->hostname, b, SRC_PROCFS);
	if (!VS_KNOWN(m->kernel) && !root_read_str("proc/sys/kernel/osrelease", b, sizeof(b)))
		set_str(&m->kernel, b, SRC_PROCFS);
}

/* version.txt's or the manifest's "version"; the
 * manifest's start_time is the reporting machine's local time, zone not
 * said, so it is only named, never taken as the collection time. */
static void read_version(char *ver, size_t vl, char *when, size_t wl)
{
	char b[512];
	ver[0] = when[0] = 0;
	if (!root_read_str("version.txt", b, sizeof(b))) {
		/* "sosreport: 4.0" (sos 4.0), "sos report: 4.10.2" (later) */
		char *p = strstr(b, "sosreport: ");
		size_t skip = 11;
		if (!p) {
			p = strstr(b, "sos report: ");
			skip = 12;
		}
		if (p) {
			p += skip;
			p[strcspn(p, "\n ")] = 0;
			vfs_sanitize(ver, vl, p);
		}
	}
	size_t len;
	char *t = read_text("sos_reports/manifest.json", &len);
	if (!t)
		return;
	json_t *j = json_loadb(t, len, 0, NULL);
	free(t);
	const char *v = json_string_value(json_object_get(j, "version"));
	const char *st = json_string_value(json_object_get(j, "start_time"));
	if (v && !ver[0])
		vfs_sanitize(ver, vl, v);
	if (st)
		vfs_sanitize(when, wl, st);
	json_decref(j);
}

static bool keep_ethtool_i(const char *name)
{
	return !strncmp(name, "ethtool_-i_", 11) && name[11];
}

/* ethtool -i per netdev: driver, and a PCI bus-info as the netdev's PCI
 * function when sysfs did not say. Returns files read. */
static int read_ethtool(struct machine *m)
{
	size_t n;
	char **v = root_list("sos_commands/networking", SYSFS_MAX_NETDEVS, keep_ethtool_i, &n, NULL);
	int done = 0;
	for (size_t i = 0; i < n; i++) {
		const char *dev = v[i] + 11;
		char rel[512];
		snprintf(rel, sizeof(rel), "sos_commands/networking/%s", v[i]);
		size_t len;
		char *t = read_text(rel, &len);
		if (!t)
			continue;
		struct ethtool_info ei;
		int k = ethtool_info_parse(t, len, &ei);
		free(t);
		if (k <= 0 || !vfs_is_sane(dev) || strlen(dev) > 64)
			continue;
		int ni = machine_find_netdev(m, dev);
		struct netdev *nd = ni >= 0 ? &m->netdevs[ni] : machine_add_netdev(m, dev);
		if (ni < 0)
			nd->name.src = SRC_SOS;
		if (ei.driver[0] && !VS_KNOWN(nd->driver))
			set_str(&nd->driver, ei.driver, SRC_SOS);
		if (is_pci_addr(ei.bus_info) && !VS_KNOWN(nd->pci))
			set_str(&nd->pci, ei.bus_info, SRC_SOS);
		done++;
	}
	root_list_free(v, n);
	return done;
}

/* ip link text: the richest first; ip -d address has the same link lines. */
static const char *read_iplink(struct machine *m, struct iplink_text_stats *st)
{
	static const char *const files[] = {
		"sos_commands/networking/ip_-s_-d_link", "sos_commands/networking/ip_-d_link",
		"sos_commands/networking/ip_-s_link", "sos_commands/networking/ip_link",
		"sos_commands/networking/ip_-d_address", "sos_commands/networking/ip_address",
	};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		size_t len;
		char *t = read_text(files[i], &len);
		if (!t)
			continue;
		int r = iplink_text_parse(m, t, len, SRC_SOS, st);
		free(t);
		if (r > 0)
			return files[i] + 24;
		machine_warn(m, "sos: %s has no ip link blocks", files[i]);
	}
	return NULL;
}

/* lspci -nnvv text to the PCI dump reader (collectors/pci.c), through a
 * descriptor opened inside the report (a link in it cannot point outside). */
static const char *read_lspci(struct machine *m)
{
	static const char *const files[] = { "sos_commands/pci/lspci_-nnvv", "sos_commands/pci/lspci_-nvv",
					     "sos_commands/pci/lspci_-vvv", "sos_commands/pci/lspci_-vv" };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		int fd = root_open(files[i], O_RDONLY | O_NONBLOCK);
		if (fd < 0)
			continue;
		char p[64];
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
		pci_collect(m, p);
		close(fd);
		/* the reader names the file it was given: name the report's */
		for (size_t k = 0; k < m->nsources; k++) {
			struct source *so = &m->sources[k];
			size_t pl = strlen(p);
			if (!strcmp(so->name, "pci-dump") && !strncmp(so->detail, p, pl)) {
				char d[sizeof(so->detail)];
				snprintf(d, sizeof(d), "%s%s", files[i], so->detail + pl);
				vfs_strlcpy(so->detail, d, sizeof(so->detail));
			}
		}
		/* What the dump gave is what the report said. */
		for (size_t k = 0; k < m->npfs; k++) {
			struct pf *pf = &m->pfs[k];
			if (pf->cap.src == SRC_PCIDUMP)
				pf->cap.src = SRC_SOS;
			struct vs *s[] = { &pf->pci, &pf->vendor, &pf->device, &pf->driver };
			for (size_t j = 0; j < ARRAY_SIZE(s); j++)
				if (s[j]->src == SRC_PCIDUMP)
					s[j]->src = SRC_SOS;
			for (size_t j = 0; j < pf->nvfs; j++) {
				struct vs *vs[] = { &pf->vfs[j].pci, &pf->vfs[j].driver };
				for (size_t q = 0; q < ARRAY_SIZE(vs); q++)
					if (vs[q]->src == SRC_PCIDUMP)
						vs[q]->src = SRC_SOS;
			}
		}
		return files[i] + 17;
	}
	return NULL;
}

/* A VF's PCI address from its PF's SR-IOV capability (PCIe SR-IOV 3.3.10,
 * 3.3.11: VF n's routing ID = PF's + First VF Offset + n * VF Stride), for
 * VFs the report lists (ip link "vf N") while VF Enable is set and n is
 * below NumVFs. A sos report has no virtfnN links. */
static int derive_vf_pci(struct machine *m)
{
	int done = 0;
	for (size_t p = 0; p < m->npfs; p++) {
		struct pf *pf = &m->pfs[p];
		unsigned dom, bus, dev, fn;
		/* Only from registers the report gave (lspci -v text leaves them out). */
		if (!pf->cap.present || (pf->cap.unknown & (SRIOV_UNK_CTRL | SRIOV_UNK_COUNTS | SRIOV_UNK_ROUTING)) ||
		    !(pf->cap.ctrl & 1) || !pf->pci.v ||
		    sscanf(pf->pci.v, "%x:%x:%x.%u", &dom, &bus, &dev, &fn) != 4)
			continue;
		unsigned rid = (bus << 8) | (dev << 3) | fn;
		for (size_t v = 0; v < pf->nvfs; v++) {
			struct vf *vf = &pf->vfs[v];
			if (VS_KNOWN(vf->pci) || vf->index < 0 || vf->index >= pf->cap.num_vfs)
				continue;
			unsigned r = rid + pf->cap.first_vf_offset + (unsigned)vf->index * pf->cap.vf_stride;
			if (r > 0xffff)
				continue;
			char b[32];
			snprintf(b, sizeof(b), "%04x:%02x:%02x.%u", dom, r >> 8, (r >> 3) & 0x1f, r & 7);
			vs_set(&vf->pci, b, SRC_DERIVED);
			done++;
		}
	}
	return done;
}

int sos_lspci_drivers_parse(struct machine *m, const char *text, size_t len, int src)
{
	char addr[32] = "", line[512];
	int n = 0;
	size_t pos = 0;
	const char *l;
	size_t raw;
	while (vfs_next_line(text, len, &pos, &l, &raw)) {
		vfs_line_copy(line, sizeof(line), l, raw);
		if (isxdigit((unsigned char)line[0])) {
			/* "01:10.0 Ethernet controller [0200]: ..." or with a domain
			 * ("0000:01:10.0 ..."; lspci prints one only when not all are 0) */
			char a[32];
			size_t al = strcspn(line, " ");
			addr[0] = 0;
			if (al < 20) {
				memcpy(a, line, al);
				a[al] = 0;
				snprintf(addr, sizeof(addr), "%s%s", strchr(a, ':') == strrchr(a, ':') ? "0000:" : "", a);
				if (!is_pci_addr(addr))
					addr[0] = 0;
			}
			continue;
		}
		const char *k = strstr(line, "Kernel driver in use: ");
		if (!addr[0] || !k || (line[0] != '\t' && line[0] != ' '))
			continue;
		char drv[64];
		vfs_strlcpy(drv, k + 22, sizeof(drv));
		drv[strcspn(drv, " \t\r")] = 0;
		if (!drv[0])
			continue;
		int p = machine_find_pf(m, addr), pi, vi;
		if (p >= 0 && !VS_KNOWN(m->pfs[p].driver)) {
			set_str(&m->pfs[p].driver, drv, src);
			n++;
		} else if (p < 0 && !machine_find_vf_pci(m, addr, &pi, &vi) && !VS_KNOWN(m->pfs[pi].vfs[vi].driver)) {
			set_str(&m->pfs[pi].vfs[vi].driver, drv, src);
			n++;
		}
		addr[0] = 0;
	}
	return n;
}

/* The lspci text once more, for what the dump reader leaves out: the
 * driver bound to each function ("Kernel driver in use:"), VFs included
 * (vfio-pci: the VF is handed to a VM). */
static int lspci_drivers(struct machine *m, const char *file)
{
	if (!file)
		return 0;
	char rel[128];
	snprintf(rel, sizeof(rel), "sos_commands/pci/%s", file);
	size_t len;
	char *t = read_text(rel, &len);
	if (!t)
		return 0;
	int n = sos_lspci_drivers_parse(m, t, len, SRC_SOS);
	free(t);
	return n;
}

/* PF and VF drivers from their netdevs (ethtool -i), once machine_link has
 * tied netdevs to functions. */
static void drivers_from_netdevs(struct machine *m)
{
	for (size_t p = 0; p < m->npfs; p++) {
		struct pf *pf = &m->pfs[p];
		if (pf->netdev_idx >= 0 && !VS_KNOWN(pf->driver) && VS_KNOWN(m->netdevs[pf->netdev_idx].driver))
			vs_set(&pf->driver, m->netdevs[pf->netdev_idx].driver.v, m->netdevs[pf->netdev_idx].driver.src);
		for (size_t v = 0; v < pf->nvfs; v++) {
			struct vf *vf = &pf->vfs[v];
			int n = machine_find_netdev(m, vf->netdev.v);
			if (n >= 0 && !VS_KNOWN(vf->driver) && VS_KNOWN(m->netdevs[n].driver))
				vs_set(&vf->driver, m->netdevs[n].driver.v, m->netdevs[n].driver.src);
		}
	}
}

int sos_devlink_ports_parse(struct machine *m, const char *text, size_t len, int src)
{
	int ports = 0, pf = -1, vf = -1;
	size_t pos = 0;
	char line[1024];
	const char *l;
	size_t raw;
	while (vfs_next_line(text, len, &pos, &l, &raw)) {
		vfs_line_copy(line, sizeof(line), l, raw);
		char *tok[64];
		int nt = 0;
		char *save = NULL;
		for (char *t = strtok_r(line, " \t\r", &save); t && nt < 64; t = strtok_r(NULL, " \t\r", &save))
			tok[nt++] = t;
		if (!nt)
			continue;
		if (!strcmp(tok[0], "hw_addr") && nt > 1 && pf >= 0 && vf >= 0) {
			/* "  function:\n    hw_addr 02:00:00:00:00:a0" under a pcivf port */
			uint8_t b[6];
			char s[18];
			struct vf *v = &m->pfs[pf].vfs[vf];
			if (!VS_KNOWN(v->mac) && strlen(tok[1]) == 17 && !vfs_mac_parse(tok[1], b)) {
				vfs_mac_format(b, s);
				vs_set(&v->mac, s, src);
			}
			continue;
		}
		if (line[0] == ' ' || strncmp(tok[0], "pci/", 4))
			continue;
		pf = vf = -1;
		/* "pci/0000:01:00.0/1:" */
		char addr[64];
		vfs_strlcpy(addr, tok[0] + 4, sizeof(addr));
		char *sl = strchr(addr, '/');
		if (!sl)
			continue;
		*sl = 0;
		if (!is_pci_addr(addr))
			continue;
		const char *netdev = NULL, *flavour = NULL, *vfnum = NULL;
		for (int k = 1; k + 1 < nt; k++) {
			if (!strcmp(tok[k], "netdev"))
				netdev = tok[++k];
			else if (!strcmp(tok[k], "flavour"))
				flavour = tok[++k];
			else if (!strcmp(tok[k], "vfnum"))
				vfnum = tok[++k];
		}
		ports++;
		if (flavour && !strcmp(flavour, "physical") && netdev) {
			int n = machine_find_netdev(m, netdev);
			if (n >= 0 && !VS_KNOWN(m->netdevs[n].pci))
				set_str(&m->netdevs[n].pci, addr, src);
		} else if (flavour && !strcmp(flavour, "pcivf") && vfnum) {
			int64_t idx;
			if (vfs_parse_i64(vfnum, 10, &idx) || idx < 0 || idx >= IPLINK_TEXT_MAX_VFS)
				continue;
			int p = machine_find_pf(m, addr);
			if (p < 0) {
				if (m->npfs >= SYSFS_MAX_PCI)
					continue;
				machine_add_pf(m, addr)->pci.src = (uint8_t)src;
				p = (int)m->npfs - 1;
			}
			struct pf *P = &m->pfs[p];
			int vi = -1;
			for (size_t i = 0; i < P->nvfs; i++)
				if (P->vfs[i].index == idx)
					vi = (int)i;
			if (vi < 0) {
				if (P->nvfs >= IPLINK_TEXT_MAX_VFS)
					continue;
				pf_add_vf(P, (int)idx);
				vi = (int)P->nvfs - 1;
			}
			pf = p;
			vf = vi;
		}
	}
	return ports;
}

static const char *read_devlink(struct machine *m, int *ports)
{
	static const char *const files[] = { "sos_commands/networking/devlink_port_show",
					     "sos_commands/devlink/devlink_port_show" };
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		size_t len;
		char *t = read_text(files[i], &len);
		if (!t)
			continue;
		*ports = sos_devlink_ports_parse(m, t, len, SRC_SOS);
		free(t);
		return files[i];
	}
	return NULL;
}

static void read_dmesg(struct machine *m)
{
	size_t len;
	char *t = read_text("sos_commands/kernel/dmesg", &len);
	if (!t) {
		machine_add_source(m, "kmsg", SOURCE_SKIPPED, "no sos_commands/kernel/dmesg in the report");
		return;
	}
	size_t kept = kmsg_parse_dmesg(m, t, len);
	free(t);
	machine_add_source(m, "kmsg", SOURCE_OK, "sos_commands/kernel/dmesg: %zu lines kept", kept);
}

/* ---- network namespaces: each one a role "netns" machine (issue 14) ------ */

/* sos's `ip netns exec NS ethtool -i DEV` per netdev of the namespace
 * (namespaces/NS/ or flat): the driver, and bus-info as the netdev's PCI
 * function where the ip output gave no parentdev (iproute2 < 5.16). */
static void netns_ethtool(struct machine *ns, const char *name)
{
	for (size_t k = 0; k < ns->nnetdevs; k++) {
		struct netdev *nd = &ns->netdevs[k];
		if (!VS_KNOWN(nd->name) || strlen(nd->name.v) > 64)
			continue;
		char rel[2][600];
		snprintf(rel[0], sizeof(rel[0]), "sos_commands/networking/namespaces/%s/ip_netns_exec_%s_ethtool_-i_%s", name,
			 name, nd->name.v);
		snprintf(rel[1], sizeof(rel[1]), "sos_commands/networking/ip_netns_exec_%s_ethtool_-i_%s", name,
			 nd->name.v);
		for (int r = 0; r < 2; r++) {
			size_t len;
			char *t = read_text(rel[r], &len);
			if (!t)
				continue;
			struct ethtool_info ei;
			int got = ethtool_info_parse(t, len, &ei);
			free(t);
			if (got <= 0)
				continue;
			if (ei.driver[0] && !VS_KNOWN(nd->driver))
				set_str(&nd->driver, ei.driver, SRC_SOS);
			if (is_pci_addr(ei.bus_info) && !VS_KNOWN(nd->pci))
				set_str(&nd->pci, ei.bus_info, SRC_SOS);
			break;
		}
	}
}


struct netns_list {
	char names[SOS_MAX_NETNS][64];
	char files[SOS_MAX_NETNS][320]; /* the ip address/link output read for it, "" none */
	int n;
};

static int netns_find(struct netns_list *l, const char *name)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->names[i], name))
			return i;
	if (l->n >= SOS_MAX_NETNS || !vfs_is_sane(name) || !*name || strlen(name) >= sizeof(l->names[0]))
		return -1;
	vfs_strlcpy(l->names[l->n], name, sizeof(l->names[0]));
	l->files[l->n][0] = 0;
	return l->n++;
}

/* Prefer ip -s -d link, then ip -d address, then anything ip. */
static int netns_rank(const char *f)
{
	return strstr(f, "_link") ? 3 : strstr(f, "-d_address") ? 2 : 1;
}

static void netns_file(struct netns_list *l, int i, const char *rel)
{
	if (i < 0 || strlen(rel) >= sizeof(l->files[0]))
		return;
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	if (l->files[i][0]) {
		const char *old = strrchr(l->files[i], '/') + 1;
		if (netns_rank(old) >= netns_rank(base))
			return;
	}
	vfs_strlcpy(l->files[i], rel, sizeof(l->files[0]));
}

static bool keep_any(const char *n)
{
	(void)n;
	return true;
}

static void read_netns(struct machine *m, int *count, int *links)
{
	struct netns_list *l = vfs_xcalloc(1, sizeof(*l));
	size_t len;
	/* `ip netns`: "NAME" or "NAME (id: N)" per line */
	char *t = read_text("sos_commands/networking/ip_netns", &len);
	if (t) {
		char *save = NULL;
		for (char *ln = strtok_r(t, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
			if (!*ln || *ln == ' ' || strstr(ln, "Object \"netns\""))
				continue;
			ln[strcspn(ln, " \t\r")] = 0;
			netns_find(l, ln);
		}
		free(t);
	}
	/* sos >= 4.3: namespaces/NS/ip_netns_exec_NS_ip_-d_address_show */
	size_t n;
	char **d = root_list("sos_commands/networking/namespaces", SOS_MAX_NETNS, keep_any, &n, NULL);
	for (size_t i = 0; i < n; i++) {
		int k = netns_find(l, d[i]);
		char rel[512];
		snprintf(rel, sizeof(rel), "sos_commands/networking/namespaces/%s", d[i]);
		size_t fn;
		char **files = root_list(rel, 4096, keep_any, &fn, NULL);
		for (size_t j = 0; j < fn; j++) {
			char pre[128];
			snprintf(pre, sizeof(pre), "ip_netns_exec_%s_ip_", d[i]);
			if (!strncmp(files[j], pre, strlen(pre)) &&
			    (strstr(files[j], "address") || strstr(files[j], "link"))) {
				char f[900];
				snprintf(f, sizeof(f), "%s/%s", rel, files[j]);
				netns_file(l, k, f);
			}
		}
		root_list_free(files, fn);
	}
	root_list_free(d, n);
	/* sos < 4.3: flat ip_netns_exec_NS_ip_address_show */
	char **files = root_list("sos_commands/networking", 65536, keep_any, &n, NULL);
	for (int i = 0; i < l->n; i++) {
		char pre[128];
		snprintf(pre, sizeof(pre), "ip_netns_exec_%s_ip_", l->names[i]);
		for (size_t j = 0; j < n; j++)
			if (!strncmp(files[j], pre, strlen(pre)) && (strstr(files[j], "address") || strstr(files[j], "link"))) {
				char f[900];
				snprintf(f, sizeof(f), "sos_commands/networking/%s", files[j]);
				netns_file(l, i, f);
			}
	}
	root_list_free(files, n);
	*count = l->n;
	*links = 0;
	for (int i = 0; i < l->n; i++) {
		if (!l->files[i][0]) {
			machine_warn(m, "sos: network namespace %s: no ip output for it in the report", l->names[i]);
			continue;
		}
		char *txt = read_text(l->files[i], &len);
		if (!txt)
			continue;
		struct machine *ns = machine_new("host");
		struct iplink_text_stats st;
		iplink_text_parse(ns, txt, len, SRC_SOS, &st);
		free(txt);
		char names[160] = "";
		size_t off = 0;
		for (size_t k = 0; k < ns->nnetdevs && off + 20 < sizeof(names); k++)
			off += (size_t)snprintf(names + off, sizeof(names) - off, "%s%s", k ? " " : "", ns->netdevs[k].name.v);
		if (off + 20 >= sizeof(names) && ns->nnetdevs)
			snprintf(names + off, sizeof(names) - off, " ...");
		char teams[64];
		const char *base = strrchr(l->files[i], '/') + 1;
		if (strstr(base, "_-d_"))
			snprintf(teams, sizeof(teams), "%d teams", (int)ns->nteams);
		else /* `ip address show` without -d prints no link kinds */
			snprintf(teams, sizeof(teams), "link kinds not shown (no -d)");
		machine_warn(m, "sos: network namespace %s: %d links (%s)%s, %s; read from %s (no pod owner: a sos "
			     "report has none of kubelet's files)", l->names[i], st.links, names,
			     st.vfs ? " with VF lines" : "", teams, base);
		*links += st.links;
		/* a place where VFs are used, as live (collectors/netns.h) */
		free(ns->role);
		ns->role = vfs_xstrdup("netns");
		vs_set(&ns->netns_name, l->names[i], SRC_SOS);
		machine_add_source(ns, "sos", SOURCE_OK, "%s", base);
		netns_ethtool(ns, l->names[i]);
		netns_label(ns, NULL);
		machine_link(ns);
		machine_add_guest(m, ns);
	}
	free(l);
}

/* ---- the machine -------------------------------------------------------- */

/* A sos copy of sysfs has only what its plugins name (flags, statistics,
 * numa_node): a device/physfn link missing from it says nothing. */
static void unknown_virtfn(struct machine *m)
{
	char path[512];
	for (size_t i = 0; i < m->nnetdevs; i++) {
		struct netdev *n = &m->netdevs[i];
		if (n->is_virtfn.src == SRC_SYSFS && !n->is_virtfn.v &&
		    !root_exists(root_path(path, sizeof(path), "sys/class/net/%s/device/physfn", n->name.v)))
			vi_set(&n->is_virtfn, 0, SRC_NONE);
	}
}

static struct machine *build(const char *root, const char *shown, const struct unpack *u)
{
	int r = root_set(root);
	if (r)
		return NULL;
	struct machine *m = machine_new("host");
	m->root = vfs_xstrdup(shown);
	read_identity(m);
	if (VS_KNOWN(m->hostname))
		m->label = vfs_xstrdup(m->hostname.v);
	char ver[64], when[64];
	read_version(ver, sizeof(ver), when, sizeof(when));

	if (root_exists("sys/class/net")) {
		sysfs_collect(m);
		unknown_virtfn(m);
	} else {
		machine_add_source(m, "sysfs", SOURCE_SKIPPED, "the report has no copy of /sys/class/net");
	}
	int ethtool = read_ethtool(m);
	struct iplink_text_stats st;
	memset(&st, 0, sizeof(st));
	const char *iplink = read_iplink(m, &st);
	machine_add_source(m, "netlink", SOURCE_SKIPPED,
			   "a sos report: links and VF settings come from its ip text output (source sos)");
	bond_proc_collect(m);
	const char *lspci = read_lspci(m);
	int ports = 0;
	const char *devlink = read_devlink(m, &ports);
	machine_link(m);
	int derived = derive_vf_pci(m);
	machine_link(m);
	lspci_drivers(m, lspci);
	drivers_from_netdevs(m);
	read_dmesg(m);
	int nns = 0, nslinks = 0;
	read_netns(m, &nns, &nslinks);
	machine_link(m);

	bool partial = !iplink || st.bad || st.vfs_unplaced || st.truncated_vfs || (u && (u->cut || u->refused));
	if (!iplink)
		machine_warn(m, "sos: no ip link or ip address output (sos_commands/networking/ip_-s_-d_link): link "
			     "states, MTUs and VF settings are unknown");
	if (st.bad)
		machine_warn(m, "sos: %s: %d lines not understood (first: line %d)", iplink, st.bad, st.first_bad);
	if (st.vfs_unplaced)
		machine_warn(m, "sos: %s: %d VF lines of links whose PCI address the report does not give "
			     "(iproute2 before 5.14 prints no parentdev; no ethtool -i bus-info): not placed",
			     iplink, st.vfs_unplaced);
	if (st.truncated_vfs)
		machine_warn(m, "sos: %s: iproute2 said \"Truncated VF list\": some VFs are missing", iplink);
	if (u && u->cut)
		machine_warn(m, "sos: archive only partly unpacked: %s", u->why);
	if (u && u->refused)
		machine_warn(m, "sos: %d archive entries refused (unsafe path, link or write error)", u->refused);
	if (u && u->too_big)
		machine_warn(m, "sos: %d files larger than %u bytes skipped", u->too_big, SOS_MAX_FILE);
	if (!ethtool)
		machine_warn(m, "sos: no ethtool -i output (ethtool not installed where the report was made?): "
			     "drivers of netdevs are unknown");
	if (!lspci)
		machine_warn(m, "sos: no lspci output (sos_commands/pci): SR-IOV capabilities unknown");
	if (when[0])
		machine_warn(m, "sos: report started %s (the reporting machine's local time; zone not recorded)", when);
	machine_add_source(m, "sos", partial ? SOURCE_PARTIAL : SOURCE_OK,
			   "sos %s; %s: %d links %d VFs; ethtool -i: %d; %s%s; devlink ports: %d; VF addresses "
			   "derived: %d; namespaces: %d, %d links (not modelled)",
			   ver[0] ? ver : "?", iplink ? iplink : "no ip output", st.links, st.vfs, ethtool,
			   lspci ? lspci : "no lspci", lspci ? " (to pci-dump)" : "", devlink ? ports : 0, derived, nns, nslinks);
	return m;
}

struct machine *sos_load(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st)) {
		snprintf(err, errlen, "sos report %s: %s", path, strerror(errno));
		return NULL;
	}
	char root[PATH_MAX];
	if (S_ISDIR(st.st_mode)) {
		if (!sos_root_of(path, root, sizeof(root))) {
			snprintf(err, errlen, "%s: not a sos report directory (no sos_commands/ with sos_reports/ or "
				 "version.txt)", path);
			return NULL;
		}
		struct machine *m = build(root, path, NULL);
		if (!m)
			snprintf(err, errlen, "sos report %s: cannot open it", root);
		return m;
	}
	const char *tmpdir = getenv("TMPDIR");
	char tmpl[PATH_MAX], dir[PATH_MAX];
	snprintf(tmpl, sizeof(tmpl), "%s/vfscope-sos-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmpl)) {
		snprintf(err, errlen, "sos report %s: temporary directory %s: %s", path, tmpl, strerror(errno));
		return NULL;
	}
	/* libarchive's link check walks every component: use the real path */
	if (!realpath(tmpl, dir))
		vfs_strlcpy(dir, tmpl, sizeof(dir));
	struct unpack u;
	memset(&u, 0, sizeof(u));
	struct machine *m = NULL;
	if (unpack(path, dir, &u, err, errlen) == 0) {
		if (!sos_layout(dir))
			snprintf(err, errlen, "%s: not a sos report (no sos_commands/ with sos_reports/ or version.txt "
				 "in the archive)", path);
		else if (!(m = build(dir, path, &u)))
			snprintf(err, errlen, "sos report %s: cannot open the unpacked copy", path);
	}
	remove_tree(dir);
	return m;
}
