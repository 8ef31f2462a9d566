#include "cli/common.h"
#include "lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collectors/capture.h"
#include "collectors/collect.h"
#include "collectors/frames.h"
#include "collectors/guest.h"
#include "collectors/hyperv.h"
#include "export/bundle.h"
#include "rules/rules.h"

void common_init(struct common_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->guest_timeout_ms = 2000;
}

int common_opt(struct common_opts *o, int id, const char *arg)
{
	switch (id) {
	case OPT_SYSROOT: o->c.sysroot = arg; return 0;
	case OPT_PCI_DUMP: o->c.pci_dump = arg; return 0;
	case OPT_FROM: o->from = arg; return 0;
	case OPT_NO_NETLINK: o->c.no_netlink = true; return 0;
	case OPT_NO_KMSG: o->c.no_kmsg = true; return 0;
	case OPT_NO_NETNS: o->c.no_netns = true; return 0;
	case OPT_IP_LINK_JSON: o->c.ip_link_json = arg; return 0;
	case OPT_HYPERV: o->hyperv = arg; return 0;
	case OPT_HYPERV_GUEST:
		if (o->nhyperv_guests >= MAX_GUEST_SPECS || !arg || !*arg)
			return -1;
		o->hyperv_guests[o->nhyperv_guests++] = arg;
		return 0;
	case OPT_GUEST:
		if (o->nguests >= MAX_GUEST_SPECS)
			return -1;
		o->guests[o->nguests++] = arg;
		return 0;
	case OPT_GUEST_FILE:
		if (o->nguest_files >= MAX_GUEST_SPECS)
			return -1;
		o->guest_files[o->nguest_files++] = arg;
		return 0;
	case OPT_PCAP:
		if (o->npcaps >= MAX_PCAP_SPECS || !arg || !*arg)
			return -1;
		o->pcaps[o->npcaps++] = arg;
		return 0;
	case OPT_CAPTURE: {
		int64_t v;
		if (vfs_parse_i64(arg, 10, &v) || v < 1 || v > 3600)
			return -1;
		o->capture_s = (int)v;
		return 0;
	}
	case OPT_GUEST_TIMEOUT: {
		int64_t v;
		if (vfs_parse_i64(arg, 10, &v) || v < 1 || v > 600000)
			return -1;
		o->guest_timeout_ms = (int)v;
		return 0;
	}
	}
	return 1;
}

int common_getopt(struct common_opts *o, int c, const char *arg, const char *prog)
{
	if (c < OPT_SYSROOT || c >= OPT_COMMON_END)
		return -1;
	if (common_opt(o, c, arg) == 0)
		return 0;
	fprintf(stderr, "%s: bad value '%s' for option\n", prog, arg ? arg : "");
	return -1;
}

/* --pcap [IF[,IF...]=]FILE: an existing FILE is taken whole (pcapng names
 * the interfaces); otherwise the part before the first '=' lists the
 * interfaces every frame of FILE is applied to. */
static int apply_pcap(struct machine *m, const char *spec, const char *prog)
{
	char err[512] = "", ifs[256];
	const char *eq = strchr(spec, '=');
	if (access(spec, R_OK) == 0 || !eq) {
		/* a read error half way keeps what was read (source partial) */
		int r = frames_read_file(m, spec, NULL, "pcap", "pcap", err, sizeof(err));
		if (r < 0 && r != -EIO) {
			fprintf(stderr, "%s: --pcap %s: %s\n", prog, spec, err);
			return -1;
		}
		return 0;
	}
	size_t n = (size_t)(eq - spec);
	if (!n || n >= sizeof(ifs)) {
		fprintf(stderr, "%s: --pcap %s: expected [IF[,IF...]=]FILE\n", prog, spec);
		return -1;
	}
	memcpy(ifs, spec, n);
	ifs[n] = 0;
	char *save = NULL;
	for (char *t = strtok_r(ifs, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (strlen(t) >= 16 || strchr(t, '/')) {
			fprintf(stderr, "%s: --pcap %s: '%s' is not an interface name\n", prog, spec, t);
			return -1;
		}
		if (!frames_ifname_known(m, t))
			machine_warn(m, "--pcap %s: %s is not a netdev of this machine; its frames are kept as events only",
				     spec, t);
		int r = frames_read_file(m, eq + 1, t, "pcap", "pcap", err, sizeof(err));
		if (r < 0 && r != -EIO) {
			fprintf(stderr, "%s: --pcap %s: %s\n", prog, spec, err);
			return -1;
		}
	}
	return 0;
}

int common_frames(struct machine *m, const struct common_opts *o, const char *prog)
{
	char err[512] = "";
	for (int i = 0; i < o->npcaps; i++)
		if (apply_pcap(m, o->pcaps[i], prog) < 0)
			return -1;
	if (o->capture_s) {
		if (o->from || o->c.sysroot || o->hyperv)
			machine_add_source(m, "capture", SOURCE_SKIPPED, "--capture listens live; not with %s",
					   o->from ? "--from" : o->hyperv ? "--hyperv" : "--sysroot");
		else if (capture_into_model(m, o->capture_s, err, sizeof(err)) < 0)
			fprintf(stderr, "%s: --capture: %s\n", prog, err);
	}
	return 0;
}

struct machine *common_collect(const struct common_opts *o, const char *prog)
{
	char err[512] = "";
	struct machine *m = NULL;
	if (o->nhyperv_guests && !o->hyperv) {
		fprintf(stderr, "%s: --hyperv-guest needs --hyperv (the host's export)\n", prog);
		return NULL;
	}
	if (o->hyperv && (o->from || o->c.sysroot)) {
		fprintf(stderr, "%s: --hyperv is a source of its own; not with %s\n", prog, o->from ? "--from" : "--sysroot");
		return NULL;
	}
	if (o->hyperv) {
		m = hyperv_load_all(o->hyperv, o->hyperv_guests, o->nhyperv_guests, err, sizeof(err));
	} else if (o->from) {
		m = bundle_load(o->from, err, sizeof(err));
	} else {
		m = collect_machine(&o->c, err, sizeof(err));
	}
	if (!m) {
		fprintf(stderr, "%s: %s\n", prog, err);
		return NULL;
	}
	if (common_frames(m, o, prog) < 0) {
		machine_free(m);
		return NULL;
	}
	/* After a --capture window: the kernel log then covers it too (the link
	 * change a failover frame follows may have happened during it). */
	if (!o->from && !o->hyperv)
		host_extras(m, &o->c);
	for (int i = 0; i < o->nguest_files + o->nguests; i++) {
		const char *spec = i < o->nguest_files ? o->guest_files[i] : o->guests[i - o->nguest_files];
		bool file = i < o->nguest_files;
		struct machine *g = guest_load(spec, file, o->guest_timeout_ms, err, sizeof(err));
		if (g)
			machine_add_guest(m, g);
		else
			machine_add_source(m, file ? "guest-file" : "guest", SOURCE_FAILED, "%s: %s", spec, err);
	}
	correlate(m);
	return m;
}
