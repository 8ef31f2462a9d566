/* Frame and mailbox decoders on every prefix of real sample frames (the
 * committed captures): each prefix is copied into an exactly-sized malloc so
 * ASan (make check SAN=1) catches any read past the buffer; a prefix shorter
 * than what the full frame decodes returns -ENODATA, says it got no further
 * than the prefix, and keeps the fields it could read. */
#include "t.h"
#include "decoders/frame.h"
#include "decoders/mbx.h"
#include "decoders/arp.h"
#include <errno.h>
#include <pcap/pcap.h>

struct sample { uint8_t *b; size_t len; };
static struct sample samples[256];
static size_t nsamples;

static void load(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return;
	struct pcap_pkthdr *h;
	const u_char *d;
	while (nsamples < 256 && pcap_next_ex(p, &h, &d) == 1) {
		samples[nsamples].b = malloc(h->caplen);
		memcpy(samples[nsamples].b, d, h->caplen);
		samples[nsamples++].len = h->caplen;
	}
	pcap_close(p);
}

/* A Marker PDU (802.1AX 6.5.3.2) and a LACPDU tagged with VLAN 10, built by
 * hand since no capture holds them. */
static const uint8_t marker[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x88, 0x09,
	0x02, 0x01, 0x01, 0x10, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0xa0,
	0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t lacp_vlan[] = {
	0x01, 0x80, 0xc2, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x81, 0x00, 0x00, 0x0a,
	0x88, 0x09, 0x01, 0x01,
	0x01, 0x14, 0x80, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x00, 0x09, 0x00, 0xff, 0x00, 0x01,
	0x3d, 0x00, 0x00, 0x00,
	0x02, 0x14, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0xb0, 0x00, 0x05, 0x00, 0xff, 0x00, 0x02,
	0x3f, 0x00, 0x00, 0x00,
	0x03, 0x10, 0x00, 0x05, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0x00, 0x00,
};

static void add_builtin(void)
{
	const uint8_t *f[] = { marker, lacp_vlan };
	size_t l[] = { sizeof(marker), sizeof(lacp_vlan) };
	for (int i = 0; i < 2; i++) {
		samples[nsamples].b = malloc(l[i]);
		memcpy(samples[nsamples].b, f[i], l[i]);
		samples[nsamples++].len = l[i];
	}
}

static void test_samples_loaded(void)
{
	CHECK(nsamples >= 9);
}

static void test_builtin_decode(void)
{
	struct frame_info f;
	CHECK_INT(frame_decode(marker, sizeof(marker), &f), 0);
	CHECK_INT(f.kind, FRAME_MARKER);
	CHECK(f.u.lacp.have_marker);
	CHECK_INT(f.u.lacp.marker_xid, 7);
	CHECK_INT(frame_decode(lacp_vlan, sizeof(lacp_vlan), &f), 0);
	CHECK_INT(f.kind, FRAME_LACP);
	CHECK_INT(f.vlan[0], 10);
	CHECK_INT(f.u.lacp.actor.key, 9);
	CHECK_INT(f.u.lacp.actor.state, 0x3d);
	CHECK_INT(f.u.lacp.partner.port, 2);
	char s[128];
	lacp_state_format(0x3d, s, sizeof(s));
	CHECK_STR(s, "Activity,Aggregation,Synchronization,Collecting,Distributing");
}

static void test_every_prefix(void)
{
	struct frame_info *full = calloc(1, sizeof(*full)), *part = calloc(1, sizeof(*part));
	size_t checked = 0;
	for (size_t i = 0; i < nsamples; i++) {
		int rc = frame_decode(samples[i].b, samples[i].len, full);
		CHECK(rc == 0);
		CHECK(full->kind != FRAME_OTHER);
		for (size_t p = 0; p < samples[i].len; p++) {
			uint8_t *b = malloc(p ? p : 1);
			memcpy(b, samples[i].b, p);
			int r = frame_decode(b, p, part);
			if (p < full->got) {
				CHECK_INT(r, -ENODATA);
				CHECK(part->got <= p);
				if (p >= 14) {
					CHECK(part->have_eth);
					CHECK(!memcmp(part->src, full->src, 6));
				}
				/* Whatever an LLDP prefix holds agrees with the full frame. */
				if (full->kind == FRAME_LLDP && part->u.lldp.chassis_id[0])
					CHECK_STR(part->u.lldp.chassis_id, full->u.lldp.chassis_id);
				if (full->kind == FRAME_LACP && part->u.lacp.actor.valid)
					CHECK_INT(part->u.lacp.actor.key, full->u.lacp.actor.key);
				char line[2048];
				frame_format(part, line, sizeof(line));
				json_decref(frame_json(part));
			} else {
				CHECK_INT(r, rc);
			}
			free(b);
			checked++;
		}
	}
	CHECK(checked > 500);
	free(full);
	free(part);
}

static void test_mbx_prefixes(void)
{
	static const uint32_t reset_reply[] = { 0xa0000001, 0x00000002, 0x00001d00, 1 };
	static const uint32_t vc_add[] = { 10, 0, 0x00010003, 0x00000002, 0x00003c00 };
	struct mbx_msg m;
	CHECK_INT(mbx_decode("igb", NULL, 0, MBX_PF2VF, &m), -ENODATA);
	CHECK_INT(mbx_decode("igb", reset_reply, 2, MBX_PF2VF, &m), -ENODATA);
	CHECK_INT(m.result, MBX_RES_ACCEPTED);
	CHECK_INT(mbx_decode("igb", reset_reply, 3, MBX_PF2VF, &m), 0);
	CHECK(m.have_mac && m.mac[0] == 2 && m.mac[5] == 0x1d);
	for (size_t n = 0; n <= 5; n++) {
		uint32_t *w = malloc((n ? n : 1) * sizeof(*w));
		memcpy(w, vc_add, n * sizeof(*w));
		int r = mbx_decode("virtchnl", w, n, MBX_VF2PF, &m);
		CHECK_INT(r, n < 5 ? -ENODATA : 0);
		free(w);
	}
	CHECK_INT(mbx_decode("e1000", reset_reply, 4, MBX_PF2VF, &m), -EINVAL);
}

static void test_malformed(void)
{
	/* LLDP whose first TLV is a TTL: -EBADMSG and where. */
	static const uint8_t bad[] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e, 0x02, 0, 0, 0, 0, 1, 0x88, 0xcc,
				       0x06, 0x02, 0x00, 0x78, 0x00, 0x00 };
	struct frame_info f;
	CHECK_INT(frame_decode(bad, sizeof(bad), &f), -EBADMSG);
	CHECK_INT(f.got, 14);
	CHECK_STR(f.why, "first TLV is not Chassis ID");
}

/* An ARP cut before its opcode says nothing about it: JSON op is null, no
 * made-up opcode 0; one that has it keeps it. */
static void test_arp_cut_opcode(void)
{
	static const uint8_t b[8] = { 0, 1, 8, 0, 6, 4, 0, 9 };
	struct arp_info a;
	for (size_t n = 0; n <= sizeof(b); n++) {
		arp_decode(b, n, &a);
		json_t *o = arp_json(&a);
		json_t *op = json_object_get(o, "op");
		if (n < 8) {
			CHECK(op && json_is_null(op));
			CHECK(!json_object_get(o, "opcode"));
		} else {
			CHECK(json_integer_value(json_object_get(o, "opcode")) == 9);
		}
		json_decref(o);
	}
}

/* Samples load before T_MAIN's main runs (tests/run starts us at the top). */
__attribute__((constructor)) static void setup(void)
{
	load("tests/decoders/captures/lldp-lldpd.pcap");
	load("tests/decoders/captures/garp-arping.pcap");
	load("tests/decoders/captures/na-kernel.pcap");
	load("tests/decoders/captures/lacp-8023ad-igbvf.pcap");
	add_builtin();
}

T_MAIN(T(test_samples_loaded), T(test_builtin_decode), T(test_every_prefix), T(test_mbx_prefixes),
       T(test_malformed), T(test_arp_cut_opcode))
