#include "collectors/pci.h"
#include "collectors/root.h"
#include "decoders/lspci_text.h"
#include "decoders/pcicap.h"
#include "lib/util.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pci/pci.h>

static char pci_err[256];

static void PCI_NONRET pci_error_cb(char *msg, ...)
{
	/* libpci's error callback must not return; we never hand it a
	 * path that can fail fatally after init, but be safe. */
	va_list ap;
	va_start(ap, msg);
	vsnprintf(pci_err, sizeof(pci_err), msg, ap);
	va_end(ap);
	fprintf(stderr, "vfscope: libpci: %s\n", pci_err);
	exit(2);
}

static void pci_quiet(char *msg, ...) { (void)msg; }

static struct pci_access *open_access(char *why, size_t wl)
{
	struct pci_access *pa = pci_alloc();
	if (!pa) {
		snprintf(why, wl, "pci_alloc failed");
		return NULL;
	}
	pa->error = pci_error_cb;
	pa->warning = pci_quiet;
	pa->debug = pci_quiet;
	char path[4200];
	pa->method = PCI_ACCESS_SYS_BUS_PCI;
	snprintf(path, sizeof(path), "%s%ssys/bus/pci", root_dir(), root_dir()[strlen(root_dir()) - 1] == '/' ? "" : "/");
	pci_set_param(pa, "sysfs.path", path);
	if (!root_exists("sys/bus/pci/devices")) {
		snprintf(why, wl, "no %s", path);
		pci_cleanup(pa);
		return NULL;
	}
	pci_init(pa);
	pci_scan_bus(pa);
	return pa;
}

static void addr_of(struct pci_dev *d, char *out, size_t size)
{
	snprintf(out, size, "%04x:%02x:%02x.%d", d->domain, d->bus, d->dev, d->func);
}

/* Read up to 4 KiB of config; returns bytes read (256 when unprivileged:
 * sysfs hides the extended space from non-root readers). */
static int read_cfg(struct pci_dev *d, uint8_t *cfg)
{
	memset(cfg, 0xff, 4096);
	if (!pci_read_block(d, 0, cfg, 64))
		return -EIO;
	if (pci_read_block(d, 64, cfg + 64, 4096 - 64))
		return 4096;
	if (pci_read_block(d, 64, cfg + 64, 256 - 64))
		return 256;
	return 64;
}

int pci_collect(struct machine *m, const char *dump)
{
	if (dump)
		return pci_collect_file(m, dump, SRC_PCIDUMP, "pci-dump");
	char why[512] = "";
	struct pci_access *pa = open_access(why, sizeof(why));
	if (!pa) {
		machine_add_source(m, "libpci", SOURCE_SKIPPED, "%s", why);
		return -ENOENT;
	}
	static uint8_t cfg[4096];
	int short_reads = 0, found = 0;
	long long short_min = -1, short_max = -1; /* sysroot: sizes of the short config files */
	for (struct pci_dev *d = pa->devices; d; d = d->next) {
		char addr[32];
		addr_of(d, addr, sizeof(addr));
		int p = machine_find_pf(m, addr);
		if (p < 0)
			continue; /* only PFs sysfs found */
		int n = read_cfg(d, cfg);
		if (n < 0)
			continue;
		struct sriov_cap cap;
		int r = sriov_cap_decode(cfg, (size_t)n, &cap);
		if (r == -ENODATA && n < 4096) {
			short_reads++;
			/* Under a sysroot the tree's file is short (copied by an
			 * unprivileged reader), not this process: say its size. */
			if (!root_is_live()) {
				char rel[64];
				struct stat sb;
				long long sz = n;
				int fd = root_open(root_path(rel, sizeof(rel), "sys/bus/pci/devices/%s/config", addr), O_RDONLY);
				if (fd >= 0) {
					if (!fstat(fd, &sb))
						sz = (long long)sb.st_size;
					close(fd);
				}
				short_min = short_min < 0 || sz < short_min ? sz : short_min;
				short_max = sz > short_max ? sz : short_max;
			}
			continue;
		}
		if (r)
			continue;
		cap.src = SRC_LIBPCI;
		m->pfs[p].cap = cap;
		found++;
	}
	pci_cleanup(pa);
	int missing = 0;
	for (size_t i = 0; i < m->npfs; i++)
		if (!m->pfs[i].cap.present)
			missing++;
	if (missing && !short_reads)
		machine_add_source(m, "libpci", SOURCE_PARTIAL, "%d of %zu PFs without a readable SR-IOV capability",
				   missing, m->npfs);
	else if (short_reads && short_min >= 0 && short_min == short_max)
		machine_add_source(m, "libpci", SOURCE_PARTIAL,
				   "%d PF config spaces readable only in part: the tree's config file holds only %lld of 4096 bytes "
				   "(SR-IOV is in the extended space, from byte 256)", short_reads, short_min);
	else if (short_reads && short_min >= 0)
		machine_add_source(m, "libpci", SOURCE_PARTIAL,
				   "%d PF config spaces readable only in part: the tree's config files hold only %lld to %lld of 4096 "
				   "bytes (SR-IOV is in the extended space, from byte 256)", short_reads, short_min, short_max);
	else if (short_reads)
		machine_add_source(m, "libpci", SOURCE_PARTIAL,
				   "%d PF config spaces readable only in part (extended space needs root)", short_reads);
	else
		machine_add_source(m, "libpci", SOURCE_OK, "%d SR-IOV capabilities", found);
	return 0;
}

/* ---- lspci output files (--pci-dump, a sos report's lspci text) --------- */

#define LSPCI_MAX_FILE (64u << 20)

static int read_file(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -errno;
	size_t cap = 0, n = 0;
	char *b = NULL;
	int ret = 0;
	for (;;) {
		if (n == cap) {
			if (cap >= LSPCI_MAX_FILE) {
				ret = -EFBIG;
				break;
			}
			cap = cap ? cap * 2 : 65536;
			b = vfs_xrealloc(b, cap, 1);
		}
		size_t got = fread(b + n, 1, cap - n, f);
		n += got;
		if (!got) {
			if (ferror(f))
				ret = -EIO;
			break;
		}
	}
	fclose(f);
	if (ret && ret != -EFBIG) {
		free(b);
		return ret;
	}
	*out = b;
	*len = n;
	return ret;
}

static int cfg_len_class(size_t n)
{
	/* What libpci's dump method would let read_cfg() read. */
	return n >= 4096 ? 4096 : n >= 256 ? 256 : n >= 64 ? 64 : -ENODATA;
}

int pci_collect_lspci(struct machine *m, const char *buf, size_t len, int src, const char *source_name,
		      const char *what)
{
	struct lspci_file lf;
	int pr = lspci_parse(buf, len, &lf);
	int found = 0, from_text = 0, short_dumps = 0, hex_devs = 0, denied = 0, broken = 0;
	for (size_t i = 0; i < lf.ndevs; i++) {
		const struct lspci_dev *d = &lf.devs[i];
		if (d->cfg)
			hex_devs++;
		if (d->access_denied)
			denied++;
		struct sriov_cap cap;
		int r = lspci_dev_cap(d, &cap);
		if (r == -ENODATA)
			short_dumps++;
		if (r == -EBADMSG)
			broken++;
		if (r)
			continue;
		int p = machine_find_pf(m, d->addr);
		struct pf *pf;
		if (p < 0) {
			pf = machine_add_pf(m, d->addr);
			pf->pci.src = (uint8_t)src;
		} else {
			pf = &m->pfs[p];
		}
		char b[16];
		uint16_t ven = d->vendor, dev = d->device;
		bool ids = d->ids_known;
		if (d->cfg && d->cfg_len >= 4) {
			ven = (uint16_t)(d->cfg[0] | d->cfg[1] << 8);
			dev = (uint16_t)(d->cfg[2] | d->cfg[3] << 8);
			ids = true;
		}
		if (ids && !VS_KNOWN(pf->vendor)) {
			snprintf(b, sizeof(b), "0x%04x", ven);
			vs_set(&pf->vendor, b, src);
			snprintf(b, sizeof(b), "0x%04x", dev);
			vs_set(&pf->device, b, src);
		}
		if (d->driver[0] && !VS_KNOWN(pf->driver))
			vs_set(&pf->driver, d->driver, src);
		cap.src = (uint8_t)src;
		pf->cap = cap;
		found++;
		if (cap.from_text)
			from_text++;
	}
	char extra[160] = "";
	size_t el = 0;
	if (lf.nwarn)
		el += (size_t)snprintf(extra + el, sizeof(extra) - el, "; %zu lines not understood (%s)", lf.nwarn,
				       lf.warn);
	if (pr == -E2BIG && el < sizeof(extra))
		el += (size_t)snprintf(extra + el, sizeof(extra) - el, "; read in part (more than %u lines or %u devices)",
				       LSPCI_MAX_LINES, LSPCI_MAX_DEVS);
	if (found) {
		machine_add_source(m, source_name, lf.nwarn || pr ? SOURCE_PARTIAL : SOURCE_OK,
				   "%s: %d SR-IOV capabilit%s (%d from lspci text, %d from config bytes) in %zu device%s%s",
				   what, found, found == 1 ? "y" : "ies", from_text, found - from_text, lf.ndevs,
				   lf.ndevs == 1 ? "" : "s", extra);
	} else if (!hex_devs && !lf.sriov_blocks) {
		char denied_s[96] = "";
		if (denied)
			snprintf(denied_s, sizeof(denied_s), "; capabilities <access denied> for %d (lspci ran without root)",
				 denied);
		machine_add_source(m, source_name, SOURCE_PARTIAL, "%s: no hex dump and no SR-IOV block in %zu line%s (%zu device%s%s)%s",
				   what, lf.lines, lf.lines == 1 ? "" : "s", lf.ndevs, lf.ndevs == 1 ? "" : "s", denied_s, extra);
	} else if (short_dumps || broken) {
		char b1[96] = "", b2[96] = "";
		if (short_dumps)
			snprintf(b1, sizeof(b1), "; %d dumped short of the extended space (SR-IOV needs lspci -xxxx, as root)",
				 short_dumps);
		if (broken)
			snprintf(b2, sizeof(b2), "; %d with a broken extended capability list", broken);
		/* Those devices may have SR-IOV: unknown, not absent. */
		machine_add_source(m, source_name, SOURCE_PARTIAL,
				   "%s: no SR-IOV capability found in %zu device%s%s%s%s",
				   what, lf.ndevs, lf.ndevs == 1 ? "" : "s", b1, b2, extra);
	} else {
		machine_add_source(m, source_name, lf.nwarn ? SOURCE_PARTIAL : SOURCE_OK,
				   "%s: no SR-IOV capability in %zu device%s (%d full hex dump%s)%s", what, lf.ndevs,
				   lf.ndevs == 1 ? "" : "s", hex_devs, hex_devs == 1 ? "" : "s", extra);
	}
	lspci_file_free(&lf);
	return found;
}

int pci_collect_file(struct machine *m, const char *path, int src, const char *source_name)
{
	char *buf = NULL;
	size_t len = 0;
	int r = read_file(path, &buf, &len);
	if (r && r != -EFBIG) {
		machine_add_source(m, source_name, SOURCE_FAILED, "%s: %s", path, strerror(-r));
		return r;
	}
	if (r == -EFBIG)
		machine_warn(m, "%s: larger than %u MiB; read the first part only", path, LSPCI_MAX_FILE >> 20);
	int n = pci_collect_lspci(m, buf, len, src, source_name, path);
	free(buf);
	return n;
}

int pci_read_config(const char *dump, const char *addr, uint8_t **out)
{
	if (!dump || !addr)
		return -EINVAL;
	char *buf = NULL;
	size_t len = 0;
	int r = read_file(dump, &buf, &len);
	if (r && r != -EFBIG)
		return r;
	struct lspci_file lf;
	lspci_parse(buf, len, &lf);
	free(buf);
	int ret = -ENOENT;
	for (size_t i = 0; i < lf.ndevs; i++) {
		const struct lspci_dev *d = &lf.devs[i];
		if (strcmp(d->addr, addr))
			continue;
		ret = d->cfg ? cfg_len_class(d->cfg_len) : -ENODATA;
		if (ret > 0) {
			uint8_t *b = vfs_xcalloc(1, 4096);
			memset(b, 0xff, 4096);
			memcpy(b, d->cfg, MIN(d->cfg_alloc, (size_t)4096));
			*out = b;
		}
		break;
	}
	lspci_file_free(&lf);
	return ret;
}
