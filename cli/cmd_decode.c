/* vfscope decode: LACP/LLDP/ARP/NA frames (and 802.3 LLC/SNAP frames, named)
 * from a pcap or pcapng file (one line or one JSON object per frame), or
 * PF/VF mailbox words from a text
 * file (`driver dir vf w0 w1 ...` in hex, as vfscope trace records them). */
#include "cli/cli.h"
#include "collectors/frames.h"
#include "decoders/frame.h"
#include "decoders/mbx.h"
#include "lib/textcat.h"
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
		   "'truncated', bad ones 'malformed', with what could be read. 802.3 frames (a\n"
		   "length, not an ethertype) are named by their LLC/SNAP header (STP, PVST+,\n"
		   "CDP, VTP, DTP, ...) and not decoded further.\n"
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

/* "N TIME [IFNAME ]FRAME[ [truncated...]|[malformed...]]\n"; FRAME is cut
 * at 2047 bytes as the line buffer it was printed from did. */
static void text_line(const struct frame_info *f, int d, unsigned long n, const struct pcap_pkthdr *h,
		      const char *ifname)
{
	char out[2048 + 512];
	size_t pos = 0, size = sizeof(out);
	tc_u(out, size, &pos, n);
	tc_chr(out, size, &pos, ' ');
	tc_i(out, size, &pos, (long long)h->ts.tv_sec);
	tc_chr(out, size, &pos, '.');
	tc_u06(out, size, &pos, (long long)h->ts.tv_usec);
	tc_chr(out, size, &pos, ' ');
	if (ifname) {
		/* an interface name of pcapng_ifname's: shorter than the room left */
		tc_str(out, size, &pos, ifname);
		tc_chr(out, size, &pos, ' ');
	}
	size_t room = size - pos;
	pos += (size_t)frame_format(f, out + pos, MIN(room, (size_t)2048));
	if (d == -ENODATA) { /* " [truncated: decoded %zu of %u bytes%s]" */
		tc_str(out, size, &pos, " [truncated: decoded ");
		tc_u(out, size, &pos, f->got);
		tc_str(out, size, &pos, " of ");
		tc_u(out, size, &pos, h->caplen);
		tc_str(out, size, &pos, h->caplen < h->len ? " bytes, cut by snaplen]" : " bytes]");
	} else if (d == -EBADMSG) { /* " [malformed at byte %zu: %s]" */
		tc_str(out, size, &pos, " [malformed at byte ");
		tc_u(out, size, &pos, f->got);
		tc_str(out, size, &pos, ": ");
		tc_str(out, size, &pos, f->why ? f->why : "?");
		tc_chr(out, size, &pos, ']');
	}
	tc_chr(out, size, &pos, '\n');
	fwrite_unlocked(out, 1, pos, stdout);
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
	struct pcapng_ifmap im;
	pcapng_ifmap_read(path, &im);
	/* Text lines are built in one buffer without printf and written with
	 * one unlocked fwrite each into a large stdout buffer (issue 17:
	 * formatting was the cost). */
	static char obuf[1 << 16];
	if (!json)
		setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	while ((r = pcap_next_ex(p, &h, &data)) == 1) {
		n++;
		int d = frame_decode(data, h->caplen, f);
		if (!json) {
			text_line(f, d, n, h, pcapng_ifname(&im, n));
			continue;
		}
		char ts[40];
		snprintf(ts, sizeof(ts), "%lld.%06ld", (long long)h->ts.tv_sec, (long)h->ts.tv_usec);
		json_t *j = json_pack("{s:I,s:s,s:i,s:i}", "frame", (json_int_t)n, "time", ts,
				      "caplen", h->caplen, "len", h->len);
		if (pcapng_ifname(&im, n))
			json_object_set_new(j, "interface", json_string(pcapng_ifname(&im, n)));
		json_t *fj = frame_json(f);
		json_object_update(j, fj);
		json_decref(fj);
		if (d == -ENODATA && h->caplen < h->len)
			json_object_set_new(j, "snaplen_cut", json_true());
		emit_json(j);
	}
	fflush(stdout);
	if (r == -1) {
		fprintf(stderr, "vfscope decode: %s: %s\n", path, pcap_geterr(p));
		rc = 2;
	}
	free(f);
	pcapng_ifmap_free(&im);
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
