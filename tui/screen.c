/* The screen manager: one loop that owns the terminal, lays the panels out
 * (stacked on narrow terminals, two columns on wide ones), routes keys to
 * the focused panel or a popup, re-collects through the feed on each
 * interval (live sources only) and redraws. ncurses turns SIGWINCH into
 * KEY_RESIZE, which lands here like any key. */
#include "tui/tui_int.h"
#include "lib/util.h"
#include "lib/lazy.h"
#include "lib/lazy_curses.h"
#include <inttypes.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define HEADER_ROWS 2
#define KEY_ESC 27

/* ---- generic panel behaviour ---- */
void panel_refilter(struct panel *p, struct tui *t)
{
	p->nvis = 0;
	for (size_t i = 0; i < p->lines.n; i++) {
		if (t->filter[0]) {
			char plain[1024];
			tline_plain(p->lines.v[i].s, plain, sizeof(plain));
			if (!strcasestr(plain, t->filter))
				continue;
		}
		VFS_PUSH(p->vis, p->nvis, p->cap_vis);
		p->vis[p->nvis++] = (int)i;
	}
	if (p->sel >= (int)p->nvis)
		p->sel = p->nvis ? (int)p->nvis - 1 : 0;
	if (p->sel < 0)
		p->sel = 0;
}

static bool line_matches(const struct panel *p, const struct tui *t, size_t i)
{
	char plain[1024];
	tline_plain(p->lines.v[i].s, plain, sizeof(plain));
	return strcasestr(plain, t->filter) != NULL;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

void panel_refilter_lines(struct panel *p, struct tui *t, const int *lines, size_t n)
{
	if (!t->filter[0] && p->nvis == p->lines.n)
		return; /* every line is shown, and still is */
	for (size_t k = 0; k < n; k++) {
		if (lines[k] < 0 || (size_t)lines[k] >= p->lines.n)
			continue;
		bool shown = p->nvis && bsearch(&lines[k], p->vis, p->nvis, sizeof(*p->vis), cmp_int);
		if (shown != (!t->filter[0] || line_matches(p, t, (size_t)lines[k]))) {
			panel_refilter(p, t); /* a line came into the filter or left it */
			return;
		}
	}
}

void panel_resize(struct panel *p, int y, int x, int h, int w)
{
	p->y = y; p->x = x; p->h = h; p->w = w;
}

/* What each row of a panel (0: its title) was last drawn with, for a
 * draw that leaves the rows coming out the same alone (draw_panels). The
 * key is the row's text with what else decides how it looks (selected,
 * sideways scroll); rows are relative to the panel, valid while it stays
 * where it was (draw_panels falls back to draw_all otherwise). */
struct drawn_rows { char **key; int n; };
static struct drawn_rows drawn_rows[P_MAX];

/* True when row r of d was drawn with key; records key otherwise. */
static bool row_same(struct drawn_rows *d, int r, const char *key)
{
	if (r < d->n && d->key[r] && !strcmp(d->key[r], key))
		return true;
	if (r >= d->n) {
		d->key = vfs_xrealloc(d->key, (size_t)r + 1, sizeof(*d->key));
		memset(d->key + d->n, 0, ((size_t)r + 1 - (size_t)d->n) * sizeof(*d->key));
		d->n = r + 1;
	}
	free(d->key[r]);
	d->key[r] = vfs_xstrdup(key);
	return false;
}

static void drawn_rows_free(void)
{
	for (int i = 0; i < P_MAX; i++) {
		for (int r = 0; r < drawn_rows[i].n; r++)
			free(drawn_rows[i].key[r]);
		free(drawn_rows[i].key);
		drawn_rows[i] = (struct drawn_rows){ 0 };
	}
}

/* Draw p; with keep (its rows on screen are those recorded in d), only
 * the rows whose key changed, each blanked first. */
static void panel_draw_rows(struct panel *p, struct tui *t, bool focus, struct drawn_rows *d, bool keep)
{
	if (p->h <= 0 || p->w <= 0)
		return;
	char st[128] = "", title[256], key[1100];
	if (p->status)
		p->status(p, t, st, sizeof(st));
	snprintf(title, sizeof(title), " %s%s%s%s%s", p->title, st[0] ? "  " : "", st,
		 t->filter[0] ? "  filter: " : "", t->filter);
	int tc = focus ? C_TITLE_FOCUS : C_TITLE;
	int rows = p->h - 1;
	if (rows > 0) {
		if (p->sel < p->top)
			p->top = p->sel;
		if (p->sel >= p->top + rows)
			p->top = p->sel - rows + 1;
		if (p->top > (int)p->nvis - rows)
			p->top = MAX(0, (int)p->nvis - rows);
	}
	char pos[32] = "";
	if (rows > 0 && (int)p->nvis > rows) /* scroll position, right edge */
		snprintf(pos, sizeof(pos), " %d/%zu ", p->sel + 1, p->nvis);
	snprintf(key, sizeof(key), "%d|%s|%s", focus, title, pos);
	if (!row_same(d, 0, key) || !keep) {
		tui_fill(p->y, p->x, p->w, tc);
		tui_put(p->y, p->x, p->w, 0, tc, title);
		int w = (int)strlen(pos);
		if (w && w < p->w)
			tui_put(p->y, p->x + p->w - w, w, 0, tc, pos);
	}
	for (int r = 0; r < rows; r++) {
		int vi = p->top + r;
		int y = p->y + 1 + r;
		const char *s = vi < (int)p->nvis ? p->lines.v[p->vis[vi]].s : NULL;
		const char *none = t->filter[0] ? "(nothing matches the filter)" : "(none)";
		bool sel = s && focus && vi == p->sel;
		snprintf(key, sizeof(key), "%c%d|%s", sel ? 'S' : s ? 'N' : 'E', p->hscroll,
			 s ? s : vi == 0 && r == 0 ? none : "");
		if (row_same(d, r + 1, key) && keep)
			continue;
		if (keep) {
			attrset(A_NORMAL);
			mvhline(y, p->x, ' ', p->w); /* blank, as erase() leaves it */
		}
		if (!s) {
			if (vi == 0 && r == 0)
				tui_put(y, p->x + 1, p->w - 1, 0, C_DIM, none);
			continue;
		}
		if (sel) {
			char plain[1024];
			tline_plain(s, plain, sizeof(plain));
			tui_fill(y, p->x, p->w, C_SEL);
			tui_put(y, p->x, 1, 0, C_SEL, tui_g.sel);
			tui_put(y, p->x + 1, p->w - 1, p->hscroll, C_SEL, plain);
		} else {
			tui_put(y, p->x + 1, p->w - 1, p->hscroll, C_NORMAL, s);
		}
	}
}

void panel_draw(struct panel *p, struct tui *t, bool focus)
{
	int i = (int)(p - t->p);
	struct drawn_rows scratch = { 0 };
	panel_draw_rows(p, t, focus, i >= 0 && i < P_MAX ? &drawn_rows[i] : &scratch, false);
	for (int r = 0; r < scratch.n; r++)
		free(scratch.key[r]);
	free(scratch.key);
}

int panel_key(struct panel *p, struct tui *t, int key)
{
	int rows = MAX(1, p->h - 1);
	switch (key) {
	case KEY_UP: case 'k': p->sel--; break;
	case KEY_DOWN: case 'j': p->sel++; break;
	case KEY_PPAGE: p->sel -= rows; break;
	case KEY_NPAGE: case ' ': p->sel += rows; break;
	case KEY_HOME: case 'g': p->sel = 0; break;
	case KEY_END: case 'G': p->sel = (int)p->nvis - 1; break;
	case KEY_LEFT: case 'h': p->hscroll = MAX(0, p->hscroll - 8); return 1;
	case KEY_RIGHT: case 'l': p->hscroll += 8; return 1;
	default: return 0;
	}
	if (p->sel >= (int)p->nvis)
		p->sel = (int)p->nvis - 1;
	if (p->sel < 0)
		p->sel = 0;
	return 1;
}

/* ---- state ---- */
static void layout(struct tui *t);

static void build_one(struct tui *t, int i)
{
	lb_reset(&t->p[i].lines);
	t->p[i].build(&t->p[i], t);
	panel_refilter(&t->p[i], t);
}

/* Panels fit some lines to their width (findings), so lay out first. */
static void build_all(struct tui *t)
{
	layout(t);
	for (int i = 0; i < P_MAX; i++)
		build_one(t, i);
}

/* Build panel i again, keeping the old lines when the new ones are the
 * same; true when they differ. */
static bool build_cmp(struct tui *t, int i)
{
	struct panel *p = &t->p[i];
	struct lbuf old = p->lines;
	p->lines = (struct lbuf){ .item = -1 };
	p->build(p, t);
	bool same = old.n == p->lines.n;
	for (size_t k = 0; same && k < old.n; k++)
		same = old.v[k].item == p->lines.v[k].item && !strcmp(old.v[k].s, p->lines.v[k].s);
	lb_free(&old);
	panel_refilter(p, t);
	return !same;
}

static unsigned status_moved(struct tui *t)
{
	unsigned moved = 0;
	for (int i = 0; i < P_MAX; i++) {
		char st[sizeof(t->p[i].st)] = "";
		if (t->p[i].status)
			t->p[i].status(&t->p[i], t, st, sizeof(st));
		if (strcmp(st, t->p[i].st)) {
			memcpy(t->p[i].st, st, sizeof(st));
			moved |= 1u << i;
		}
	}
	return moved;
}

unsigned tui_rebuild(struct tui *t, const struct tui_delta *d, unsigned what, bool all)
{
	if (all || (d && d->all)) {
		build_all(t);
		status_moved(t);
		return (1u << P_MAX) - 1;
	}
	layout(t);
	unsigned changed = 0;
	struct panel *tp = &t->p[P_TOPO];
	if (d && d->n) {
		int r = tp->update ? tp->update(tp, t, d->netdevs, d->n) : -1;
		if (r < 0 ? build_cmp(t, P_TOPO) : r > 0)
			changed |= 1u << P_TOPO;
	}
	/* A member's state shows in Teams too (a handful of lines: always). */
	if (((what & TUI_B_TEAMS) || (d && d->n)) && build_cmp(t, P_TEAMS))
		changed |= 1u << P_TEAMS;
	if ((what & TUI_B_FINDINGS) && build_cmp(t, P_FINDINGS))
		changed |= 1u << P_FINDINGS;
	if ((what & TUI_B_EVENTS) && build_cmp(t, P_EVENTS))
		changed |= 1u << P_EVENTS;
	return changed | status_moved(t);
}

static bool str_same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool tui_findings_same(const struct findings *a, const struct findings *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct finding *x = &a->v[i], *y = &b->v[i];
		if (x->severity != y->severity || !str_same(x->id, y->id) || !str_same(x->title, y->title) ||
		    !str_same(x->subject, y->subject))
			return false;
	}
	return true;
}

static void set_msg(struct tui *t, const char *fmt, const char *arg)
{
	snprintf(t->msg, sizeof(t->msg), fmt, arg ? arg : "");
	t->msg_ns = vfs_now_mono_ns();
}

/* Per-member rates: probes (per ifindex), else the backing VF's stats,
 * else the member netdev's counters through the feed. */
static void sample_member(struct tui *t, const struct machine *mm, const struct team *tm, const struct member *mb,
			  uint64_t now)
{
	const struct machine *h = t->m;
	uint64_t rx = 0, tx = 0;
	const char *src = NULL;
	const struct netdev *nd = mm == h && mb->netdev_idx >= 0 && (size_t)mb->netdev_idx < h->nnetdevs
		? &h->netdevs[mb->netdev_idx] : NULL;
	if (nd && t->feed->probe_counters && VI_KNOWN(nd->ifindex) &&
	    t->feed->probe_counters(t->feed->ctx, (int)nd->ifindex.v, &rx, &tx) == 0)
		src = "probe";
	if (!src) {
		int pf = tui_member_pf(h, mm, mb);
		int vf = mb->host_pf_idx >= 0 ? mb->host_vf_idx : nd ? nd->vf_idx : -1;
		if (pf >= 0 && vf >= 0 && (size_t)vf < h->pfs[pf].nvfs && h->pfs[pf].vfs[vf].stats.src != SRC_NONE) {
			rx = h->pfs[pf].vfs[vf].stats.rx_bytes;
			tx = h->pfs[pf].vfs[vf].stats.tx_bytes;
			src = "vf-stats";
		}
	}
	if (!src && nd && t->feed->counters && VS_KNOWN(mb->name) &&
	    t->feed->counters(t->feed->ctx, h, mb->name.v, &rx, &tx) == 0)
		src = "netdev";
	if (!src)
		return;
	char key[96];
	snprintf(key, sizeof(key), "%s/%s/%s", tui_machine_name(mm), VS_KNOWN(tm->name) ? tm->name.v : "?",
		 VS_KNOWN(mb->name) ? mb->name.v : "?");
	struct rate *r = tui_rate(t, key);
	r->src = src;
	if (r->have && now > r->last_ns && rx >= r->last_rx && tx >= r->last_tx) {
		double dt = (double)(now - r->last_ns) / 1e9;
		if (r->n == TUI_SPARK) {
			memmove(r->rx, r->rx + 1, sizeof(r->rx[0]) * (TUI_SPARK - 1));
			memmove(r->tx, r->tx + 1, sizeof(r->tx[0]) * (TUI_SPARK - 1));
			r->n--;
		}
		r->rx[r->n] = (double)(rx - r->last_rx) / dt;
		r->tx[r->n] = (double)(tx - r->last_tx) / dt;
		r->n++;
	}
	r->last_rx = rx; r->last_tx = tx; r->last_ns = now; r->have = true;
}

static void sample_rates(struct tui *t)
{
	uint64_t now = vfs_now_mono_ns();
	const struct machine *h = t->m;
	for (size_t g = 0; g <= h->nguests; g++) {
		const struct machine *mm = g == 0 ? h : h->guests[g - 1];
		for (size_t i = 0; i < mm->nteams; i++)
			for (size_t j = 0; j < mm->teams[i].nmembers; j++)
				sample_member(t, mm, &mm->teams[i], &mm->teams[i].members[j], now);
	}
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void recollect(struct tui *t)
{
	struct findings f = { 0 };
	char err[256] = "";
	/* CPU time, not wall time: waiting for a slow guest agent costs no CPU. */
	uint64_t c0 = cpu_ns();
	struct machine *m = t->feed->collect(t->feed->ctx, &f, err, sizeof(err));
	t->last_collect_ns = vfs_now_mono_ns();
	t->collect_cost_ns = cpu_ns() - c0;
	/* Keep collection under cpu_cap percent of a core: a slow collection
	 * stretches the interval (shown in the header). */
	t->interval_ns = (uint64_t)t->o.interval_ms * 1000000ull;
	if (t->o.cpu_cap > 0 && !t->feed->update) {
		/* 0.8: leave room for drawing within the cap. */
		uint64_t min = (uint64_t)((double)t->collect_cost_ns * 100.0 / (t->o.cpu_cap * 0.8));
		if (min > t->interval_ns)
			t->interval_ns = MIN(min, 60000000000ull);
	}
	if (!m) {
		findings_free(&f);
		snprintf(t->err, sizeof(t->err), "collect failed: %s", err);
		return;
	}
	t->err[0] = 0;
	t->nevs = 0; /* points into the old model */
	machine_free(t->m);
	findings_free(&t->f);
	t->m = m;
	t->f = f;
	sample_rates(t);
}

/* The interval tick with feed->update: the model on screen updated in
 * place, or collected again when update asks. True when it changed. */
/* What changed since the panels were last built. */
struct pending {
	struct tui_delta d;
	unsigned what;     /* TUI_B_* */
	bool all;
};

/* A feed callback said m changed: what it put in d, or everything. */
static void delta_from(struct pending *pd, size_t n_before, bool changed)
{
	if (changed && pd->d.n == n_before && !pd->d.all)
		pd->all = true;
}

static bool update_tick(struct tui *t, struct pending *pd)
{
	struct findings f = { 0 };
	size_t n0 = pd->d.n;
	int r = t->feed->update(t->feed->ctx, t->m, &f, &pd->d);
	if (r < 0) {
		findings_free(&f);
		recollect(t);
		pd->all = true;
		return true;
	}
	t->last_collect_ns = vfs_now_mono_ns();
	if (r > 0) {
		/* The model is the same object, changed in place: the events
		 * (t->evs) still point into it. */
		delta_from(pd, n0, true);
		if (!tui_findings_same(&t->f, &f))
			pd->what |= TUI_B_FINDINGS;
		findings_free(&t->f);
		t->f = f;
	} else {
		findings_free(&f);
	}
	sample_rates(t);
	bool teams = t->m->nteams > 0; /* their rates move */
	for (size_t g = 0; g < t->m->nguests && !teams; g++)
		teams = t->m->guests[g]->nteams > 0;
	if (teams)
		pd->what |= TUI_B_TEAMS;
	return r > 0 || teams;
}

static bool poll_live(struct tui *t, struct pending *pd)
{
	if (!t->feed->poll_events)
		return false;
	struct vfs_event ev[256];
	size_t n = t->feed->poll_events(t->feed->ctx, ev, ARRAY_SIZE(ev));
	const size_t max = 4096;
	for (size_t i = 0; i < n; i++) {
		if (t->nlive == max) { /* bounded: drop the oldest half */
			memmove(t->live_ev, t->live_ev + max / 2, sizeof(*t->live_ev) * (max / 2));
			t->nlive = max / 2;
		}
		VFS_PUSH(t->live_ev, t->nlive, t->cap_live);
		t->live_ev[t->nlive] = ev[i];
		t->live_ev[t->nlive].text[sizeof(ev[i].text) - 1] = 0;
		t->nlive++;
	}
	if (n)
		pd->what |= TUI_B_EVENTS;
	/* A link change the kernel announced is drawn now, not at the next
	 * collection (the Events panel has its event already). */
	size_t n0 = pd->d.n;
	bool links = t->feed->apply_links && t->feed->apply_links(t->feed->ctx, t->m, &pd->d);
	delta_from(pd, n0, links);
	return n > 0 || links;
}

/* ---- layout ---- */
static bool too_small(void)
{
	return LINES < 10 || COLS < 40;
}

/* Stack panels idx[0..n) in a column: every panel gets a title and a
 * couple of rows, then the focused one grows to its content, then the
 * others one row at a time; what is left goes to the focused panel (or
 * the last, the event stream, when the focus is in another column). */
static void stack(struct tui *t, const int *idx, int n, int y0, int x, int w, int body)
{
	int h[P_MAX], want[P_MAX], used = 0, f = n - 1;
	for (int i = 0; i < n; i++) {
		struct panel *p = &t->p[idx[i]];
		want[i] = (int)MAX(p->nvis, 1) + 1;
		h[i] = MIN(want[i], MAX(2, body / (2 * n)));
		used += h[i];
		if (idx[i] == t->focus)
			f = i;
	}
	int g = MIN(want[f] - h[f], body - used);
	if (g > 0) {
		h[f] += g;
		used += g;
	}
	for (bool grew = true; grew && used < body;) {
		grew = false;
		for (int i = 0; i < n && used < body; i++)
			if (h[i] < want[i]) {
				h[i]++;
				used++;
				grew = true;
			}
	}
	h[f] += body - used;
	int y = y0;
	for (int i = 0; i < n; i++) {
		panel_resize(&t->p[idx[i]], y, x, h[i], w);
		y += h[i];
	}
}

static void layout(struct tui *t)
{
	int body = LINES - HEADER_ROWS - 1, y0 = HEADER_ROWS;
	if (too_small())
		return;
	if (COLS >= 160 && body >= 20) {
		/* Two columns: topology on the left, the rest stacked right. */
		int lw = COLS / 2;
		panel_resize(&t->p[P_TOPO], y0, 0, body, lw);
		static const int right[] = { P_TEAMS, P_FINDINGS, P_EVENTS };
		stack(t, right, 3, y0, lw + 1, COLS - lw - 1, body);
		return;
	}
	static const int all[] = { P_TOPO, P_TEAMS, P_FINDINGS, P_EVENTS };
	stack(t, all, P_MAX, y0, 0, COLS, body);
}

static void draw_header(struct tui *t)
{
	const struct machine *m = t->m;
	char now[32], ln[512];
	vfs_fmt_time(vfs_now_real_ns(), now);
	char iv[32];
	if (t->feed->live && t->interval_ns > (uint64_t)t->o.interval_ms * 1000000ull)
		snprintf(iv, sizeof(iv), "every %.1fs (cpu cap)", (double)t->interval_ns / 1e9);
	else if (t->feed->live)
		snprintf(iv, sizeof(iv), "every %gs", t->o.interval_ms / 1000.0);
	else
		snprintf(iv, sizeof(iv), "static");
	snprintf(ln, sizeof(ln), "vfscope  %s  kernel %s  %s%s  %s", tui_machine_name(m),
		 VS_KNOWN(m->kernel) ? m->kernel.v : "?", iv, t->paused ? " PAUSED" : "",
		 t->feed->source ? t->feed->source : "live");
	tui_fill(0, 0, COLS, C_NORMAL);
	tui_put(0, 0, COLS - 14, 0, C_HEADER, ln);
	now[23] = 0; /* HH:MM:SS.mmm, UTC */
	tui_put(0, COLS - 13, 13, 0, C_HEADER, now + 11);
	struct lbuf b = { 0 };
	b.item = -1;
	lb_col(&b, C_DIM);
	lb_str(&b, "sources:");
	/* Compact for 80 columns: name, then ~ partial, - skipped, ! failed. */
	static const char *const st[] = { "", "~", "-", "!" };
	static const int sc[] = { C_OK, C_WARN, C_DIM, C_ERR };
	for (size_t i = 0; i < m->nsources; i++) {
		const struct source *s = &m->sources[i];
		if (!strncmp(s->name, "guest", 5))
			continue;
		lb_col(&b, sc[s->status & 3]);
		lb_fmt(&b, " %s%s", s->name, st[s->status & 3]);
	}
	lb_col(&b, C_NORMAL);
	lb_str(&b, "  probes:");
	const char *pr = t->feed->probes ? t->feed->probes : "unavailable";
	lb_col(&b, !strncmp(pr, "attached", 8) ? C_OK : C_DIM);
	lb_str(&b, pr);
	size_t gfail = 0, gstale = 0;
	for (size_t i = 0; i < m->nsources; i++)
		if (!strncmp(m->sources[i].name, "guest", 5)) {
			gfail += m->sources[i].status == SOURCE_FAILED;
			gstale += m->sources[i].status == SOURCE_PARTIAL;
		}
	lb_col(&b, C_NORMAL);
	lb_fmt(&b, "  guests:%zu", m->nguests);
	if (gfail) {
		lb_col(&b, C_ERR);
		lb_fmt(&b, " (%zu failed)", gfail);
	}
	if (gstale) { /* shown from an older view: the agent stopped answering */
		lb_col(&b, C_WARN);
		lb_fmt(&b, " (%zu stale)", gstale);
	}
	if (t->tl_cursor >= 0 && t->nevs) {
		char ts[16];
		tui_fmt_ts(t->evs[t->tl_cursor]->ts_real_ns, ts);
		lb_col(&b, C_WARN);
		lb_fmt(&b, "  replay %d/%zu @%s", t->tl_cursor + 1, t->nevs, ts);
	}
	tui_fill(1, 0, COLS, C_NORMAL);
	tui_put(1, 0, COLS, 0, C_NORMAL, b.cur);
}

static void draw_footer(struct tui *t, bool editing)
{
	int y = LINES - 1;
	tui_fill(y, 0, COLS, C_NORMAL);
	if (editing) {
		char ln[128];
		snprintf(ln, sizeof(ln), "filter: %s_   (Enter keep, Esc clear)", t->filter);
		tui_put(y, 0, COLS, 0, C_WARN, ln);
		return;
	}
	if (t->err[0]) {
		tui_put(y, 0, COLS, 0, C_ERR, t->err);
		return;
	}
	if (t->msg[0] && vfs_now_mono_ns() - t->msg_ns < 5000000000ull) {
		tui_put(y, 0, COLS, 0, C_WARN, t->msg);
		return;
	}
	static const char *const keys[][2] = {
		{ "?", "Help" }, { "Tab", "Panel" }, { "Enter", "Details" }, { "/", "Filter" },
		{ "p", "Pause" }, { "s", "Bundle" }, { "[]", "Time" }, { "q", "Quit" },
	};
	int x = 0;
	for (size_t i = 0; i < ARRAY_SIZE(keys) && x < COLS; i++) {
		if (!strcmp(keys[i][0], "[]") && (t->feed->live || !t->nevs))
			continue;
		x += tui_put(y, x, COLS - x, 0, C_KEY, keys[i][0]);
		x += tui_put(y, x, COLS - x, 0, C_NORMAL, " ");
		x += tui_put(y, x, COLS - x, 0, C_NORMAL, keys[i][1]);
		x += tui_put(y, x, COLS - x, 0, C_NORMAL, "  ");
	}
}

/* ---- popups (help, details) ---- */
struct popup {
	bool open;
	char title[128];
	struct lbuf b;
	int top;
};

/* Long lines (evidence, fixes) wrap: row k of a line is the same string
 * drawn with k*width columns skipped. */
static int rows_of(const char *s, int w)
{
	int cw = tui_width(s);
	return cw <= w ? 1 : (cw + w - 1) / w;
}

static void popup_draw(struct popup *pp)
{
	int w = MIN(COLS - 2, 110);
	if (w < 20 || LINES < 6)
		return;
	int tw = w - 4, total = 0;
	for (size_t i = 0; i < pp->b.n; i++)
		total += rows_of(pp->b.v[i].s, tw);
	int h = MIN(LINES - 2, total + 3);
	int y0 = (LINES - h) / 2, x0 = (COLS - w) / 2;
	int rows = h - 3;
	if (pp->top > total - rows)
		pp->top = MAX(0, total - rows);
	tui_fill(y0, x0, w, C_TITLE_FOCUS);
	char t[160];
	snprintf(t, sizeof(t), " %s ", pp->title);
	tui_put(y0, x0, w, 0, C_TITLE_FOCUS, t);
	for (int r = 0; r < rows + 1; r++) {
		tui_fill(y0 + 1 + r, x0, w, C_NORMAL);
		tui_put(y0 + 1 + r, x0, 1, 0, C_DIM, tui_g.vbar);
		tui_put(y0 + 1 + r, x0 + w - 1, 1, 0, C_DIM, tui_g.vbar);
	}
	int row = 0;
	for (size_t i = 0; i < pp->b.n && row < pp->top + rows; i++) {
		int n = rows_of(pp->b.v[i].s, tw);
		for (int k = 0; k < n; k++, row++)
			if (row >= pp->top && row < pp->top + rows)
				tui_put(y0 + 1 + row - pp->top, x0 + 2, tw, k * tw, C_NORMAL, pp->b.v[i].s);
	}
	char more[64];
	snprintf(more, sizeof(more), "Esc/q close  %s", total > rows ? "Up/Down scroll (more)" : "");
	tui_fill(y0 + h - 1, x0, w, C_TITLE);
	tui_put(y0 + h - 1, x0 + 1, w - 2, 0, C_TITLE, more);
}

static void help_fill(struct lbuf *b)
{
	static const char *const help[] = {
		"vfscope top: why does a NIC team over SR-IOV VFs not fail over?",
		"",
		"Panels: Topology (PF -> VF -> where used), Teams (members, backing VF/PF,",
		"rates), Findings (sorted by severity), Events (mailbox, link, failover).",
		"A member shown \"UP (PF DOWN)\" is up for its team while the PF under it",
		"has no carrier: the team will not fail over away from it.",
		"",
		"  Tab / Shift-Tab   next / previous panel",
		"  Up Down j k       move the selection   PgUp PgDn Home End g G",
		"  Left Right h l    scroll sideways (replay: move through time)",
		"  [ ]               move the replay cursor through recorded events",
		"  Enter             details: evidence and fix, VF or member detail",
		"  /                 filter every panel (Esc clears)",
		"  p                 pause / resume refresh",
		"  s                 write a support bundle",
		"  r                 refresh now",
		"  ?  F1             this help",
		"  q  F10            quit",
	};
	lb_reset(b);
	for (size_t i = 0; i < ARRAY_SIZE(help); i++)
		lb_line(b, 0, "%s", help[i]);
}

static int popup_key(struct popup *pp, int key)
{
	switch (key) {
	case KEY_ESC: case 'q': case '\n': case KEY_ENTER: case '?': case KEY_F(1):
		pp->open = false;
		return 1;
	case KEY_UP: case 'k': pp->top = MAX(0, pp->top - 1); return 1;
	case KEY_DOWN: case 'j': pp->top++; return 1;
	case KEY_PPAGE: pp->top = MAX(0, pp->top - 10); return 1;
	case KEY_NPAGE: case ' ': pp->top += 10; return 1;
	}
	return 0;
}

/* ---- timeline (static sources with recorded events) ---- */
static bool timeline_on(struct tui *t)
{
	return !t->feed->live && t->nevs > 0;
}

static void timeline_move(struct tui *t, int d)
{
	if (t->tl_cursor < 0)
		t->tl_cursor = d < 0 ? (int)t->nevs : -1;
	t->tl_cursor += d;
	if (t->tl_cursor < 0)
		t->tl_cursor = 0;
	if (t->tl_cursor >= (int)t->nevs)
		t->tl_cursor = (int)t->nevs - 1;
}

/* Where each panel was drawn by the last draw_all or draw_panels. */
static int drawn_geo[P_MAX][4];
static int drawn_focus = -1;

static void geo_save(const struct tui *t)
{
	for (int i = 0; i < P_MAX; i++) {
		drawn_geo[i][0] = t->p[i].y; drawn_geo[i][1] = t->p[i].x;
		drawn_geo[i][2] = t->p[i].h; drawn_geo[i][3] = t->p[i].w;
	}
	drawn_focus = t->focus;
}

static bool geo_same(const struct tui *t)
{
	for (int i = 0; i < P_MAX; i++)
		if (drawn_geo[i][0] != t->p[i].y || drawn_geo[i][1] != t->p[i].x ||
		    drawn_geo[i][2] != t->p[i].h || drawn_geo[i][3] != t->p[i].w)
			return false;
	return drawn_focus == t->focus;
}

static void draw_all(struct tui *t, struct popup *pp, bool editing)
{
	erase();
	if (too_small()) {
		tui_put(0, 0, COLS, 0, C_WARN, "vfscope: terminal too small (need 40x10); q quits");
		refresh();
		return;
	}
	layout(t);
	geo_save(t);
	draw_header(t);
	for (int i = 0; i < P_MAX; i++)
		panel_draw(&t->p[i], t, i == t->focus);
	draw_footer(t, editing);
	if (pp->open)
		popup_draw(pp);
	refresh();
}

/* After a change only some panels differ (tui_rebuild's mask): of those,
 * the rows that come out differently are blanked and drawn again, with the
 * header and footer; the rest of the screen is left as it is. Anything
 * else (a popup, the filter line, the focus, a panel that moved or grew)
 * draws everything. */
static void draw_panels(struct tui *t, struct popup *pp, bool editing, unsigned mask)
{
	if (too_small() || pp->open || editing) {
		draw_all(t, pp, editing);
		return;
	}
	layout(t);
	if (!geo_same(t)) {
		draw_all(t, pp, editing);
		return;
	}
	draw_header(t);
	for (int i = 0; i < P_MAX; i++) {
		struct panel *p = &t->p[i];
		if (!(mask & (1u << i)) || p->h <= 0 || p->w <= 0)
			continue;
		panel_draw_rows(p, t, i == t->focus, &drawn_rows[i], true);
	}
	draw_footer(t, editing);
	refresh();
}

/* Only the clock's second moved on: the header and the footer (a message
 * may have expired) drawn again, the panels left as they are. */
static void draw_clock(struct tui *t, struct popup *pp, bool editing)
{
	if (too_small())
		return;
	draw_header(t);
	draw_footer(t, editing);
	if (pp->open)
		popup_draw(pp);
	refresh();
}

/* Ctrl-C, SIGTERM, SIGHUP (ssh gone): leave the loop, restore the terminal,
 * exit 0 like q. Installed before newterm so ncurses keeps ours. */
static volatile sig_atomic_t g_quit;
static void on_quit(int sig)
{
	(void)sig;
	g_quit = 1;
}

static bool utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcasecmp(cs, "UTF-8") || !strcasecmp(cs, "utf8"));
}

int tui_run(const struct tui_feed *feed, const struct tui_opts *o, struct machine *m, struct findings *f)
{
	struct tui t = { .feed = feed, .o = *o, .m = m, .tl_cursor = -1 };
	struct pending pd = { 0 };
	t.f = *f;
	memset(f, 0, sizeof(*f));
	if (t.o.interval_ms <= 0)
		t.o.interval_ms = 1000;
	setlocale(LC_ALL, "");
	t.ascii = o->ascii || !utf8_locale();
	tui_glyphs_init(t.ascii);
	panel_topo_init(&t.p[P_TOPO]);
	panel_teams_init(&t.p[P_TEAMS]);
	panel_findings_init(&t.p[P_FINDINGS]);
	panel_events_init(&t.p[P_EVENTS]);
	int rc = 0;
	SCREEN *scr = NULL;
	struct sigaction sa = { .sa_handler = on_quit }, old[3];
	sigemptyset(&sa.sa_mask);
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	g_quit = 0;
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "vfscope top: needs a terminal (try 'vfscope snapshot' or 'vfscope check')\n");
		rc = 2;
		goto out;
	}
	/* ncursesw is loaded here (lib/lazy_curses.h); lazy_load says on
	 * stderr, in one line, why it could not be. */
	if (!lazy_load(&lazy_curses)) {
		rc = 2;
		goto out;
	}
	if (!(scr = newterm(NULL, stdout, stdin))) {
		char term[64];
		vfs_sanitize(term, sizeof(term), getenv("TERM") ? getenv("TERM") : "(unset)");
		fprintf(stderr, "vfscope top: cannot use terminal type '%s' (try TERM=xterm-256color, or 'vfscope snapshot')\n", term);
		rc = 2;
		goto out;
	}
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	tui_colors_init(!o->no_color && !getenv("NO_COLOR"));
	t.last_collect_ns = vfs_now_mono_ns();
	sample_rates(&t);
	poll_live(&t, &pd);
	build_all(&t);
	tui_delta_reset(&pd.d);
	pd.what = 0;
	pd.all = false;

	struct popup pp = { 0 };
	pp.b.item = -1;
	bool editing = false, dirty = false, key_pending = false, redraw = true, update_soon = false;
	unsigned redraw_some = 0; /* panels a change touched (draw_panels) */
	int64_t drawn_sec = -1;
	t.interval_ns = (uint64_t)t.o.interval_ms * 1000000ull;
	while (!g_quit) {
		uint64_t interval = t.interval_ns;
		uint64_t now = vfs_now_mono_ns();
		if (!t.paused && poll_live(&t, &pd)) {
			dirty = true;
			update_soon = feed->update != NULL;
		}
		/* With feed->update, what the kernel announced is read again at
		 * once (at most every 100 ms), not at the next tick. */
		bool due = now - t.last_collect_ns >= interval ||
			   (update_soon && now - t.last_collect_ns >= 100000000ull);
		if (feed->live && !t.paused && due) {
			if (feed->update) {
				update_soon = false;
				if (update_tick(&t, &pd))
					dirty = true;
			} else {
				recollect(&t);
				dirty = pd.all = true;
			}
		}
		if (dirty) {
			/* Drawn again only when what the panels show changed (a
			 * refresh that merged what apply_links showed already). */
			redraw_some |= tui_rebuild(&t, &pd.d, pd.what, pd.all);
			tui_delta_reset(&pd.d);
			pd.what = 0;
			pd.all = false;
			dirty = false;
		}
		/* Drawn when something changed, a key came, or the clock's second
		 * moved on (the header shows it): not on every wake-up. */
		int64_t sec = (int64_t)(vfs_now_real_ns() / 1000000000ull);
		if (redraw) {
			draw_all(&t, &pp, editing);
			drawn_sec = sec;
			redraw = false;
			redraw_some = 0;
		} else if (redraw_some) {
			draw_panels(&t, &pp, editing, redraw_some);
			drawn_sec = sec;
			redraw_some = 0;
		} else if (sec != drawn_sec) {
			draw_clock(&t, &pp, editing);
			drawn_sec = sec;
		}
		if (o->once)
			break;
		/* Sleep until the next refresh or the clock's next second. */
		now = vfs_now_mono_ns();
		int64_t wait = 1000;
		if (feed->live && !t.paused) {
			uint64_t next = t.last_collect_ns + (update_soon ? MIN(interval, 100000000ull) : interval);
			wait = MIN(wait, (int64_t)((next - MIN(now, next)) / 1000000));
		}
		int efd = feed->wait_fd && !t.paused ? feed->wait_fd(feed->ctx) : -1;
		if (feed->poll_events && !t.paused && (efd < 0 || feed->poll_often)) /* probe rings have no descriptor */
			wait = MIN(wait, 250);
		int ch = ERR;
		if (efd >= 0 && !key_pending) {
			/* Sleep on the keyboard and the event source together, so a
			 * link change wakes the screen at once. */
			struct pollfd pf[2] = { { .fd = STDIN_FILENO, .events = POLLIN }, { .fd = efd, .events = POLLIN } };
			int r = poll(pf, 2, (int)MAX(wait, 10));
			if (r > 0 && (pf[0].revents & (POLLIN | POLLHUP | POLLERR))) {
				timeout(0);
				ch = getch();
			}
		} else {
			timeout(key_pending ? 0 : (int)MAX(wait, 10));
			ch = getch();
		}
		/* ncurses may hold more of what it read: ask again before sleeping. */
		key_pending = ch != ERR;
		if (ch == ERR || g_quit)
			continue;
		redraw = true;
		if (ch == KEY_RESIZE) {
			dirty = pd.all = true; /* ncurses updated LINES/COLS: lines fitted to the old width are rebuilt */
			continue;
		}
		if (editing) {
			size_t n = strlen(t.filter);
			if (ch == KEY_ESC) {
				t.filter[0] = 0;
				editing = false;
			} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
				editing = false;
			} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
				if (n)
					t.filter[n - 1] = 0;
			} else if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof(t.filter)) {
				t.filter[n] = (char)ch;
				t.filter[n + 1] = 0;
			}
			for (int i = 0; i < P_MAX; i++)
				panel_refilter(&t.p[i], &t);
			continue;
		}
		if (pp.open) {
			popup_key(&pp, ch);
			continue;
		}
		struct panel *p = &t.p[t.focus];
		if (ch == 'q' || ch == 'Q' || ch == KEY_F(10))
			break;
		switch (ch) {
		case '\t': t.focus = (t.focus + 1) % P_MAX; break;
		case KEY_BTAB: t.focus = (t.focus + P_MAX - 1) % P_MAX; break;
		case '?': case KEY_F(1):
			help_fill(&pp.b);
			snprintf(pp.title, sizeof(pp.title), "Help");
			pp.top = 0;
			pp.open = true;
			break;
		case '/': editing = true; break;
		case KEY_ESC:
			if (t.filter[0]) {
				t.filter[0] = 0;
				for (int i = 0; i < P_MAX; i++)
					panel_refilter(&t.p[i], &t);
			}
			break;
		case 'p': case 'P':
			t.paused = !t.paused;
			set_msg(&t, t.paused ? "paused (p resumes)" : "resumed", NULL);
			break;
		case 'r':
			if (feed->live) {
				recollect(&t);
				dirty = pd.all = true;
			}
			break;
		case 's': {
			char msg[200] = "";
			if (!feed->bundle) {
				set_msg(&t, "support bundle: unavailable in this build (see 'vfscope bundle')", NULL);
				break;
			}
			set_msg(&t, "writing support bundle...", NULL);
			draw_all(&t, &pp, false);
			int r = feed->bundle(feed->ctx, t.m, msg, sizeof(msg));
			set_msg(&t, r == 0 ? "support bundle written: %s" : "support bundle failed: %s", msg);
			break;
		}
		case '[': case ']':
			if (timeline_on(&t)) {
				timeline_move(&t, ch == '[' ? -1 : 1);
				dirty = pd.all = true;
			}
			break;
		case KEY_LEFT: case KEY_RIGHT:
			if (timeline_on(&t)) {
				timeline_move(&t, ch == KEY_LEFT ? -1 : 1);
				dirty = pd.all = true;
				break;
			}
			panel_key(p, &t, ch);
			break;
		case '\n': case '\r': case KEY_ENTER:
			if (p->detail && p->nvis) {
				lb_reset(&pp.b);
				pp.title[0] = 0;
				p->detail(p, &t, p->vis[p->sel], &pp.b);
				if (pp.b.n) {
					snprintf(pp.title, sizeof(pp.title), "%s: details", p->title);
					pp.top = 0;
					pp.open = true;
				}
			}
			break;
		default:
			if (!(p->handle_key && p->handle_key(p, &t, ch)))
				panel_key(p, &t, ch);
		}
	}
	endwin();
	delscreen(scr);
	lb_free(&pp.b);
out:
	for (int i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	for (int i = 0; i < P_MAX; i++) {
		lb_free(&t.p[i].lines);
		free(t.p[i].vis);
		if (t.p[i].fini)
			t.p[i].fini(&t.p[i]);
	}
	tui_delta_free(&pd.d);
	drawn_rows_free();
	free(t.live_ev);
	free(t.rates);
	free(t.evs);
	findings_free(&t.f);
	machine_free(t.m);
	return rc;
}
