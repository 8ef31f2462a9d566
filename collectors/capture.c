/* libpcap capture of the control frames a failover depends on. One
 * pcap_t per interface in non-blocking mode, polled together; every frame
 * goes to a callback with its interface (capture_loop), or into one pcapng
 * file with one interface block per interface (capture_run; Ethernet only).
 * Stops on duration, SIGINT or SIGTERM. */
#include "collectors/capture.h"
#include "collectors/frames.h"
#include "lib/util.h"
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CAP_MAX_IFS CAPTURE_MAX_IFS

const char capture_filter[] =
	"ether proto 0x8809 or ether proto 0x88cc or arp or (icmp6 and ip6[40] == 136)"
	" or (vlan and (ether proto 0x8809 or ether proto 0x88cc or arp or (icmp6 and ip6[40] == 136)))";

static volatile sig_atomic_t cap_stop, cap_signalled;
static char cap_skipped[256]; /* interfaces the last capture_loop skipped */

const char *capture_skipped(void)
{
	return cap_skipped;
}
static void on_signal(int sig) { (void)sig; cap_stop = 1; cap_signalled = 1; }

bool capture_was_signalled(void)
{
	return cap_signalled;
}

struct loop_ctx { capture_cb cb; void *ctx; int ifidx; const char *ifname; };

static void loop_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct loop_ctx *c = (struct loop_ctx *)user;
	c->cb(c->ctx, c->ifidx, c->ifname, h, bytes);
}

int capture_loop(const char *const *ifs, int nifs, int duration_s, capture_cb cb, void *ctx, char *err, size_t errlen)
{
	pcap_t *p[CAP_MAX_IFS] = { 0 };
	struct pollfd pfd[CAP_MAX_IFS];
	char ebuf[PCAP_ERRBUF_SIZE];
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	int rc = 0, i;
	long frames = 0;

	if (nifs < 1 || nifs > CAP_MAX_IFS) {
		snprintf(err, errlen, "between 1 and %d interfaces", CAP_MAX_IFS);
		return -EINVAL;
	}
	cap_skipped[0] = 0;
	for (i = 0; i < nifs; i++) {
		struct bpf_program prog;
		p[i] = pcap_create(ifs[i], ebuf);
		if (!p[i]) {
			snprintf(err, errlen, "%s: %s", ifs[i], ebuf);
			rc = -ENODEV;
			goto out;
		}
		pcap_set_snaplen(p[i], CAPTURE_SNAPLEN);
		pcap_set_promisc(p[i], 0);
		pcap_set_timeout(p[i], 100);
		pcap_set_immediate_mode(p[i], 1);
		int a = pcap_activate(p[i]);
		if (a == PCAP_ERROR_IFACE_NOT_UP) {
			/* An administratively down netdev (a spare VF, say)
			 * receives nothing: skip it rather than lose the others. */
			size_t o = strlen(cap_skipped);
			snprintf(cap_skipped + o, sizeof(cap_skipped) - o, "%s%s", o ? "," : "", ifs[i]);
			pcap_close(p[i]);
			p[i] = NULL;
			pfd[i].fd = -1;
			pfd[i].events = 0;
			continue;
		}
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
	for (i = 0; i < nifs && !p[i]; i++)
		;
	if (i == nifs) {
		snprintf(err, errlen, "no interface is up (%s)", cap_skipped);
		rc = -ENETDOWN;
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
			if (!p[i])
				continue;
			struct loop_ctx lc = { .cb = cb, .ctx = ctx, .ifidx = i, .ifname = ifs[i] };
			int got = pcap_dispatch(p[i], -1, loop_cb, (u_char *)&lc);
			if (got > 0)
				frames += got;
			else if (got == PCAP_ERROR) {
				snprintf(err, errlen, "%s: %s", ifs[i], pcap_geterr(p[i]));
				rc = -EIO;
				cap_stop = 1;
			}
		}
		cb(ctx, -1, NULL, NULL, NULL); /* a round done: flush */
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
out:
	for (i = 0; i < nifs; i++)
		if (p[i])
			pcap_close(p[i]);
	return rc ? rc : (int)MIN(frames, (long)0x7fffffff);
}

/* ---- pcapng writer (libpcap writes classic pcap only, which cannot say
 * which interface a frame came from) ---------------------------------- */
struct ng { FILE *f; bool bad; };

static void ng_put(struct ng *w, const void *p, size_t n)
{
	if (!w->bad && fwrite(p, 1, n, w->f) != n)
		w->bad = true;
}

static void ng_u32(struct ng *w, uint32_t v) { ng_put(w, &v, 4); }
static void ng_u16(struct ng *w, uint16_t v) { ng_put(w, &v, 2); }

static void ng_header(struct ng *w, const char *const *ifs, int nifs)
{
	static const uint8_t zero[4];
	ng_u32(w, 0x0a0d0d0a); /* Section Header Block */
	ng_u32(w, 28);
	ng_u32(w, 0x1a2b3c4d);
	ng_u16(w, 1);
	ng_u16(w, 0);
	ng_u32(w, 0xffffffff); /* section length unknown (-1) */
	ng_u32(w, 0xffffffff);
	ng_u32(w, 28);
	for (int i = 0; i < nifs; i++) { /* Interface Description Block, if_name option */
		size_t nl = strnlen(ifs[i], 64), pad = (4 - nl % 4) % 4;
		uint32_t len = (uint32_t)(20 + 4 + nl + pad + 4);
		ng_u32(w, 1);
		ng_u32(w, len);
		ng_u16(w, 1); /* LINKTYPE_ETHERNET */
		ng_u16(w, 0);
		ng_u32(w, CAPTURE_SNAPLEN);
		ng_u16(w, 2);
		ng_u16(w, (uint16_t)nl);
		ng_put(w, ifs[i], nl);
		ng_put(w, zero, pad);
		ng_u32(w, 0); /* opt_endofopt */
		ng_u32(w, len);
	}
}

struct run_ctx { struct ng w; long frames; };

static void ng_packet(void *ctx, int ifidx, const char *ifname, const struct pcap_pkthdr *h, const uint8_t *bytes)
{
	struct run_ctx *r = ctx;
	static const uint8_t zero[4];
	(void)ifname;
	if (!h) {
		fflush(r->w.f);
		return;
	}
	uint32_t cl = MIN(h->caplen, (uint32_t)CAPTURE_SNAPLEN), pad = (4 - cl % 4) % 4;
	uint64_t us = (uint64_t)h->ts.tv_sec * 1000000ull + (uint64_t)h->ts.tv_usec; /* if_tsresol default: us */
	uint32_t len = 32 + cl + pad;
	ng_u32(&r->w, 6); /* Enhanced Packet Block */
	ng_u32(&r->w, len);
	ng_u32(&r->w, (uint32_t)ifidx);
	ng_u32(&r->w, (uint32_t)(us >> 32));
	ng_u32(&r->w, (uint32_t)us);
	ng_u32(&r->w, cl);
	ng_u32(&r->w, h->len);
	ng_put(&r->w, bytes, cl);
	ng_put(&r->w, zero, pad);
	ng_u32(&r->w, len);
	r->frames++;
}

int capture_run(const char *const *ifs, int nifs, const char *out, int duration_s, char *err, size_t errlen)
{
	struct run_ctx r = { .frames = 0 };
	if (nifs < 1 || nifs > CAP_MAX_IFS) {
		snprintf(err, errlen, "between 1 and %d interfaces", CAP_MAX_IFS);
		return -EINVAL;
	}
	r.w.f = fopen(out, "wb");
	if (!r.w.f) {
		snprintf(err, errlen, "%s: %s", out, strerror(errno));
		return -errno;
	}
	ng_header(&r.w, ifs, nifs);
	int rc = capture_loop(ifs, nifs, duration_s, ng_packet, &r, err, errlen);
	if (fclose(r.w.f) || r.w.bad) {
		if (rc >= 0)
			snprintf(err, errlen, "%s: write failed", out);
		rc = rc < 0 ? rc : -EIO;
	}
	if (rc < 0) {
		unlink(out);
		return rc;
	}
	return (int)MIN(r.frames, (long)0x7fffffff);
}

/* ---- live capture into the model (collectors/frames.h) ----------------- */
int capture_pick_ifs(const struct machine *m, const char **ifs, int max)
{
	int n = 0;
	for (size_t i = 0; i < m->nnetdevs; i++) {
		const struct netdev *d = &m->netdevs[i];
		if (d->name.v && (d->pf_idx >= 0 || d->vf_pf_idx >= 0 || d->master.v ||
				  (d->kind.v && !strcmp(d->kind.v, "bond")))) {
			if (n < max)
				ifs[n] = d->name.v;
			n++;
		}
	}
	return n;
}

static bool in_list(const char *l, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = l; (p = strstr(p, name)); p += n)
		if ((p == l || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

static int count_list(const char *l)
{
	int n = *l ? 1 : 0;
	for (; *l; l++)
		n += *l == ',';
	return n;
}

struct model_ctx { struct machine *m; struct frames_stats st; int64_t mono_off; };

static void model_packet(void *ctx, int ifidx, const char *ifname, const struct pcap_pkthdr *h, const uint8_t *bytes)
{
	struct model_ctx *c = ctx;
	(void)ifidx;
	if (!h)
		return;
	uint64_t real = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec * 1000ull;
	int64_t mono = (int64_t)real - c->mono_off;
	frames_apply_raw(c->m, ifname, real, mono > 0 ? (uint64_t)mono : 0, bytes, h->caplen, "capture", &c->st);
}

int capture_into_model(struct machine *m, int duration_s, char *err, size_t errlen)
{
	const char *ifs[CAP_MAX_IFS];
	struct model_ctx c = { .m = m };
	int all = capture_pick_ifs(m, ifs, CAP_MAX_IFS), nifs = MIN(all, CAP_MAX_IFS);
	if (!nifs) {
		snprintf(err, errlen, "no PF, VF, bond or team member netdev to listen on");
		machine_add_source(m, "capture", SOURCE_SKIPPED, "%s", err);
		return -ENODEV;
	}
	c.mono_off = (int64_t)(vfs_now_real_ns() - vfs_now_mono_ns());
	int r = capture_loop(ifs, nifs, duration_s, model_packet, &c, err, errlen);
	if (r < 0) {
		machine_add_source(m, "capture", SOURCE_FAILED, "%s", err);
		return r;
	}
	bool more = all > nifs;
	char list[120] = "";
	const char *sk = capture_skipped();
	for (int i = 0, o = 0; i < nifs && o < (int)sizeof(list); i++)
		if (!in_list(sk, ifs[i]))
			o += snprintf(list + o, sizeof(list) - (size_t)o, "%s%s", o ? "," : "", ifs[i]);
	machine_add_source(m, "capture", more || capture_was_signalled() ? SOURCE_PARTIAL : SOURCE_OK,
			   "%d s on %d interfaces (%s)%s%s%s%s: %u frames: %u LLDP, %u LACP, %u GARP, %u unsolicited NA applied, "
			   "%u other, %u bad",
			   duration_s, nifs - count_list(sk), list, more ? ", more netdevs than the interface limit" : "",
			   *sk ? ", not up (skipped): " : "", sk,
			   capture_was_signalled() ? ", stopped early by a signal" : "", c.st.frames, c.st.lldp, c.st.lacp,
			   c.st.garp, c.st.na, c.st.other, c.st.bad);
	return 0;
}
