/* decoders/llc.c through frame_decode on tcpdump's real 802.3 captures
 * (tests/corpus/pcap): what each is named as, and every prefix of every
 * frame cut short is -ENODATA with nothing read past it and nothing that
 * disagrees with the whole frame; plus the lengths an 802.3 header can
 * carry that are wrong (too short for LLC, ends inside SNAP/BPDU, 1501..1535,
 * longer than the frame). */
#include "t.h"
#include "decoders/frame.h"
#include <errno.h>
#include <pcap/pcap.h>

#define CAP "tests/corpus/pcap/"

struct fr { uint8_t b[1600]; size_t len; };
static struct fr frs[64];
static size_t nfr;

/* The first `max` frames of a capture. */
static void load(const char *file, size_t max)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(file, err);
	CHECK(p != NULL);
	if (!p)
		return;
	struct pcap_pkthdr *h;
	const u_char *d;
	size_t n = 0;
	while (n < max && nfr < 64 && pcap_next_ex(p, &h, &d) == 1) {
		if (h->caplen > sizeof(frs[0].b))
			continue;
		memcpy(frs[nfr].b, d, h->caplen);
		frs[nfr++].len = h->caplen;
		n++;
	}
	pcap_close(p);
}

static void test_named(void)
{
	struct frame_info *f = calloc(1, sizeof(*f));
	char line[1024];
	/* frame 1 of each, and what tcpdump/tshark call it */
	static const struct { const char *file; int idx; enum llc_proto p; const char *bpdu; const char *text; } c[] = {
		{ "3560_CDP.pcap", 0, LLC_P_CDP, NULL, "SNAP 00:00:0c pid 0x2000: CDP (not decoded)" },
		{ "802.1D_spanning_tree.pcap", 0, LLC_P_STP, "config", "LLC dsap 0x42 ssap 0x42 UI: STP config BPDU" },
		{ "802.1w_rapid_STP.pcap", 0, LLC_P_STP, "rst", ": STP RST BPDU (version 2, not decoded)" },
		{ "MSTP_Intra-Region_BPDUs.pcap", 0, LLC_P_STP, "mst", " vlan 0, 802.3 length 137 " },
		{ "rpvstp-trunk-native-vid5.pcap", 2, LLC_P_PVST, "rst", " vlan 1, 802.3 length 50 " },
		{ "DTP.pcap", 0, LLC_P_DTP, NULL, "pid 0x2004: DTP" },
		{ "DTP.pcap", 1, LLC_P_ISL, NULL, "Cisco ISL VLAN 1 BPDU" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		nfr = 0;
		char path[256];
		snprintf(path, sizeof(path), CAP "%s", c[i].file);
		load(path, (size_t)c[i].idx + 1);
		CHECK_INT(nfr, c[i].idx + 1);
		if (nfr != (size_t)c[i].idx + 1)
			continue;
		CHECK_INT(frame_decode(frs[c[i].idx].b, frs[c[i].idx].len, f), 0);
		CHECK_INT(f->kind, FRAME_LLC);
		CHECK_INT(f->ethertype, 0);
		CHECK_INT(f->u.llc.proto, c[i].p);
		CHECK(f->u.llc.have_llc);
		if (c[i].bpdu)
			CHECK_STR(llc_bpdu_name(&f->u.llc), c[i].bpdu);
		frame_format(f, line, sizeof(line));
		if (!strstr(line, c[i].text))
			fprintf(stderr, "%s: %s\n", c[i].file, line);
		CHECK(strstr(line, c[i].text) != NULL);
		CHECK(!strstr(line, "ethertype"));
		json_t *j = frame_json(f);
		CHECK_STR(json_string_value(json_object_get(j, "kind")), "llc");
		CHECK(json_object_get(j, "ethertype") == NULL);
		CHECK_STR(json_string_value(json_object_get(json_object_get(j, "llc"), "protocol")), llc_proto_name(c[i].p));
		json_decref(j);
	}
	free(f);
}

static void test_every_prefix(void)
{
	nfr = 0;
	load(CAP "3560_CDP.pcap", 1);
	load(CAP "802.1w_rapid_STP.pcap", 1);
	load(CAP "MSTP_Intra-Region_BPDUs.pcap", 1);
	load(CAP "rpvstp-trunk-native-vid5.pcap", 3);
	load(CAP "DTP.pcap", 2);
	CHECK_INT(nfr, 8);
	struct frame_info *full = calloc(1, sizeof(*full)), *part = calloc(1, sizeof(*part));
	size_t checked = 0;
	for (size_t i = 0; i < nfr; i++) {
		CHECK_INT(frame_decode(frs[i].b, frs[i].len, full), 0);
		CHECK_INT(full->kind, FRAME_LLC);
		size_t whole = full->l3off + full->u.llc.length; /* the frame without padding */
		for (size_t p = 0; p < frs[i].len; p++) {
			uint8_t *b = malloc(p ? p : 1); /* exact size: ASan sees any over-read */
			memcpy(b, frs[i].b, p);
			int r = frame_decode(b, p, part);
			char line[1024];
			frame_format(part, line, sizeof(line));
			json_decref(frame_json(part));
			CHECK(part->got <= p);
			if (p < whole) {
				CHECK_INT(r, -ENODATA);
			} else {
				/* padding after the length is not the frame's */
				CHECK_INT(r, 0);
				CHECK_INT(part->got, full->got);
			}
			if (p >= full->l3off + 1 && part->kind == FRAME_LLC && part->u.llc.have_llc) {
				CHECK_INT(part->u.llc.dsap, full->u.llc.dsap);
				CHECK_INT(part->u.llc.control, full->u.llc.control);
			}
			if (part->u.llc.have_snap)
				CHECK_INT(part->u.llc.pid, full->u.llc.pid);
			if (part->u.llc.have_bpdu)
				CHECK_INT(part->u.llc.bpdu_version, full->u.llc.bpdu_version);
			if (p >= 14 && p < full->l3off + 3)
				CHECK(strstr(line, "802.3") || p < full->l3off);
			free(b);
			checked++;
		}
	}
	CHECK(checked > 500);
	free(full);
	free(part);
}

/* Header-only frames written for this test: 12 MAC bytes + type/length +
 * what follows. */
static int mk(uint8_t *b, uint16_t tl, const uint8_t *rest, size_t n)
{
	memset(b, 0, 12);
	b[0] = 0x01, b[1] = 0x80, b[2] = 0xc2, b[6] = 0x02;
	b[12] = (uint8_t)(tl >> 8), b[13] = (uint8_t)tl;
	memcpy(b + 14, rest, n);
	return (int)(14 + n);
}

static void test_bad_lengths(void)
{
	uint8_t b[128];
	struct frame_info f;
	char line[512];
	static const uint8_t stp[] = { 0x42, 0x42, 0x03, 0x00, 0x00, 0x02, 0x02 };
	/* length 2: no room for DSAP, SSAP and control */
	CHECK_INT(frame_decode(b, (size_t)mk(b, 2, stp, sizeof(stp)), &f), -EBADMSG);
	CHECK_STR(f.why, "802.3 length shorter than an LLC header");
	/* length 5: the LLC is there, the BPDU header cannot be */
	CHECK_INT(frame_decode(b, (size_t)mk(b, 5, stp, sizeof(stp)), &f), -EBADMSG);
	CHECK_STR(f.why, "802.3 length ends inside the BPDU header");
	CHECK(f.u.llc.have_llc && !f.u.llc.have_bpdu);
	/* length 7 exactly: a whole (TCN-sized) BPDU header */
	CHECK_INT(frame_decode(b, (size_t)mk(b, 7, stp, sizeof(stp)), &f), 0);
	CHECK_STR(llc_bpdu_name(&f.u.llc), "rst");
	/* length 100 on a 21-byte frame: truncated, what is there is read */
	CHECK_INT(frame_decode(b, (size_t)mk(b, 100, stp, sizeof(stp)), &f), -ENODATA);
	CHECK(f.u.llc.have_bpdu);
	CHECK_INT(f.got, 21);
	/* SNAP cut by the length */
	static const uint8_t snap[] = { 0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00 };
	CHECK_INT(frame_decode(b, (size_t)mk(b, 6, snap, sizeof(snap)), &f), -EBADMSG);
	CHECK_STR(f.why, "802.3 length ends inside the SNAP header");
	CHECK_INT(frame_decode(b, (size_t)mk(b, 8, snap, sizeof(snap)), &f), 0);
	CHECK_INT(f.u.llc.proto, LLC_P_CDP);
	/* I-format (two-byte control) */
	static const uint8_t ifmt[] = { 0xf0, 0xf0, 0x00, 0x02 };
	CHECK_INT(frame_decode(b, (size_t)mk(b, 4, ifmt, sizeof(ifmt)), &f), 0);
	CHECK_INT(f.u.llc.control_len, 2);
	CHECK_INT(f.u.llc.control, 0x0002);
	CHECK_INT(f.u.llc.proto, LLC_P_NETBIOS);
	frame_format(&f, line, sizeof(line));
	CHECK(strstr(line, "I ctl 0x0002: NetBIOS (not decoded)") != NULL);
	CHECK_INT(frame_decode(b, (size_t)mk(b, 3, ifmt, sizeof(ifmt)), &f), -EBADMSG);
	/* Novell raw 802.3 */
	static const uint8_t ipx[] = { 0xff, 0xff, 0x00, 0x1e };
	CHECK_INT(frame_decode(b, (size_t)mk(b, 30, ipx, sizeof(ipx)), &f), -ENODATA);
	CHECK_INT(f.u.llc.proto, LLC_P_IPX_RAW);
	/* 1501..1535: neither a length nor an ethertype */
	CHECK_INT(frame_decode(b, (size_t)mk(b, 0x05ee, stp, sizeof(stp)), &f), 0);
	CHECK_INT(f.kind, FRAME_OTHER);
	frame_format(&f, line, sizeof(line));
	CHECK(strstr(line, "type/length 0x05ee (neither an 802.3 length nor an ethertype)") != NULL);
	CHECK_INT(f.ethertype, 0);
	json_t *j = frame_json(&f);
	CHECK(json_object_get(j, "ethertype") == NULL);
	CHECK_INT(json_integer_value(json_object_get(j, "type_length")), 0x05ee);
	json_decref(j);
	/* 1500 is still a length */
	CHECK_INT(frame_decode(b, (size_t)mk(b, 1500, stp, sizeof(stp)), &f), -ENODATA);
	CHECK_INT(f.kind, FRAME_LLC);
	/* an 802.1Q-tagged 802.3 frame */
	static const uint8_t tagged[] = { 0x00, 0x05, 0x00, 0x07, 0x42, 0x42, 0x03, 0x00, 0x00, 0x00, 0x80 };
	CHECK_INT(frame_decode(b, (size_t)mk(b, 0x8100, tagged, sizeof(tagged)), &f), 0);
	CHECK_INT(f.vlan[0], 5);
	CHECK_STR(llc_bpdu_name(&f.u.llc), "tcn");
}

T_MAIN(T(test_named), T(test_every_prefix), T(test_bad_lengths))
