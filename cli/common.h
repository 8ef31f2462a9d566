/* Options every reading subcommand shares (snapshot, check, top, metrics,
 * bundle): where the model comes from. */
#ifndef VFS_CLI_COMMON_H
#define VFS_CLI_COMMON_H
#include <getopt.h>
#include <stdbool.h>
#include "collectors/collect.h"
#include "model/model.h"

#define MAX_GUEST_SPECS 32
#define MAX_PCAP_SPECS 16

struct common_opts {
	struct collect_opts c;
	const char *from;                       /* --from BUNDLE or sos report (bundle_load takes both) */
	const char *guests[MAX_GUEST_SPECS];    /* --guest vsock:CID[:PORT] | tcp:HOST:PORT */
	int nguests;
	const char *guest_files[MAX_GUEST_SPECS]; /* --guest-file FILE */
	int nguest_files;
	int guest_timeout_ms;
	const char *pcaps[MAX_PCAP_SPECS];      /* --pcap [IF[,IF...]=]FILE */
	int npcaps;
	int capture_s;                          /* --capture SECONDS (live only) */
	const char *hyperv;                     /* --hyperv DIR|ZIP: a Hyper-V host's PowerShell export */
	const char *hyperv_guests[MAX_GUEST_SPECS]; /* --hyperv-guest [VM=]DIR|ZIP */
	int nhyperv_guests;
};

enum {
	OPT_SYSROOT = 1000, OPT_PCI_DUMP, OPT_FROM, OPT_GUEST, OPT_GUEST_FILE,
	OPT_NO_NETLINK, OPT_NO_KMSG, OPT_GUEST_TIMEOUT, OPT_IP_LINK_JSON, OPT_PCAP, OPT_CAPTURE, OPT_NO_NETNS, OPT_HYPERV, OPT_HYPERV_GUEST, OPT_COMMON_END,
};

#define COMMON_LONGOPTS                                                        \
	{ "sysroot", required_argument, NULL, OPT_SYSROOT },                   \
	{ "pci-dump", required_argument, NULL, OPT_PCI_DUMP },                 \
	{ "from", required_argument, NULL, OPT_FROM },                         \
	{ "guest", required_argument, NULL, OPT_GUEST },                       \
	{ "guest-file", required_argument, NULL, OPT_GUEST_FILE },             \
	{ "guest-timeout", required_argument, NULL, OPT_GUEST_TIMEOUT },       \
	{ "no-netlink", no_argument, NULL, OPT_NO_NETLINK },                   \
	{ "no-kmsg", no_argument, NULL, OPT_NO_KMSG },                         \
	{ "ip-link-json", required_argument, NULL, OPT_IP_LINK_JSON },         \
	{ "pcap", required_argument, NULL, OPT_PCAP },                         \
	{ "capture", required_argument, NULL, OPT_CAPTURE },                   \
	{ "no-netns", no_argument, NULL, OPT_NO_NETNS },                       \
	{ "hyperv", required_argument, NULL, OPT_HYPERV },                     \
	{ "hyperv-guest", required_argument, NULL, OPT_HYPERV_GUEST }

#define COMMON_HELP                                                                    \
	"  --sysroot DIR        read DIR/sys and DIR/proc instead of /sys and /proc\n"     \
	"  --pci-dump FILE      also decode lspci output: a -xxxx dump or -vv/-nnvv/-vvv\n" \
	"                       text\n"                                                  \
	"  --from BUNDLE|SOS    read a support bundle, or a sos report (sosreport-*.tar.xz\n" \
	"                       or its directory), instead of this machine\n"             \
	"  --guest SPEC         add a guest agent: vsock:CID[:PORT] or tcp:HOST:PORT\n"    \
	"  --guest-file FILE    add a guest view saved with 'vfscope snapshot --json'\n"   \
	"  --guest-timeout MS   per-guest time limit (default 2000)\n"                    \
	"  --no-netlink         skip rtnetlink (VF settings then unknown)\n"              \
	"  --ip-link-json FILE  use saved `ip -d -j link show` output instead of netlink\n" \
	"                       (a sysroot's ip-link.json is used automatically)\n"      \
	"  --no-kmsg            do not read the kernel log\n"                               \
	"  --no-netns           do not read other network namespaces (pods, ip netns)\n"   \
	"  --pcap [IF=]FILE     apply control frames from a pcap/pcapng: LLDP names a PF's\n" \
	"                       switch, LACP/GARP/NA become events; IF (or IF,IF) says\n"   \
	"                       where the frames were seen (needed for classic pcap;\n"     \
	"                       pcapng carries interface names); repeatable\n"             \
	"  --capture SECONDS    listen that long on PFs, VFs and team members for LLDP,\n"  \
	"                       LACP, gratuitous ARP and unsolicited NA (live only)\n"  \
	"  --hyperv DIR|ZIP     read a Hyper-V host's PowerShell export (collect.ps1's\n" \
	"                       folder or zip; guests under guests/VM/) instead of this\n" \
	"                       machine (docs/hyperv-reader.md)\n"                         \
	"  --hyperv-guest [VM=]DIR|ZIP  add a Windows guest's export for VM; repeatable\n"

void common_init(struct common_opts *o);
/* Handle one common option; 0 if handled, 1 if not a common option, -1 on a bad value. */
int common_opt(struct common_opts *o, int id, const char *arg);
/* getopt's default case in every reading subcommand: 0 when c was a common
 * option with a good value; otherwise -1, with "PROG: bad value ..." said
 * for a bad one (the caller prints its usage and exits 2). */
int common_getopt(struct common_opts *o, int c, const char *arg, const char *prog);
/* The frames part of common_collect: --pcap files, then --capture (live
 * only). -1 when a --pcap spec is unusable (message printed). */
int common_frames(struct machine *m, const struct common_opts *o, const char *prog);
/* Build the model from the options: live/sysroot (+ pci dump), bundle,
 * guests; correlated. NULL on a usage/runtime error (message printed). */
struct machine *common_collect(const struct common_opts *o, const char *prog);
#endif
