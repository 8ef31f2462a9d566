#include "collectors/pci.h"
#include "collectors/root.h"
#include "decoders/pcicap.h"
#include "lib/util.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static struct pci_access *open_access(const char *dump, char *why, size_t wl)
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
	if (dump) {
		FILE *f = fopen(dump, "r");
		if (!f) {
			snprintf(why, wl, "%s: %s", dump, strerror(errno));
			pci_cleanup(pa);
			return NULL;
		}
		fclose(f);
		pa->method = PCI_ACCESS_DUMP;
		pci_set_param(pa, "dump.name", (char *)dump);
	} else {
		pa->method = PCI_ACCESS_SYS_BUS_PCI;
		snprintf(path, sizeof(path), "%s%ssys/bus/pci", root_dir(),
			 root_dir()[strlen(root_dir()) - 1] == '/' ? "" : "/");
		pci_set_param(pa, "sysfs.path", path);
		if (!root_exists("sys/bus/pci/devices")) {
			snprintf(why, wl, "no %s", path);
			pci_cleanup(pa);
			return NULL;
		}
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
	char why[512] = "";
	const char *src_name = dump ? "pci-dump" : "libpci";
	int src = dump ? SRC_PCIDUMP : SRC_LIBPCI;
	struct pci_access *pa = open_access(dump, why, sizeof(why));
	if (!pa) {
		machine_add_source(m, src_name, dump ? SOURCE_FAILED : SOURCE_SKIPPED, "%s", why);
		return -ENOENT;
	}
	static uint8_t cfg[4096];
	int short_reads = 0, found = 0;
	for (struct pci_dev *d = pa->devices; d; d = d->next) {
		char addr[32];
		addr_of(d, addr, sizeof(addr));
		int p = machine_find_pf(m, addr);
		if (p < 0 && !dump)
			continue; /* only PFs sysfs found; a dump can add its own */
		int n = read_cfg(d, cfg);
		if (n < 0)
			continue;
		struct sriov_cap cap;
		int r = sriov_cap_decode(cfg, (size_t)n, &cap);
		if (r == -ENODATA && n < 4096) {
			short_reads++;
			continue;
		}
		if (r)
			continue;
		if (p < 0) {
			struct pf *pf = machine_add_pf(m, addr);
			pf->pci.src = (uint8_t)src;
			char b[16];
			pci_fill_info(d, PCI_FILL_IDENT);
			snprintf(b, sizeof(b), "0x%04x", d->vendor_id);
			vs_set(&pf->vendor, b, src);
			snprintf(b, sizeof(b), "0x%04x", d->device_id);
			vs_set(&pf->device, b, src);
			p = (int)m->npfs - 1;
		}
		cap.src = (uint8_t)src;
		m->pfs[p].cap = cap;
		found++;
	}
	pci_cleanup(pa);
	int missing = 0;
	for (size_t i = 0; !dump && i < m->npfs; i++)
		if (!m->pfs[i].cap.present)
			missing++;
	if (missing && !short_reads)
		machine_add_source(m, src_name, SOURCE_PARTIAL, "%d of %zu PFs without a readable SR-IOV capability",
				   missing, m->npfs);
	else if (short_reads)
		machine_add_source(m, src_name, SOURCE_PARTIAL,
				   "%d PF config spaces readable only in part (extended space needs root)", short_reads);
	else
		machine_add_source(m, src_name, SOURCE_OK, "%d SR-IOV capabilities", found);
	return 0;
}

int pci_read_config(const char *dump, const char *addr, uint8_t **out)
{
	char why[256];
	struct pci_access *pa = open_access(dump, why, sizeof(why));
	if (!pa)
		return -ENOENT;
	int ret = -ENOENT;
	for (struct pci_dev *d = pa->devices; d; d = d->next) {
		char a[32];
		addr_of(d, a, sizeof(a));
		if (strcmp(a, addr))
			continue;
		uint8_t *b = vfs_xcalloc(1, 4096);
		ret = read_cfg(d, b);
		if (ret < 0)
			free(b);
		else
			*out = b;
		break;
	}
	pci_cleanup(pa);
	return ret;
}
