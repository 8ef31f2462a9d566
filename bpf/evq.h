/* A small reorder window for the merged event stream of `vfscope trace`:
 * BPF ring-buffer records (stamped in the kernel with bpf_ktime_get_ns,
 * CLOCK_MONOTONIC) and rtnetlink messages (stamped on receipt with
 * CLOCK_MONOTONIC) reach user space in poll batches, and a record of one
 * batch can be older than one already read in an earlier batch (a ring
 * buffer drained later, a CPU that committed late). Events wait in the queue
 * until they are `window` older than now, then leave in timestamp order
 * (ties: arrival order). An event that arrives after a newer one has left
 * still goes out, at once, and is counted as late. */
#ifndef VFS_BPF_EVQ_H
#define VFS_BPF_EVQ_H
#include <stddef.h>
#include <stdint.h>
#include "lib/event.h"

struct evq_item {
	struct vfs_event ev;
	uint64_t seq;
};

struct evq {
	struct evq_item *buf;
	size_t n, cap;
	uint64_t window_ns;
	uint64_t seq;
	uint64_t last_out;  /* ts_mono_ns of the newest event emitted */
	uint64_t late;      /* events emitted after a newer one */
};

typedef void (*evq_emit_fn)(const struct vfs_event *ev, void *ctx);

void evq_init(struct evq *q, uint64_t window_ns);
void evq_push(struct evq *q, const struct vfs_event *ev);
/* Emit every queued event with ts_mono_ns + window <= now (all of them with
 * now = UINT64_MAX), oldest first. Returns the number emitted. */
size_t evq_flush(struct evq *q, uint64_t now_mono_ns, evq_emit_fn emit, void *ctx);
/* Milliseconds until the oldest queued event is due (0: due now), -1 when empty. */
int evq_due_ms(const struct evq *q, uint64_t now_mono_ns);
void evq_free(struct evq *q);
#endif
