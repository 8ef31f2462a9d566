/* SR-IOV capability decoding against a real QEMU igb (82576) PF's config
 * space, as pciutils 3.9 prints it (tests/fixtures/pci/qemu-igb-82576-pf.lspci-vvv.txt). */
#include "tests/unit/t.h"
#include "collectors/pci.h"
#include "decoders/pcicap.h"
#include <errno.h>
#include <stdlib.h>

#define DUMP "tests/fixtures/pci/qemu-igb-82576-pf.lspci"

static void test_decode_igb(void)
{
	uint8_t *cfg = NULL;
	int n = pci_read_config(DUMP, "0000:01:00.0", &cfg);
	CHECK_INT(n, 4096);
	if (n != 4096)
		return;
	struct sriov_cap c;
	CHECK_INT(sriov_cap_decode(cfg, 4096, &c), 0);
	/* Values as lspci -vvv prints them for this dump. */
	CHECK_INT(c.offset, 0x160);
	CHECK_INT(c.initial_vfs, 8);
	CHECK_INT(c.total_vfs, 8);
	CHECK_INT(c.num_vfs, 2);
	CHECK_INT(c.first_vf_offset, 128);
	CHECK_INT(c.vf_stride, 2);
	CHECK_INT(c.vf_device, 0x10ca);
	CHECK_INT(c.supported_page_sizes, 0x553);
	CHECK_INT(c.system_page_size, 1);
	CHECK_INT(c.ctrl & 1, 1);      /* Enable+ */
	CHECK_INT(!!(c.ctrl & 8), 1);  /* MSE+ */
	CHECK_INT(!!(c.ctrl & 16), 1); /* ARIHierarchy+ */
	CHECK_INT(c.func_dep_link, 0);
	CHECK_INT(c.vf_bar[0], 0xfe20000c);
	CHECK_INT(c.vf_bar[3], 0xfe22000c);
	CHECK(c.ari_present);
	CHECK_INT(c.link_speed_gts10, 25);
	CHECK_INT(c.link_width, 1);
	free(cfg);
}

static void test_truncated(void)
{
	uint8_t *cfg = NULL;
	if (pci_read_config(DUMP, "0000:01:00.0", &cfg) != 4096)
		return;
	/* Every prefix: never reads past len; short is -ENODATA, not success. */
	int ok = 1;
	for (size_t len = 0; len < 0x160 + 0x40; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, cfg, len);
		struct sriov_cap c;
		int r = sriov_cap_decode(copy, len, &c);
		if (r == 0 || (r != -ENODATA && r != -ENOENT))
			ok = 0;
		free(copy);
	}
	CHECK(ok);
	struct sriov_cap c;
	CHECK_INT(sriov_cap_decode(cfg, 0x160 + 0x40, &c), 0);
	free(cfg);
}

static void test_loops_and_garbage(void)
{
	uint8_t cfg[4096];
	memset(cfg, 0, sizeof(cfg));
	/* Extended capability pointing at itself. */
	cfg[0x100] = 0x01; /* AER id, next = 0x100 */
	cfg[0x102] = 0x00;
	cfg[0x103] = 0x10;
	CHECK_INT(pcicap_find_ext(cfg, sizeof(cfg), PCI_EXT_CAP_SRIOV), -EBADMSG);
	/* Misaligned next pointer. */
	cfg[0x103] = 0x10;
	cfg[0x102] = 0x20; /* next = 0x102 */
	CHECK_INT(pcicap_find_ext(cfg, sizeof(cfg), PCI_EXT_CAP_SRIOV), -EBADMSG);
	/* Standard list loop. */
	memset(cfg, 0, sizeof(cfg));
	cfg[0x06] = 0x10;
	cfg[0x34] = 0x40;
	cfg[0x40] = 0x01;
	cfg[0x41] = 0x40;
	CHECK_INT(pcicap_find_std(cfg, sizeof(cfg), 0x10), -EBADMSG);
	/* All-ones (device gone) is "absent", not a crash. */
	memset(cfg, 0xff, sizeof(cfg));
	CHECK_INT(pcicap_find_ext(cfg, sizeof(cfg), PCI_EXT_CAP_SRIOV), -ENOENT);
}

static void test_missing_dump(void)
{
	uint8_t *cfg = NULL;
	CHECK(pci_read_config("tests/fixtures/pci/does-not-exist", "0000:01:00.0", &cfg) < 0);
}

T_MAIN(T(test_decode_igb), T(test_truncated), T(test_loops_and_garbage), T(test_missing_dump))
