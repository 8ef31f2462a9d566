/* Which kernel log lines the reader keeps (collectors/kmsg.c): lines that
 * name SR-IOV, a VF, a PF/VF driver, bonding/team, vfio, spoofing, mailbox
 * and link reports, or a paravirtual pair's failover. */
#ifndef VFS_KMSG_FILTER_H
#define VFS_KMSG_FILTER_H
#include <stdbool.h>

/* text: one record's message, NUL-terminated. */
bool kmsg_interesting(const char *text);

#endif
