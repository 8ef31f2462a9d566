#include "lib/event.h"

const char *vfs_ev_kind_name(int kind)
{
	static const char *const n[EV_KIND_MAX] = {
		[EV_NONE] = "none", [EV_MBX] = "mailbox", [EV_LINK] = "link",
		[EV_FAILOVER] = "failover", [EV_VF_RESET] = "vf_reset",
		[EV_TX_TIMEOUT] = "tx_timeout", [EV_DROP] = "drop",
		[EV_NEIGH] = "neigh", [EV_FDB] = "fdb", [EV_KMSG] = "kmsg",
		[EV_FRAME] = "frame",
	};
	return kind >= 0 && kind < EV_KIND_MAX && n[kind] ? n[kind] : "unknown";
}
