/* vfscope top: the full-screen dashboard (ncursesw). Panels (topology,
 * teams, findings, events) read the model and findings handed to them;
 * nothing in tui/ collects: a fresh model comes from the feed's collect
 * callback, which cli/cmd_top.c implements with common_collect + rules. */
#ifndef VFS_TUI_H
#define VFS_TUI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "model/model.h"
#include "rules/rules.h"

/* What an apply_links or update changed in the model on screen, so the
 * screen builds again only the lines that show it (issue 17): the indexes
 * (into m->netdevs) of netdevs whose own attributes changed, in any order,
 * repeats allowed. all: something else changed too (VFs, teams, guests,
 * the set of links, which netdev is which) and everything is built again.
 * A callback that says m changed but adds nothing sets all itself. */
struct tui_delta {
	int *netdevs; size_t n, cap;
	bool all;
};
void tui_delta_add(struct tui_delta *d, int netdev);
void tui_delta_reset(struct tui_delta *d);
void tui_delta_free(struct tui_delta *d);

struct tui_feed {
	void *ctx;
	/* A fresh model and its findings (out is empty on entry); NULL with
	 * err set on failure (the old model stays on screen). */
	struct machine *(*collect)(void *ctx, struct findings *out, char *err, size_t errlen);
	/* Optional: rx/tx byte counters of a netdev of m (the host), for rates
	 * when neither probes nor VF stats give them. 0 or -errno. */
	int (*counters)(void *ctx, const struct machine *m, const char *ifname, uint64_t *rx, uint64_t *tx);
	/* Optional: per-ifindex rx/tx byte counters from probes. 0 or -errno. */
	int (*probe_counters)(void *ctx, int ifindex, uint64_t *rx, uint64_t *tx);
	/* Optional: live events since the last call (probes, rtnetlink);
	 * returns count. */
	size_t (*poll_events)(void *ctx, struct vfs_event *ev, size_t max);
	/* Optional: apply the link changes the kernel announced since the last
	 * call (admin state, carrier, operstate) to m, the model on screen; true
	 * when m changed, and the screen is rebuilt at once instead of at the
	 * next collection; d (empty on entry) says what changed. Called after
	 * poll_events. */
	bool (*apply_links)(void *ctx, struct machine *m, struct tui_delta *d);
	/* Optional: a descriptor that turns readable when live events wait, so
	 * the screen wakes for them; -1 none. */
	int (*wait_fd)(void *ctx);
	/* poll_events has sources without a descriptor (probe rings): call it
	 * every 250 ms; otherwise only when wait_fd turns readable. */
	bool poll_often;
	/* Optional, live: on the interval tick instead of collect, bring m (the
	 * model on screen) up to date with what changed since the last call.
	 * 0: nothing changed; 1: m changed and out (empty on entry) holds its
	 * findings, d (empty on entry) what changed in m; -1: collect
	 * everything (collect is called at once). A collection's cost then
	 * does not stretch the interval: update says when one is due. */
	int (*update)(void *ctx, struct machine *m, struct findings *out, struct tui_delta *d);
	/* Optional: write a support bundle of m (the model on screen); 0 or
	 * -errno, msg says where or why not. */
	int (*bundle)(void *ctx, struct machine *m, char *msg, size_t msglen);
	const char *probes;   /* "attached", "unavailable", ... (header) */
	const char *source;   /* "live", "sysroot DIR", "bundle FILE", "demo" */
	bool live;            /* re-collect every interval */
};

struct tui_opts {
	int interval_ms;      /* refresh (default 1000) */
	bool ascii;           /* ASCII line drawing and text */
	bool no_color;        /* monochrome */
	bool once;            /* draw one frame and exit */
	double cpu_cap;       /* percent of a core collection may use: the
	                       * interval stretches when a collection is slow
	                       * (256 VFs over sysfs); 0 = no cap */
};

/* Takes ownership of m and f. Returns the exit code (0, or 2 when the
 * terminal cannot be used). */
int tui_run(const struct tui_feed *feed, const struct tui_opts *o, struct machine *m, struct findings *f);
#endif
