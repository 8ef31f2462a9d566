/* The host side of a KVM failover pair (issue 15): in a QEMU command line
 * (/proc/PID/cmdline, NUL-separated), the -device that passes a host PCI
 * function through (vfio-pci host=... or sysfsdev=...) with
 * failover_pair_id=ID, and the mac= of the virtio-net device with id=ID
 * (failover=on). Both -device forms QEMU takes: "driver,key=value,..." and
 * the JSON object libvirt writes ({"driver":"vfio-pci","host":...}).
 * libvirt's <teaming type='transient' persistent='ID'/> becomes exactly
 * this failover_pair_id. Pure parser. */
#ifndef VFS_QEMU_FAILOVER_H
#define VFS_QEMU_FAILOVER_H
#include <stddef.h>

#define QEMU_FAILOVER_MAX_DEVICES 512 /* -device arguments looked at */

/* pci: the VF's address ("0000:01:10.0"). Returns 0 and fills pair_id (and
 * mac, "" when the standby's mac is not on the line) or -ENOENT. */
int qemu_failover_lookup(const char *cmd, size_t len, const char *pci, char *pair_id, size_t pair_size, char *mac,
			 size_t mac_size);
#endif
