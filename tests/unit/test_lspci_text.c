/* lspci text and hex dump parser (decoders/lspci_text.c): the formats lspci
 * has printed, what stays unknown, and the bounds. The whole-file agreement
 * with lspci -F is tests/decoders/pci_lspci.sh. */
#include "tests/unit/t.h"
#include "collectors/pci.h"
#include "decoders/lspci_text.h"
#include "decoders/pcicap.h"
#include <errno.h>
#include <stdlib.h>

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = malloc(1 << 20);
	*len = fread(b, 1, 1 << 20, f);
	fclose(f);
	return b;
}

static int parse1(const char *text, struct lspci_file *f, struct sriov_cap *c)
{
	lspci_parse(text, strlen(text), f);
	if (f->ndevs < 1)
		return -ENOENT;
	return lspci_dev_cap(&f->devs[0], c);
}

/* lspci 3.9's -vvv text of the QEMU igb PF carries every register the
 * hex dump does, except IOVCap bit 1 that lspci never prints. */
static void test_text_equals_hex(void)
{
	size_t len = 0;
	char *txt = slurp("tests/fixtures/pci/qemu-igb-82576-pf.lspci-vvv.txt", &len);
	uint8_t *cfg = NULL;
	CHECK(txt != NULL);
	CHECK_INT(pci_read_config("tests/fixtures/pci/qemu-igb-82576-pf.lspci", "0000:01:00.0", &cfg), 4096);
	if (!txt || !cfg)
		return;
	struct sriov_cap h, t;
	CHECK_INT(sriov_cap_decode(cfg, 4096, &h), 0);
	struct lspci_file f;
	CHECK_INT(lspci_parse(txt, len, &f), 0);
	CHECK_INT(f.ndevs, 1);
	CHECK_INT(f.hex_lines, 0);
	CHECK_INT(f.nwarn, 0);
	CHECK_STR(f.devs[0].addr, "0000:01:00.0");
	CHECK(!f.devs[0].ids_known); /* no -nn */
	CHECK_INT(lspci_dev_cap(&f.devs[0], &t), 0);
	CHECK(t.from_text);
	CHECK_INT(t.unknown, SRIOV_UNK_ARIP);
	CHECK_INT(t.offset, h.offset);
	CHECK_INT(t.caps, h.caps & ~2u);
	CHECK_INT(t.ctrl, h.ctrl);
	CHECK_INT(t.status, h.status);
	CHECK_INT(t.initial_vfs, h.initial_vfs);
	CHECK_INT(t.total_vfs, h.total_vfs);
	CHECK_INT(t.num_vfs, h.num_vfs);
	CHECK_INT(t.func_dep_link, h.func_dep_link);
	CHECK_INT(t.first_vf_offset, h.first_vf_offset);
	CHECK_INT(t.vf_stride, h.vf_stride);
	CHECK_INT(t.vf_device, h.vf_device);
	CHECK_INT(t.supported_page_sizes, h.supported_page_sizes);
	CHECK_INT(t.system_page_size, h.system_page_size);
	CHECK(t.vf_migration_known && h.vf_migration_known);
	CHECK_INT(t.vf_migration, h.vf_migration);
	for (int i = 0; i < 6; i++)
		CHECK_INT(t.vf_bar[i] & ~0xfu, h.vf_bar[i] & ~0xfu);
	struct sriov_vf_bar tb[6], hb[6];
	size_t nt = sriov_vf_bars(&t, tb), nh = sriov_vf_bars(&h, hb);
	CHECK_INT(nt, 2);
	CHECK_INT(nh, 2);
	for (size_t i = 0; i < nt && i < nh; i++) {
		CHECK_INT(tb[i].index, hb[i].index);
		CHECK_INT(tb[i].addr, hb[i].addr);
		CHECK_INT(tb[i].bits, 64);
		CHECK(tb[i].pair && tb[i].prefetch);
	}
	CHECK_INT(hb[0].addr, 0xfe200000);
	CHECK(t.ari_present && h.ari_present);
	CHECK(!(t.unknown & SRIOV_UNK_ARI));
	CHECK(t.exp_type_known && t.exp_type == PCI_EXP_ENDPOINT && h.exp_type == PCI_EXP_ENDPOINT);
	CHECK_INT(t.link_speed_gts10, 25);
	CHECK_INT(t.link_width, 1);
	CHECK_INT(t.link_cap_speed_gts10, h.link_cap_speed_gts10);
	CHECK_INT(t.link_cap_width, h.link_cap_width);
	CHECK_INT(t.link_speed_cmp, SRIOV_LINK_SAME);
	CHECK_INT(h.link_speed_cmp, SRIOV_LINK_SAME);
	lspci_file_free(&f);
	free(txt);
	free(cfg);
}

/* lspci before 3.8 (2021): "IOVCap: Migration-, Interrupt Message Number:",
 * no 10BitTagReq; 2018-2022 marks LnkSta "(ok)"/"(downgraded)"; -nn IDs;
 * space indentation; CRLF. */
static void test_old_format_nn_spaces_crlf(void)
{
	const char *t =
		"3b:00.0 Ethernet controller [0200]: Intel Corporation Ethernet Controller XXV710 [8086:158b] (rev 02)\r\n"
		"        Subsystem: Intel Corporation Ethernet 25G 2P XXV710 Adapter [8086:0009]\r\n"
		"        Capabilities: [a0] Express (v2) Endpoint, MSI 00\r\n"
		"                LnkCap: Port #0, Speed 8GT/s, Width x8, ASPM L1, Exit Latency L1 <16us\r\n"
		"                LnkSta: Speed 8GT/s (ok), Width x4 (downgraded)\r\n"
		"        Capabilities: [160 v1] Single Root I/O Virtualization (SR-IOV)\r\n"
		"                IOVCap: Migration-, Interrupt Message Number: 000\r\n"
		"                IOVCtl: Enable+ Migration- Interrupt- MSE+ ARIHierarchy+\r\n"
		"                IOVSta: Migration-\r\n"
		"                Initial VFs: 64, Total VFs: 64, Number of VFs: 5, Function Dependency Link: 00\r\n"
		"                VF offset: 16, stride: 1, Device ID: 154c\r\n"
		"                Supported Page Size: 00000553, System Page Size: 00000001\r\n"
		"                Region 0: Memory at 00000000d6400000 (64-bit, prefetchable)\r\n"
		"                Region 3: Memory at 00000000d6910000 (64-bit, prefetchable)\r\n"
		"                VF Migration: offset: 00000000, BIR: 0\r\n"
		"        Capabilities: [1a0 v1] Transaction Processing Hints\r\n"
		"        Kernel driver in use: i40e\r\n"
		"        Kernel modules: i40e\r\n";
	struct lspci_file f;
	struct sriov_cap c;
	CHECK_INT(parse1(t, &f, &c), 0);
	CHECK_INT(f.nwarn, 0);
	const struct lspci_dev *d = &f.devs[0];
	CHECK_STR(d->addr, "0000:3b:00.0");
	CHECK(d->ids_known && d->vendor == 0x8086 && d->device == 0x158b);
	CHECK_STR(d->driver, "i40e");
	CHECK(c.present && c.from_text);
	CHECK(c.unknown & SRIOV_UNK_10BIT);
	CHECK(!(c.unknown & (SRIOV_UNK_CAPS | SRIOV_UNK_CTRL | SRIOV_UNK_COUNTS | SRIOV_UNK_BARS | SRIOV_UNK_IMN)));
	CHECK_INT(c.ctrl, 0x19);
	CHECK_INT(c.num_vfs, 5);
	CHECK_INT(c.vf_device, 0x154c);
	CHECK_INT(c.vf_bar[3], 0xd691000c);
	CHECK_INT(c.vf_bar[4], 0);
	/* No ARI line, the extended capabilities shown in full: absent. */
	CHECK(!c.ari_present);
	CHECK(!(c.unknown & SRIOV_UNK_ARI));
	CHECK_INT(c.link_speed_gts10, 80);
	CHECK_INT(c.link_width, 4);
	CHECK_INT(c.link_speed_cmp, SRIOV_LINK_SAME);
	CHECK_INT(c.link_width_cmp, SRIOV_LINK_DOWNGRADED);
	lspci_file_free(&f);
}

/* What the text does not say stays unknown: -v (no registers), an output cut
 * with "...", "<access denied>". */
static void test_unknowns(void)
{
	struct lspci_file f;
	struct sriov_cap c;
	CHECK_INT(parse1("01:00.0 Ethernet controller: Intel Corporation 82576 Gigabit Network Connection (rev 01)\n"
			 "\tCapabilities: [a0] Express Endpoint, MSI 00\n"
			 "\tCapabilities: [160] Single Root I/O Virtualization (SR-IOV)\n"
			 "\tKernel driver in use: igb\n",
			 &f, &c),
		     0);
	uint32_t all = SRIOV_UNK_CAPS | SRIOV_UNK_ARIP | SRIOV_UNK_10BIT | SRIOV_UNK_CTRL | SRIOV_UNK_STATUS |
		       SRIOV_UNK_COUNTS | SRIOV_UNK_ROUTING | SRIOV_UNK_PAGES | SRIOV_UNK_BARS | SRIOV_UNK_IMN;
	CHECK_INT(c.unknown & all, all);
	CHECK(!c.vf_migration_known);
	CHECK(!c.link_cap_known);
	CHECK_INT(c.link_width, -1);
	CHECK(c.exp_type_known && c.exp_type == PCI_EXP_ENDPOINT);
	lspci_file_free(&f);

	CHECK_INT(parse1("86:00.0 Ethernet controller [0200]: Intel Corporation XXV710 [8086:158b] (rev 02)\n"
			 "\tLatency: 0\n...\n"
			 "\tCapabilities: [160 v1] Single Root I/O Virtualization (SR-IOV)\n"
			 "\t\tIOVCap:\tMigration-, Interrupt Message Number: 000\n"
			 "\t\tInitial VFs: 64, Total VFs: 64, Number of VFs: 5, Function Dependency Link: 00\n"
			 "\t\tSupported Page Size: 00000553, System Page Size: 00000001\n"
			 "\t\tRegion 0: Memory at 00000000d6400000 (64-bit, prefetchable)\n"
			 "...\n\tKernel driver in use: i40e\n",
			 &f, &c),
		     0);
	CHECK(f.devs[0].elided);
	CHECK(c.unknown & SRIOV_UNK_ARI);   /* cut: ARI may be in the part left out */
	CHECK(c.unknown & SRIOV_UNK_BARS);  /* no VF Migration line: the BAR list may go on */
	CHECK(c.unknown & SRIOV_UNK_CTRL);
	CHECK(!(c.unknown & SRIOV_UNK_COUNTS));
	CHECK_INT(c.total_vfs, 64);
	lspci_file_free(&f);

	CHECK_INT(parse1("41:00.0 0207: 15b3:1021\n\tCapabilities: <access denied>\n\tKernel driver in use: mlx5_core\n",
			 &f, &c),
		     -ENOENT);
	CHECK(f.devs[0].access_denied);
	CHECK(f.devs[0].ids_known && f.devs[0].vendor == 0x15b3 && f.devs[0].device == 0x1021);
	CHECK_STR(f.devs[0].driver, "mlx5_core");
	CHECK(c.unknown & SRIOV_UNK_ARI);
	lspci_file_free(&f);
}

/* lspci's downgrade rule on unmarked text (before 2018): lower than LnkCap
 * is downgraded on an endpoint, unmarked on a root port. */
static void test_unmarked_link(void)
{
	struct lspci_file f;
	const char *t = "00:1c.0 PCI bridge: Intel Corporation Device 9d10 (rev f1)\n"
			"\tCapabilities: [40] Express (v2) Root Port (Slot+), MSI 00\n"
			"\t\tLnkCap:\tPort #1, Speed 8GT/s, Width x1, ASPM L1, Exit Latency L1 <16us\n"
			"\t\tLnkSta:\tSpeed 5GT/s, Width x1, TrErr- Train- SlotClk+ DLActive+ BWMgmt+ ABWMgmt-\n"
			"\n"
			"10000:01:00.0 Ethernet controller: Intel Corporation 82576 (rev 01)\n"
			"\tCapabilities: [a0] Express (v2) Endpoint, MSI 00\n"
			"\t\tLnkCap:\tPort #0, Speed 5GT/s, Width x4, ASPM L0s L1\n"
			"\t\tLnkSta:\tSpeed 2.5GT/s, Width x4, TrErr- Train- SlotClk+ DLActive- BWMgmt- ABWMgmt-\n";
	CHECK_INT(lspci_parse(t, strlen(t), &f), 0);
	CHECK_INT(f.ndevs, 2);
	CHECK_STR(f.devs[1].addr, "10000:01:00.0");
	CHECK_INT(f.devs[0].text.exp_type, PCI_EXP_ROOT_PORT);
	CHECK_INT(f.devs[0].text.link_speed_cmp, SRIOV_LINK_LOWER_PORT);
	CHECK_INT(f.devs[0].text.link_width_cmp, SRIOV_LINK_SAME);
	CHECK_INT(f.devs[1].text.link_speed_cmp, SRIOV_LINK_DOWNGRADED);
	CHECK_INT(f.devs[1].text.link_cap_speed_gts10, 50);
	lspci_file_free(&f);
}

/* Hex dumps: lspci -xxx (256 bytes) cannot show SR-IOV (unknown, not absent);
 * with an SR-IOV block in the same file the text is used, the link from
 * the bytes. Bad lines are counted, never fatal. */
static void test_hex(void)
{
	char buf[8192];
	size_t n = 0;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "0000:05:00.0 Ethernet controller: Intel Corporation I350\n");
	/* 256 bytes: PCIe cap at 0x40 (Endpoint), LnkCap 5GT/s x4, LnkSta 2.5GT/s x4. */
	uint8_t cfg[256];
	memset(cfg, 0, sizeof(cfg));
	cfg[0] = 0x86; cfg[1] = 0x80; cfg[2] = 0x21; cfg[3] = 0x15;
	cfg[6] = 0x10; cfg[0x34] = 0x40;
	cfg[0x40] = 0x10; cfg[0x42] = 0x02;
	cfg[0x4c] = 0x42; /* speed 2, width 4 */
	cfg[0x52] = 0x41; /* speed 1, width 4 */
	for (int o = 0; o < 256; o += 16) {
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%02x:", o);
		for (int j = 0; j < 16; j++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %02x", cfg[o + j]);
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\n");
	}
	struct lspci_file f;
	struct sriov_cap c;
	CHECK_INT(lspci_parse(buf, n, &f), 0);
	CHECK_INT(f.hex_lines, 16);
	CHECK_INT(f.devs[0].cfg_len, 256);
	CHECK_INT(lspci_dev_cap(&f.devs[0], &c), -ENODATA);
	CHECK_INT(c.link_speed_cmp, SRIOV_LINK_DOWNGRADED);
	CHECK(c.unknown & SRIOV_UNK_ARI);
	lspci_file_free(&f);
	/* The same device's SR-IOV block in text, after the dump. */
	n += (size_t)snprintf(buf + n, sizeof(buf) - n,
			      "\tCapabilities: [160 v1] Single Root I/O Virtualization (SR-IOV)\n"
			      "\t\tVF offset: 384, stride: 4, Device ID: 1520\n"
			      "\t\tSupported Page Size: 00000553, System Page Size: 00000001\n"
			      "\t\tRegion 0: Memory at 0000001000000000 (64-bit, prefetchable)\n"
			      "\t\tRegion 3: Memory at fb000000 (32-bit, non-prefetchable)\n"
			      "\t\tVF Migration: offset: 00000000, BIR: 0\n"
			      "f0: zz 00\n" /* looks like hex, is not */
			      "10: 00 01 0\n" /* malformed hex */
			      "\t\tLnkSta:\tSpeed 2.5GT/s");   /* no newline, outside Express */
	CHECK_INT(lspci_parse(buf, n, &f), 0);
	CHECK_INT(lspci_dev_cap(&f.devs[0], &c), 0);
	CHECK(c.from_text);
	CHECK_INT(c.vf_stride, 4);
	CHECK_INT(c.vf_bar[0], 0x0000000c);
	CHECK_INT(c.vf_bar[1], 0x10);
	CHECK_INT(c.vf_bar[3], 0xfb000000);
	CHECK(!(c.unknown & SRIOV_UNK_BARS));
	struct sriov_vf_bar b[6];
	CHECK_INT(sriov_vf_bars(&c, b), 2);
	CHECK_INT(b[0].addr, 0x1000000000ULL);
	CHECK_INT(b[1].bits, 32);
	CHECK(!b[1].prefetch);
	CHECK_INT(c.link_width, 4);            /* from the bytes */
	CHECK_INT(c.link_speed_cmp, SRIOV_LINK_DOWNGRADED);
	CHECK_INT(f.nwarn, 2);                 /* the two malformed hex lines */
	CHECK_INT(f.devs[0].cfg[0x10], 0x00); /* bytes before the bad one kept */
	CHECK_INT(f.devs[0].cfg[0x11], 0x01);
	CHECK(f.devs[0].ids_known == false);  /* header had none; the collector takes the bytes' IDs */
	lspci_file_free(&f);
}

/* Bounds: a 1 MiB line, 10000 device headers, bytes past 4 KiB, NULs, a
 * hex line before any device: no crash, counted, partial result. */
static void test_bounds(void)
{
	size_t cap = 2u << 20, n = 0;
	char *b = malloc(cap);
	n += (size_t)snprintf(b + n, cap - n, "00: 86 80\n01:00.0 x\n");
	memset(b + n, 'A', 1 << 20);
	n += 1 << 20;
	b[n++] = '\n';
	n += (size_t)snprintf(b + n, cap - n, "1000: 00 11\n\tCapabilities: [160] Single Root I/O Virtualization (SR-IOV)\n");
	b[n++] = '\t';
	b[n++] = 0;
	b[n++] = '\n';
	for (int i = 0; i < 10000 && n + 32 < cap; i++)
		n += (size_t)snprintf(b + n, cap - n, "%04x:%02x:00.0 d\n", i >> 8, i & 0xff);
	struct lspci_file f;
	CHECK_INT(lspci_parse(b, n, &f), -E2BIG);
	CHECK(f.truncated);
	CHECK_INT(f.ndevs, LSPCI_MAX_DEVS);
	CHECK(f.nwarn >= 3);
	CHECK(f.devs[0].sriov_text);
	CHECK(f.devs[0].cfg == NULL);
	lspci_file_free(&f);
	/* A quoted bad line cannot drive the terminal it is shown on. */
	const char *esc = "01:00.0 x\n\tCapabilities: [160] Single Root I/O Virtualization (SR-IOV)\n"
			  "\t\tIOVCap:\t\x1b[2J\x9b" "31m\n";
	CHECK_INT(lspci_parse(esc, strlen(esc), &f), 0);
	CHECK_INT(f.nwarn, 1);
	CHECK(strstr(f.warn, "IOVCap") && !strchr(f.warn, 0x1b) && !strchr(f.warn, (char)0x9b));
	lspci_file_free(&f);
	/* Nothing lspci-like at all. */
	CHECK_INT(lspci_parse("Slot:\t3b:00.0\nClass:\tEthernet controller [0200]\n", 44, &f), 0);
	CHECK_INT(f.ndevs, 0);
	CHECK_INT(f.lines, 2);
	lspci_file_free(&f);
	free(b);
}

/* The collector: a text with no SR-IOV says what it held. */
static void test_collect_says_what_it_found(void)
{
	const char *t = "00:1f.0 ISA bridge: Intel Corporation Device 7a06 (rev 11)\n\tSubsystem: Device 1234\n";
	struct machine *m = machine_new("host");
	CHECK_INT(pci_collect_lspci(m, t, strlen(t), SRC_PCIDUMP, "pci-dump", "x.txt"), 0);
	const struct source *s = machine_source(m, "pci-dump");
	CHECK(s && strstr(s->detail, "no hex dump and no SR-IOV block in 2 lines (1 device)"));
	CHECK_INT(m->npfs, 0);
	machine_free(m);
	m = machine_new("host");
	size_t len = 0;
	char *txt = slurp("tests/fixtures/pci/qemu-igb-82576-pf.lspci-vvv.txt", &len);
	CHECK_INT(pci_collect_lspci(m, txt, len, SRC_SOS, "sos:lspci", "lspci_-nnvv"), 1);
	CHECK_INT(m->npfs, 1);
	CHECK_INT(m->pfs[0].cap.src, SRC_SOS);
	CHECK_STR(m->pfs[0].pci.v, "0000:01:00.0");
	CHECK(!VS_KNOWN(m->pfs[0].vendor)); /* no -nn, no bytes: unknown */
	machine_free(m);
	free(txt);
}

T_MAIN(T(test_text_equals_hex), T(test_old_format_nn_spaces_crlf), T(test_unknowns), T(test_unmarked_link),
       T(test_hex), T(test_bounds), T(test_collect_says_what_it_found))
