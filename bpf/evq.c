/* Reorder window for the merged event stream; see bpf/evq.h. */
#include "bpf/evq.h"
#include "lib/util.h"
#include <stdlib.h>
#include <string.h>

void evq_init(struct evq *q, uint64_t window_ns)
{
	memset(q, 0, sizeof(*q));
	q->window_ns = window_ns;
}

void evq_push(struct evq *q, const struct vfs_event *ev)
{
	VFS_PUSH(q->buf, q->n, q->cap);
	q->buf[q->n].ev = *ev;
	q->buf[q->n].seq = q->seq++;
	q->n++;
}

static int by_time(const void *a, const void *b)
{
	const struct evq_item *x = a, *y = b;
	if (x->ev.ts_mono_ns != y->ev.ts_mono_ns)
		return x->ev.ts_mono_ns < y->ev.ts_mono_ns ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

size_t evq_flush(struct evq *q, uint64_t now, evq_emit_fn emit, void *ctx)
{
	size_t k = 0;
	if (!q->n)
		return 0;
	qsort(q->buf, q->n, sizeof(*q->buf), by_time);
	uint64_t cutoff = now >= q->window_ns ? now - q->window_ns : 0;
	if (now == UINT64_MAX)
		cutoff = UINT64_MAX;
	while (k < q->n && q->buf[k].ev.ts_mono_ns <= cutoff) {
		const struct vfs_event *ev = &q->buf[k].ev;
		if (ev->ts_mono_ns < q->last_out)
			q->late++;
		else
			q->last_out = ev->ts_mono_ns;
		if (emit)
			emit(ev, ctx);
		k++;
	}
	if (k) {
		memmove(q->buf, q->buf + k, (q->n - k) * sizeof(*q->buf));
		q->n -= k;
	}
	return k;
}

int evq_due_ms(const struct evq *q, uint64_t now)
{
	uint64_t oldest = UINT64_MAX;
	if (!q->n)
		return -1;
	for (size_t i = 0; i < q->n; i++)
		if (q->buf[i].ev.ts_mono_ns < oldest)
			oldest = q->buf[i].ev.ts_mono_ns;
	uint64_t due = oldest + q->window_ns;
	if (due <= now)
		return 0;
	uint64_t ms = (due - now + 999999) / 1000000;
	return ms > 60000 ? 60000 : (int)ms;
}

void evq_free(struct evq *q)
{
	free(q->buf);
	memset(q, 0, sizeof(*q));
}
