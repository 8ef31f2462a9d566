/* vfio ownership: which process (QEMU -name, libvirt domain) holds each VF
 * bound to vfio-pci. Fills vf.owner_pid / vf.owner_name (SRC_PROCFS). */
#ifndef VFS_VFIO_H
#define VFS_VFIO_H
#include "model/model.h"
void vfio_collect(struct machine *m);
#endif
