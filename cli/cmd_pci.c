/* vfscope pci: decode SR-IOV/ARI/PCIe link of PFs, live or from an lspci
 * dump or lspci -vv text (a customer's output can be decoded without their
 * machine). Printed as lspci -vv prints these registers (pciutils
 * ls-ecaps.c cap_sriov, ls-caps.c cap_express_link), so the two can be put
 * side by side; `?` where the source did not say. */
#include "cli/cli.h"
#include "cli/common.h"
#include "decoders/pcicap.h"
#include "model/json.h"
#include "lib/util.h"
#include <stdio.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope pci [--json] [--pci-dump FILE | --sysroot DIR] [ADDR...]\n\n"
		   "Decode the SR-IOV extended capability (0x0010), ARI and PCIe link of every\n"
		   "SR-IOV PF (or the given addresses), as lspci -vv prints them. FILE is lspci\n"
		   "output: a hex dump (lspci -xxxx, as root) or -v/-vv/-vvv text (-nn, -k, -D).\n");
}

static bool unk(const struct sriov_cap *c, uint32_t bit) { return c->unknown & bit; }
static char pm(const struct sriov_cap *c, uint32_t bit, bool set) { return unk(c, bit) ? '?' : set ? '+' : '-'; }

static const char *exp_type_name(unsigned t)
{
	static const char *const names[] = {
		[PCI_EXP_ENDPOINT] = "Endpoint", [PCI_EXP_LEG_END] = "Legacy Endpoint",
		[PCI_EXP_ROOT_PORT] = "Root Port", [PCI_EXP_UPSTREAM] = "Upstream Port",
		[PCI_EXP_DOWNSTREAM] = "Downstream Port", [PCI_EXP_PCI_BRIDGE] = "PCI-Express to PCI/PCI-X Bridge",
		[PCI_EXP_PCIE_BRIDGE] = "PCI/PCI-X to PCI-Express Bridge",
		[PCI_EXP_ROOT_INT_EP] = "Root Complex Integrated Endpoint", [PCI_EXP_ROOT_EC] = "Root Complex Event Collector",
	};
	return t < ARRAY_SIZE(names) && names[t] ? names[t] : "Unknown type";
}

static const char *cmp_mark(uint8_t cmp)
{
	return cmp == SRIOV_LINK_DOWNGRADED ? " (downgraded)" : cmp == SRIOV_LINK_OVERDRIVEN ? " (overdriven)" : "";
}

static void print_sriov(const struct sriov_cap *c)
{
	char n[3][16];
	printf("\t\tIOVCap:\tMigration%c 10BitTagReq%c Interrupt Message Number: ", pm(c, SRIOV_UNK_CAPS, c->caps & 1),
	       pm(c, SRIOV_UNK_CAPS | SRIOV_UNK_10BIT, c->caps & 4));
	if (unk(c, SRIOV_UNK_CAPS | SRIOV_UNK_IMN))
		printf("?\n");
	else
		printf("%03x\n", (c->caps >> 21) & 0x7ff);
	if (unk(c, SRIOV_UNK_CTRL)) {
		printf("\t\tIOVCtl:\t?\n");
	} else {
		uint16_t w = c->ctrl;
		printf("\t\tIOVCtl:\tEnable%c Migration%c Interrupt%c MSE%c ARIHierarchy%c 10BitTagReq%c\n",
		       w & 1 ? '+' : '-', w & 2 ? '+' : '-', w & 4 ? '+' : '-', w & 8 ? '+' : '-', w & 16 ? '+' : '-',
		       pm(c, SRIOV_UNK_10BIT, w & 32));
	}
	printf("\t\tIOVSta:\tMigration%c\n", pm(c, SRIOV_UNK_STATUS, c->status & 1));
	if (unk(c, SRIOV_UNK_COUNTS))
		printf("\t\tInitial VFs: ?, Total VFs: ?, Number of VFs: ?, Function Dependency Link: ?\n");
	else
		printf("\t\tInitial VFs: %u, Total VFs: %u, Number of VFs: %u, Function Dependency Link: %02x\n",
		       c->initial_vfs, c->total_vfs, c->num_vfs, c->func_dep_link);
	if (unk(c, SRIOV_UNK_ROUTING))
		printf("\t\tVF offset: ?, stride: ?, Device ID: ?\n");
	else
		printf("\t\tVF offset: %u, stride: %u, Device ID: %04x\n", c->first_vf_offset, c->vf_stride, c->vf_device);
	if (unk(c, SRIOV_UNK_PAGES)) {
		printf("\t\tSupported Page Size: ?, System Page Size: ?\n");
	} else {
		snprintf(n[0], sizeof(n[0]), "%08x", c->supported_page_sizes);
		snprintf(n[1], sizeof(n[1]), "%08x", c->system_page_size);
		printf("\t\tSupported Page Size: %s, System Page Size: %s\n", n[0], n[1]);
	}
	if (unk(c, SRIOV_UNK_BARS)) {
		printf("\t\tRegions: ? (not in the source)\n");
	} else {
		struct sriov_vf_bar bars[6];
		size_t nb = sriov_vf_bars(c, bars);
		for (size_t i = 0; i < nb; i++) {
			const struct sriov_vf_bar *b = &bars[i];
			if (b->pair)
				printf("\t\tRegion %d: Memory at %016llx", b->index, (unsigned long long)b->addr);
			else
				printf("\t\tRegion %d: Memory at %08llx", b->index, (unsigned long long)b->addr);
			printf(" (%d-bit, %sprefetchable)\n", b->bits, b->prefetch ? "" : "non-");
		}
	}
	if (c->vf_migration_known)
		printf("\t\tVF Migration: offset: %08x, BIR: %x\n", c->vf_migration & ~7u, c->vf_migration & 7);
	else
		printf("\t\tVF Migration: ?\n");
}

static void print_link(const struct sriov_cap *c)
{
	char s1[16], s2[16];
	if (c->exp_type_known)
		printf("\tExpress %s\n", exp_type_name(c->exp_type));
	if (c->exp_type_known && (c->exp_type == PCI_EXP_ROOT_INT_EP || c->exp_type == PCI_EXP_ROOT_EC) &&
	    !c->link_cap_known && c->link_width < 0) {
		printf("\t\tno link (lspci shows none for this type)\n");
		return;
	}
	if (c->link_cap_known)
		printf("\t\tLnkCap:\tSpeed %s, Width x%d\n", pcicap_speed_name(c->link_cap_speed_gts10, s1, sizeof(s1)),
		       c->link_cap_width);
	if (c->link_width >= 0)
		printf("\t\tLnkSta:\tSpeed %s%s, Width x%d%s\n", pcicap_speed_name(c->link_speed_gts10, s2, sizeof(s2)),
		       cmp_mark(c->link_speed_cmp), c->link_width, cmp_mark(c->link_width_cmp));
	if (!c->link_cap_known && c->link_width < 0)
		printf("\tPCIe link: ?\n");
}

static void print_cap(const char *addr, const struct pf *p)
{
	const struct sriov_cap *c = &p->cap;
	printf("%s [%s:%s] driver %s\n", addr, p->vendor.v ? p->vendor.v : "?", p->device.v ? p->device.v : "?",
	       p->driver.v ? p->driver.v : "?");
	if (!c->present) {
		printf("\tSR-IOV capability: not read (%s)\n",
		       "config space unreadable or extended space hidden; run as root");
		return;
	}
	printf("\tSingle Root I/O Virtualization (SR-IOV) @0x%x (from %s%s)\n", c->offset, vfs_src_name(c->src),
	       c->from_text ? ", lspci text" : "");
	print_sriov(c);
	printf("\tAlternative Routing-ID Interpretation (ARI): %s\n",
	       unk(c, SRIOV_UNK_ARI) ? "?" : c->ari_present ? "present" : "absent");
	print_link(c);
	if (VI_KNOWN(p->sriov_totalvfs) && !unk(c, SRIOV_UNK_COUNTS) && p->sriov_totalvfs.v != c->total_vfs)
		printf("\tnote: sysfs sriov_totalvfs %lld differs from the capability's TotalVFs %u (the driver caps it)\n",
		       (long long)p->sriov_totalvfs.v, c->total_vfs);
	if (VI_KNOWN(p->sriov_numvfs) && !unk(c, SRIOV_UNK_COUNTS) && p->sriov_numvfs.v != c->num_vfs)
		printf("\tnote: sysfs sriov_numvfs %lld differs from the capability's NumVFs %u\n",
		       (long long)p->sriov_numvfs.v, c->num_vfs);
}

/* What the model's JSON does not carry: the lspci reading of the
 * capability's bits and regions, added to the PF's sriov_cap object. */
static void cap_json_extra(json_t *pf, const struct sriov_cap *c)
{
	json_t *o = json_object_get(pf, "sriov_cap");
	if (!json_is_object(o))
		return;
	json_object_set_new(o, "vf_10bit_tag_req", unk(c, SRIOV_UNK_CAPS | SRIOV_UNK_10BIT) ? json_null() : json_boolean(c->caps & 4));
	json_object_set_new(o, "vf_migration_capable", unk(c, SRIOV_UNK_CAPS) ? json_null() : json_boolean(c->caps & 1));
	json_object_set_new(o, "vf_migration_enable", unk(c, SRIOV_UNK_CTRL) ? json_null() : json_boolean(c->ctrl & 2));
	json_t *regs = json_array();
	if (unk(c, SRIOV_UNK_BARS)) {
		json_decref(regs);
		regs = json_null();
	} else {
		struct sriov_vf_bar bars[6];
		size_t nb = sriov_vf_bars(c, bars);
		for (size_t i = 0; i < nb; i++) {
			char a[24];
			snprintf(a, sizeof(a), "0x%016llx", (unsigned long long)bars[i].addr);
			json_array_append_new(regs, json_pack("{s:i, s:s, s:i, s:b}", "region", bars[i].index, "address", a,
							      "bits", bars[i].bits, "prefetchable", bars[i].prefetch));
		}
	}
	json_object_set_new(o, "vf_regions", regs);
	json_object_set_new(o, "express_type", c->exp_type_known ? json_string(exp_type_name(c->exp_type)) : json_null());
}

int cmd_pci(int argc, char **argv)
{
	static const struct option lo[] = { { "json", no_argument, NULL, 'j' }, { "help", no_argument, NULL, 'h' },
					     { "sysroot", required_argument, NULL, OPT_SYSROOT },
					     { "pci-dump", required_argument, NULL, OPT_PCI_DUMP }, { 0 } };
	struct collect_opts co = { .no_netlink = true, .no_kmsg = true };
	int json = 0, c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jh", lo, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'h': usage(stdout); return 0;
		case OPT_SYSROOT: co.sysroot = optarg; break;
		case OPT_PCI_DUMP: co.pci_dump = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	char err[512];
	struct machine *m = collect_machine(&co, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "vfscope pci: %s\n", err);
		return 2;
	}
	const struct source *ds = co.pci_dump ? machine_source(m, "pci-dump") : NULL;
	if (ds && ds->status == SOURCE_FAILED) {
		fprintf(stderr, "vfscope pci: %s\n", ds->detail);
		machine_free(m);
		return 2;
	}
	json_t *arr = json_array();
	json_t *full = json ? machine_to_json(m) : NULL;
	int shown = 0;
	for (size_t i = 0; i < m->npfs; i++) {
		const struct pf *p = &m->pfs[i];
		if (!p->pci.v)
			continue;
		if (co.pci_dump && p->cap.src != SRC_PCIDUMP)
			continue; /* with a dump, show the dump's devices */
		bool want = optind >= argc;
		for (int a = optind; a < argc; a++)
			if (!strcmp(argv[a], p->pci.v) || (strlen(argv[a]) == 7 && strstr(p->pci.v, argv[a])))
				want = true;
		if (!want)
			continue;
		shown++;
		if (json) {
			json_t *pf = json_deep_copy(json_array_get(json_object_get(full, "pfs"), i));
			json_object_del(pf, "vfs");
			cap_json_extra(pf, &p->cap);
			json_array_append_new(arr, pf);
		} else {
			print_cap(p->pci.v, p);
		}
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else if (!shown) {
		/* Say what was there: a dump's account of itself, or why
		 * libpci read nothing. */
		const struct source *s = machine_source(m, co.pci_dump ? "pci-dump" : "libpci");
		if (co.pci_dump && s && s->detail[0])
			printf("no SR-IOV physical functions: %s\n", s->detail);
		else if (s && s->status != SOURCE_OK && s->detail[0])
			printf("no SR-IOV physical functions found (libpci: %s)\n", s->detail);
		else
			printf("no SR-IOV physical functions found\n");
	} else if (ds && ds->status != SOURCE_OK) {
		printf("note: %s\n", ds->detail);
	}
	json_decref(full);
	json_decref(arr);
	machine_free(m);
	return 0;
}
