/* PCI config-space decoders: SR-IOV (ext cap 0x0010), ARI (0x000e), PCIe
 * link status. Pure functions over config bytes (from libpci, sysfs
 * `config`, or an lspci -xxxx dump); every capability walk is bounded and
 * marks visited offsets, as pciutils does. */
#ifndef VFS_PCICAP_H
#define VFS_PCICAP_H
#include <stddef.h>
#include <stdint.h>
#include "model/model.h"

#define PCI_EXT_CAP_SRIOV 0x0010
#define PCI_EXT_CAP_ARI   0x000e

/* Offset of extended capability `id` or -ENOENT / -ENODATA (config shorter
 * than 4 KiB) / -EBADMSG (loop or misaligned pointer). */
int pcicap_find_ext(const uint8_t *cfg, size_t len, uint16_t id);
/* Offset of standard capability `id` (e.g. 0x10 PCIe) or -errno. */
int pcicap_find_std(const uint8_t *cfg, size_t len, uint8_t id);
/* Decode SR-IOV, ARI and PCIe link status into *out (zeroed first).
 * 0 when SR-IOV was found, -ENOENT when absent, -ENODATA when the config
 * is too short to hold what the pointers promise. */
int sriov_cap_decode(const uint8_t *cfg, size_t len, struct sriov_cap *out);
/* Human text of control/capability bits, e.g. "VF-Enable+ VF-MSE+ ARI+". */
void sriov_ctrl_format(uint16_t ctrl, char *buf, size_t size);
#endif
