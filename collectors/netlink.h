/* rtnetlink reader (libmnl): one RTM_GETLINK dump with RTEXT_FILTER_VF,
 * merged into the model: link state, kinds, bond and bond-slave data, and
 * each PF's IFLA_VFINFO_LIST (MAC, VLAN, rates, spoofchk, trust,
 * link-state, stats). */
#ifndef VFS_NETLINK_H
#define VFS_NETLINK_H
#include <stddef.h>
#include "model/model.h"

#define NL_MAX_DEPTH 4 /* attribute nesting we follow */

int netlink_collect(struct machine *m);
/* Parse one RTM_NEWLINK message (header included) and merge it into m.
 * Pure over bytes, for tests and fuzzing. 0, -ENODATA (short) or -EBADMSG. */
int netlink_parse_link(struct machine *m, const void *buf, size_t len);
#endif
