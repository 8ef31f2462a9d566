/* PCI config-space decoders: SR-IOV (ext cap 0x0010), ARI (0x000e), PCIe
 * link capability/status. Pure functions over config bytes (from libpci,
 * sysfs `config`, or an lspci -xxxx dump); every capability walk is bounded
 * and marks visited offsets, as pciutils does. What lspci prints for these
 * registers (pciutils ls-ecaps.c cap_sriov, ls-caps.c cap_express_link) is
 * the reference for names and marks; the text printer lives in cli/cmd_pci.c. */
#ifndef VFS_PCICAP_H
#define VFS_PCICAP_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "model/model.h"

#define PCI_EXT_CAP_SRIOV 0x0010
#define PCI_EXT_CAP_ARI   0x000e
#define PCI_CAP_EXP       0x10

/* PCIe Device/Port Type (PCIe Capabilities register bits 7:4). */
enum pci_exp_type {
	PCI_EXP_ENDPOINT = 0, PCI_EXP_LEG_END = 1, PCI_EXP_ROOT_PORT = 4, PCI_EXP_UPSTREAM = 5,
	PCI_EXP_DOWNSTREAM = 6, PCI_EXP_PCI_BRIDGE = 7, PCI_EXP_PCIE_BRIDGE = 8, PCI_EXP_ROOT_INT_EP = 9,
	PCI_EXP_ROOT_EC = 10,
};

/* Offset of extended capability `id` or -ENOENT / -ENODATA (config shorter
 * than 4 KiB) / -EBADMSG (loop or misaligned pointer). */
int pcicap_find_ext(const uint8_t *cfg, size_t len, uint16_t id);
/* Offset of standard capability `id` (e.g. 0x10 PCIe) or -errno. */
int pcicap_find_std(const uint8_t *cfg, size_t len, uint8_t id);
/* Decode SR-IOV, ARI and PCIe link capability/status into *out (zeroed
 * first). 0 when SR-IOV was found, -ENOENT when absent, -ENODATA when the
 * config is too short to hold what the pointers promise. ARI and the link
 * are filled even when SR-IOV is absent. */
int sriov_cap_decode(const uint8_t *cfg, size_t len, struct sriov_cap *out);
/* Human text of the IOVCtl bits, named as lspci names them:
 * "Enable+ Migration- Interrupt- MSE+ ARIHierarchy+ 10BitTagReq-". */
void sriov_ctrl_format(uint16_t ctrl, char *buf, size_t size);

/* Link speed code (LnkCap/LnkSta bits 3:0) in 0.1 GT/s; -1 for a code lspci
 * prints as "unknown". */
int pcicap_speed_gts10(unsigned code);
/* lspci's comparison of a LnkSta value with the LnkCap one (link_compare):
 * equal, higher (overdriven), lower (downgraded, except on the port types
 * that face downstream, which lspci leaves unmarked). */
uint8_t pcicap_link_cmp(int exp_type, int sta, int cap);
/* "2.5GT/s", "16GT/s", "unknown" (speed in 0.1 GT/s, -1 unknown). */
const char *pcicap_speed_name(int gts10, char *buf, size_t size);

/* A VF BAR as lspci prints it ("Region 0: Memory at 00000000fe200000
 * (64-bit, prefetchable)"): a 64-bit BAR takes the next register as its
 * upper half. */
struct sriov_vf_bar {
	int index;        /* Region N */
	uint64_t addr;    /* flags masked off */
	int bits;         /* 32 or 64, as lspci names the type */
	bool pair;        /* 64-bit: printed with the upper register (16 hex digits) */
	bool prefetch;
};
/* Fill out[] with the non-zero VF BARs in order; returns how many (<= 6). */
size_t sriov_vf_bars(const struct sriov_cap *c, struct sriov_vf_bar out[6]);
#endif
