/* vfscope top: the live dashboard (tui/). This file parses options and
 * supplies the tui's feed: collect (common_collect + rules_run), netdev
 * counters for rates, probes, and the bundle writer for the `s` key. */
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/top.h"
#include "collectors/nl_monitor.h"
#include "collectors/nl_stats.h"
#include "collectors/root.h"
#include "export/bundle.h"
#include "bpf/probes.h"
#include "lib/util.h"
#include "rules/rules.h"
#include "tui/tui.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope top [-d SECONDS] [--ascii] [--no-color] [--once] [--full-every SEC] [SOURCES]\n\n"
		   "Full-screen dashboard: topology (PF -> VF -> where used), teams with\n"
		   "per-member rates, findings, events. Live sources refresh every interval;\n"
		   "--sysroot and --from are static (--from replays recorded events with [ ]).\n"
		   "Keys: arrows/hjkl, Tab, Enter, / filter, p pause, r collect now, s bundle,\n"
		   "? help, q quit.\n\n"
		   "  -d, --interval SECONDS  refresh interval (default 1, 0.1 .. 3600)\n"
		   "      --ascii             ASCII line drawing and text\n"
		   "      --no-color          monochrome (also NO_COLOR=1)\n"
		   "      --once              draw one screen and exit\n"
		   "      --cpu-cap PCT       full collections use at most PCT%% of a core\n"
		   "                          (default 1; the periodic one a quarter of it);\n"
		   "                          where each interval is one, it stretches (0 = never)\n"
		   "      --full-every SEC    live: collect everything again every SEC seconds\n"
		   "                          (default 30; 0 = every interval); in between only\n"
		   "                          the links the kernel announced are read again\n"
		   "      --recollect         collect everything each interval, live too (as\n"
		   "                          --full-every 0) and for --sysroot (benchmarks; a\n"
		   "                          tree rewritten under vfscope)\n" COMMON_HELP);
}

static uint64_t cpu_now_ns(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct machine *top_collect(void *ctx, struct findings *out, char *err, size_t errlen)
{
	struct top_ctx *c = ctx;
	int saved = -1;
	if (c->quiet_errors) { /* common_collect reports on stderr: not onto our screen */
		fflush(stderr);
		saved = dup(STDERR_FILENO);
		int dn = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (dn >= 0) {
			dup2(dn, STDERR_FILENO);
			close(dn);
		}
	}
	top_refresh_before_full(c->refresh);
	uint64_t c0 = cpu_now_ns();
	struct machine *m = common_collect(&c->co, "vfscope top");
	if (m && c->guest_poller) {
		top_guests_add(m);
		correlate(m);
	}
	if (saved >= 0) {
		fflush(stderr);
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (!m) {
		top_refresh_after_full(c->refresh, cpu_now_ns() - c0);
		snprintf(err, errlen, "cannot read the source (run 'vfscope snapshot' with the same options)");
		return NULL;
	}
	rules_run(m, out);
	top_refresh_after_full(c->refresh, cpu_now_ns() - c0);
	return m;
}

/* Live: every link's counters from one rtnetlink dump, taken at most
 * every 100 ms (a rate sample asks for each netdev in turn); a tree, or a
 * failed dump: the two sysfs statistics files. */
static int netdev_counters(void *ctx, const struct machine *m, const char *ifname, uint64_t *rx, uint64_t *tx)
{
	(void)ctx; (void)m;
	char p[256], v[64];
	long long a, b;
	if (strchr(ifname, '/') || !strcmp(ifname, "..") || !strcmp(ifname, "."))
		return -EINVAL;
	if (root_is_live()) {
		static struct nl_stat *st;
		static size_t nst;
		static uint64_t at;
		static int err;
		uint64_t now = vfs_now_mono_ns();
		if (!at || now - at > 100000000ull) {
			free(st);
			err = nl_stats_dump(&st, &nst);
			at = now;
		}
		const struct nl_stat *e = err ? NULL : nl_stats_find(st, nst, ifname);
		if (e) {
			*rx = e->rx_bytes;
			*tx = e->tx_bytes;
			return 0;
		}
		if (!err)
			return -ENOENT; /* the kernel has no such link now */
	}
	snprintf(p, sizeof(p), "sys/class/net/%s/statistics/rx_bytes", ifname);
	if (root_read_str(p, v, sizeof(v)) || sscanf(v, "%lld", &a) != 1)
		return -ENOENT;
	snprintf(p, sizeof(p), "sys/class/net/%s/statistics/tx_bytes", ifname);
	if (root_read_str(p, v, sizeof(v)) || sscanf(v, "%lld", &b) != 1)
		return -ENOENT;
	*rx = (uint64_t)a;
	*tx = (uint64_t)b;
	return 0;
}

/* `s`: write a support bundle of the model on screen (export/bundle.h),
 * raw files from the same root, no event window (the screen would freeze
 * for it); stderr kept off the screen. */
static int write_bundle(void *ctx, struct machine *m, char *msg, size_t msglen)
{
	struct top_ctx *c = ctx;
	char written[1024] = "", err[512] = "";
	struct bundle_opts bo = {
		.m = m,
		.model_only = c->co.from != NULL || c->co.hyperv != NULL,
		.pci_dump = c->co.c.pci_dump,
		.ip_link_json = c->co.c.ip_link_json,
		.argc = c->argc,
		.argv = c->argv,
		.written = written,
		.written_len = sizeof(written),
	};
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int dn = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (dn >= 0) {
		dup2(dn, STDERR_FILENO);
		close(dn);
	}
	int r = bundle_write(&bo, err, sizeof(err));
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (r < 0) {
		vfs_sanitize(msg, msglen, err);
		return r;
	}
	char safe[1024];
	vfs_sanitize(safe, sizeof(safe), written);
	snprintf(msg, msglen, "%s%s", safe, r == 1 ? " (partial: see manifest.json)" : "");
	return 0;
}

/* Live events: probes and the rtnetlink link monitor (collectors/
 * nl_monitor.h) land in a bounded ring the tui drains. The per-interface
 * probe counters are read at most every 100 ms and looked up by ifindex in
 * this namespace. */
#define EVENT_RING 1024
static struct vfs_event ring[EVENT_RING];
static size_t ring_n;
static uint64_t ring_lost;
static char probes_state[64] = "unavailable";
static bool probes_on;
static struct nl_monitor *nlmon;
static uint64_t nlmon_applied; /* nl_monitor_changes() last applied to the model */

static void on_live_event(const struct vfs_event *ev, void *ctx)
{
	(void)ctx;
	if (ring_n == EVENT_RING) {
		ring_lost++;
		return;
	}
	ring[ring_n++] = *ev;
}

static size_t poll_live_events(void *ctx, struct vfs_event *out, size_t max)
{
	(void)ctx;
	if (probes_on)
		probes_poll(0);
	if (nlmon)
		nl_monitor_read(nlmon);
	size_t n = MIN(max, ring_n);
	memcpy(out, ring, n * sizeof(*out));
	memmove(ring, ring + n, (ring_n - n) * sizeof(*ring));
	ring_n -= n;
	return n;
}

static int live_wait_fd(void *ctx)
{
	(void)ctx;
	return nl_monitor_fd(nlmon);
}

/* What the kernel announced about a link, applied to the model on screen at
 * once (the next collection reads it again): admin state (IFF_UP), carrier
 * (unknown while not up, as sysfs has it) and operstate, from rtnetlink.
 * Only the links the monitor saw change since the last call are looked at
 * (all of them when it no longer remembers which), and d gets the netdevs
 * that changed. */
static bool apply_one(struct machine *m, size_t i)
{
	struct netdev *n = &m->netdevs[i];
	struct nl_monitor_link l;
	if (!VI_KNOWN(n->ifindex) || nl_monitor_link(nlmon, (int)n->ifindex.v, &l) || l.flags < 0)
		return false;
	bool up = (l.flags & IFF_UP) != 0;
	const char *os = l.operstate >= 0 ? nl_monitor_oper_name(l.operstate) : NULL;
	bool same = VI_KNOWN(n->admin_up) && n->admin_up.v == up &&
		    (up ? l.carrier < 0 || (VI_KNOWN(n->carrier) && n->carrier.v == l.carrier) : !VI_KNOWN(n->carrier)) &&
		    (!os || (VS_KNOWN(n->operstate) && !strcmp(n->operstate.v, os)));
	if (same)
		return false;
	vi_set(&n->admin_up, up, SRC_NETLINK);
	if (!up)
		n->carrier = (struct vi){ 0 };
	else if (l.carrier >= 0)
		vi_set(&n->carrier, l.carrier, SRC_NETLINK);
	if (os)
		vs_set(&n->operstate, os, SRC_NETLINK);
	return true;
}

static bool apply_links(void *ctx, struct machine *m, struct tui_delta *d)
{
	(void)ctx;
	uint64_t ch = nl_monitor_changes(nlmon);
	if (!nlmon || ch == nlmon_applied)
		return false;
	int idx[64];
	size_t k = nl_monitor_changed_since(nlmon, nlmon_applied, idx, ARRAY_SIZE(idx));
	nlmon_applied = ch;
	size_t d0 = d->n;
	if (k == SIZE_MAX) {
		for (size_t i = 0; i < m->nnetdevs; i++)
			if (apply_one(m, i))
				tui_delta_add(d, (int)i);
	} else {
		for (size_t j = 0; j < k; j++) {
			int i = machine_find_netdev_ifindex(m, idx[j]);
			if (i >= 0 && apply_one(m, (size_t)i))
				tui_delta_add(d, i);
		}
	}
	if (d->n == d0)
		return false;
	/* A team member's carrier follows its netdev (machine_link): only
	 * then is the model linked again. */
	bool member = false;
	for (size_t t = 0; t < m->nteams && !member; t++)
		for (size_t j = 0; j < m->teams[t].nmembers && !member; j++)
			for (size_t c = d0; c < d->n && !member; c++)
				member = m->teams[t].members[j].netdev_idx == d->netdevs[c];
	if (member)
		machine_link(m);
	return true;
}

static int probe_counters(void *ctx, int ifindex, uint64_t *rx, uint64_t *tx)
{
	(void)ctx;
	static struct probes_if_counters c[1024];
	static int nc;
	static uint64_t at;
	uint64_t now = vfs_now_mono_ns();
	if (!at || now - at > 100000000ull) {
		nc = probes_counters(c, ARRAY_SIZE(c));
		at = now;
	}
	for (int i = 0; i < nc; i++)
		if (c[i].local && c[i].ifindex == ifindex) {
			*rx = c[i].rx_bytes;
			*tx = c[i].tx_bytes;
			return 0;
		}
	return -ENOENT;
}

/* Attach what this kernel and these privileges allow; then drop the
 * capabilities only loading needed. */
static void probes_start(struct tui_feed *feed)
{
	struct probes_opts po = { .cb = on_live_event };
	if (probes_open(&po) != 0)
		return;
	int n = probes_attached();
	if (n <= 0) {
		probes_close();
		snprintf(probes_state, sizeof(probes_state), "unavailable");
		return;
	}
	probes_drop_caps();
	probes_on = true;
	snprintf(probes_state, sizeof(probes_state), "attached (%d)", n);
	feed->probes = probes_state;
	feed->poll_events = poll_live_events;
	feed->poll_often = true; /* the rings have no descriptor here */
	feed->probe_counters = probe_counters;
}

static int feed_refresh(void *ctx, struct machine *m, struct findings *out, struct tui_delta *d)
{
	struct top_ctx *c = ctx;
	return top_refresh_run(c->refresh, m, out, d);
}

/* rtnetlink link changes (live, this namespace): events in the Events panel
 * and the carrier on screen at once, and what the refresh between full
 * collections reads again. Opened before the first collection, so nothing
 * announced after it is missed, and before the probes drop their
 * capabilities (it needs none, but keeps the order simple). */
static void links_open(struct top_ctx *ctx, const struct tui_opts *o)
{
	nlmon = nl_monitor_open(NULL, 0, on_live_event, NULL);
	if (!nlmon)
		return;
	nlmon_applied = nl_monitor_changes(nlmon);
	/* With --guest agents the guests' views come every interval: collect. */
	if (ctx->full_every > 0 && !ctx->guest_poller)
		ctx->refresh = top_refresh_new(nlmon, !ctx->co.c.no_kmsg, ctx->full_every, o->cpu_cap);
}

static void links_start(struct tui_feed *feed, struct top_ctx *ctx)
{
	if (!nlmon)
		return;
	feed->poll_events = poll_live_events;
	feed->apply_links = apply_links;
	feed->wait_fd = live_wait_fd;
	if (ctx->refresh)
		feed->update = feed_refresh;
}

void top_feed_init(struct tui_feed *feed, struct top_ctx *ctx, const char *source)
{
	memset(feed, 0, sizeof(*feed));
	feed->ctx = ctx;
	feed->collect = top_collect;
	feed->live = ctx->recollect;
	feed->counters = ctx->recollect ? netdev_counters : NULL;
	feed->bundle = write_bundle;
	feed->probes = "unavailable";
	feed->source = source;
}

/* The "--name" strings of src_argv are ours (optarg values are not). */
static char *owned[128];
static int nowned;
static void free_src_argv(char **v, int n)
{
	(void)v; (void)n;
	for (int i = 0; i < nowned; i++)
		free(owned[i]);
	nowned = 0;
}

int top_opt(int c, const char *arg, struct tui_opts *o, const char *cmd)
{
	char *end;
	switch (c) {
	case 'd': {
		double s = strtod(arg, &end);
		if (*end || end == arg || !(s >= 0.1 && s <= 3600)) {
			fprintf(stderr, "vfscope %s: bad interval '%s' (0.1 .. 3600 seconds)\n", cmd, arg);
			return -1;
		}
		o->interval_ms = (int)(s * 1000);
		return 1;
	}
	case 'c':
		o->cpu_cap = strtod(arg, &end);
		if (*end || end == arg || !(o->cpu_cap >= 0 && o->cpu_cap <= 100)) {
			fprintf(stderr, "vfscope %s: bad --cpu-cap '%s' (0 .. 100)\n", cmd, arg);
			return -1;
		}
		return 1;
	case 'A': o->ascii = true; return 1;
	case 'C': o->no_color = true; return 1;
	case '1': o->once = true; return 1;
	default: return 0;
	}
}

int cmd_top(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "interval", required_argument, NULL, 'd' }, { "ascii", no_argument, NULL, 'A' },
		{ "no-color", no_argument, NULL, 'C' }, { "no-colour", no_argument, NULL, 'C' },
		{ "once", no_argument, NULL, '1' }, { "recollect", no_argument, NULL, 'R' },
		{ "cpu-cap", required_argument, NULL, 'c' }, { "full-every", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' }, COMMON_LONGOPTS, { 0 } };
	static struct top_ctx ctx; /* lives as long as the screen */
	memset(&ctx, 0, sizeof(ctx));
	common_init(&ctx.co);
	ctx.full_every = 30;
	struct tui_opts o = { .interval_ms = 1000, .cpu_cap = 1.0 };
	char *src_argv[128];
	int c, nsrc = 0;
	bool recollect = false;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", lo, NULL)) != -1) {
		switch (c) {
		case 'd': case 'A': case 'C': case '1':
			if (top_opt(c, optarg, &o, "top") < 0)
				{ free_src_argv(src_argv, nsrc); return 2; }
			break;
		case 'R': recollect = true; break;
		case 'F': {
			char *end;
			double s = strtod(optarg, &end);
			if (*end || end == optarg || !(s == 0 || (s >= 1 && s <= 86400))) {
				fprintf(stderr, "vfscope top: bad --full-every '%s' (0, or 1 .. 86400 seconds)\n", optarg);
				free_src_argv(src_argv, nsrc);
				return 2;
			}
			ctx.full_every = s;
			break;
		}
		case 'c':
			if (top_opt(c, optarg, &o, "top") < 0)
				{ free_src_argv(src_argv, nsrc); return 2; }
			break;
		case 'h': usage(stdout); free_src_argv(src_argv, nsrc); return 0;
		default:
			if (c >= OPT_SYSROOT && c < OPT_COMMON_END && common_opt(&ctx.co, c, optarg) == 0) {
				/* Keep the source options for `s` (vfscope bundle). */
				for (const struct option *p = lo; p->name; p++)
					if (p->val == c && nsrc < (int)ARRAY_SIZE(src_argv) - 2) {
						char *a = NULL;
						if (asprintf(&a, "--%s", p->name) < 0)
							{ free_src_argv(src_argv, nsrc); return 2; }
						src_argv[nsrc++] = a;
						owned[nowned++] = a;
						if (p->has_arg)
							src_argv[nsrc++] = optarg;
						break;
					}
				break;
			}
			if (c >= OPT_SYSROOT && c < OPT_COMMON_END)
				fprintf(stderr, "vfscope top: bad value for option\n");
			usage(stderr);
			{ free_src_argv(src_argv, nsrc); return 2; }
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vfscope top: unexpected argument '%s'\n", argv[optind]);
		{ free_src_argv(src_argv, nsrc); return 2; }
	}
	if (ctx.co.capture_s) { /* it would block every refresh */
		fprintf(stderr, "vfscope top: --capture is for snapshot, check and bundle; use --pcap FILE\n");
		{ free_src_argv(src_argv, nsrc); return 2; }
	}
	ctx.argv = src_argv;
	ctx.argc = nsrc;
	ctx.recollect = recollect || (!ctx.co.c.sysroot && !ctx.co.from && !ctx.co.hyperv);
	char source[300];
	if (ctx.co.hyperv)
		snprintf(source, sizeof(source), "hyper-v export %s", ctx.co.hyperv);
	else if (ctx.co.from)
		snprintf(source, sizeof(source), "bundle %s", ctx.co.from);
	else if (ctx.co.c.sysroot)
		snprintf(source, sizeof(source), "sysroot %s", ctx.co.c.sysroot);
	else
		snprintf(source, sizeof(source), "live");
	char safe[300];
	vfs_sanitize(safe, sizeof(safe), source);
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		fprintf(stderr, "vfscope top: needs a terminal (try 'vfscope snapshot' or 'vfscope check')\n");
		free_src_argv(src_argv, nsrc);
		return 2;
	}
	if (ctx.recollect && ctx.co.nguests)
		ctx.guest_poller = top_guests_start(&ctx.co, o.interval_ms) > 0;
	bool live = ctx.recollect && !ctx.co.c.sysroot && !ctx.co.from && !ctx.co.hyperv;
	if (recollect) /* asked for: everything every interval (benchmarks, the soak) */
		ctx.full_every = 0;
	if (live)
		links_open(&ctx, &o);
	struct findings f = { 0 };
	char err[256];
	struct machine *m = top_collect(&ctx, &f, err, sizeof(err));
	if (!m) {
		top_refresh_free(ctx.refresh);
		ctx.refresh = NULL;
		nl_monitor_close(nlmon);
		nlmon = NULL;
		top_guests_stop();
		free_src_argv(src_argv, nsrc);
		return 2;
	}
	ctx.quiet_errors = true;
	struct tui_feed feed;
	top_feed_init(&feed, &ctx, safe);
	if (live)
		links_start(&feed, &ctx);
	if (live && !getenv("VFSCOPE_NO_PROBES"))
		probes_start(&feed);
	int rc = tui_run(&feed, &o, m, &f);
	if (probes_on)
		probes_close();
	probes_on = false;
	top_refresh_free(ctx.refresh);
	ctx.refresh = NULL;
	nl_monitor_close(nlmon);
	nlmon = NULL;
	top_guests_stop();
	free_src_argv(src_argv, nsrc);
	return rc;
}
