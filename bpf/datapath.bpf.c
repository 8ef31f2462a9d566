// SPDX-License-Identifier: GPL-2.0
/* Datapath probes: packet/byte counters per interface from the net
 * tracepoints, drops by reason, and discrete events (TX watchdog, neighbour
 * and bridge FDB updates) into a ring buffer. BTF-typed raw tracepoints
 * (tp_btf): attaching needs no tracefs mount (this machine has none) and no
 * trampoline, so this loads where kprobes/fentry are not available; the
 * arguments are typed kernel pointers, so the per-packet programs read
 * skb->dev->ifindex and the namespace with plain loads instead of one
 * bpf_probe_read_kernel() call per field (that was most of their cost).
 * Only counters on the per-packet path: one per-CPU array slot (a hash
 * only when the slot is taken by another interface), no ring buffer. CO-RE (vmlinux.h) so one object fits 6.12 and 6.18. Every
 * program is optional: the loader turns autoload off for tracepoints the
 * running kernel lacks. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "bpf/datapath.h"

char LICENSE[] SEC("license") = "GPL";

/* Set by the loader before load (skeleton .rodata). */
const volatile bool filter_on = false;      /* only ifindexes in ifindex_filter */
const volatile unsigned int filter_netns = 0; /* ... of this namespace (inode) */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, DP_FILTER_MAX);
	__type(key, int);
	__type(value, __u8);
} ifindex_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct dp_key);
	__type(value, struct dp_counters);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct dp_drop_key);
	__type(value, __u64);
} drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* Events the ring buffer had no room for (index 0), read by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

/* Plain (BTF-checked) loads: skb is a trusted tracepoint argument. */
static __always_inline bool skb_key(struct sk_buff *skb, struct dp_key *k)
{
	struct net_device *dev = skb->dev;
	struct net *net;

	if (!dev)
		return false;
	k->ifindex = dev->ifindex;
	net = dev->nd_net.net;
	k->netns = net ? net->ns.inum : 0;
	if (filter_on) {
		if (k->netns != filter_netns)
			return false;
		if (!bpf_map_lookup_elem(&ifindex_filter, &k->ifindex))
			return false;
	}
	return true;
}

/* Per-CPU array lookups are inlined by the JIT (no hashing, no call): the
 * common case costs a few loads. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DP_SLOTS);
	__type(key, __u32);
	__type(value, struct dp_slot);
} slots SEC(".maps");

static __always_inline struct dp_counters *counters_for(struct dp_key *k)
{
	__u32 i = DP_SLOT(k->netns, k->ifindex);
	struct dp_slot *s = bpf_map_lookup_elem(&slots, &i);

	if (s) {
		if (s->key.ifindex == k->ifindex && s->key.netns == k->netns)
			return &s->c;
		if (s->key.ifindex == 0 && k->ifindex != 0) { /* free on this CPU: claim it */
			s->key = *k;
			return &s->c;
		}
	}
	struct dp_counters *c = bpf_map_lookup_elem(&counters, k);

	if (c)
		return c;
	struct dp_counters zero = {};
	bpf_map_update_elem(&counters, k, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&counters, k);
}

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);

	if (n)
		(*n)++;
}

static __always_inline void dev_ids(struct net_device *dev, struct dp_event *e)
{
	if (!dev)
		return;
	e->ifindex = BPF_CORE_READ(dev, ifindex);
	bpf_probe_read_kernel_str(e->name, sizeof(e->name), dev->name);
}

static __always_inline struct dp_event *ev_new(unsigned int kind)
{
	struct dp_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost();
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->kind = kind;
	e->cpu = bpf_get_smp_processor_id();
	return e;
}


/* trace_net_dev_xmit(skb, rc, dev, skb_len) */
SEC("tp_btf/net_dev_xmit")
int BPF_PROG(tp_net_dev_xmit, struct sk_buff *skb, int rc, struct net_device *dev, unsigned int len)
{
	struct dp_key k = {};
	struct dp_counters *c;

	if (rc != 0) /* NETDEV_TX_OK only: a busy queue retries the skb */
		return 0;
	if (!skb_key(skb, &k))
		return 0;
	c = counters_for(&k);
	if (c) {
		c->tx_packets++;
		c->tx_bytes += len;
	}
	return 0;
}

/* trace_netif_receive_skb(skb) */
SEC("tp_btf/netif_receive_skb")
int BPF_PROG(tp_netif_receive_skb, struct sk_buff *skb)
{
	struct dp_key k = {};
	struct dp_counters *c;

	if (!skb_key(skb, &k))
		return 0;
	c = counters_for(&k);
	if (c) {
		c->rx_packets++;
		c->rx_bytes += skb->len;
	}
	return 0;
}

/* trace_kfree_skb(skb, location, reason[, rx_sk]) */
SEC("tp_btf/kfree_skb")
int BPF_PROG(tp_kfree_skb, struct sk_buff *skb, void *location, unsigned int reason)
{
	struct dp_key k = {};
	struct dp_drop_key dk = {};
	struct dp_counters *c;
	__u64 one = 1, *n;

	/* 0 SKB_NOT_DROPPED_YET, 1 SKB_CONSUMED: not drops. */
	if (reason <= 1)
		return 0;
	if (!skb_key(skb, &k))
		return 0;
	c = counters_for(&k);
	if (c)
		c->drops++;
	dk.netns = k.netns;
	dk.ifindex = k.ifindex;
	dk.reason = reason;
	n = bpf_map_lookup_elem(&drops, &dk);
	if (n)
		(*n)++;
	else
		bpf_map_update_elem(&drops, &dk, &one, BPF_NOEXIST);
	return 0;
}

/* trace_net_dev_xmit_timeout(dev, queue_index) */
SEC("tp_btf/net_dev_xmit_timeout")
int BPF_PROG(tp_net_dev_xmit_timeout, struct net_device *dev, int queue_index)
{
	struct dp_key k = { .netns = BPF_CORE_READ(dev, nd_net.net, ns.inum),
			    .ifindex = BPF_CORE_READ(dev, ifindex) };
	struct dp_counters *c = counters_for(&k);
	struct dp_event *e;

	if (c)
		c->tx_timeouts++;
	e = ev_new(DP_EV_TX_TIMEOUT);
	if (!e)
		return 0;
	dev_ids(dev, e);
	e->netns = k.netns;
	e->arg = queue_index;
	/* dev->dev.parent->driver->name would need more CO-RE; the loader
	 * reads the driver from sysfs by name. */
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* trace_neigh_update(n, lladdr, new, flags, nlmsg_pid), before the change */
SEC("tp_btf/neigh_update")
int BPF_PROG(tp_neigh_update, struct neighbour *n, const unsigned char *lladdr, unsigned char new_state)
{
	struct net_device *dev = BPF_CORE_READ(n, dev);
	struct dp_event *e;
	unsigned int len;

	if (filter_on) {
		int ifindex = BPF_CORE_READ(dev, ifindex);
		if (BPF_CORE_READ(dev, nd_net.net, ns.inum) != filter_netns ||
		    !bpf_map_lookup_elem(&ifindex_filter, &ifindex))
			return 0;
	}
	e = ev_new(DP_EV_NEIGH);
	if (!e)
		return 0;
	dev_ids(dev, e);
	e->netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	e->family = BPF_CORE_READ(n, tbl, family);
	e->arg = new_state;
	e->arg2 = BPF_CORE_READ(n, nud_state);
	len = BPF_CORE_READ(dev, addr_len);
	e->addr_len = len > DP_ADDR_LEN ? DP_ADDR_LEN : len;
	if (lladdr)
		bpf_probe_read_kernel(e->addr, sizeof(e->addr), lladdr);
	else
		bpf_probe_read_kernel(e->addr, sizeof(e->addr), n->ha);
	bpf_probe_read_kernel(e->key, e->family == 2 ? 4 : 16, n->primary_key);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* trace_br_fdb_update(br, source, addr, vid, flags) */
SEC("tp_btf/br_fdb_update")
int BPF_PROG(tp_br_fdb_update, struct net_bridge *br, struct net_bridge_port *source,
	     const unsigned char *addr, __u16 vid, unsigned long flags)
{
	struct net_device *dev = BPF_CORE_READ(source, dev);
	struct dp_event *e = ev_new(DP_EV_FDB);

	if (!e)
		return 0;
	dev_ids(dev, e);
	e->netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	e->arg = vid;
	e->arg2 = (unsigned int)flags;
	e->addr_len = 6;
	bpf_probe_read_kernel(e->addr, 6, addr);
	struct net_device *bdev = BPF_CORE_READ(br, dev);
	if (bdev)
		bpf_probe_read_kernel_str(e->name2, sizeof(e->name2), bdev->name);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
