/* The snapshot model: one machine's view (a host or a guest) of PFs, VFs,
 * netdevs, teams and members. Every value records where it came from; a
 * value whose source is SRC_NONE is unknown (never a made-up default).
 * Built by model/build.c from collectors, printed by model/print.c (text)
 * and model/json.c (JSON out and in: guests and bundles come back as JSON). */
#ifndef VFS_MODEL_H
#define VFS_MODEL_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "lib/event.h"

enum vfs_src {
	SRC_NONE = 0, /* unknown */
	SRC_SYSFS,
	SRC_NETLINK,
	SRC_LIBPCI,
	SRC_PROCFS,
	SRC_PCIDUMP,
	SRC_GUEST,   /* reported by a guest agent */
	SRC_PROBE,   /* eBPF */
	SRC_KMSG,
	SRC_LLDP,
	SRC_DERIVED, /* computed by vfscope from other values */
	SRC_BUNDLE,  /* read back from a support bundle */
	SRC_CAPTURE, /* decoded control frames (pcap file, bundle control.pcap, live capture) */
	SRC_SOS,     /* a sos report's copies and command outputs (collectors/sos.c) */
	SRC_KUBELET, /* files kubelet, the SR-IOV device plugin and CNI leave on the node (collectors/k8s_owner.c) */
	SRC_POWERSHELL, /* a Hyper-V host's or Windows guest's PowerShell JSON export (collectors/hyperv.c) */
	SRC_ETHTOOL, /* ethtool driver info and stats (ioctl live; `ethtool -S` text in a tree), collectors/ethtool.c */
	SRC_MAX,
};
const char *vfs_src_name(int src);
int vfs_src_parse(const char *name);

/* A known-or-unknown integer / string with its source. */
struct vi { int64_t v; uint8_t src; };
struct vs { char *v; uint8_t src; };
#define VI_KNOWN(x) ((x).src != SRC_NONE)
#define VS_KNOWN(x) ((x).src != SRC_NONE && (x).v)
void vi_set(struct vi *f, int64_t v, int src);
/* Copies v. NULL or "" is unknown: an empty attribute (phys_port_id of a
 * driver that has none, an unset ifalias, an empty JSON string) says nothing,
 * and two of them must never compare equal. */
void vs_set(struct vs *f, const char *v, int src);
void vs_free(struct vs *f);

enum vf_link_state { VF_LINK_AUTO = 0, VF_LINK_ENABLE = 1, VF_LINK_DISABLE = 2 }; /* IFLA_VF_LINK_STATE_* */
const char *vf_link_state_name(int s);

struct sriov_cap {           /* PCIe SR-IOV extended capability (0x0010) */
	bool present;
	uint8_t src;         /* SRC_LIBPCI or SRC_PCIDUMP */
	uint16_t offset;     /* in config space */
	uint32_t caps;       /* SR-IOV Capabilities register */
	uint16_t ctrl, status;
	uint16_t initial_vfs, total_vfs, num_vfs;
	uint8_t func_dep_link;
	uint16_t first_vf_offset, vf_stride, vf_device;
	uint32_t supported_page_sizes, system_page_size;
	uint32_t vf_bar[6];
	bool ari_present;    /* ARI extended capability (0x000e) */
	int link_speed_gts10; /* PCIe link status: speed in 0.1 GT/s, -1 unknown */
	int link_width;       /* -1 unknown */
	/* Added for lspci text and for printing as lspci does (issue 13). A
	 * zeroed tail reads as "every register above known" (config bytes, JSON
	 * written before these fields) and "none of the fields below known". */
	uint32_t unknown;     /* SRIOV_UNK_*: fields above the source did not give (lspci text) */
	bool from_text;       /* decoded from lspci -v/-vv text, not config bytes */
	bool vf_migration_known;
	uint32_t vf_migration; /* VF Migration State Array Offset register (cap + 0x3c) */
	bool exp_type_known;
	uint8_t exp_type;     /* PCIe Capabilities' Device/Port Type (0 endpoint, 1 legacy, 4 root port, ...) */
	bool link_cap_known;
	int link_cap_speed_gts10; /* LnkCap max speed in 0.1 GT/s; -1 a code lspci prints as "unknown" */
	int link_cap_width;
	uint8_t link_speed_cmp, link_width_cmp; /* enum sriov_link_cmp: LnkSta against LnkCap, as lspci marks it */
};
enum sriov_unknown {
	SRIOV_UNK_CAPS    = 1u << 0, /* IOVCap (caps) */
	SRIOV_UNK_ARIP    = 1u << 1, /* IOVCap bit 1 ARI Capable Hierarchy Preserved: lspci never prints it */
	SRIOV_UNK_10BIT   = 1u << 2, /* IOVCap/IOVCtl 10BitTagReq: lspci before 3.8 did not print it */
	SRIOV_UNK_CTRL    = 1u << 3, /* IOVCtl */
	SRIOV_UNK_STATUS  = 1u << 4, /* IOVSta */
	SRIOV_UNK_COUNTS  = 1u << 5, /* Initial/Total/Number of VFs, Function Dependency Link */
	SRIOV_UNK_ROUTING = 1u << 6, /* VF offset, stride, VF Device ID */
	SRIOV_UNK_PAGES   = 1u << 7, /* Supported/System Page Size */
	SRIOV_UNK_BARS    = 1u << 8, /* VF BARs (lspci -v prints none; -vv prints only the non-zero ones) */
	SRIOV_UNK_ARI     = 1u << 9, /* ari_present */
	SRIOV_UNK_IMN     = 1u << 10, /* IOVCap Interrupt Message Number */
};
enum sriov_link_cmp {
	SRIOV_LINK_UNKNOWN = 0,
	SRIOV_LINK_SAME,       /* LnkSta equals LnkCap */
	SRIOV_LINK_DOWNGRADED, /* lower, on a function lspci marks "(downgraded)" */
	SRIOV_LINK_OVERDRIVEN, /* higher: lspci's "(overdriven)", older lspci's "(strange)" */
	SRIOV_LINK_LOWER_PORT, /* lower on a root/downstream port or PCI/PCI-X-to-PCIe bridge: lspci marks nothing */
};

/* Counters the source gave, one bit each: an older kernel has no
 * IFLA_VF_STATS_RX_DROPPED, older iproute2 prints no "dropped" column; a
 * counter not given is unknown, not 0. */
enum vf_stat {
	VF_ST_RX_PACKETS, VF_ST_TX_PACKETS, VF_ST_RX_BYTES, VF_ST_TX_BYTES,
	VF_ST_BROADCAST, VF_ST_MULTICAST, VF_ST_RX_DROPPED, VF_ST_TX_DROPPED, VF_ST_MAX
};
struct vf_stats {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t broadcast, multicast, rx_dropped, tx_dropped;
	uint8_t src; /* SRC_NONE when the kernel did not give stats */
	uint16_t known; /* 1 << VF_ST_* per counter given; 0 with src set: a reader that does not say (all) */
};
/* Whether counter st (enum vf_stat) was given. */
#define VF_STAT_KNOWN(s, st) ((s).src != SRC_NONE && (!(s).known || ((s).known & (1u << (st)))))

struct vf {
	int index;            /* VF number on its PF */
	struct vs pci;        /* VF PCI address from virtfnN */
	struct vs netdev;     /* netdev name if bound on this side */
	struct vs driver;     /* igbvf, iavf, vfio-pci, ... or unknown */
	struct vs mac;        /* IFLA_VF_MAC */
	struct vi vlan, qos, vlan_proto;
	struct vi min_tx_rate, max_tx_rate; /* Mb/s */
	struct vi spoofchk, trust, link_state, rss_query;
	struct vf_stats stats;
	struct vs iommu_group;
	/* vfio ownership: which process/VM holds the VF (host side only). */
	struct vi owner_pid;
	struct vs owner_name; /* QEMU -name or libvirt domain */
	/* Correlation, filled by rules/correlate.c. */
	int guest_idx, guest_team_idx, guest_member_idx; /* -1 none */
	/* Kubernetes allocation (issue 14): the pod and resource the device
	 * plugin's devinfo file or sriov-cni's cache say this VF was given to
	 * (SRC_KUBELET), and the label of the network-namespace machine
	 * (host->guests, role "netns") its netdev is in now (SRC_DERIVED, set
	 * by correlation). */
	struct vs alloc_pod_uid, alloc_pod, alloc_resource; /* alloc_pod: "NAMESPACE/POD" */
	struct vs alloc_netns; /* sriov-cni's var/lib/cni/sriov/pci/<VF> record: the netns path it moved the VF into */
	struct vs netns;
	/* Host side of a KVM failover pair (issue 15, collectors/vfio.c): the
	 * QEMU -device holding this VF has failover_pair_id=ID (the id of the
	 * guest's virtio-net standby), and that virtio-net-pci's mac=. */
	struct vs failover_pair_id, failover_standby_mac;
};

struct pf {
	struct vs pci;        /* 0000:01:00.0 */
	struct vs vendor, device; /* "0x8086", "0x10c9" */
	struct vs driver;
	struct vs netdev;     /* first netdev of this function */
	int netdev_idx;       /* index into machine.netdevs, -1 none */
	struct vi sriov_totalvfs, sriov_numvfs, sriov_offset, sriov_stride;
	struct vs sriov_vf_device;
	struct sriov_cap cap;
	struct vs phys_port_id, phys_switch_id, phys_port_name; /* of the PF's netdev */
	/* LLDP neighbour seen on this PF (switch chassis/port). */
	struct vs lldp_chassis, lldp_port, lldp_sysname;
	struct vf *vfs;
	size_t nvfs, cap_vfs;
};

struct netdev {
	struct vs name;
	struct vi ifindex;
	struct vs mac, perm_mac;
	struct vi admin_up;   /* IFF_UP: 1 up, 0 down (ip's UP flag; netlink ifi_flags, sysfs flags bit 0) */
	struct vi carrier, mtu, speed; /* speed Mb/s; -1 from sysfs = unknown; carrier unknown when not up */
	struct vs operstate;
	struct vs kind;       /* bond, team, veth, vlan, ... (IFLA_INFO_KIND) */
	struct vs driver;     /* device/driver link or ethtool */
	struct vs pci;        /* backing PCI function, if any */
	struct vs ifalias;
	struct vs master;     /* master netdev name */
	struct vi link_ifindex; /* iflink for stacked devices */
	int pf_idx, vf_pf_idx, vf_idx; /* this netdev is PF pf_idx / VF (vf_pf_idx, vf_idx); -1 */
	struct vi is_virtfn;  /* device/physfn exists */
	/* Addresses and routes (issue 15, collectors/ipaddr.c): IPv4 and
	 * global/site IPv6 addresses (link-local and host scope not counted),
	 * the first of them "ADDR/LEN", and 1 when a default route of the main
	 * table leaves through this netdev (0: table read, none does). */
	struct vi naddrs, default_route;
	struct vs addr_first;
	struct vs default_gw; /* that default route's gateway (RTA_GATEWAY, ip -j route "gateway") */
};

/* A paravirtual failover pair (issue 15, collectors/pairs.c) is a team too:
 * net_failover (KVM virtio STANDBY: the master, members the standby and the
 * primary) and netvsc (Hyper-V/Azure: the hv_netvsc netdev, members itself
 * as "synthetic" and its VF). LBFO (Windows teams, issue 16) is reserved. */
enum team_driver { TEAM_BONDING = 1, TEAM_TEAMD = 2, TEAM_NET_FAILOVER = 3, TEAM_NETVSC = 4, TEAM_LBFO = 5 };
const char *team_driver_name(int d); /* "bonding", "team", "net_failover", "netvsc", "lbfo", "unknown" */
int team_driver_parse(const char *s); /* 0 unknown */

struct member {
	struct vs name;
	struct vs perm_mac;   /* bonding's permanent hw addr: the VF's own MAC */
	struct vs cur_mac;
	struct vi carrier;
	struct vs mii_status; /* up/down/going back/going down */
	struct vi link_failures;
	struct vs state;      /* active/backup */
	struct vs driver, pci;
	struct vi queue_id, speed;
	struct vs duplex;
	int netdev_idx;       /* -1 */
	/* Correlation (host side VF backing this member), filled by rules/. */
	int host_pf_idx, host_vf_idx; /* -1 */
	struct vs role;       /* pair members: "primary"/"standby" (net_failover), "vf"/"synthetic" (netvsc) */
};

struct team {
	struct vs name;
	int driver;           /* enum team_driver, 0 unknown */
	struct vs mode;       /* active-backup, 802.3ad, balance-rr, ... */
	struct vi mode_num;
	struct vs xmit_hash_policy;
	struct vi miimon, arp_interval, updelay, downdelay;
	struct vs arp_ip_target, arp_validate;
	struct vs fail_over_mac; /* none/active/follow */
	struct vs primary, active;
	struct vs lacp_rate, ad_select;
	struct vs mac;
	struct member *members;
	size_t nmembers, cap_members;
	/* Pairs (team_is_pair): which member carries the data path now, why
	 * (the evidence in words), and the kernel log's switches of this pair
	 * (netvsc "Data path switched to/from VF", net_failover primary slave
	 * registered/unregistered) over the held log, first to last in ms. */
	struct vs datapath;        /* the role: "primary"/"standby"/"vf"/"synthetic" */
	struct vs datapath_member; /* that member's name */
	struct vs datapath_why;
	struct vi datapath_switches, datapath_switch_span_ms;
	struct vi vf_offered, vf_slot; /* netvsc: last "VF slot N added" (1) / "removed" (0) */
	/* netvsc ethtool stats: first reading, second minus first, interval. */
	struct vi vf_rx_packets, vf_tx_packets, vf_rx_delta, vf_tx_delta, vf_delta_ms;
};
bool team_is_pair(const struct team *t); /* net_failover or netvsc */

enum source_status { SOURCE_OK = 0, SOURCE_PARTIAL, SOURCE_SKIPPED, SOURCE_FAILED };
struct source {
	char name[32];        /* sysfs, netlink, libpci, procfs, kmsg, probes, guest:..., pcap */
	int status;
	char detail[256];     /* error or why skipped */
};

struct kmsg_line {
	uint64_t ts_us;       /* since boot */
	int prio;
	char *text;
};

struct machine {
	char *role;           /* "host" or "guest" */
	char *label;          /* guest label (source spec) or host name */
	struct vs hostname, kernel;
	uint64_t time_ns;     /* collection wall time; 0 unknown */
	uint64_t collect_ns;  /* collection duration; 0 = not measured (a replay: --sysroot, --from, JSON) */
	char *root;           /* "/" or the sysroot / bundle */
	struct netdev *netdevs; size_t nnetdevs, cap_netdevs;
	struct pf *pfs;       size_t npfs, cap_pfs;
	struct team *teams;   size_t nteams, cap_teams;
	struct source *sources; size_t nsources, cap_sources;
	char **warnings;      size_t nwarnings, cap_warnings;
	struct kmsg_line *kmsg; size_t nkmsg, cap_kmsg;
	size_t kmsg_dropped;  /* oldest kernel log lines dropped to keep the newest MAX_KMSG */
	struct vfs_event *events; size_t nevents, cap_events;
	/* A network namespace (role "netns", issue 14; collectors/netns.c):
	 * its name under /run/netns, its nsfs inode (identity), a process in it,
	 * and the Kubernetes pod owning it (local files only: cgroup, /var/log/pods). */
	struct vs netns_name;
	struct vi netns_inode;
	struct vi netns_pid;
	struct vs pod_uid, pod_namespace, pod_name;
	/* Guests known to this host (each a full machine with role "guest",
	 * or "netns" for another network namespace of this host). */
	struct machine **guests; size_t nguests, cap_guests;
	/* Hyper-V host or Windows guest view (model/hyperv.h), NULL otherwise. */
	struct hv_view *hyperv;
};

struct machine *machine_new(const char *role);
void machine_free(struct machine *m);
struct netdev *machine_add_netdev(struct machine *m, const char *name);
struct pf *machine_add_pf(struct machine *m, const char *pci);
struct vf *pf_add_vf(struct pf *pf, int index);
struct team *machine_add_team(struct machine *m, const char *name);
struct member *team_add_member(struct team *t, const char *name);
void machine_add_source(struct machine *m, const char *name, int status, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void machine_warn(struct machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void machine_add_event(struct machine *m, const struct vfs_event *ev);
void machine_add_kmsg(struct machine *m, uint64_t ts_us, int prio, const char *text);
void machine_add_guest(struct machine *m, struct machine *guest);

int machine_find_netdev(const struct machine *m, const char *name);
int machine_find_netdev_ifindex(const struct machine *m, int64_t ifindex);
int machine_find_pf(const struct machine *m, const char *pci);
int machine_find_team(const struct machine *m, const char *name); /* index or -1 */
/* Find a VF by PCI address or by MAC; returns 0 and sets *pf,*vf or -ENOENT. */
int machine_find_vf_pci(const struct machine *m, const char *pci, int *pf, int *vf);
int machine_find_vf_mac(const struct machine *m, const char *mac, int *pf, int *vf);
const struct source *machine_source(const struct machine *m, const char *name);



/* Recompute the index links (netdev<->PF/VF, member->netdev, PF->netdev)
 * from names and PCI addresses, and fill derived member fields (cur_mac,
 * carrier, driver, pci from the member's netdev). A netdev known to be
 * admin down has no carrier (unknown, whatever a source said: sysfs refuses
 * to answer then, and IFLA_CARRIER is stale). Call after collecting or
 * loading. */
void machine_link(struct machine *m);
#endif
