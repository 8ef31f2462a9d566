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
	double full_every;    /* live: seconds between safety-net collections */
	struct top_refresh *refresh; /* live: NULL = collect every interval */
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
/* Live refresh between full collections (cli/top_refresh.c): per-link
 * netlink merges for what rtnetlink announced, a full collection when
 * something else changed or every full_every_s seconds, within cpu_cap. */
struct nl_monitor;
struct top_refresh;
struct top_refresh_stats { uint64_t ticks, refreshes, links, fulls; };
struct top_refresh *top_refresh_new(struct nl_monitor *mon, bool follow_kmsg, double full_every_s, double cpu_cap);
/* 0 nothing changed, 1 m updated and out holds its findings, -1 collect. */
/* d gets the netdevs merged (or all). */
int top_refresh_run(struct top_refresh *r, struct machine *m, struct findings *out, struct tui_delta *d);
/* Around a full collection (what was announced before it is in it). */
void top_refresh_before_full(struct top_refresh *r);
void top_refresh_after_full(struct top_refresh *r, uint64_t cost_ns);
struct top_refresh_stats top_refresh_stats(const struct top_refresh *r);
void top_refresh_free(struct top_refresh *r);
/* Fill a feed for ctx (probes, counters, bundle). */
void top_feed_init(struct tui_feed *feed, struct top_ctx *ctx, const char *source);
#endif
