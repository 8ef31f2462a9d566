/* libpcap capture of the control frames a failover depends on. One
 * pcap_t per interface in non-blocking mode, polled together; every frame
 * goes to one pcap_dumper (Ethernet link type, so all interfaces must be
 * Ethernet). Stops on duration, SIGINT or SIGTERM. */
#include "collectors/capture.h"
#include "lib/util.h"
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CAP_MAX_IFS 16

const char capture_filter[] =
	"ether proto 0x8809 or ether proto 0x88cc or arp or (icmp6 and ip6[40] == 136)"
	" or (vlan and (ether proto 0x8809 or ether proto 0x88cc or arp or (icmp6 and ip6[40] == 136)))";

static volatile sig_atomic_t cap_stop, cap_signalled;
static void on_signal(int sig) { (void)sig; cap_stop = 1; cap_signalled = 1; }

bool capture_was_signalled(void)
{
	return cap_signalled;
}

static void dump_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	pcap_dump(user, h, bytes);
}

int capture_run(const char *const *ifs, int nifs, const char *out, int duration_s, char *err, size_t errlen)
{
	pcap_t *p[CAP_MAX_IFS] = { 0 };
	struct pollfd pfd[CAP_MAX_IFS];
	pcap_dumper_t *d = NULL;
	char ebuf[PCAP_ERRBUF_SIZE];
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	int rc = 0, i;
	long frames = 0;

	if (nifs < 1 || nifs > CAP_MAX_IFS) {
		snprintf(err, errlen, "between 1 and %d interfaces", CAP_MAX_IFS);
		return -EINVAL;
	}
	for (i = 0; i < nifs; i++) {
		struct bpf_program prog;
		p[i] = pcap_create(ifs[i], ebuf);
		if (!p[i]) {
			snprintf(err, errlen, "%s: %s", ifs[i], ebuf);
			rc = -ENODEV;
			goto out;
		}
		pcap_set_snaplen(p[i], 2048);
		pcap_set_promisc(p[i], 0);
		pcap_set_timeout(p[i], 100);
		pcap_set_immediate_mode(p[i], 1);
		int a = pcap_activate(p[i]);
		if (a < 0) {
			snprintf(err, errlen, "%s: %s", ifs[i], pcap_geterr(p[i]));
			rc = a == PCAP_ERROR_PERM_DENIED ? -EPERM : a == PCAP_ERROR_NO_SUCH_DEVICE ? -ENODEV : -EIO;
			goto out;
		}
		if (pcap_datalink(p[i]) != DLT_EN10MB) {
			snprintf(err, errlen, "%s: not an Ethernet interface", ifs[i]);
			rc = -EINVAL;
			goto out;
		}
		if (pcap_compile(p[i], &prog, capture_filter, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
		    pcap_setfilter(p[i], &prog) < 0) {
			snprintf(err, errlen, "%s: filter: %s", ifs[i], pcap_geterr(p[i]));
			pcap_freecode(&prog);
			rc = -EINVAL;
			goto out;
		}
		pcap_freecode(&prog);
		if (pcap_setnonblock(p[i], 1, ebuf) < 0) {
			snprintf(err, errlen, "%s: %s", ifs[i], ebuf);
			rc = -EIO;
			goto out;
		}
		pfd[i].fd = pcap_get_selectable_fd(p[i]);
		pfd[i].events = POLLIN;
		if (pfd[i].fd < 0) {
			snprintf(err, errlen, "%s: no selectable fd", ifs[i]);
			rc = -EIO;
			goto out;
		}
	}
	d = pcap_dump_open(p[0], out);
	if (!d) {
		snprintf(err, errlen, "%s: %s", out, pcap_geterr(p[0]));
		rc = -EIO;
		goto out;
	}
	cap_stop = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	uint64_t end = duration_s > 0 ? vfs_now_mono_ns() + (uint64_t)duration_s * 1000000000ull : 0;
	while (!cap_stop) {
		int tmo = 200;
		if (end) {
			uint64_t now = vfs_now_mono_ns();
			if (now >= end)
				break;
			tmo = (int)MIN((uint64_t)200, (end - now) / 1000000 + 1);
		}
		int n = poll(pfd, (nfds_t)nifs, tmo);
		if (n < 0 && errno != EINTR) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			rc = -errno;
			break;
		}
		/* Also try every handle on timeout: some capture back ends only
		 * wake poll once their buffer times out. */
		for (i = 0; i < nifs; i++) {
			int got = pcap_dispatch(p[i], -1, dump_cb, (u_char *)d);
			if (got > 0)
				frames += got;
			else if (got == PCAP_ERROR) {
				snprintf(err, errlen, "%s: %s", ifs[i], pcap_geterr(p[i]));
				rc = -EIO;
				cap_stop = 1;
			}
		}
		pcap_dump_flush(d);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
out:
	if (d)
		pcap_dump_close(d);
	for (i = 0; i < nifs; i++)
		if (p[i])
			pcap_close(p[i]);
	return rc ? rc : (int)MIN(frames, (long)0x7fffffff);
}
