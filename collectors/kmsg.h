/* The kernel log reader: SR-IOV / PF and VF driver / bonding lines into
 * m->kmsg; bonding link and failover lines and the drivers' "NIC Link is
 * Up/Down" lines also into m->events (EV_LINK, EV_FAILOVER). */
#ifndef VFS_KMSG_H
#define VFS_KMSG_H
#include <stddef.h>
#include "model/model.h"

/* Live: /dev/kmsg; under a sysroot: kmsg.txt or dmesg.txt. Adds the "kmsg"
 * source with what it read or why it could not. */
void kmsg_collect(struct machine *m);
/* Live only: starts reading /dev/kmsg in a thread now; the next
 * kmsg_collect() waits for it, reads on to the end and fills the model as
 * if it had read everything itself. A no-op under a sysroot, or while one
 * is pending. collect_machine() calls it unless no_kmsg. */
void kmsg_prefetch(void);
/* `dmesg` output ("[   12.345678] text", "<4>[ 12.3] text" or bare text
 * lines; timestamps are seconds since boot, and its events get no wall
 * clock: the text may come from another boot or machine). Returns the lines
 * kept. Adds no source: the caller names where the text came from. */
size_t kmsg_parse_dmesg(struct machine *m, const char *buf, size_t len);
/* /dev/kmsg records ("prio,seq,ts_us,flags;text", one per line). */
size_t kmsg_parse_records(struct machine *m, const char *buf, size_t len);
#endif
