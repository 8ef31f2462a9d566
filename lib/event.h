/* One event of the time-ordered stream (mailbox, link, failover, reset,
 * datapath, kernel log). Produced by bpf/ and collectors/, consumed by the
 * model, rules, tui and exporters. Plain data, no pointers, so it can be
 * copied into rings and written as one JSON line. */
#ifndef VFS_EVENT_H
#define VFS_EVENT_H
#include <stdint.h>

enum vfs_ev_kind {
	EV_NONE = 0,
	EV_MBX,         /* PF<->VF mailbox message */
	EV_LINK,        /* carrier/operstate change (rtnetlink) */
	EV_FAILOVER,    /* team active member changed */
	EV_VF_RESET,    /* VF reset (mailbox or driver function) */
	EV_TX_TIMEOUT,  /* net:net_dev_xmit_timeout */
	EV_DROP,        /* skb:kfree_skb with reason (sampled) */
	EV_NEIGH,       /* neigh:neigh_update */
	EV_FDB,         /* bridge:br_fdb_update */
	EV_KMSG,        /* matching kernel log line */
	EV_FRAME,       /* decoded control frame (LACP/LLDP/ARP/NA) */
	EV_KIND_MAX,
};

enum vfs_ev_dir { EV_DIR_NONE = 0, EV_DIR_VF_TO_PF = 1, EV_DIR_PF_TO_VF = 2 };
enum vfs_ev_result { EV_RES_NONE = 0, EV_RES_ACK = 1, EV_RES_NACK = 2 };

#define VFS_EV_WORDS 16

struct vfs_event {
	uint64_t ts_real_ns;   /* wall clock */
	uint64_t ts_mono_ns;   /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	int32_t cpu;           /* -1 unknown */
	int32_t kind;          /* enum vfs_ev_kind */
	int32_t ifindex;       /* 0 unknown */
	int32_t vf;            /* VF index, -1 none */
	int32_t dir;           /* enum vfs_ev_dir */
	int32_t result;        /* enum vfs_ev_result */
	uint32_t nwords;       /* raw mailbox words valid in words[] */
	uint32_t words[VFS_EV_WORDS];
	char ifname[16];       /* netdev the event is about (PF for mailbox) */
	char pf[16];           /* PF netdev or PCI address, "" unknown */
	char driver[16];       /* igb, ixgbe, i40e, ice, bonding, ... */
	char probe[32];        /* which probe/source produced it */
	char text[256];        /* decoded one-line summary (sanitised) */
};

const char *vfs_ev_kind_name(int kind);
#endif
