/* vfscope bundle: write a support bundle (tar.gz) of this machine, a
 * sysroot or a bundle's own model, with its guests. See docs/bundle.md.
 * Exit 0 complete, 1 partial (interrupted or size cap; the manifest says
 * what is missing), 2 on a usage or runtime error. */
#include "cli/cli.h"
#include "cli/common.h"
#include "export/bundle.h"
#include "lib/util.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_flag;
static void on_sigint(int sig) { (void)sig; stop_flag = 1; }

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope bundle [-o FILE] [--duration S] [--max-size MIB] [--redact] [SOURCES]\n\n"
		   "Write one tar.gz: manifest.json, snapshot.json, findings.json, the raw sysfs/procfs\n"
		   "files read (a sysroot: `--sysroot DIR` works on the extracted tree), PCI config\n"
		   "spaces (pci/*.lspci), netlink.json, ip-link.json, drvinfo.json, kmsg.txt, events.jsonl.\n"
		   "Read it back with `vfscope snapshot|check|top --from FILE`. Ctrl-C finishes early\n"
		   "with a partial bundle. Exit 0 complete, 1 partial, 2 error.\n\n"
		   "  -o, --output FILE    bundle path (default vfscope-<host>-<time>.tar.gz)\n"
		   "  -d, --duration S     event window in seconds (default 5, 0 = none)\n"
		   "  --max-size MIB       cap on raw files, uncompressed (default 64)\n"
		   "  --redact             replace MACs, IPs and host names by stable tokens\n"
		   "  -q, --quiet          no progress on stderr\n" COMMON_HELP);
}

int cmd_bundle(int argc, char **argv)
{
	enum { OPT_REDACT = OPT_COMMON_END + 1, OPT_MAX_SIZE };
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' }, { "duration", required_argument, NULL, 'd' },
		{ "redact", no_argument, NULL, OPT_REDACT }, { "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "quiet", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' }, COMMON_LONGOPTS, { 0 } };
	struct common_opts co;
	common_init(&co);
	struct bundle_opts bo = { .duration_ms = BUNDLE_DEFAULT_DURATION_MS, .max_bytes = BUNDLE_DEFAULT_MAX_BYTES };
	bool quiet = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:d:qh", lo, NULL)) != -1) {
		switch (c) {
		case 'o': bo.output = optarg; break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); return 0;
		case 'd': {
			char *end;
			double s = strtod(optarg, &end);
			if (*end || end == optarg || s < 0 || s > 3600) {
				fprintf(stderr, "vfscope bundle: --duration wants seconds, 0 to 3600\n");
				return 2;
			}
			bo.duration_ms = (unsigned)(s * 1000 + 0.5);
			break;
		}
		case OPT_MAX_SIZE: {
			int64_t v;
			if (vfs_parse_i64(optarg, 10, &v) || v < 1 || v > 4096) {
				fprintf(stderr, "vfscope bundle: --max-size wants MiB, 1 to 4096\n");
				return 2;
			}
			bo.max_bytes = (size_t)v << 20;
			break;
		}
		case OPT_REDACT: bo.redact = true; break;
		default:
			if (common_getopt(&co, c, optarg, "vfscope bundle") == 0)
				break;
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "vfscope bundle: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	struct sigaction sa = { .sa_handler = on_sigint };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	struct machine *m = common_collect(&co, "vfscope bundle");
	if (!m)
		return 2;
	char written[4096] = "", err[512] = "";
	bo.m = m;
	bo.model_only = co.from != NULL || co.hyperv != NULL; /* a PowerShell export has no sysfs to copy */
	bo.pci_dump = co.c.pci_dump;
	bo.ip_link_json = co.c.ip_link_json;
	bo.progress = !quiet && isatty(STDERR_FILENO);
	bo.argc = argc;
	bo.argv = argv;
	bo.stop = &stop_flag;
	bo.written = written;
	bo.written_len = sizeof(written);
	int r = bundle_write(&bo, err, sizeof(err));
	machine_free(m);
	if (r < 0) {
		fprintf(stderr, "vfscope bundle: %s\n", err);
		return 2;
	}
	printf("%s\n", written);
	if (r == 1)
		fprintf(stderr, "vfscope bundle: partial bundle (see manifest.json \"partial_reasons\")\n");
	return r == 1 ? 1 : 0;
}
