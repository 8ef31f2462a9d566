/* Shared between bpf/datapath.bpf.c (kernel) and bpf/probes.c (loader):
 * the per-interface counters and the ring-buffer record of discrete
 * datapath events. Plain fixed-size types only (both sides compile it). */
#ifndef VFS_BPF_DATAPATH_H
#define VFS_BPF_DATAPATH_H

#define DP_NAME_LEN 16
#define DP_ADDR_LEN 32
#define DP_FILTER_MAX 64

/* Counters are keyed by (network namespace inode, ifindex): ifindex alone is
 * only unique inside one namespace, and two namespaces often both have 2. */
struct dp_key {
	unsigned int netns;
	int ifindex;
};

struct dp_counters {
	unsigned long long tx_packets;
	unsigned long long tx_bytes;
	unsigned long long rx_packets;
	unsigned long long rx_bytes;
	unsigned long long drops;
	unsigned long long tx_timeouts;
};

/* The per-packet fast path: a per-CPU array slot per (netns, ifindex),
 * index DP_SLOT(key); a slot is claimed by the first key that hashes there
 * on that CPU and keeps it; a key whose slot is taken goes to the per-CPU
 * hash. User space sums both (the array is read per CPU, keyed by slot.key). */
#define DP_SLOTS 256
#define DP_SLOT(netns, ifindex) ((((unsigned int)(ifindex)) ^ ((unsigned int)(netns) * 0x9e3779b1u)) & (DP_SLOTS - 1))
struct dp_slot {
	struct dp_key key; /* ifindex 0: free */
	struct dp_counters c;
};

struct dp_drop_key {
	unsigned int netns;
	int ifindex;
	unsigned int reason; /* enum skb_drop_reason */
	unsigned int pad;
};

enum dp_ev_kind {
	DP_EV_TX_TIMEOUT = 1, /* net:net_dev_xmit_timeout */
	DP_EV_NEIGH = 2,      /* neigh:neigh_update */
	DP_EV_FDB = 3,        /* bridge:br_fdb_update */
};

struct dp_event {
	unsigned long long ts_ns; /* bpf_ktime_get_ns, CLOCK_MONOTONIC */
	unsigned int kind;        /* enum dp_ev_kind */
	unsigned int cpu;
	int ifindex;              /* 0 when the tracepoint only names the device */
	unsigned int arg;         /* tx timeout: queue; neigh: new nud state; fdb: vid */
	unsigned int arg2;        /* neigh: old nud state; fdb: flags */
	unsigned int family;      /* neigh: AF_INET/AF_INET6 */
	unsigned int addr_len;    /* valid bytes in addr (lladdr / fdb MAC) */
	unsigned int netns;       /* network namespace inode of the device */
	char name[DP_NAME_LEN];   /* device name */
	char name2[DP_NAME_LEN];  /* fdb: bridge */
	unsigned char addr[DP_ADDR_LEN];
	unsigned char key[16];    /* neigh: IPv4 (4 bytes) or IPv6 address */
};

#endif
