/* Decoded control frames -> model facts. An LLDPDU received on a PF netdev
 * names the PF's switch (pf->lldp_chassis/port/sysname, SRC_LLDP); LACPDUs,
 * gratuitous ARPs and unsolicited IPv6 NAs become EV_FRAME events whose text
 * starts with "LACP", "GARP" or "NA" (rules/ read them). Frames
 * come from a pcap/pcapng file (`--pcap [IF=]FILE`), a bundle's
 * control.pcap, or a live capture (`--capture S`, collectors/capture.h).
 * Uses decoders/ and model/ only (plus libpcap to read files). */
#ifndef VFS_FRAMES_H
#define VFS_FRAMES_H
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "decoders/frame.h"
#include "model/model.h"

struct frames_stats {
	unsigned frames;      /* read */
	unsigned lldp, lacp, garp, na;  /* applied */
	unsigned other;       /* not a control frame vfscope uses (ARP request, solicited NA, ...) */
	unsigned bad;         /* truncated or malformed */
	unsigned noif;        /* no interface known for the frame (classic pcap without IF=) */
	char ifs[256];        /* interfaces frames were seen on, comma separated */
	/* LLDP neighbour changes per PF (a port that hears two switches
	 * alternately): one warning per PF, rewritten with the count as
	 * further changes come (frames_apply keeps it up to date). */
	struct frames_flip {
		size_t pf;            /* index in m->pfs */
		size_t warning;       /* index in m->warnings; (size_t)-1 none (warnings full) */
		unsigned changes;
		unsigned nchassis;    /* distinct chassis seen, up to 4 listed */
		char chassis[4][80];
		uint64_t first_ns, last_ns; /* wall clock of the first and latest change, 0 unknown */
	} flips[8];
	unsigned nflips;
};

/* Apply one decoded frame seen on `ifname` (NULL unknown) at ts_real_ns
 * (wall clock, 0 unknown) / ts_mono_ns (0 unknown). `probe` names where it
 * came from ("pcap", "capture", "bundle") for the event. */
void frames_apply(struct machine *m, const char *ifname, uint64_t ts_real_ns, uint64_t ts_mono_ns,
		  const struct frame_info *f, const char *probe, struct frames_stats *st);

/* Whether frames seen on ifname can be tied to this machine: a netdev of
 * the model, or the netdev name a PF's or VF's device gives (a tree may
 * have device/net/NAME without class/net/NAME). An LLDPDU on a PF's name
 * is applied to that PF; frames on any other name are events only. */
bool frames_ifname_known(const struct machine *m, const char *ifname);

/* Raw bytes of one frame: decode, then frames_apply. */
void frames_apply_raw(struct machine *m, const char *ifname, uint64_t ts_real_ns, uint64_t ts_mono_ns,
		      const uint8_t *buf, size_t len, const char *probe, struct frames_stats *st);

/* Read a pcap or pcapng file into m. ifname non-NULL: every frame was seen
 * on that interface (a classic pcap has no interface names; it also
 * overrides a pcapng's names). NULL: pcapng interface names (IDB if_name);
 * frames without one are counted in st->noif and only LACP/GARP/NA without
 * an interface become events. Adds a source `source_name` (ok/partial/
 * failed) describing what was applied. 0 or -errno (err says why). */
int frames_read_file(struct machine *m, const char *path, const char *ifname, const char *source_name,
		     const char *probe, char *err, size_t errlen);

/* pcapng: which interface each packet came from (libpcap does not say).
 * names[i] is the i-th IDB's if_name ("" none); pkt_if[n] the interface
 * index of the n-th packet (0-based), -1 unknown. Empty for classic pcap. */
struct pcapng_ifmap { char (*names)[64]; size_t nnames; int *pkt_if; size_t npkts; };
void pcapng_ifmap_read(const char *path, struct pcapng_ifmap *m);
const char *pcapng_ifname(const struct pcapng_ifmap *m, unsigned long n); /* n 1-based; NULL unknown */
void pcapng_ifmap_free(struct pcapng_ifmap *m);
#endif
