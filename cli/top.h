/* Shared by cmd_top.c and cmd_demo.c: run the dashboard on a feed. */
#ifndef VFS_CLI_TOP_H
#define VFS_CLI_TOP_H
#include "cli/common.h"
#include "tui/tui.h"

struct top_ctx {
	struct common_opts co;
	bool recollect;       /* re-collect each interval (live, or --recollect) */
	bool guest_poller;    /* --guest agents are asked by cli/top_guests.c */
	bool quiet_errors;    /* the screen is ours: keep collector messages off it */
	char **argv; int argc; /* source options, for the bundle manifest */
};

/* common_collect + rules_run, as the tui feed's collect callback. */
struct machine *top_collect(void *ctx, struct findings *out, char *err, size_t errlen);
/* The dashboard's own options (-d/--interval, --ascii, --no-color, --once,
 * --cpu-cap): 1 = taken into o, -1 = bad value (said on stderr), 0 = not one. */
int top_opt(int c, const char *arg, struct tui_opts *o, const char *cmd);
/* Live dashboard with --guest agents (cli/top_guests.c): a thread asks
 * them once per interval and common_collect no longer does (co->nguests
 * becomes 0); returns 1 when started, after the first round. */
int top_guests_start(struct common_opts *co, int interval_ms);
/* Add a copy of each guest's latest view to m (+ sources saying its age). */
void top_guests_add(struct machine *m);
void top_guests_stop(void);
/* Fill a feed for ctx (probes, counters, bundle). */
void top_feed_init(struct tui_feed *feed, struct top_ctx *ctx, const char *source);
#endif
