/* PCI config space through libpci: live (sysfs access method, honouring the
 * sysroot) or an lspci -xxx/-xxxx dump file (libpci's dump method). */
#ifndef VFS_PCI_H
#define VFS_PCI_H
#include "model/model.h"

/* Decode SR-IOV for every PF in m (and, from a dump, add PFs that carry the
 * capability). dump may be NULL. */
int pci_collect(struct machine *m, const char *dump);
/* Raw config bytes of one device (for bundles): malloc'd in *out, length or -errno. */
int pci_read_config(const char *dump, const char *addr, uint8_t **out);
#endif
