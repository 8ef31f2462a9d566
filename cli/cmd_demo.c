/* vfscope demo: the dashboard on the embedded sample machine, a lab capture
 * of the "PF link down under a team member" scenario
 * (tests/fixtures/lab/pf-link-down/{host,guest}). The guest tree becomes a
 * guest view the way an agent's would (model -> JSON -> SRC_GUEST model).
 * Without a terminal (CI) it prints the snapshot and the findings. */
#include "cli/cli.h"
#include "cli/common.h"
#include "cli/top.h"
#include "collectors/collect.h"
#include "collectors/root.h"
#include "lib/util.h"
#include "model/json.h"
#include "model/print.h"
#include "rules/rules.h"
#include "tui/tui.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SCENARIO "pf-link-down"

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope demo [-d SECONDS] [--ascii] [--no-color] [--once] [--print]\n\n"
		   "Open the dashboard on the embedded sample machine (a lab capture where a\n"
		   "PF lost its link but the team over its VF still says up). Without a\n"
		   "terminal, or with --print, print the snapshot and findings instead.\n"
		   "Data: $VFSCOPE_DATADIR, the source tree next to the executable\n"
		   "(tests/fixtures/lab/" SCENARIO "), or $PREFIX/share/vfscope/" SCENARIO ".\n");
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where the scenario lives: <dir> holding host/ (and maybe guest/). */
static bool find_data(char *out, size_t size)
{
	char p[PATH_MAX + 64], exe[PATH_MAX];
	const char *env = getenv("VFSCOPE_DATADIR");
	if (env && *env) {
		const char *sub[] = { "/" SCENARIO, "/tests/fixtures/lab/" SCENARIO, "" };
		for (size_t i = 0; i < ARRAY_SIZE(sub); i++) {
			snprintf(p, sizeof(p), "%s%s/host", env, sub[i]);
			if (is_dir(p)) {
				snprintf(out, size, "%s%s", env, sub[i]);
				return true;
			}
		}
	}
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		/* The binary's directory and up to three parents (build-x/vfscope). */
		for (int up = 0; up < 4; up++) {
			char *sl = strrchr(exe, '/');
			if (!sl)
				break;
			*sl = 0;
			snprintf(p, sizeof(p), "%s/tests/fixtures/lab/" SCENARIO "/host", exe[0] ? exe : "/");
			if (is_dir(p)) {
				snprintf(out, size, "%s/tests/fixtures/lab/" SCENARIO, exe[0] ? exe : "/");
				return true;
			}
			snprintf(p, sizeof(p), "%s/share/vfscope/" SCENARIO "/host", exe[0] ? exe : "");
			if (is_dir(p)) {
				snprintf(out, size, "%s/share/vfscope/" SCENARIO, exe[0] ? exe : "");
				return true;
			}
		}
	}
	static const char *const inst[] = {
#ifdef VFSCOPE_DATADIR_DEFAULT
		VFSCOPE_DATADIR_DEFAULT "/" SCENARIO,
#endif
		"/usr/local/share/vfscope/" SCENARIO, "/usr/share/vfscope/" SCENARIO,
	};
	for (size_t i = 0; i < ARRAY_SIZE(inst); i++) {
		snprintf(p, sizeof(p), "%s/host", inst[i]);
		if (is_dir(p)) {
			snprintf(out, size, "%s", inst[i]);
			return true;
		}
	}
	/* Until the lab capture is checked in: the dashboard tests' hand-made tree. */
	if (n > 0) {
		ssize_t k = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[k > 0 ? k : 0] = 0;
		for (int up = 0; up < 4; up++) {
			char *sl = strrchr(exe, '/');
			if (!sl)
				break;
			*sl = 0;
			snprintf(p, sizeof(p), "%s/tests/fixtures/tui/host", exe);
			if (is_dir(p)) {
				snprintf(out, size, "%s/tests/fixtures/tui", exe);
				return true;
			}
		}
	}
	return false;
}

static struct machine *load_guest(const char *dir, char *err, size_t errlen)
{
	struct collect_opts g = { .sysroot = dir, .role = "guest", .no_netlink = true };
	struct machine *gm = collect_machine(&g, err, errlen);
	if (!gm)
		return NULL;
	json_t *j = machine_to_json(gm);
	machine_free(gm);
	struct machine *v = j ? machine_from_json(j, SRC_GUEST, err, errlen) : NULL;
	json_decref(j);
	return v;
}

static void print_findings(const struct findings *f)
{
	printf("\n%zu findings\n", f->n);
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		printf("%-7s %s: %s\n", severity_name(x->severity), x->id, x->title ? x->title : "");
		if (x->subject)
			printf("  on: %s\n", x->subject);
		for (size_t k = 0; k < x->nev; k++)
			printf("  %s = %s (%s)\n", x->ev[k].what ? x->ev[k].what : "?", x->ev[k].value ? x->ev[k].value : "?",
			       vfs_src_name(x->ev[k].src));
		if (x->fix)
			printf("  fix: %s\n", x->fix);
	}
}

int cmd_demo(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "interval", required_argument, NULL, 'd' }, { "ascii", no_argument, NULL, 'A' },
		{ "no-color", no_argument, NULL, 'C' }, { "once", no_argument, NULL, '1' },
		{ "print", no_argument, NULL, 'P' }, { "help", no_argument, NULL, 'h' }, { 0 } };
	static struct top_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	common_init(&ctx.co);
	struct tui_opts o = { .interval_ms = 1000, .cpu_cap = 1.0 };
	bool print = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:h", lo, NULL)) != -1) {
		switch (c) {
		case 'd': case 'A': case 'C': case '1':
			if (top_opt(c, optarg, &o, "demo") < 0)
				return 2;
			break;
		case 'P': print = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	static char dir[PATH_MAX], host[PATH_MAX + 8], guest[PATH_MAX + 8];
	if (!find_data(dir, sizeof(dir))) {
		fprintf(stderr, "vfscope demo: sample machine not found; set VFSCOPE_DATADIR to the directory\n"
				"holding " SCENARIO "/host (tests/fixtures/lab in the source tree)\n");
		return 2;
	}
	snprintf(host, sizeof(host), "%s/host", dir);
	snprintf(guest, sizeof(guest), "%s/guest", dir);
	ctx.co.c.sysroot = host;
	static char *src_argv[2];
	src_argv[0] = "--sysroot";
	src_argv[1] = host;
	ctx.argv = src_argv;
	ctx.argc = 2;
	struct machine *m = common_collect(&ctx.co, "vfscope demo");
	if (!m)
		return 2;
	if (is_dir(guest)) {
		char err[256] = "";
		struct machine *g = load_guest(guest, err, sizeof(err));
		if (g)
			machine_add_guest(m, g);
		else
			machine_add_source(m, "guest-file", SOURCE_FAILED, "%s: %s", guest, err);
		correlate(m);
		root_set(host); /* the guest tree was the last root; bundles read the host's */
	}
	struct findings f = { 0 };
	rules_run(m, &f);
	if (print || !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		printf("vfscope demo: %s\n\n", dir);
		machine_print(stdout, m);
		print_findings(&f);
		findings_free(&f);
		machine_free(m);
		return 0;
	}
	ctx.quiet_errors = true;
	char source[PATH_MAX + 16], safe[PATH_MAX + 16];
	const char *base = strrchr(dir, '/'); /* the header is narrow: the scenario's name */
	snprintf(source, sizeof(source), "demo %s", base ? base + 1 : dir);
	vfs_sanitize(safe, sizeof(safe), source);
	struct tui_feed feed;
	top_feed_init(&feed, &ctx, safe);
	return tui_run(&feed, &o, m, &f);
}
