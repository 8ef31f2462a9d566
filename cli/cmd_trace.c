/* vfscope trace: stream mailbox, datapath and link events (eBPF probes from
 * bpf/probes.h, rtnetlink from collectors/nl_monitor.h), merged by time;
 * on SIGINT/SIGTERM or after --duration print per-probe counts, per-
 * interface packet counters and lost events. Probes that cannot attach
 * are reported with the reason, never fatal. */
#include "cli/cli.h"
#include "bpf/probes.h"
#include "bpf/evq.h"
#include "collectors/nl_monitor.h"
#include "lib/util.h"
#include "model/json.h"
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_NAMES 64
#define MAX_IFS DP_FILTER_MAX

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

/* Events of both sources wait in a reorder window (bpf/evq.h) and leave in
 * CLOCK_MONOTONIC order: BPF records carry bpf_ktime_get_ns, rtnetlink
 * messages the CLOCK_MONOTONIC time they were read. */
#define REORDER_MS_DEFAULT 100

/* Version of the --json lines (docs/schema/trace-line.json); bumping it is
 * a documented act (docs/snapshot-json.md, "Schema versions"). */
#define TRACE_JSON_SCHEMA 1

struct tr {
	bool json;
	struct evq q;
	uint64_t printed;
};

static void collect(const struct vfs_event *ev, void *ctx)
{
	struct tr *t = ctx;
	evq_push(&t->q, ev);
}

static void print_event(const struct vfs_event *ev, void *ctx)
{
	struct tr *t = ctx;
	if (t->json) {
		/* Every line says which docs/schema/trace-line.json it follows. */
		json_t *j = json_pack("{s:i}", "schema", TRACE_JSON_SCHEMA), *e = event_to_json(ev);
		json_object_update(j, e);
		json_decref(e);
		char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s)
			printf("%s\n", s);
		free(s);
		json_decref(j);
	} else {
		char ts[32], cpu[8] = "-", vf[12] = "";
		static const char *const dirs[] = { "", " vf->pf", " pf->vf" };
		vfs_fmt_time(ev->ts_real_ns, ts);
		if (ev->cpu >= 0)
			snprintf(cpu, sizeof(cpu), "%d", ev->cpu);
		if (ev->vf >= 0)
			snprintf(vf, sizeof(vf), " vf %d", ev->vf);
		printf("%s cpu %-3s %-10s %-10s %-16s%s%s%s%s%s%s %s\n", ts, cpu, vfs_ev_kind_name(ev->kind),
		       ev->ifname[0] ? ev->ifname : "-", ev->probe, ev->pf[0] ? " pf " : "", ev->pf, vf,
		       ev->dir > 0 && ev->dir < 3 ? dirs[ev->dir] : "", ev->driver[0] ? " " : "", ev->driver,
		       ev->text);
	}
	t->printed++;
}

/* Print what has left the reorder window (everything with all). */
static void flush(struct tr *t, bool all)
{
	if (evq_flush(&t->q, all ? UINT64_MAX : vfs_now_mono_ns(), print_event, t))
		fflush(stdout);
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vfscope trace [--json] [--duration S] [--probe NAME]... [-i IF]...\n"
		"                     [--attach auto|fentry|kprobe] [--reorder-ms MS] [--list-probes]\n"
		"Stream PF<->VF mailbox messages (fentry/fexit, else kprobes, on igb/ixgbe/\n"
		"i40e/ice and igbvf/ixgbevf/iavf), datapath events\n"
		"(BTF tracepoints: tx timeouts, neighbour and FDB updates, packet and drop\n"
		"counters) and link/failover changes (rtnetlink), merged by time.\n\n"
		"  --json            one JSON object per line ({\"schema\":1,...}), then\n"
		"                    {\"summary\":...,\"schema\":1}\n"
		"  --duration S      stop after S seconds (default: until SIGINT/SIGTERM)\n"
		"  --probe NAME      only this probe or group (datapath, mailbox, link);\n"
		"                    repeatable or comma-separated\n"
		"  -i, --interface IF  only this interface of this namespace; repeatable\n"
		"  --attach MODE     mailbox probes: auto (fentry/fexit, else kprobe; default),\n"
		"                    fentry or kprobe only\n"
		"  --reorder-ms MS   hold events MS ms to print them in time order across\n"
		"                    sources and poll batches (default %d; 0: as read)\n"
		"  --list-probes     print each probe: attached or why not, then exit\n"
		"Probes that cannot attach (no kprobes, driver not loaded, no CAP_BPF/\n"
		"CAP_PERFMON) are reported, never fatal. After attaching, CAP_SYS_ADMIN,\n"
		"CAP_BPF and CAP_PERFMON are dropped.\n", REORDER_MS_DEFAULT);
}

static json_t *info_json(const struct probes_info *p)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}", "name", p->name, "group", p->group, "type",
			      p->type, "target", p->target, "state", probe_state_name(p->state), "events",
			      (json_int_t)p->events);
	if (p->preferred[0])
		json_object_set_new(o, "preferred", json_string(p->preferred));
	if (p->reason[0])
		json_object_set_new(o, "reason", json_string(p->reason));
	if (p->fallback[0])
		json_object_set_new(o, "fallback", json_string(p->fallback));
	return o;
}

/* The rtnetlink monitor is listed beside the BPF probes as group "link". */
static void link_info(struct probes_info *p, bool wanted, struct nl_monitor *nl, int err)
{
	memset(p, 0, sizeof(*p));
	vfs_strlcpy(p->name, "rtnetlink", sizeof(p->name));
	vfs_strlcpy(p->group, "link", sizeof(p->group));
	vfs_strlcpy(p->type, "netlink", sizeof(p->type));
	vfs_strlcpy(p->target, "RTNLGRP_LINK", sizeof(p->target));
	if (!wanted) {
		p->state = PROBE_DISABLED;
		vfs_strlcpy(p->reason, "not selected (--probe)", sizeof(p->reason));
	} else if (!nl) {
		p->state = PROBE_UNAVAILABLE;
		snprintf(p->reason, sizeof(p->reason), "rtnetlink: %s", strerror(err));
	} else {
		p->state = PROBE_ATTACHED;
		p->events = nl_monitor_events(nl);
	}
}

static void print_list(bool json, const struct probes_info *pi, size_t n)
{
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, info_json(&pi[i]));
		json_t *o = json_pack("{s:o}", "probes", a);
		char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		printf("%s\n", s);
		free(s);
		json_decref(o);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		bool more = pi[i].reason[0] || pi[i].fallback[0];
		printf("%-24s %-9s %-16s %-*s%s%s%s%s\n", pi[i].name, pi[i].group, pi[i].type, more ? 12 : 0,
		       probe_state_name(pi[i].state), more ? " " : "", pi[i].reason,
		       pi[i].fallback[0] ? "fallback: " : "", pi[i].fallback);
	}
}

int cmd_trace(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },	    { "duration", required_argument, NULL, 'd' },
		{ "probe", required_argument, NULL, 'p' },  { "interface", required_argument, NULL, 'i' },
		{ "list-probes", no_argument, NULL, 'l' }, { "help", no_argument, NULL, 'h' },
		{ "attach", required_argument, NULL, 'a' }, { "reorder-ms", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *names[MAX_NAMES];
	char *namebuf[MAX_NAMES];
	size_t nnames = 0, nnb = 0;
	int ifx[MAX_IFS];
	size_t nifx = 0;
	bool list = false, want_link = true, want_bpf = true;
	double duration = 0;
	int attach = PROBES_ATTACH_AUTO;
	long reorder_ms = REORDER_MS_DEFAULT;
	struct tr t = { 0 };
	struct nl_monitor *nl = NULL;
	int nl_err = 0, rc = 2, c;

	evq_init(&t.q, 0);
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:h", lo, NULL)) != -1) {
		switch (c) {
		case 'j': t.json = true; break;
		case 'l': list = true; break;
		case 'd': {
			char *end;
			duration = strtod(optarg, &end);
			if (*end || duration < 0) {
				fprintf(stderr, "vfscope trace: bad --duration '%s'\n", optarg);
				goto out;
			}
			break;
		}
		case 'p': {
			char *dup = vfs_xstrdup(optarg), *save = NULL;
			if (nnb < MAX_NAMES)
				namebuf[nnb++] = dup;
			else
				free(dup);
			for (char *tok = strtok_r(dup, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
				if (nnames < MAX_NAMES)
					names[nnames++] = tok;
			break;
		}
		case 'i': {
			unsigned int idx = if_nametoindex(optarg);
			if (!idx) {
				fprintf(stderr, "vfscope trace: no interface '%s' in this namespace\n", optarg);
				goto out;
			}
			if (nifx < MAX_IFS)
				ifx[nifx++] = (int)idx;
			break;
		}
		case 'a':
			if (!strcmp(optarg, "auto"))
				attach = PROBES_ATTACH_AUTO;
			else if (!strcmp(optarg, "fentry") || !strcmp(optarg, "fexit"))
				attach = PROBES_ATTACH_FENTRY;
			else if (!strcmp(optarg, "kprobe"))
				attach = PROBES_ATTACH_KPROBE;
			else {
				fprintf(stderr, "vfscope trace: bad --attach '%s' (auto, fentry, kprobe)\n", optarg);
				goto out;
			}
			break;
		case 'r': {
			char *end;
			reorder_ms = strtol(optarg, &end, 10);
			if (*end || reorder_ms < 0 || reorder_ms > 10000) {
				fprintf(stderr, "vfscope trace: bad --reorder-ms '%s' (0..10000)\n", optarg);
				goto out;
			}
			break;
		}
		case 'h': usage(stdout); rc = 0; goto out;
		default: usage(stderr); goto out;
		}
	}
	if (optind < argc) {
		usage(stderr);
		goto out;
	}
	t.q.window_ns = (uint64_t)reorder_ms * 1000000u;
	/* "link"/"rtnetlink" select the netlink monitor, the rest go to the BPF loader. */
	if (nnames) {
		size_t k = 0;
		want_link = false;
		for (size_t i = 0; i < nnames; i++) {
			if (!strcmp(names[i], "link") || !strcmp(names[i], "rtnetlink"))
				want_link = true;
			else if (!strcmp(names[i], "all"))
				want_link = true, names[k++] = names[i];
			else
				names[k++] = names[i];
		}
		nnames = k;
		want_bpf = nnames > 0;
	}

	struct probes_opts po = { .names = names, .nnames = nnames, .ifindexes = ifx, .nifindexes = nifx,
				  .cb = collect, .cb_ctx = &t, .attach = attach };
	static const char *const none[] = { "none" };
	if (!want_bpf) { /* every BPF probe reported "not selected" */
		po.names = none;
		po.nnames = 1;
	}
	int err = probes_open(&po);
	if (err == -EINVAL) {
		fprintf(stderr, "vfscope trace: unknown probe name (see --list-probes)\n");
		goto out;
	}
	if (want_link && !(nl = nl_monitor_open(ifx, nifx, collect, &t)))
		nl_err = errno;

	struct probes_info pi[64];
	size_t npi;
	if (list) {
		npi = probes_list(pi, ARRAY_SIZE(pi) - 1);
		link_info(&pi[npi++], want_link, nl, nl_err);
		print_list(t.json, pi, npi);
		rc = 0;
		goto out;
	}
	int dc = probes_drop_caps();
	npi = probes_list(pi, ARRAY_SIZE(pi) - 1);
	int attached = 0;
	for (size_t i = 0; i < npi; i++) {
		if (!want_bpf)
			pi[i].state = PROBE_DISABLED;
		attached += pi[i].state == PROBE_ATTACHED;
	}
	attached += nl != NULL;
	fprintf(stderr, "vfscope trace: %d of %zu probes attached%s%s; %s\n", attached, npi + 1,
		dc ? ", capabilities not dropped: " : "", dc ? strerror(-dc) : "",
		duration > 0 ? "running" : "Ctrl-C to stop");
	for (size_t i = 0; i < npi; i++)
		if (pi[i].state == PROBE_UNAVAILABLE)
			fprintf(stderr, "  %s: unavailable: %s\n", pi[i].name, pi[i].reason);
		else if (pi[i].state == PROBE_ATTACHED && pi[i].fallback[0])
			fprintf(stderr, "  %s: %s (fallback: %s)\n", pi[i].name, pi[i].type, pi[i].fallback);
	if (want_link && !nl)
		fprintf(stderr, "  rtnetlink: unavailable: %s\n", strerror(nl_err));

	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	uint64_t t0 = vfs_now_mono_ns(), end = t0 + (uint64_t)(duration * 1e9);
	while (!stop) {
		struct pollfd pf[2];
		int np = 0, timeout = 200, due = evq_due_ms(&t.q, vfs_now_mono_ns());
		if (probes_fd() >= 0)
			pf[np++] = (struct pollfd){ .fd = probes_fd(), .events = POLLIN };
		if (nl)
			pf[np++] = (struct pollfd){ .fd = nl_monitor_fd(nl), .events = POLLIN };
		if (duration > 0) {
			uint64_t now = vfs_now_mono_ns();
			if (now >= end)
				break;
			if ((end - now) / 1000000 < (uint64_t)timeout)
				timeout = (int)((end - now) / 1000000) + 1;
		}
		if (due >= 0 && due < timeout)
			timeout = due;
		if (poll(pf, (nfds_t)np, timeout) < 0 && errno != EINTR)
			break;
		probes_poll(0);
		if (nl)
			nl_monitor_read(nl);
		flush(&t, false);
	}
	/* Drain what is already queued, then the summary. */
	probes_poll(0);
	if (nl)
		nl_monitor_read(nl);
	flush(&t, true);

	npi = probes_list(pi, ARRAY_SIZE(pi) - 1);
	link_info(&pi[npi++], want_link, nl, nl_err);
	struct probes_if_counters ic[256];
	int nic = probes_counters(ic, ARRAY_SIZE(ic));
	struct probes_drop dr[256];
	int ndr = probes_drops(dr, ARRAY_SIZE(dr));
	uint64_t lost = probes_lost() + nl_monitor_lost(nl);
	double secs = (double)(vfs_now_mono_ns() - t0) / 1e9;
	if (t.json) {
		json_t *a = json_array(), *ifs = json_array();
		for (size_t i = 0; i < npi; i++)
			json_array_append_new(a, info_json(&pi[i]));
		for (int i = 0; i < nic; i++) {
			json_t *o = json_pack("{s:i, s:I, s:b, s:I, s:I, s:I, s:I, s:I, s:I}", "ifindex", ic[i].ifindex,
					      "netns", (json_int_t)ic[i].netns, "local", ic[i].local, "tx_packets",
					      (json_int_t)ic[i].tx_packets, "tx_bytes", (json_int_t)ic[i].tx_bytes,
					      "rx_packets", (json_int_t)ic[i].rx_packets, "rx_bytes",
					      (json_int_t)ic[i].rx_bytes, "drops", (json_int_t)ic[i].drops,
					      "tx_timeouts", (json_int_t)ic[i].tx_timeouts);
			if (ic[i].ifname[0])
				json_object_set_new(o, "ifname", json_string(ic[i].ifname));
			json_array_append_new(ifs, o);
		}
		json_t *drops = json_array();
		for (int i = 0; i < ndr; i++) {
			const char *rn = probes_drop_reason_name(dr[i].reason);
			json_t *o = json_pack("{s:i, s:I, s:i, s:I}", "ifindex", dr[i].ifindex, "netns",
					      (json_int_t)dr[i].netns, "reason", (int)dr[i].reason, "count",
					      (json_int_t)dr[i].count);
			if (rn)
				json_object_set_new(o, "reason_name", json_string(rn));
			json_array_append_new(drops, o);
		}
		json_t *s = json_pack("{s:{s:f, s:I, s:o, s:o, s:o, s:I, s:I, s:i}, s:i}", "summary", "duration_s", secs,
				      "events", (json_int_t)t.printed, "probes", a, "interfaces", ifs, "drops", drops,
				      "lost", (json_int_t)lost, "late", (json_int_t)t.q.late, "reorder_ms",
				      (int)reorder_ms, "schema", TRACE_JSON_SCHEMA);
		/* "summary" stays the first key: readers tell the last line by it. */
		char *txt = json_dumps(s, JSON_COMPACT | JSON_PRESERVE_ORDER);
		printf("%s\n", txt);
		free(txt);
		json_decref(s);
	} else {
		fprintf(stderr, "\n%llu events in %.1f s\nprobes:\n", (unsigned long long)t.printed, secs);
		for (size_t i = 0; i < npi; i++)
			fprintf(stderr, "  %-24s %-12s %10llu%s%s\n", pi[i].name, probe_state_name(pi[i].state),
				(unsigned long long)pi[i].events, pi[i].reason[0] ? "  " : "", pi[i].reason);
		if (nic > 0)
			fprintf(stderr, "interfaces:\n");
		for (int i = 0; i < nic; i++) {
			char nm[40];
			if (ic[i].local)
				snprintf(nm, sizeof(nm), "%s", ic[i].ifname[0] ? ic[i].ifname : "?");
			else
				snprintf(nm, sizeof(nm), "netns %u", ic[i].netns);
			fprintf(stderr, "  %-16s ifindex %-4d tx %llu pkts %llu B  rx %llu pkts %llu B  drops %llu  tx_timeouts %llu\n",
				nm, ic[i].ifindex, (unsigned long long)ic[i].tx_packets,
				(unsigned long long)ic[i].tx_bytes, (unsigned long long)ic[i].rx_packets,
				(unsigned long long)ic[i].rx_bytes, (unsigned long long)ic[i].drops,
				(unsigned long long)ic[i].tx_timeouts);
		}
		if (ndr > 0)
			fprintf(stderr, "drops by reason:\n");
		for (int i = 0; i < ndr; i++) {
			const char *rn = probes_drop_reason_name(dr[i].reason);
			fprintf(stderr, "  ifindex %-4d netns %-10u %-28s %llu\n", dr[i].ifindex, dr[i].netns,
				rn ? rn : "?", (unsigned long long)dr[i].count);
		}
		fprintf(stderr, "lost events: %llu\n", (unsigned long long)lost);
		if (t.q.late)
			fprintf(stderr, "events out of order (later than the %ld ms reorder window): %llu\n",
				reorder_ms, (unsigned long long)t.q.late);
	}
	fflush(stdout);
	rc = 0;
out:
	nl_monitor_close(nl);
	probes_close();
	for (size_t i = 0; i < nnb; i++)
		free(namebuf[i]);
	evq_free(&t.q);
	return rc;
}
