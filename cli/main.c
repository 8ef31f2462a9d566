/* vfscope: one main, subcommands from a table (as ip, bpftool, git do). */
#include "cli/cli.h"
#include "lib/lazy.h"
#include <archive.h>
#include <curses.h>
#include <jansson.h>
#include <microhttpd.h>
#include <pcap/pcap.h>
#include <pci/pci.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct cmd {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
};

static const struct cmd cmds[] = {
	{ "top", cmd_top, "live dashboard (default on a terminal)" },
	{ "snapshot", cmd_snapshot, "print the host/guest model (text or --json)" },
	{ "check", cmd_check, "print findings; exit 1 when any reaches --fail-on" },
	{ "trace", cmd_trace, "stream mailbox, datapath and link events (eBPF, rtnetlink)" },
	{ "decode", cmd_decode, "decode LACP/LLDP/ARP/NA frames from a pcap" },
	{ "capture", cmd_capture, "capture control frames to a pcap" },
	{ "pci", cmd_pci, "decode SR-IOV/ARI/PCIe capabilities (live or lspci dump)" },
	{ "agent", cmd_agent, "serve this guest's view as JSON (vsock/tcp)" },
	{ "bundle", cmd_bundle, "write a support bundle (tar.gz)" },
	{ "metrics", cmd_metrics, "Prometheus export (HTTP or textfile)" },
	{ "demo", cmd_demo, "open the embedded sample machine" },
};

/* The libraries as this process runs them (the loaded .so's own answer),
 * not as it was built, where the library has a call for it; libpci has
 * none, so its line is the header's PCI_LIB_VERSION and says so, and
 * libcrypt (libxcrypt) has none either.
 * libbpf, ncursesw, libpcap, libmicrohttpd, libarchive and libcrypt are
 * loaded only by the commands that call them (lib/lazy.h): plain --version
 * names them without loading them (so it costs what any start costs);
 * --version --all loads each and prints its version and the file it came
 * from (tests/lab/vm-run packs those files into the lab VM). */
/* libbpf.h pulls in linux/bpf.h, whose struct bpf_insn clashes with
 * pcap's (pcap/bpf.h): declare the one libbpf call this file needs, with
 * libbpf.h's own signature. */
const char *libbpf_version_string(void);

static void print_lazy_version(const struct lazy_lib *l)
{
	if (l == &lazy_bpf)
		printf("libbpf %s\n", libbpf_version_string()); /* "libbpf vX.Y" */
	else if (l == &lazy_curses)
		printf("%s\n", curses_version()); /* "ncurses X" */
	else if (l == &lazy_pcap)
		printf("%s\n", pcap_lib_version()); /* "libpcap version X ..." */
	else if (l == &lazy_mhd)
		printf("libmicrohttpd %s\n", MHD_get_version());
	else if (l == &lazy_archive)
		printf("%s\n", archive_version_string()); /* "libarchive X" */
	else
		printf("%s (no runtime version call)\n", l->name);
}

static int print_version(bool all)
{
	int rc = 0;
	printf("vfscope %s\n", VFSCOPE_VERSION);
	printf("libpci %d.%d.%d (built with; libpci has no runtime version call)\n", PCI_LIB_VERSION >> 16,
	       (PCI_LIB_VERSION >> 8) & 0xff, PCI_LIB_VERSION & 0xff);
	printf("jansson %s\n", jansson_version_str());
	for (struct lazy_lib *const *l = lazy_libs; *l; l++) {
		if (!all) {
			printf("%s: %s, loaded on demand (--version --all loads it)\n", (*l)->name, (*l)->soname);
			continue;
		}
		if (!lazy_load(*l)) {
			printf("%s: %s: not loadable: %s\n", (*l)->name, (*l)->soname, (*l)->err);
			rc = 1;
			continue;
		}
		print_lazy_version(*l);
		const char *path = lazy_path(*l);
		printf("%s => %s\n", (*l)->soname, path ? path : "?");
	}
	return rc;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope [--version [--all]] COMMAND [OPTIONS]\n\n"
		   "Finds why a NIC team over SR-IOV VFs does not fail over.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n'vfscope COMMAND --help' for a command's options; man vfscope(8).\n");
}

int main(int argc, char **argv)
{
	/* A fixed mmap threshold: blocks of 128 KiB and more (a namespace's
	 * link dump grows to megabytes at thousands of links) are mapped and
	 * unmapped each time. With glibc's default the threshold rises to the
	 * largest block freed, such blocks then come from the arena of the
	 * short-lived thread that reads a namespace, and each of up to 8 x
	 * cores arenas keeps ~9 MiB: metrics went 8 -> 44 MiB in a minute
	 * beside a namespace of 2,000 veth pairs, 9-13 MiB with this
	 * (docs/reliability.md, long runs). */
	mallopt(M_MMAP_THRESHOLD, 128 << 10);
	if (argc < 2) {
		if (isatty(STDOUT_FILENO) && isatty(STDIN_FILENO))
			return cmd_top(argc, argv);
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))
		return print_version(argc > 2 && (!strcmp(argv[2], "--all") || !strcmp(argv[2], "-a")));
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	/* Options but no command: the default command gets them (vfscope --sysroot X). */
	if (argv[1][0] == '-')
		return isatty(STDOUT_FILENO) ? cmd_top(argc, argv) : cmd_snapshot(argc, argv);
	fprintf(stderr, "vfscope: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
