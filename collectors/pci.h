/* PCI config space: live through libpci (sysfs access method, honouring the
 * sysroot), or an lspci output file: hex dumps (-xxx/-xxxx) and -v/-vv/-vvv
 * text (decoders/lspci_text.c; libpci's own dump reader exits the process on
 * a line it does not like, so files are read by vfscope's parser). */
#ifndef VFS_PCI_H
#define VFS_PCI_H
#include <stddef.h>
#include <stdint.h>
#include "model/model.h"

/* Decode SR-IOV for every PF in m; with dump (an lspci file, may be NULL)
 * also add the dump's SR-IOV PFs (source "pci-dump"). */
int pci_collect(struct machine *m, const char *dump);
/* An lspci output file at path (not under the sysroot): its SR-IOV PFs
 * join m with their IDs and driver, values from `src`; the outcome is the
 * source `source_name`, saying what the file held when it had no SR-IOV
 * ("no hex dump and no SR-IOV block in N lines"). Returns how many SR-IOV
 * capabilities, or -errno when unreadable. */
int pci_collect_file(struct machine *m, const char *path, int src, const char *source_name);
/* The same over bytes already read (e.g. a sos report's lspci -nnvv through
 * collectors/root.h); `what` names them in the source detail. */
int pci_collect_lspci(struct machine *m, const char *buf, size_t len, int src, const char *source_name,
		      const char *what);
/* Raw config bytes of one device of an lspci dump file (for bundles):
 * malloc'd 4 KiB in *out (0xff where absent), returns 4096/256/64 as the
 * dump allows or -errno. */
int pci_read_config(const char *dump, const char *addr, uint8_t **out);
#endif
