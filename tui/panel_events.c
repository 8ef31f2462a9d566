/* Events panel: recorded events (the model's and its guests') and live
 * ones from probes, in time order. With a static source (--sysroot,
 * --from) the replay cursor ([ ] or Left/Right) walks through them and the
 * panel shows the stream up to the cursor. */
#include "tui/tui_int.h"
#include "lib/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t ev_ts(const struct vfs_event *e)
{
	return e->ts_real_ns ? e->ts_real_ns : e->ts_mono_ns;
}

static int cmp_ts(const void *a, const void *b)
{
	uint64_t x = ev_ts(*(const struct vfs_event *const *)a), y = ev_ts(*(const struct vfs_event *const *)b);
	return x < y ? -1 : x > y;
}

/* The same record: a kernel-log line carries its printk time in ts_mono_ns
 * (the wall clock is derived per collection, so it differs by microseconds). */
static bool same_event(const struct vfs_event *a, const struct vfs_event *b)
{
	return a->kind == b->kind && a->ts_mono_ns == b->ts_mono_ns && a->vf == b->vf && !strncmp(a->ifname, b->ifname, sizeof(a->ifname)) &&
	       !strncmp(a->text, b->text, sizeof(a->text)) && !strncmp(a->probe, b->probe, sizeof(a->probe));
}

/* The host's own (recorded or live), not a guest's. */
static bool host_event(const struct tui *t, const struct vfs_event *e)
{
	return (e >= t->m->events && e < t->m->events + t->m->nevents) ||
	       (e >= t->live_ev && e < t->live_ev + t->nlive);
}

size_t tui_events(struct tui *t, const struct vfs_event ***out)
{
	const struct machine *h = t->m;
	t->nevs = 0;
	for (size_t g = 0; g <= h->nguests; g++) {
		const struct machine *mm = g ? h->guests[g - 1] : h;
		for (size_t i = 0; i < mm->nevents; i++) {
			VFS_PUSH(t->evs, t->nevs, t->cap_evs);
			t->evs[t->nevs++] = &mm->events[i];
		}
	}
	for (size_t i = 0; i < t->nlive; i++) {
		VFS_PUSH(t->evs, t->nevs, t->cap_evs);
		t->evs[t->nevs++] = &t->live_ev[i];
	}
	if (t->nevs > 1)
		qsort(t->evs, t->nevs, sizeof(*t->evs), cmp_ts);
	/* One event seen twice (a guest agent sharing the host's kernel log, as
	 * netns guests in the lab do) is listed once, as the host's own; the
	 * copies lie within a millisecond of each other in this order. */
	size_t k = 0;
	for (size_t i = 0; i < t->nevs; i++) {
		const struct vfs_event *e = t->evs[i];
		size_t j = k;
		while (j > 0 && ev_ts(e) - ev_ts(t->evs[j - 1]) < 1000000 && !same_event(t->evs[j - 1], e))
			j--;
		if (j > 0 && ev_ts(e) - ev_ts(t->evs[j - 1]) < 1000000) {
			if (host_event(t, e))
				t->evs[j - 1] = e;
			continue;
		}
		t->evs[k++] = e;
	}
	t->nevs = k;
	if (t->tl_cursor >= (int)t->nevs)
		t->tl_cursor = (int)t->nevs - 1;
	*out = t->evs;
	return t->nevs;
}

static int kind_color(int k)
{
	switch (k) {
	case EV_FAILOVER: case EV_TX_TIMEOUT: case EV_VF_RESET: return C_ERR;
	case EV_LINK: return C_WARN;
	case EV_MBX: return C_INFO;
	default: return C_NORMAL;
	}
}

static bool is_pf(const struct machine *h, const char *ifname)
{
	for (size_t i = 0; i < h->npfs; i++)
		if (VS_KNOWN(h->pfs[i].netdev) && !strcmp(h->pfs[i].netdev.v, ifname))
			return true;
	return false;
}

static void events_build(struct panel *pn, struct tui *t)
{
	const struct vfs_event **ev;
	size_t n = tui_events(t, &ev);
	struct lbuf *b = &pn->lines;
	bool tail = pn->sel + 1 >= (int)pn->nvis;
	size_t upto = t->tl_cursor >= 0 ? (size_t)t->tl_cursor + 1 : n;
	for (size_t i = 0; i < upto; i++) {
		const struct vfs_event *e = ev[i];
		char ts[16];
		tui_fmt_ts(ev_ts(e), ts);
		b->item = (int)i;
		lb_col(b, C_DIM);
		if (!e->ts_real_ns)
			lb_str(b, "+"); /* since boot: a recorded kernel log has no wall clock */
		lb_str(b, ts);
		lb_col(b, kind_color(e->kind));
		lb_fmt(b, " %-8.8s", vfs_ev_kind_name(e->kind));
		lb_col(b, C_NORMAL);
		char ifn[sizeof(e->ifname) + 1], txt[sizeof(e->text) + 1];
		memcpy(ifn, e->ifname, sizeof(e->ifname)); ifn[sizeof(e->ifname)] = 0;
		memcpy(txt, e->text, sizeof(e->text)); txt[sizeof(e->text)] = 0;
		lb_fmt(b, " %-10s", ifn[0] ? ifn : "-");
		if (host_event(t, e) && ifn[0] && is_pf(t->m, ifn)) /* a PF's own link: what its VFs' teams depend on */
			lb_str(b, " PF");
		if (e->vf >= 0 && e->kind == EV_MBX)
			lb_fmt(b, " vf%d", e->vf);
		lb_fmt(b, " %s", txt);
		lb_end(b);
	}
	if (!upto) {
		b->item = -1;
		lb_line(b, C_DIM, "no events recorded%s", t->feed->probes && !strncmp(t->feed->probes, "attached", 8) ? " yet" : " (probes unavailable)");
	}
	/* Follow the stream (or the replay cursor) like tail -f. */
	if (t->tl_cursor >= 0 || tail)
		pn->sel = (int)b->n - 1;
}

static void events_status(struct panel *p, struct tui *t, char *out, size_t size)
{
	if (t->tl_cursor >= 0)
		snprintf(out, size, "replay %d/%zu", t->tl_cursor + 1, t->nevs);
	else
		snprintf(out, size, "%zu events%s", t->nevs, t->nlive ? " (live)" : "");
}

static void events_detail(struct panel *pn, struct tui *t, int line, struct lbuf *b)
{
	int item = pn->lines.v[line].item;
	if (item < 0 || (size_t)item >= t->nevs)
		return;
	const struct vfs_event *e = t->evs[item];
	char ts[32], s[sizeof(e->text) + 1];
	b->item = -1;
	if (e->ts_real_ns) {
		vfs_fmt_time(e->ts_real_ns, ts);
		lb_line(b, 0, "time      %s", ts);
	} else {
		lb_line(b, 0, "time      %llu.%06llu s since boot", (unsigned long long)(e->ts_mono_ns / 1000000000ull),
			(unsigned long long)(e->ts_mono_ns / 1000ull % 1000000ull));
	}
	lb_line(b, 0, "kind      %s", vfs_ev_kind_name(e->kind));
#define FLD(name, f) do { memcpy(s, e->f, sizeof(e->f)); s[sizeof(e->f)] = 0; lb_line(b, 0, "%-9s %s", name, s); } while (0)
	FLD("ifname", ifname);
	FLD("pf", pf);
	FLD("driver", driver);
	FLD("probe", probe);
	lb_line(b, 0, "ifindex   %d   vf %d   cpu %d   dir %s   result %s", e->ifindex, e->vf, e->cpu,
		e->dir == EV_DIR_VF_TO_PF ? "VF->PF" : e->dir == EV_DIR_PF_TO_VF ? "PF->VF" : "-",
		e->result == EV_RES_ACK ? "ACK" : e->result == EV_RES_NACK ? "NACK" : "-");
	FLD("text", text);
#undef FLD
	if (e->nwords) {
		lb_str(b, "words    ");
		for (uint32_t i = 0; i < e->nwords && i < VFS_EV_WORDS; i++)
			lb_fmt(b, " %08x", e->words[i]);
		lb_end(b);
	}
}

void panel_events_init(struct panel *p)
{
	memset(p, 0, sizeof(*p));
	p->title = "Events";
	p->build = events_build;
	p->detail = events_detail;
	p->status = events_status;
	p->lines.item = -1;
}
