/* vfscope decode: LACP/LLDP/ARP/NA frames from a pcap or pcapng file (one
 * line or one JSON object per frame), or PF/VF mailbox words from a text
 * file (`driver dir vf w0 w1 ...` in hex, as vfscope trace records them). */
#include "cli/cli.h"
#include "decoders/frame.h"
#include "decoders/mbx.h"
#include "lib/util.h"
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fprintf(f, "usage: vfscope decode [--json] --pcap FILE\n"
		   "       vfscope decode [--json] --mbx FILE\n\n"
		   "Decode the control frames a bond's failover depends on (LACP, Marker, LLDP,\n"
		   "ARP, IPv6 neighbour advertisements) from a pcap/pcapng capture, one line (or\n"
		   "JSON object) per frame with its number and time; frames cut short are marked\n"
		   "'truncated', bad ones 'malformed', with what could be read.\n"
		   "--mbx decodes igb/ixgbe/virtchnl mailbox messages, one per line:\n"
		   "  DRIVER vf2pf|pf2vf VF W0 W1 ...   (words in hex, '#' comments)\n");
}

static void emit_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (s)
		puts(s);
	free(s);
	json_decref(j);
}

/* pcapng: libpcap does not say which interface a packet came from, so
 * walk the blocks once more for the interface names (IDB if_name) and
 * each packet's interface id (EPB; SPB is interface 0), in file order. */
struct ifmap { char (*names)[64]; size_t nnames; int *pkt_if; size_t npkts; };

static uint32_t u32x(const uint8_t *p, bool sw)
{
	uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	return sw ? __builtin_bswap32(v) : v;
}

static void pcapng_ifmap(const char *path, struct ifmap *m)
{
	memset(m, 0, sizeof(*m));
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return;
	size_t cap = 0, ncap = 0;
	uint8_t hdr[12];
	bool sw = false;
	/* Blocks: type, total length, body..., total length. Bounded by the
	 * file and by 16 MiB per block. */
	while (fread(hdr, 1, 8, fp) == 8) {
		uint32_t type = u32x(hdr, false);
		if (type == 0x0a0d0d0a) {
			if (fread(hdr + 8, 1, 4, fp) != 4)
				break;
			sw = u32x(hdr + 8, false) != 0x1a2b3c4d;
			m->nnames = 0; /* a new section numbers interfaces afresh */
			if (fseek(fp, (long)u32x(hdr + 4, sw) - 12, SEEK_CUR))
				break;
			continue;
		}
		type = u32x(hdr, sw);
		uint32_t blen = u32x(hdr + 4, sw);
		if (blen < 12 || blen > (16u << 20) || (blen & 3))
			break;
		uint8_t *b = malloc(blen - 8);
		if (!b || fread(b, 1, blen - 8, fp) != blen - 8) {
			free(b);
			break;
		}
		size_t body = blen - 12;
		if (type == 1) { /* IDB: linktype, reserved, snaplen, options */
			if (m->nnames == ncap) {
				ncap = ncap ? ncap * 2 : 4;
				m->names = vfs_xrealloc(m->names, ncap, sizeof(*m->names));
			}
			char *nm = m->names[m->nnames++];
			nm[0] = 0;
			for (size_t o = 8; o + 4 <= body;) {
				uint16_t code = (uint16_t)(sw ? b[o] << 8 | b[o + 1] : b[o] | b[o + 1] << 8);
				uint16_t ol = (uint16_t)(sw ? b[o + 2] << 8 | b[o + 3] : b[o + 2] | b[o + 3] << 8);
				if (code == 0 || o + 4 + ol > body)
					break;
				if (code == 2) {
					char tmp[64];
					size_t n = MIN((size_t)ol, sizeof(tmp) - 1);
					memcpy(tmp, b + o + 4, n);
					tmp[n] = 0;
					vfs_sanitize(nm, 64, tmp);
				}
				o += 4 + (((size_t)ol + 3) & ~(size_t)3);
			}
		} else if (type == 6 || type == 3 || type == 2) {
			long ifid = -1;
			if (type == 3)
				ifid = 0;
			else if (body >= 4 && type == 6)
				ifid = (long)u32x(b, sw);
			else if (body >= 4) /* obsolete Packet Block: u16 interface id */
				ifid = sw ? b[0] << 8 | b[1] : b[0] | b[1] << 8;
			if (m->npkts == cap) {
				cap = cap ? cap * 2 : 64;
				m->pkt_if = vfs_xrealloc(m->pkt_if, cap, sizeof(*m->pkt_if));
			}
			m->pkt_if[m->npkts++] = ifid >= 0 && (size_t)ifid < m->nnames ? ifid : -1;
		}
		free(b);
	}
	fclose(fp);
}

static const char *ifname_of(const struct ifmap *m, unsigned long n)
{
	if (!n || n > m->npkts || m->pkt_if[n - 1] < 0)
		return NULL;
	const char *s = m->names[m->pkt_if[n - 1]];
	return s[0] ? s : NULL;
}

static int decode_pcap(const char *path, bool json)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p) {
		fprintf(stderr, "vfscope decode: %s\n", err);
		return 2;
	}
	int dlt = pcap_datalink(p);
	if (dlt != DLT_EN10MB) {
		fprintf(stderr, "vfscope decode: %s: link type %s not supported (Ethernet only)\n", path,
			pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?");
		pcap_close(p);
		return 2;
	}
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long n = 0;
	int r, rc = 0;
	struct frame_info *f = vfs_xcalloc(1, sizeof(*f));
	struct ifmap im;
	pcapng_ifmap(path, &im);
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		int d = frame_decode(data, h->caplen, f);
		char ts[40];
		snprintf(ts, sizeof(ts), "%lld.%06ld", (long long)h->ts.tv_sec, (long)h->ts.tv_usec);
		if (json) {
			json_t *j = json_pack("{s:I,s:s,s:i,s:i}", "frame", (json_int_t)n, "time", ts,
					      "caplen", h->caplen, "len", h->len);
			if (ifname_of(&im, n))
				json_object_set_new(j, "interface", json_string(ifname_of(&im, n)));
			json_t *fj = frame_json(f);
			json_object_update(j, fj);
			json_decref(fj);
			if (d == -ENODATA && h->caplen < h->len)
				json_object_set_new(j, "snaplen_cut", json_true());
			emit_json(j);
			continue;
		}
		char line[2048];
		frame_format(f, line, sizeof(line));
		if (ifname_of(&im, n))
			printf("%lu %s %s %s", n, ts, ifname_of(&im, n), line);
		else
			printf("%lu %s %s", n, ts, line);
		if (d == -ENODATA)
			printf(" [truncated: decoded %zu of %u bytes%s]", f->got, h->caplen,
			       h->caplen < h->len ? ", cut by snaplen" : "");
		else if (d == -EBADMSG)
			printf(" [malformed at byte %zu: %s]", f->got, f->why ? f->why : "?");
		putchar('\n');
	}
	if (r == -1) {
		fprintf(stderr, "vfscope decode: %s: %s\n", path, pcap_geterr(p));
		rc = 2;
	}
	free(f);
	free(im.names);
	free(im.pkt_if);
	pcap_close(p);
	return rc;
}

static int decode_mbx(const char *path, bool json)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!fp) {
		fprintf(stderr, "vfscope decode: %s: %s\n", path, strerror(errno));
		return 2;
	}
	char line[4096];
	unsigned long ln = 0;
	int rc = 0;
	while (fgets(line, sizeof(line), fp)) {
		ln++;
		char *save = NULL, *tok[2 + 3 + 64];
		size_t nt = 0;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		for (char *t = strtok_r(line, " \t\r\n", &save); t && nt < ARRAY_SIZE(tok);
		     t = strtok_r(NULL, " \t\r\n", &save))
			tok[nt++] = t;
		if (!nt)
			continue;
		int64_t vf;
		if (nt < 3 || (strcmp(tok[1], "vf2pf") && strcmp(tok[1], "pf2vf")) ||
		    vfs_parse_i64(tok[2], 0, &vf)) {
			fprintf(stderr, "vfscope decode: %s:%lu: expected DRIVER vf2pf|pf2vf VF WORDS...\n", path, ln);
			rc = 2;
			continue;
		}
		uint32_t w[64];
		size_t nw = 0;
		bool bad = false;
		for (size_t i = 3; i < nt && nw < ARRAY_SIZE(w); i++) {
			int64_t v;
			if (vfs_parse_i64(tok[i], 16, &v) || v < 0 || v > 0xffffffffLL) {
				bad = true;
				break;
			}
			w[nw++] = (uint32_t)v;
		}
		if (bad) {
			fprintf(stderr, "vfscope decode: %s:%lu: bad hex word\n", path, ln);
			rc = 2;
			continue;
		}
		struct mbx_msg m;
		int d = mbx_decode(tok[0], w, nw, strcmp(tok[1], "vf2pf") ? MBX_PF2VF : MBX_VF2PF, &m);
		if (d == -EINVAL) {
			fprintf(stderr, "vfscope decode: %s:%lu: unknown driver %s\n", path, ln, tok[0]);
			rc = 2;
			continue;
		}
		if (json) {
			json_t *j = json_pack("{s:I,s:I}", "line", (json_int_t)ln, "vf", (json_int_t)vf);
			json_t *mj = mbx_json(&m);
			json_object_update(j, mj);
			json_decref(mj);
			if (d == -ENODATA)
				json_object_set_new(j, "truncated", json_true());
			emit_json(j);
		} else {
			char out[512];
			mbx_format(&m, out, sizeof(out));
			printf("%lu vf %lld %s%s\n", ln, (long long)vf, out,
			       d == -ENODATA ? " [truncated]" : "");
		}
	}
	if (fp != stdin)
		fclose(fp);
	return rc;
}

int cmd_decode(int argc, char **argv)
{
	static const struct option lo[] = { { "json", no_argument, NULL, 'j' }, { "pcap", required_argument, NULL, 'r' },
					     { "mbx", required_argument, NULL, 'm' }, { "help", no_argument, NULL, 'h' },
					     { 0 } };
	const char *pcap = NULL, *mbx = NULL;
	bool json = false;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "jr:m:h", lo, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 'r': pcap = optarg; break;
		case 'm': mbx = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (!pcap && optind < argc)
		pcap = argv[optind++];
	if (!!pcap == !!mbx || optind < argc) {
		usage(stderr);
		return 2;
	}
	return pcap ? decode_pcap(pcap, json) : decode_mbx(mbx, json);
}
