/* The drawing layer: colour table with a monochrome fallback, UTF-8 or
 * ASCII glyphs, line buffers, and the one function (tui_put) through which
 * every string reaches the terminal. Model strings were sanitised when they
 * entered the model; tui_put guards again (C0, DEL, ESC, C1 and invalid
 * UTF-8 become '?'), because one missed path would let a hostile interface
 * alias drive the terminal. */
#include "tui/tui_int.h"
#include "lib/util.h"
#include "lib/lazy_curses.h"
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

static bool g_ascii;
static bool g_color;
struct tui_glyphs tui_g;

void tui_glyphs_init(bool ascii)
{
	static const char *const su[8] = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };
	static const char *const sa[8] = { "_", ".", ",", "-", "~", "=", "*", "#" };
	g_ascii = ascii;
	tui_g = (struct tui_glyphs){
		.tee = ascii ? "|-" : "\u251c\u2500", .elbow = ascii ? "`-" : "\u2514\u2500",
		.vbar = ascii ? "| " : "\u2502 ", .hbar = ascii ? "-" : "\u2500",
		.arrow = ascii ? "->" : "\u2192", .sel = ascii ? ">" : "\u25b6",
		.up = ascii ? "^" : "\u25b2", .down = ascii ? "v" : "\u25bc",
	};
	memcpy(tui_g.spark, ascii ? sa : su, sizeof(su));
}

/* Colour table: foreground, background, monochrome attribute, extra attr. */
static const struct { short fg, bg; int mono; int attr; } ctab[C_MAX] = {
	[C_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[C_HEADER] = { COLOR_CYAN, -1, A_BOLD, A_NORMAL },
	[C_TITLE] = { COLOR_BLACK, COLOR_CYAN, A_REVERSE, A_NORMAL },
	[C_TITLE_FOCUS] = { COLOR_BLACK, COLOR_GREEN, A_REVERSE | A_BOLD, A_BOLD },
	[C_OK] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[C_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[C_ERR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
	[C_DIM] = { COLOR_BLUE, -1, A_DIM, A_BOLD },
	[C_SEL] = { COLOR_BLACK, COLOR_CYAN, A_REVERSE, A_NORMAL },
	[C_INFO] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[C_KEY] = { COLOR_BLACK, COLOR_CYAN, A_REVERSE, A_NORMAL },
	[C_MISMATCH] = { COLOR_WHITE, COLOR_RED, A_REVERSE | A_BOLD, A_BOLD },
	[C_SPARK] = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
};

void tui_colors_init(bool color)
{
	g_color = color && has_colors();
	if (!g_color)
		return;
	start_color();
	use_default_colors();
	for (int i = 1; i < C_MAX; i++)
		init_pair((short)i, ctab[i].fg, ctab[i].bg);
}

int tui_attr(int c)
{
	if (c <= 0 || c >= C_MAX)
		return A_NORMAL;
	return g_color ? (int)(COLOR_PAIR(c) | ctab[c].attr) : ctab[c].mono;
}

/* Next display unit of s: returns bytes consumed, sets *wc (or '?') and *w. */
static int next_char(const char *s, wchar_t *wc, int *w)
{
	unsigned char b = (unsigned char)*s;
	if (b < 0x20 || b == 0x7f) {
		*wc = L'?'; *w = 1;
		return 1;
	}
	if (b < 0x80) {
		*wc = b; *w = 1;
		return 1;
	}
	if (g_ascii) {
		*wc = L'?'; *w = 1;
		return 1;
	}
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t n = mbrtowc(wc, s, strnlen(s, 4), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*wc = L'?'; *w = 1;
		return 1;
	}
	int cw = wcwidth(*wc);
	/* C1 controls, unprintables, and zero-width characters (bidi overrides,
	 * joiners: text that would draw differently from what it says). */
	if ((*wc >= 0x80 && *wc < 0xa0) || cw <= 0) {
		*wc = L'?'; cw = 1;
	}
	*w = cw;
	return (int)n;
}

int tui_width(const char *s)
{
	int w = 0;
	while (*s) {
		if (*s == TUI_MARK) {
			s += s[1] ? 2 : 1;
			continue;
		}
		wchar_t wc; int cw;
		s += next_char(s, &wc, &cw);
		w += cw;
	}
	return w;
}

int tui_put(int y, int x, int w, int skip, int c, const char *s)
{
	int col = 0, drawn = 0;
	attr_t base = (attr_t)tui_attr(c);
	attr_t a = base;
	move(y, x);
	while (*s && drawn < w) {
		if (*s == TUI_MARK) {
			if (!s[1])
				break;
			int nc = s[1] - 'A';
			a = nc == C_NORMAL ? base : (attr_t)tui_attr(nc);
			s += 2;
			continue;
		}
		wchar_t wc; int cw;
		s += next_char(s, &wc, &cw);
		if (col < skip) {
			col += cw;
			continue;
		}
		if (drawn + cw > w)
			break;
		attrset(a);
		if (wc < 0x80) {
			addch((chtype)wc);
		} else {
			wchar_t one[2] = { wc, 0 };
			addnwstr(one, 1);
		}
		drawn += cw;
		col += cw;
	}
	attrset(A_NORMAL);
	return drawn;
}

void tui_fill(int y, int x, int w, int c)
{
	attrset((attr_t)tui_attr(c));
	for (int i = 0; i < w; i++)
		mvaddch(y, x + i, ' ');
	attrset(A_NORMAL);
}

/* ---- line buffers ---- */
void lb_reset(struct lbuf *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].s);
	b->n = 0;
	b->len = 0;
	b->cur[0] = 0;
	b->item = -1;
}

void lb_free(struct lbuf *b)
{
	lb_reset(b);
	free(b->v);
	b->v = NULL;
	b->cap = 0;
}

static void lb_raw(struct lbuf *b, const char *s, size_t n)
{
	if (n > sizeof(b->cur) - 1 - b->len)
		n = sizeof(b->cur) - 1 - b->len;
	memcpy(b->cur + b->len, s, n);
	b->len += n;
	b->cur[b->len] = 0;
}

void lb_col(struct lbuf *b, int color)
{
	char m[2] = { TUI_MARK, (char)('A' + color) };
	if (b->len + 2 < sizeof(b->cur))
		lb_raw(b, m, 2);
}

void lb_str(struct lbuf *b, const char *s)
{
	if (!s)
		s = "?";
	for (; *s && b->len < sizeof(b->cur) - 1; s++) {
		unsigned char c = (unsigned char)*s;
		char o = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
		lb_raw(b, &o, 1);
	}
}

void lb_fmt(struct lbuf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	lb_str(b, tmp);
}

void lb_clip(struct lbuf *b, const char *s, int cols)
{
	if (!s)
		s = "?";
	if (cols <= 0)
		return;
	int total = 0;
	for (const char *p = s; *p;) {
		wchar_t wc; int cw;
		p += next_char(p, &wc, &cw);
		total += cw;
	}
	if (total <= cols) {
		lb_str(b, s);
		return;
	}
	/* Cut at cols - 1 columns and mark it. */
	const char *p = s;
	int w = 0;
	while (*p) {
		wchar_t wc; int cw;
		int n = next_char(p, &wc, &cw);
		if (w + cw > cols - 1)
			break;
		w += cw;
		p += n;
	}
	char tmp[1024];
	size_t n = MIN((size_t)(p - s), sizeof(tmp) - 1);
	memcpy(tmp, s, n);
	tmp[n] = 0;
	lb_str(b, tmp);
	lb_str(b, g_ascii ? "~" : "\u2026");
}

void lb_pad(struct lbuf *b, int col)
{
	int w = tui_width(b->cur);
	while (w++ < col && b->len < sizeof(b->cur) - 1)
		lb_raw(b, " ", 1);
}

void lb_end(struct lbuf *b)
{
	VFS_PUSH(b->v, b->n, b->cap);
	b->v[b->n].s = vfs_xstrdup(b->cur);
	b->v[b->n].item = b->item;
	b->n++;
	b->len = 0;
	b->cur[0] = 0;
}

void lb_replace(struct lbuf *b, size_t i, struct lbuf *tmp)
{
	if (i < b->n && tmp->n == 1) {
		free(b->v[i].s);
		b->v[i] = tmp->v[0];
		tmp->n = 0;
	}
	lb_reset(tmp);
}

void tui_delta_add(struct tui_delta *d, int netdev)
{
	VFS_PUSH(d->netdevs, d->n, d->cap);
	d->netdevs[d->n++] = netdev;
}

void tui_delta_reset(struct tui_delta *d)
{
	d->n = 0;
	d->all = false;
}

void tui_delta_free(struct tui_delta *d)
{
	free(d->netdevs);
	memset(d, 0, sizeof(*d));
}

void lb_line(struct lbuf *b, int color, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (color)
		lb_col(b, color);
	lb_str(b, tmp);
	lb_end(b);
}

void lb_kv(struct lbuf *b, const char *k, const char *v)
{
	lb_col(b, C_DIM);
	lb_fmt(b, "%-16s", k);
	lb_col(b, C_NORMAL);
	lb_str(b, v ? v : "?");
	lb_end(b);
}

void lb_kvi(struct lbuf *b, const char *k, const struct vi *v)
{
	char s[48] = "?";
	if (VI_KNOWN(*v))
		snprintf(s, sizeof(s), "%" PRId64 " [%s]", v->v, vfs_src_name(v->src));
	lb_kv(b, k, s);
}

void tline_plain(const char *s, char *out, size_t size)
{
	size_t o = 0;
	while (*s && o + 1 < size) {
		if (*s == TUI_MARK) {
			s += s[1] ? 2 : 1;
			continue;
		}
		out[o++] = *s++;
	}
	out[o] = 0;
}

/* ---- model helpers ---- */
const char *tui_carrier(const struct vi *c)
{
	return !VI_KNOWN(*c) ? "?" : c->v ? "UP" : "DOWN";
}

/* As `ip link` reads: an interface that is not up (IFF_UP off) is DOWN
 * whatever its carrier ("state DOWN"); one that is up shows its carrier,
 * else its operstate; "?" when nothing says. */
const char *tui_link_state(const struct netdev *n, int *color)
{
	static char os[24];
	int c = C_DIM;
	const char *s = "?";
	if (!n) {
	} else if (VI_KNOWN(n->admin_up) && !n->admin_up.v) {
		s = "DOWN (admin)";
		c = C_ERR;
	} else if (VI_KNOWN(n->carrier)) {
		s = n->carrier.v ? "UP" : "DOWN";
		c = n->carrier.v ? C_OK : C_ERR;
	} else if (VS_KNOWN(n->operstate) && strcmp(n->operstate.v, "unknown")) {
		size_t i = 0;
		for (; n->operstate.v[i] && i + 1 < sizeof(os); i++)
			os[i] = (char)toupper((unsigned char)n->operstate.v[i]);
		os[i] = 0;
		s = os;
		c = !strcmp(os, "UP") ? C_OK : C_ERR;
	}
	if (color)
		*color = c;
	return s;
}

const char *tui_machine_name(const struct machine *m)
{
	if (m->label)
		return m->label;
	return VS_KNOWN(m->hostname) ? m->hostname.v : "?";
}

int tui_member_pf(const struct machine *host, const struct machine *mm, const struct member *mb)
{
	if (mb->host_pf_idx >= 0 && (size_t)mb->host_pf_idx < host->npfs)
		return mb->host_pf_idx;
	/* Single-machine view: member netdev -> the PF its VF hangs off. */
	if (mm == host && mb->netdev_idx >= 0 && (size_t)mb->netdev_idx < host->nnetdevs) {
		int p = host->netdevs[mb->netdev_idx].vf_pf_idx;
		if (p >= 0 && (size_t)p < host->npfs)
			return p;
	}
	return -1;
}

bool tui_member_up(const struct member *mb)
{
	if (VS_KNOWN(mb->mii_status))
		return !strcmp(mb->mii_status.v, "up");
	return VI_KNOWN(mb->carrier) && mb->carrier.v;
}

/* As the rules read it (VFS001): no carrier, or, with the carrier unknown
 * (a PF that is not up), operstate down or lowerlayerdown. */
bool tui_pf_down(const struct machine *host, int pf)
{
	if (pf < 0 || (size_t)pf >= host->npfs)
		return false;
	int n = host->pfs[pf].netdev_idx;
	if (n < 0 || (size_t)n >= host->nnetdevs)
		return false;
	const struct netdev *nd = &host->netdevs[n];
	if (VI_KNOWN(nd->carrier))
		return !nd->carrier.v;
	return VS_KNOWN(nd->operstate) && (!strcmp(nd->operstate.v, "down") || !strcmp(nd->operstate.v, "lowerlayerdown"));
}

bool tui_member_mismatch(const struct machine *host, const struct machine *mm, const struct member *mb)
{
	return tui_member_up(mb) && tui_pf_down(host, tui_member_pf(host, mm, mb));
}

struct rate *tui_rate(struct tui *t, const char *key)
{
	for (size_t i = 0; i < t->nrates; i++)
		if (!strcmp(t->rates[i].key, key))
			return &t->rates[i];
	VFS_PUSH(t->rates, t->nrates, t->cap_rates);
	struct rate *r = &t->rates[t->nrates++];
	memset(r, 0, sizeof(*r));
	vfs_strlcpy(r->key, key, sizeof(r->key));
	return r;
}

void tui_fmt_rate(double bps, char *out, size_t size)
{
	static const char *const u[] = { "B", "K", "M", "G", "T" };
	int i = 0;
	while (bps >= 1000 && i < 4) {
		bps /= 1000;
		i++;
	}
	snprintf(out, size, i ? "%.1f%s" : "%.0f%s", bps, u[i]);
}

void tui_fmt_ts(uint64_t ns, char out[16])
{
	time_t s = (time_t)(ns / 1000000000ull);
	struct tm tm;
	gmtime_r(&s, &tm);
	snprintf(out, 16, "%02d:%02d:%02d.%03u", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (unsigned)(ns / 1000000ull % 1000));
}
