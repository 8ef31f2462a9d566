/* vfscope check: correlate host and guests, run the rules, print findings.
 * Exit 0 when none reaches --fail-on (default warning), 1 when some do,
 * 2 on a usage or runtime error. */
#include "cli/cli.h"
#include "cli/common.h"
#include "model/json.h"
#include "rules/rules.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope check [--json] [--fail-on info|warning|error] [SOURCES]\n\n"
		   "Print findings (severity, rule ID, title, evidence with its source, fix).\n"
		   "Exit 0 when none reaches --fail-on, 1 when some do, 2 on an error.\n"
		   "VFSCOPE_DISABLE_RULES=ID,ID switches rules off (docs/rules.md).\n\n"
		   "  -j, --json           {\"schema\":1,\"findings\":[...],\"summary\":{...}}\n"
		   "  --fail-on SEV        info, warning (default) or error\n"
		   "  --list               list the rules and exit\n"
		   "  -o, --output FILE    write to FILE instead of stdout\n" COMMON_HELP);
}

static void print_text(FILE *f, const struct machine *m, const struct findings *fs)
{
	for (size_t i = 0; i < m->nsources; i++)
		if (m->sources[i].status == SOURCE_FAILED)
			fprintf(f, "source %s failed: %s\n", m->sources[i].name, m->sources[i].detail);
	for (size_t i = 0; i < fs->n; i++) {
		const struct finding *x = &fs->v[i];
		fprintf(f, "%s%-7s %s: %s\n", i ? "\n" : "", severity_name(x->severity), x->id, x->title);
		if (x->subject)
			fprintf(f, "  on: %s\n", x->subject);
		for (size_t k = 0; k < x->nev; k++)
			fprintf(f, "  %s = %s (%s)\n", x->ev[k].what, x->ev[k].value, vfs_src_name(x->ev[k].src));
		for (size_t k = 0; k < x->nkmsg; k++)
			fprintf(f, "  kmsg: %s\n", x->kmsg[k]);
		if (x->fix)
			fprintf(f, "  fix: %s\n", x->fix);
	}
	fprintf(f, "%s%zu findings: %zu error, %zu warning, %zu info\n", fs->n ? "\n" : "", fs->n,
		findings_count(fs, SEV_ERROR), findings_count(fs, SEV_WARNING) - findings_count(fs, SEV_ERROR),
		fs->n - findings_count(fs, SEV_WARNING));
}

int cmd_check(int argc, char **argv)
{
	enum { OPT_FAIL_ON = OPT_COMMON_END + 1, OPT_LIST };
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' }, { "output", required_argument, NULL, 'o' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON }, { "list", no_argument, NULL, OPT_LIST },
		{ "help", no_argument, NULL, 'h' }, COMMON_LONGOPTS, { 0 } };
	struct common_opts co;
	common_init(&co);
	int json = 0, c, fail_on = SEV_WARNING;
	const char *out = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jo:h", lo, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'o': out = optarg; break;
		case 'h': usage(stdout); return 0;
		case OPT_FAIL_ON:
			fail_on = severity_parse(optarg);
			if (!fail_on) {
				fprintf(stderr, "vfscope check: --fail-on wants info, warning or error\n");
				return 2;
			}
			break;
		case OPT_LIST: {
			size_t n;
			const struct rule_info *r = rules_list(&n);
			for (size_t i = 0; i < n; i++)
				printf("%-30s %-7s %s%s\n", r[i].id, severity_name(r[i].severity), r[i].title,
				       rule_disabled(r[i].id) ? " (disabled)" : "");
			return 0;
		}
		default:
			if (common_getopt(&co, c, optarg, "vfscope check") == 0)
				break;
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vfscope check: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	struct machine *m = common_collect(&co, "vfscope check");
	if (!m)
		return 2;
	struct findings fs = { 0 };
	if (rules_run(m, &fs)) {
		fprintf(stderr, "vfscope check: rules failed\n");
		machine_free(m);
		return 2;
	}
	FILE *f = out ? fopen(out, "w") : stdout;
	if (!f) {
		perror(out);
		findings_free(&fs);
		machine_free(m);
		return 2;
	}
	if (json) {
		json_t *j = findings_to_json(&fs);
		json_t *src = json_array();
		for (size_t i = 0; i < m->nsources; i++)
			if (m->sources[i].status == SOURCE_FAILED)
				json_array_append_new(src, json_pack("{s:s, s:s}", "name", m->sources[i].name, "detail",
								     m->sources[i].detail));
		json_object_set_new(j, "failed_sources", src);
		json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', f);
		json_decref(j);
	} else {
		print_text(f, m, &fs);
	}
	int rc = findings_count(&fs, fail_on) ? 1 : 0;
	if (ferror(f))
		rc = 2;
	if (out)
		fclose(f);
	findings_free(&fs);
	machine_free(m);
	return rc;
}
