/* vfscope capture: write the control frames a team's failover depends on
 * (LACP, Marker, LLDP, ARP, IPv6 NA, tagged or not) from one or more
 * interfaces into one pcap, for `vfscope decode` or Wireshark. */
#include "cli/cli.h"
#include "collectors/capture.h"
#include "lib/util.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope capture -i IF[,IF...] -w FILE [--duration S]\n\n"
		   "Capture LACP/Marker (0x8809), LLDP (0x88cc), ARP and IPv6 neighbour\n"
		   "advertisements, with or without a VLAN tag, from every listed interface into\n"
		   "one pcap. Stops after --duration seconds or on SIGINT/SIGTERM.\n"
		   "Filter: %s\n", capture_filter);
}

int cmd_capture(int argc, char **argv)
{
	static const struct option lo[] = { { "interface", required_argument, NULL, 'i' },
					     { "write", required_argument, NULL, 'w' },
					     { "duration", required_argument, NULL, 'd' },
					     { "help", no_argument, NULL, 'h' }, { 0 } };
	char *ifarg = NULL;
	const char *out = NULL;
	int64_t dur = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:w:d:h", lo, NULL)) != -1) {
		switch (c) {
		case 'i': ifarg = optarg; break;
		case 'w': out = optarg; break;
		case 'd':
			if (vfs_parse_i64(optarg, 10, &dur) || dur < 0 || dur > 86400) {
				fprintf(stderr, "vfscope capture: --duration: seconds, 0..86400\n");
				return 2;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!ifarg || !out || optind < argc) {
		usage(stderr);
		return 2;
	}
	const char *ifs[16];
	int nifs = 0;
	char *save = NULL, *dup = vfs_xstrdup(ifarg);
	for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (nifs == (int)ARRAY_SIZE(ifs)) {
			fprintf(stderr, "vfscope capture: at most %zu interfaces\n", ARRAY_SIZE(ifs));
			free(dup);
			return 2;
		}
		ifs[nifs++] = t;
	}
	char err[512] = "";
	int n = capture_run(ifs, nifs, out, (int)dur, err, sizeof(err));
	free(dup);
	if (n < 0) {
		fprintf(stderr, "vfscope capture: %s\n", err);
		return 2;
	}
	if (*capture_skipped())
		fprintf(stderr, "vfscope capture: not up, skipped: %s\n", capture_skipped());
	fprintf(stderr, "vfscope capture: %d frames written to %s\n", n, out);
	return 0;
}
