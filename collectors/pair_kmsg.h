/* Kernel log lines of paravirtual failover pairs (issue 15), matched on the
 * kernel's own format strings:
 *  - net/core/failover.c        "failover master:%s registered" / "unregistered"
 *  - drivers/net/net_failover.c "failover %s slave:%s registered" / "unregistered"
 *                               (%s primary|standby)
 *  - drivers/net/hyperv/netvsc_drv.c "Data path switched %s VF: %s" (to|from),
 *                               "Data path failed to switch %s VF: %s, err: %d",
 *                               "VF registering: %s", "VF unregistering: %s"
 *  - drivers/net/hyperv/netvsc.c "VF slot %u %s" (added|removed)
 * All are netdev_info()/netdev_err() on the pair's device, so the line reads
 * "DRIVER BUSID IFNAME: message" ("hv_netvsc 6045bd.. eth0: VF slot 1
 * added"); the interface is the word ending in ':' before the message. Pure
 * parser: no I/O. */
#ifndef VFS_PAIR_KMSG_H
#define VFS_PAIR_KMSG_H
#include <stdbool.h>

enum pair_kmsg_kind {
	PK_NONE = 0,
	PK_MASTER_REGISTERED, PK_MASTER_UNREGISTERED,   /* arg: the master */
	PK_PRIMARY_REGISTERED, PK_PRIMARY_UNREGISTERED, /* arg: the slave; ifname the master */
	PK_STANDBY_REGISTERED, PK_STANDBY_UNREGISTERED,
	PK_SWITCHED_TO_VF, PK_SWITCHED_FROM_VF,         /* arg: the VF; ifname the netvsc device */
	PK_SWITCH_FAILED,                               /* arg: the VF; num: the error; to: direction */
	PK_VF_REGISTERING, PK_VF_UNREGISTERING,         /* arg: the VF */
	PK_VF_SLOT_ADDED, PK_VF_SLOT_REMOVED,           /* num: the slot */
	PK_MAX,
};

struct pair_kmsg {
	int kind;        /* enum pair_kmsg_kind */
	char ifname[16]; /* the device the line is logged on; "" when the prefix names none */
	char arg[16];    /* the netdev the message names; "" none */
	long long num;   /* slot or error; -1 none */
	bool to;         /* PK_SWITCH_FAILED: "to" (true) or "from" */
};

/* Classify one line (text without the timestamp); returns out->kind. */
int pair_kmsg_parse(const char *text, struct pair_kmsg *out);
const char *pair_kmsg_kind_name(int kind);
#endif
