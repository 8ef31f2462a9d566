/* Host collection beyond sysfs/netlink/libpci: kernel log lines, vfio
 * ownership of VFs (which VM holds them), LLDP neighbours. */
#ifndef VFS_EXTRAS_H
#define VFS_EXTRAS_H
#include "model/model.h"
#include "collectors/collect.h"
void host_extras(struct machine *m, const struct collect_opts *o);
#endif
