/* The eBPF probes behind `vfscope trace`, the dashboard and metrics: one
 * loader for bpf/datapath.bpf.c (raw tracepoints: per-interface packet
 * counters, drops, TX timeouts, neighbour and FDB updates) and
 * bpf/mailbox.bpf.c (fentry/fexit, else kprobes, on the PF and VF
 * drivers' mailbox functions).
 * Every probe is optional: probes_open() attaches what this kernel and
 * these privileges allow and records, per probe, what happened and why.
 * Without privilege it still succeeds, with every probe reported off.
 * One instance per process (the skeletons are process-wide). */
#ifndef VFS_BPF_PROBES_H
#define VFS_BPF_PROBES_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "lib/event.h"
#include "bpf/datapath.h"
#include "bpf/mailbox.h"

enum probe_state { PROBE_DISABLED = 0, PROBE_UNAVAILABLE = 1, PROBE_ATTACHED = 2 };

typedef void (*probes_event_fn)(const struct vfs_event *ev, void *ctx);

struct probes_opts {
	/* Probe or group names ("datapath", "mailbox", "net_dev_xmit", ...,
	 * "all", "none"); NULL/0 selects every probe. Unknown names: probes_open -EINVAL. */
	const char *const *names;
	size_t nnames;
	/* Count/trace only these interfaces of the caller's network
	 * namespace; 0 = every interface in every namespace. */
	const int *ifindexes;
	size_t nifindexes;
	probes_event_fn cb;
	void *cb_ctx;
	/* Mailbox probes: PROBES_ATTACH_AUTO (0) tries fentry/fexit and falls
	 * back to kprobes; _FENTRY or _KPROBE use only that one. 0 also reads
	 * $VFSCOPE_ATTACH (fentry|kprobe). */
	int attach;
};

enum probes_attach { PROBES_ATTACH_AUTO = 0, PROBES_ATTACH_FENTRY = 1, PROBES_ATTACH_KPROBE = 2 };

struct probes_info {
	char name[32];
	char group[12];   /* datapath | mailbox */
	char type[20];    /* attach type in use, else the preferred one: raw_tp |
			     fentry | fexit | kprobe | kprobe+kretprobe */
	char preferred[12]; /* raw_tp | fentry | fexit */
	char target[48];  /* tracepoint or kernel function */
	int state;        /* enum probe_state */
	char reason[256]; /* why not attached ("" when attached) */
	uint64_t events;  /* events delivered or packets counted */
	char fallback[200]; /* attached as kprobe: why not fentry/fexit ("" otherwise) */
};

struct probes_if_counters {
	unsigned int netns; /* namespace inode */
	int ifindex;
	bool local;         /* in the caller's namespace (ifname valid) */
	char ifname[16];
	uint64_t tx_packets, tx_bytes, rx_packets, rx_bytes, drops, tx_timeouts;
};

struct probes_drop {
	unsigned int netns;
	int ifindex;
	unsigned int reason; /* enum skb_drop_reason of the running kernel */
	uint64_t count;
};

/* 0 (even when nothing attached), -EINVAL on a bad option, -EBUSY if open. */
int probes_open(const struct probes_opts *opts);
/* Deliver pending events to the callback, waiting up to timeout_ms
 * (0 = don't wait). Returns events delivered or a negative errno. */
int probes_poll(int timeout_ms);
/* An fd that becomes readable when events are pending, -1 if none. */
int probes_fd(void);
/* Per-interface counters (summed over CPUs); returns the number written
 * (at most max) or a negative errno; 0 when the datapath probes are off. */
int probes_counters(struct probes_if_counters *out, size_t max);
int probes_drops(struct probes_drop *out, size_t max);
/* "NO_SOCKET" for SKB_DROP_REASON_NO_SOCKET, from this kernel's BTF; NULL
 * when unknown. Valid until probes_close(). */
const char *probes_drop_reason_name(unsigned int reason);
/* Every known probe in a fixed order; returns the number written. */
size_t probes_list(struct probes_info *out, size_t max);
/* Events the ring buffers had no room for, since open. */
uint64_t probes_lost(void);
int probes_attached(void);
/* Drop CAP_SYS_ADMIN, CAP_BPF and CAP_PERFMON from every set: attached
 * programs and open maps keep working. 0 or a negative errno. */
int probes_drop_caps(void);
void probes_close(void);
const char *probe_state_name(int state);

/* Pure conversions of one ring-buffer record (exported for tests).
 * mono_to_real_ns is added to the record's monotonic time. 0, or -EBADMSG
 * when len is short or the kind unknown. */
int probes_dp_to_event(const void *rec, size_t len, int64_t mono_to_real_ns, struct vfs_event *ev);
int probes_mbx_to_event(const void *rec, size_t len, int64_t mono_to_real_ns, struct vfs_event *ev);
/* Bytes of the mailbox ring buffer for ncpu possible CPUs: 256 KiB each,
 * at least 1 MiB, at most 8 MiB, a power of two (exported for tests). */
unsigned int mbx_ring_bytes(int ncpu);
#endif
