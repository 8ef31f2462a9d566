/* vfscope snapshot: print the model (tree or JSON). */
#include "cli/cli.h"
#include "cli/common.h"
#include "model/json.h"
#include "model/print.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope snapshot [--json] [SOURCES]\n\n"
		   "Print PFs -> VFs -> where each VF is used, and teams -> members ->\n"
		   "backing VF/PF. Exit 0 (also with partial sources), 2 on a usage error.\n\n"
		   "  -j, --json           one JSON document (docs/snapshot-json.md)\n"
		   "  -o, --output FILE    write to FILE instead of stdout\n" COMMON_HELP);
}

int cmd_snapshot(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' }, { "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' }, COMMON_LONGOPTS, { 0 } };
	struct common_opts co;
	common_init(&co);
	int json = 0, c;
	const char *out = NULL;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jo:h", lo, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'o': out = optarg; break;
		case 'h': usage(stdout); return 0;
		default:
			if (common_getopt(&co, c, optarg, "vfscope snapshot") == 0)
				break;
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vfscope snapshot: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	struct machine *m = common_collect(&co, "vfscope snapshot");
	if (!m)
		return 2;
	FILE *f = out ? fopen(out, "w") : stdout;
	if (!f) {
		perror(out);
		machine_free(m);
		return 2;
	}
	if (json) {
		json_t *j = machine_to_json(m);
		json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', f);
		json_decref(j);
	} else {
		machine_print(f, m);
	}
	int rc = ferror(f) ? 2 : 0;
	if (out)
		fclose(f);
	machine_free(m);
	return rc;
}
