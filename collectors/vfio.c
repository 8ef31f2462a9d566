/* vfio ownership of VFs (which VM holds them, host side): a VF bound to
 * vfio-pci -> its iommu_group N -> the process holding /dev/vfio/N open ->
 * QEMU "-name guest=NAME,..." (libvirt) or "-name NAME", else the process
 * name. Every read goes through collectors/root.h (sysroots, bundles). */
#include "collectors/vfio.h"
#include "collectors/root.h"
#include "collectors/qemu_failover.h"
#include "lib/util.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROC_MAX_PIDS 65536
#define PROC_MAX_FDS 8192

/* QEMU -name: "guest=NAME,debug-threads=on" (libvirt) or "NAME[,process=..]". */
static bool qemu_name(const char *cmd, size_t len, char *out, size_t size)
{
	size_t pos = 0;
	while (pos < len) {
		const char *a = cmd + pos;
		size_t al = strnlen(a, len - pos);
		pos += al + 1;
		if (strcmp(a, "-name") && strcmp(a, "--name"))
			continue;
		if (pos >= len)
			return false;
		const char *v = cmd + pos;
		char b[256];
		vfs_strlcpy(b, v, sizeof(b));
		char *name = b;
		for (char *tok = b; tok && *tok;) {
			char *comma = strchr(tok, ',');
			if (comma)
				*comma = 0;
			if (!strncmp(tok, "guest=", 6)) {
				name = tok + 6;
				break;
			}
			if (tok == b && !strchr(tok, '='))
				name = tok; /* plain NAME first */
			tok = comma ? comma + 1 : NULL;
		}
		if (!*name || strchr(name, '='))
			return false;
		vfs_sanitize(out, size, name);
		return true;
	}
	return false;
}

struct holder { long group; long pid; };

static size_t vfio_holders(struct holder *h, size_t max)
{
	size_t n = 0;
	DIR *d = root_opendir("proc");
	if (!d)
		return 0;
	struct dirent *e;
	int pids = 0;
	char path[300], link[256];
	while ((e = readdir(d)) && pids < PROC_MAX_PIDS && n < max) {
		int64_t pid;
		if (vfs_parse_i64(e->d_name, 10, &pid))
			continue;
		pids++;
		snprintf(path, sizeof(path), "proc/%s/fd", e->d_name);
		DIR *fd = root_opendir(path);
		if (!fd)
			continue;
		struct dirent *f;
		int nfds = 0;
		while ((f = readdir(fd)) && nfds++ < PROC_MAX_FDS && n < max) {
			if (f->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "proc/%s/fd/%s", e->d_name, f->d_name);
			if (root_readlink(path, link, sizeof(link)) < 0 || strncmp(link, "/dev/vfio/", 10))
				continue;
			int64_t g;
			if (vfs_parse_i64(link + 10, 10, &g))
				continue; /* /dev/vfio/vfio (container) or devices/ */
			bool dup = false;
			for (size_t k = 0; k < n; k++)
				dup |= h[k].group == g && h[k].pid == pid;
			if (!dup)
				h[n++] = (struct holder){ (long)g, (long)pid };
		}
		closedir(fd);
	}
	closedir(d);
	return n;
}

void vfio_collect(struct machine *m)
{
	if (!m)
		return;
	bool any = false;
	for (size_t i = 0; i < m->npfs && !any; i++)
		for (size_t j = 0; j < m->pfs[i].nvfs; j++)
			any |= VS_KNOWN(m->pfs[i].vfs[j].iommu_group);
	if (!any)
		return;
	struct holder h[256];
	size_t nh = vfio_holders(h, ARRAY_SIZE(h));
	int found = 0;
	for (size_t i = 0; i < m->npfs; i++)
		for (size_t j = 0; j < m->pfs[i].nvfs; j++) {
			struct vf *v = &m->pfs[i].vfs[j];
			int64_t g;
			if (!VS_KNOWN(v->iommu_group) || vfs_parse_i64(v->iommu_group.v, 10, &g) ||
			    !VS_KNOWN(v->driver) || strcmp(v->driver.v, "vfio-pci"))
				continue;
			for (size_t k = 0; k < nh; k++) {
				if (h[k].group != g)
					continue;
				char path[64], name[256] = "";
				vi_set(&v->owner_pid, h[k].pid, SRC_PROCFS);
				snprintf(path, sizeof(path), "proc/%ld/cmdline", h[k].pid);
				unsigned char *cmd = NULL;
				ssize_t n = root_read_bin(path, &cmd, 65536);
				if (n > 0 && qemu_name((const char *)cmd, (size_t)n, name, sizeof(name)))
					vs_set(&v->owner_name, name, SRC_PROCFS);
				else {
					char comm[64], clean[64];
					snprintf(path, sizeof(path), "proc/%ld/comm", h[k].pid);
					if (!root_read_str(path, comm, sizeof(comm)))
						vs_set(&v->owner_name, vfs_sanitize(clean, sizeof(clean), comm), SRC_PROCFS);
				}
				/* The primary of a KVM failover pair: failover_pair_id names the
				 * guest's standby (issue 15). */
				char pid_s[128], mac_s[32];
				if (n > 0 && VS_KNOWN(v->pci) &&
				    !qemu_failover_lookup((const char *)cmd, (size_t)n, v->pci.v, pid_s, sizeof(pid_s), mac_s,
							  sizeof(mac_s))) {
					vs_set(&v->failover_pair_id, pid_s, SRC_PROCFS);
					vs_set(&v->failover_standby_mac, mac_s, SRC_PROCFS);
				}
				free(cmd);
				found++;
				break;
			}
		}
	machine_add_source(m, "vfio", SOURCE_OK, "%d VFs held by a process", found);
}
