/* vfscope pci: decode SR-IOV/ARI/PCIe link of PFs, live or from an lspci
 * -xxx/-xxxx dump (a customer's dump can be decoded without their machine). */
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
		   "Decode the SR-IOV extended capability (0x0010), ARI and PCIe link status of\n"
		   "every SR-IOV PF (or the given addresses).\n");
}

static void print_cap(const char *addr, const struct pf *p)
{
	const struct sriov_cap *c = &p->cap;
	char ctrl[128];
	printf("%s [%s:%s] driver %s\n", addr, p->vendor.v ? p->vendor.v : "?", p->device.v ? p->device.v : "?",
	       p->driver.v ? p->driver.v : "?");
	if (!c->present) {
		printf("\tSR-IOV capability: not read (%s)\n",
		       "config space unreadable or extended space hidden; run as root");
		return;
	}
	sriov_ctrl_format(c->ctrl, ctrl, sizeof(ctrl));
	printf("\tSingle Root I/O Virtualization (SR-IOV) @0x%x (from %s)\n", c->offset, vfs_src_name(c->src));
	printf("\t\tIOVCap: Migration%c, ARI-Preserved%c, 10BitTagReq%c\n", c->caps & 1 ? '+' : '-',
	       c->caps & 2 ? '+' : '-', c->caps & 4 ? '+' : '-');
	printf("\t\tIOVCtl: %s\n", ctrl);
	printf("\t\tIOVSta: Migration%c\n", c->status & 1 ? '+' : '-');
	printf("\t\tInitial VFs: %u, Total VFs: %u, Number of VFs: %u, Function Dependency Link: %02x\n",
	       c->initial_vfs, c->total_vfs, c->num_vfs, c->func_dep_link);
	printf("\t\tVF offset: %u, stride: %u, Device ID: %04x\n", c->first_vf_offset, c->vf_stride, c->vf_device);
	printf("\t\tSupported Page Size: %08x, System Page Size: %08x\n", c->supported_page_sizes, c->system_page_size);
	for (int i = 0; i < 6; i++)
		if (c->vf_bar[i])
			printf("\t\tVF BAR%d: %08x\n", i, c->vf_bar[i]);
	printf("\tARI: %s\n", c->ari_present ? "present" : "absent");
	if (c->link_speed_gts10 >= 0)
		printf("\tPCIe link: %d.%d GT/s x%d\n", c->link_speed_gts10 / 10, c->link_speed_gts10 % 10, c->link_width);
	if (VI_KNOWN(p->sriov_totalvfs) && p->sriov_totalvfs.v != c->total_vfs)
		printf("\tnote: sysfs sriov_totalvfs %lld differs from the capability's TotalVFs %u (the driver caps it)\n",
		       (long long)p->sriov_totalvfs.v, c->total_vfs);
	if (VI_KNOWN(p->sriov_numvfs) && p->sriov_numvfs.v != c->num_vfs)
		printf("\tnote: sysfs sriov_numvfs %lld differs from the capability's NumVFs %u\n",
		       (long long)p->sriov_numvfs.v, c->num_vfs);
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
			json_t *full = machine_to_json(m);
			json_t *pf = json_deep_copy(json_array_get(json_object_get(full, "pfs"), i));
			json_object_del(pf, "vfs");
			json_array_append_new(arr, pf);
			json_decref(full);
		} else {
			print_cap(p->pci.v, p);
		}
	}
	if (json) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else if (!shown) {
		printf("no SR-IOV physical functions found\n");
	}
	json_decref(arr);
	machine_free(m);
	return 0;
}
