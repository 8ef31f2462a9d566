/* Inside tui/: the panel interface (htop-style: draw, handle key, resize),
 * the line buffers panels fill from the model, the colour table and the
 * terminal-safe drawing layer. */
#ifndef VFS_TUI_INT_H
#define VFS_TUI_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "tui/tui.h"

/* Colour table entries; each has a colour pair and a monochrome attribute. */
enum tui_color {
	C_NORMAL = 0, C_HEADER, C_TITLE, C_TITLE_FOCUS, C_OK, C_WARN, C_ERR,
	C_DIM, C_SEL, C_INFO, C_KEY, C_MISMATCH, C_SPARK, C_MAX,
};

/* A line of text with in-band colour marks: TUI_MARK followed by 'A'+colour.
 * Text appended with lb_str is made terminal-safe first, so a mark can only
 * come from our own code. */
#define TUI_MARK '\x01'

struct tline {
	char *s;
	int item;             /* panel-specific item this line is about, -1 none */
};

struct lbuf {
	struct tline *v; size_t n, cap;
	char cur[1024]; size_t len; /* line being built */
	int item;
};
void lb_reset(struct lbuf *b);
void lb_free(struct lbuf *b);
void lb_col(struct lbuf *b, int color);
void lb_str(struct lbuf *b, const char *s);       /* sanitised */
void lb_fmt(struct lbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3))); /* sanitised */
void lb_pad(struct lbuf *b, int col);             /* spaces up to display column col */
/* s cut to cols display columns, the cut marked with an ellipsis ("~" in
 * ASCII); sanitised like lb_str. */
void lb_clip(struct lbuf *b, const char *s, int cols);
void lb_end(struct lbuf *b);                      /* finish the line */
void lb_line(struct lbuf *b, int color, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Plain text of a line (marks removed), for filtering. */
void lb_kv(struct lbuf *b, const char *k, const char *v);      /* detail pane "key  value" */
void lb_kvi(struct lbuf *b, const char *k, const struct vi *v); /* value [source], or ? */
void tline_plain(const char *s, char *out, size_t size);

struct tui;
struct panel {
	const char *title;
	int y, x, h, w;       /* on screen, title row included */
	struct lbuf lines;
	int *vis; size_t nvis, cap_vis; /* lines passing the filter */
	int sel, top, hscroll;
	/* Build lines from the model (called after each collect / event). */
	void (*build)(struct panel *p, struct tui *t);
	/* Optional: build again only the lines showing netdevs nd[0..n) of the
	 * model the last build saw, the same text build would give: 1 when a
	 * line's text changed, 0 when none did, -1 when it cannot (then build
	 * is called). */
	int (*update)(struct panel *p, struct tui *t, const int *nd, size_t n);
	void *priv;                      /* the panel's own, freed by fini */
	char st[128];                    /* status when last built (tui_rebuild) */
	void (*fini)(struct panel *p);
	/* Panel-specific keys; 1 if handled. */
	int (*handle_key)(struct panel *p, struct tui *t, int key);
	/* Detail text for line (Enter), into out. */
	void (*detail)(struct panel *p, struct tui *t, int line, struct lbuf *out);
	/* Summary for the title row ("3 errors"), may be NULL. */
	void (*status)(struct panel *p, struct tui *t, char *out, size_t size);
};
void panel_draw(struct panel *p, struct tui *t, bool focus);
void panel_resize(struct panel *p, int y, int x, int h, int w);
int panel_key(struct panel *p, struct tui *t, int key);
void panel_refilter(struct panel *p, struct tui *t);
/* Lines lines[0..n) of p were replaced (same count): the filter's view
 * follows, looking only at them. */
void panel_refilter_lines(struct panel *p, struct tui *t, const int *lines, size_t n);
/* Replace line i of b with the one line built in tmp (emptied). */
void lb_replace(struct lbuf *b, size_t i, struct lbuf *tmp);

/* Rate history of one member (bytes/s), keyed by "machine/team/member". */
#define TUI_SPARK 12
struct rate {
	char key[96];
	uint64_t last_rx, last_tx, last_ns;
	bool have;
	double rx[TUI_SPARK], tx[TUI_SPARK]; int n;  /* newest last */
	const char *src;      /* "probe", "vf-stats", "netdev" */
	bool seen;
};

enum { P_TOPO, P_TEAMS, P_FINDINGS, P_EVENTS, P_MAX };

struct tui {
	const struct tui_feed *feed;
	struct tui_opts o;
	struct machine *m;
	struct findings f;
	struct panel p[P_MAX];
	int focus;
	bool ascii, color, paused;
	char filter[64];
	char msg[256]; uint64_t msg_ns;
	char err[256];
	uint64_t last_collect_ns;
	uint64_t collect_cost_ns;  /* duration of the last collection */
	uint64_t interval_ns;      /* effective interval (cpu_cap applied) */
	/* Live events from probes, newest last, bounded ring. */
	struct vfs_event *live_ev; size_t nlive, cap_live;
	/* Timeline (static sources with recorded events): cursor into the
	 * time-sorted event list; -1 = off (show everything). */
	int tl_cursor;
	struct rate *rates; size_t nrates, cap_rates;
	/* Recorded (machine and guests) + live events sorted by time. */
	const struct vfs_event **evs; size_t nevs, cap_evs;
};

/* Build the panels again after a change (cli/screen.c's loop, and tests):
 * everything (all, or d->all), or the lines d names in the topology and
 * whatever of TUI_B_* says changed; then each filter's view. Returns the
 * panels whose lines or status may differ (1 << P_*; every one after
 * building everything): 0 only when every line and status rebuilt came
 * out as it was, and the screen need not be drawn again. */
#define TUI_B_TEAMS    0x1
#define TUI_B_FINDINGS 0x2
#define TUI_B_EVENTS   0x4
unsigned tui_rebuild(struct tui *t, const struct tui_delta *d, unsigned what, bool all);
/* Two sets of findings the panel would show the same. */
bool tui_findings_same(const struct findings *a, const struct findings *b);

/* Drawing layer. Every byte that reaches the terminal passes here. */
void tui_colors_init(bool color);
int tui_attr(int color);
/* Draw s (may hold marks) at y,x clipped to w columns after skipping
 * `skip` columns; base colour c. Returns columns drawn. */
int tui_put(int y, int x, int w, int skip, int c, const char *s);
/* Display width of s (marks ignored). */
int tui_width(const char *s);
void tui_fill(int y, int x, int w, int c);
/* Line-drawing glyphs (UTF-8 or ASCII). */
struct tui_glyphs { const char *tee, *elbow, *vbar, *hbar, *arrow, *sel, *spark[8], *up, *down; };
extern struct tui_glyphs tui_g;
void tui_glyphs_init(bool ascii);

/* Model helpers shared by panels. */
const char *tui_carrier(const struct vi *c);
/* A netdev's link as `ip` shows it: "DOWN (admin)" when not up (IFF_UP),
 * else carrier UP/DOWN, else the operstate, else "?"; *color to draw it in
 * (may be NULL). n may be NULL ("?"). */
const char *tui_link_state(const struct netdev *n, int *color);
/* Is member mb of machine mm (host or a guest of host) up in its team's
 * eyes while its backing PF's carrier is down? pf_out gets the PF index. */
int tui_member_pf(const struct machine *host, const struct machine *mm, const struct member *mb);
bool tui_member_up(const struct member *mb);
bool tui_pf_down(const struct machine *host, int pf);
bool tui_member_mismatch(const struct machine *host, const struct machine *mm, const struct member *mb);
const char *tui_machine_name(const struct machine *m);
struct rate *tui_rate(struct tui *t, const char *key);
void tui_fmt_rate(double bps, char *out, size_t size);
void tui_fmt_ts(uint64_t ns, char out[16]); /* HH:MM:SS.mmm */

/* Member state for display: "UP", "down", or "UP (PF DOWN)" (error colour). */
void tui_member_state(struct lbuf *b, const struct machine *host, const struct machine *mm, const struct member *mb);

/* Panels. */
void panel_topo_init(struct panel *p);
void panel_teams_init(struct panel *p);
void panel_findings_init(struct panel *p);
void panel_events_init(struct panel *p);
/* Events panel helper: all events (recorded + live) sorted by time. */
size_t tui_events(struct tui *t, const struct vfs_event ***out);
#endif
