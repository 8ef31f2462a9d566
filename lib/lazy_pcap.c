/* libpcap, loaded on first use (lib/lazy.h): every pcap call vfscope makes. */
#include "lib/lazy.h"
#include <pcap/pcap.h>
#include <stdio.h>

static char no_pcap[] = "libpcap could not be loaded";

/* The two calls that open a handle say why in the caller's error buffer. */
static void *sym_or_say(const char *name, char *errbuf)
{
	void *p = lazy_sym(&lazy_pcap, name);
	if (!p && errbuf)
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", lazy_pcap.soname, lazy_pcap.err);
	return p;
}

pcap_t *pcap_open_offline(const char *fname, char *errbuf)
{
	static __typeof__(pcap_open_offline) *fp;
	if (!fp && !(fp = (__typeof__(pcap_open_offline) *)sym_or_say("pcap_open_offline", errbuf)))
		return NULL;
	return fp(fname, errbuf);
}

pcap_t *pcap_create(const char *dev, char *errbuf)
{
	static __typeof__(pcap_create) *fp;
	if (!fp && !(fp = (__typeof__(pcap_create) *)sym_or_say("pcap_create", errbuf)))
		return NULL;
	return fp(dev, errbuf);
}

LAZY_FN(lazy_pcap, int, pcap_activate, (pcap_t *p), (p), PCAP_ERROR)
LAZY_VOID(lazy_pcap, pcap_close, (pcap_t *p), (p))
LAZY_FN(lazy_pcap, int, pcap_compile, (pcap_t *p, struct bpf_program *fp_, const char *s, int opt, bpf_u_int32 mask),
	(p, fp_, s, opt, mask), PCAP_ERROR)
LAZY_FN(lazy_pcap, int, pcap_datalink, (pcap_t *p), (p), PCAP_ERROR)
LAZY_FN(lazy_pcap, const char *, pcap_datalink_val_to_name, (int dlt), (dlt), NULL)
LAZY_FN(lazy_pcap, int, pcap_dispatch, (pcap_t *p, int cnt, pcap_handler cb, u_char *user), (p, cnt, cb, user),
	PCAP_ERROR)
LAZY_VOID(lazy_pcap, pcap_freecode, (struct bpf_program *prog), (prog))
LAZY_FN(lazy_pcap, int, pcap_get_selectable_fd, (pcap_t *p), (p), -1)
LAZY_FN(lazy_pcap, int, pcap_get_tstamp_precision, (pcap_t *p), (p), PCAP_TSTAMP_PRECISION_MICRO)
LAZY_FN(lazy_pcap, char *, pcap_geterr, (pcap_t *p), (p), no_pcap)
LAZY_FN(lazy_pcap, const char *, pcap_lib_version, (void), (), no_pcap)
LAZY_FN(lazy_pcap, int, pcap_next_ex, (pcap_t *p, struct pcap_pkthdr **h, const u_char **d), (p, h, d), PCAP_ERROR)
LAZY_FN(lazy_pcap, int, pcap_set_immediate_mode, (pcap_t *p, int on), (p, on), PCAP_ERROR)
LAZY_FN(lazy_pcap, int, pcap_set_promisc, (pcap_t *p, int on), (p, on), PCAP_ERROR)
LAZY_FN(lazy_pcap, int, pcap_set_snaplen, (pcap_t *p, int n), (p, n), PCAP_ERROR)
LAZY_FN(lazy_pcap, int, pcap_set_timeout, (pcap_t *p, int ms), (p, ms), PCAP_ERROR)
LAZY_FN(lazy_pcap, int, pcap_setfilter, (pcap_t *p, struct bpf_program *prog), (p, prog), PCAP_ERROR)
LAZY_FN(lazy_pcap, int, pcap_setnonblock, (pcap_t *p, int on, char *errbuf), (p, on, errbuf), PCAP_ERROR)
