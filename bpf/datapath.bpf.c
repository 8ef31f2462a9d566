// SPDX-License-Identifier: GPL-2.0
/* Datapath probes: packet/byte counters per interface from the net
 * tracepoints, drops by reason, and discrete events (TX watchdog, neighbour
 * and bridge FDB updates) into a ring buffer. Tracepoints only, so this
 * loads where kprobes/fentry are not available; CO-RE (vmlinux.h) so one
 * object fits 6.12 and 6.18. Every program is optional: the loader turns
 * autoload off for tracepoints the running kernel lacks. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
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

static __always_inline bool skb_key(struct sk_buff *skb, struct dp_key *k)
{
	struct net_device *dev = BPF_CORE_READ(skb, dev);

	if (!dev)
		return false;
	k->ifindex = BPF_CORE_READ(dev, ifindex);
	k->netns = BPF_CORE_READ(dev, nd_net.net, ns.inum);
	if (filter_on) {
		if (k->netns != filter_netns)
			return false;
		if (!bpf_map_lookup_elem(&ifindex_filter, &k->ifindex))
			return false;
	}
	return true;
}

static __always_inline struct dp_counters *counters_for(struct dp_key *k)
{
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

/* __data_loc: low 16 bits offset from the record start, high 16 length. */
static __always_inline void read_loc(char *dst, int size, void *ctx, __u32 loc)
{
	bpf_probe_read_kernel_str(dst, size, (char *)ctx + (loc & 0xffff));
}

SEC("tracepoint/net/net_dev_xmit")
int tp_net_dev_xmit(struct trace_event_raw_net_dev_xmit *ctx)
{
	struct dp_key k = {};
	struct dp_counters *c;

	if (ctx->rc != 0) /* NETDEV_TX_OK only: a busy queue retries the skb */
		return 0;
	if (!skb_key((struct sk_buff *)ctx->skbaddr, &k))
		return 0;
	c = counters_for(&k);
	if (c) {
		c->tx_packets++;
		c->tx_bytes += ctx->len;
	}
	return 0;
}

SEC("tracepoint/net/netif_receive_skb")
int tp_netif_receive_skb(struct trace_event_raw_net_dev_template *ctx)
{
	struct dp_key k = {};
	struct dp_counters *c;

	if (!skb_key((struct sk_buff *)ctx->skbaddr, &k))
		return 0;
	c = counters_for(&k);
	if (c) {
		c->rx_packets++;
		c->rx_bytes += ctx->len;
	}
	return 0;
}

SEC("tracepoint/skb/kfree_skb")
int tp_kfree_skb(struct trace_event_raw_kfree_skb *ctx)
{
	struct dp_key k = {};
	struct dp_drop_key dk = {};
	struct dp_counters *c;
	__u64 one = 1, *n;

	/* SKB_CONSUMED (1) and NOT_SPECIFIED are not drops worth counting;
	 * consume_skb has its own tracepoint on current kernels anyway. */
	if (ctx->reason <= 1)
		return 0;
	if (!skb_key((struct sk_buff *)ctx->skbaddr, &k))
		return 0;
	c = counters_for(&k);
	if (c)
		c->drops++;
	dk.netns = k.netns;
	dk.ifindex = k.ifindex;
	dk.reason = ctx->reason;
	n = bpf_map_lookup_elem(&drops, &dk);
	if (n)
		(*n)++;
	else
		bpf_map_update_elem(&drops, &dk, &one, BPF_NOEXIST);
	return 0;
}

SEC("tracepoint/net/net_dev_xmit_timeout")
int tp_net_dev_xmit_timeout(struct trace_event_raw_net_dev_xmit_timeout *ctx)
{
	struct dp_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost();
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->kind = DP_EV_TX_TIMEOUT;
	e->cpu = bpf_get_smp_processor_id();
	e->arg = ctx->queue_index;
	read_loc(e->name, sizeof(e->name), ctx, ctx->__data_loc_name);
	read_loc(e->name2, sizeof(e->name2), ctx, ctx->__data_loc_driver);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/neigh/neigh_update")
int tp_neigh_update(struct trace_event_raw_neigh_update *ctx)
{
	struct dp_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	unsigned int len;

	if (!e) {
		count_lost();
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->kind = DP_EV_NEIGH;
	e->cpu = bpf_get_smp_processor_id();
	e->family = ctx->family;
	e->arg = ctx->new_state;
	e->arg2 = ctx->nud_state;
	len = ctx->lladdr_len;
	e->addr_len = len > DP_ADDR_LEN ? DP_ADDR_LEN : len;
	/* new_lladdr: the address being installed (lladdr is the old one). */
	bpf_probe_read_kernel(e->addr, sizeof(e->addr), ctx->new_lladdr);
	if (ctx->family == 2 /* AF_INET */)
		bpf_probe_read_kernel(e->key, 4, ctx->primary_key4);
	else
		bpf_probe_read_kernel(e->key, 16, ctx->primary_key6);
	read_loc(e->name, sizeof(e->name), ctx, ctx->__data_loc_dev);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tracepoint/bridge/br_fdb_update")
int tp_br_fdb_update(struct trace_event_raw_br_fdb_update *ctx)
{
	struct dp_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost();
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->kind = DP_EV_FDB;
	e->cpu = bpf_get_smp_processor_id();
	e->arg = ctx->vid;
	e->arg2 = (unsigned int)ctx->flags;
	e->addr_len = 6;
	bpf_probe_read_kernel(e->addr, 6, ctx->addr);
	read_loc(e->name, sizeof(e->name), ctx, ctx->__data_loc_dev);
	read_loc(e->name2, sizeof(e->name2), ctx, ctx->__data_loc_br_dev);
	bpf_ringbuf_submit(e, 0);
	return 0;
}
