/* 802.3 length frames: IEEE 802.2 LLC (ISO/IEC 8802-2 5.2, 5.3), SNAP
 * (IEEE 802-2014 10.3), the BPDU header of IEEE 802.1Q-2014 14.2/14.3, and
 * the Cisco SNAP protocol IDs (as Wireshark's and tcpdump's tables list
 * them). Named, not decoded further. */
#include "decoders/llc.h"
#include "decoders/rd.h"
#include "lib/textcat.h"
#include "lib/util.h"
#include <errno.h>
#include <string.h>

#define SAP_STP     0x42
#define SAP_SNAP    0xaa
#define SAP_IPX     0xe0
#define SAP_NETBIOS 0xf0
#define SAP_ISO     0xfe

static const uint8_t oui_cisco[3] = { 0x00, 0x00, 0x0c };

static const struct { uint16_t pid; enum llc_proto p; } cisco_pids[] = {
	{ 0x2000, LLC_P_CDP }, { 0x2003, LLC_P_VTP }, { 0x2004, LLC_P_DTP },
	{ 0x0111, LLC_P_UDLD }, { 0x010b, LLC_P_PVST }, { 0x0104, LLC_P_PAGP },
};

const char *llc_proto_name(enum llc_proto p)
{
	static const char *const n[] = { NULL, "stp", "pvst", "cdp", "vtp", "dtp", "udld", "pagp",
					 "ipx-raw", "ipx", "netbios", "iso", "isl" };
	return (unsigned)p < ARRAY_SIZE(n) ? n[p] : NULL;
}

/* How the text output names them. */
static const char *proto_label(enum llc_proto p)
{
	static const char *const n[] = { NULL, "STP", "PVST+", "CDP", "VTP", "DTP", "UDLD", "PAgP",
					 "Novell IPX", "IPX", "NetBIOS", "ISO network layer", "Cisco ISL" };
	return (unsigned)p < ARRAY_SIZE(n) ? n[p] : NULL;
}

const char *llc_bpdu_name(const struct llc_info *l)
{
	if (!l->have_bpdu || l->bpdu_proto != 0)
		return NULL;
	if (l->bpdu_type == 0x00)
		return "config";
	if (l->bpdu_type == 0x80)
		return "tcn";
	if (l->bpdu_type == 0x02)
		return l->bpdu_version == 2 ? "rst" : l->bpdu_version == 3 ? "mst" : l->bpdu_version == 4 ? "spt" : NULL;
	return NULL;
}

/* U-format commands without the P/F bit (0x10). */
static const char *control_name(const struct llc_info *l)
{
	if (l->control_len == 2)
		return (l->control & 0x01) ? "S" : "I";
	switch (l->control & 0xef) {
	case 0x03: return "UI";
	case 0xaf: return "XID";
	case 0xe3: return "TEST";
	case 0x6f: return "SABME";
	case 0x63: return "UA";
	case 0x43: return "DISC";
	case 0x0f: return "DM";
	case 0x87: return "FRMR";
	default: return "U";
	}
}

int llc_decode(uint16_t length, const uint8_t *b, size_t len, struct llc_info *out)
{
	memset(out, 0, sizeof(*out));
	out->length = length;
	/* The length bounds what belongs to the frame; the rest is padding. */
	bool cut = len < length;
	size_t n = cut ? len : length;
	if (rd_has(n, 0, 2) && b[0] == 0xff && b[1] == 0xff) {
		/* An IPX header starts with checksum 0xffff; no LLC SAP is 0xff/0xff
		 * in practice (global DSAP with a group SSAP). */
		out->proto = LLC_P_IPX_RAW;
		out->got = 2;
		return cut ? -ENODATA : 0;
	}
	if (length < 3) {
		out->why = "802.3 length shorter than an LLC header";
		return -EBADMSG;
	}
	if (!rd_has(n, 0, 3)) {
		out->got = 0;
		return -ENODATA;
	}
	out->dsap = b[0];
	out->ssap = b[1];
	/* I and S formats have a two-byte control field (bit 0 of the first
	 * byte clear: I; bits 1..0 = 01: S); U format one byte (11). */
	out->control_len = (b[2] & 0x03) == 0x03 ? 1 : 2;
	if (out->control_len == 2) {
		if (length < 4) {
			out->why = "802.3 length shorter than an LLC header";
			return -EBADMSG;
		}
		if (!rd_has(n, 0, 4)) {
			out->got = 2;
			return -ENODATA;
		}
		out->control = rd_be16(b, 2);
	} else
		out->control = b[2];
	out->have_llc = true;
	size_t o = 2 + out->control_len;
	out->got = o;
	/* SAP values with the I/G and C/R bits masked. */
	uint8_t d = out->dsap & 0xfe, s = out->ssap & 0xfe;
	bool bpdu = false;
	if (d == SAP_SNAP && s == SAP_SNAP && out->control_len == 1) {
		if (!rd_has(n, o, 5))
			return length < o + 5 ? (out->why = "802.3 length ends inside the SNAP header", -EBADMSG)
					      : -ENODATA;
		memcpy(out->oui, b + o, 3);
		out->pid = rd_be16(b, o + 3);
		out->have_snap = true;
		o += 5;
		out->got = o;
		if (!memcmp(out->oui, oui_cisco, 3))
			for (size_t i = 0; i < ARRAY_SIZE(cisco_pids); i++)
				if (cisco_pids[i].pid == out->pid)
					out->proto = cisco_pids[i].p;
		bpdu = out->proto == LLC_P_PVST;
	} else if (d == SAP_STP && s == SAP_STP) {
		out->proto = LLC_P_STP;
		bpdu = true;
	} else if (d == SAP_IPX && s == SAP_IPX)
		out->proto = LLC_P_IPX;
	else if (d == SAP_NETBIOS && s == SAP_NETBIOS)
		out->proto = LLC_P_NETBIOS;
	else if (d == SAP_ISO && s == SAP_ISO)
		out->proto = LLC_P_ISO;
	if (bpdu) {
		/* Protocol identifier (2), version (1), type (1): enough to name
		 * STP/RSTP/MSTP; a TCN BPDU is only these 4 bytes. */
		if (!rd_has(n, o, 4))
			return length < o + 4 ? (out->why = "802.3 length ends inside the BPDU header", -EBADMSG)
					      : -ENODATA;
		out->bpdu_proto = rd_be16(b, o);
		out->bpdu_version = b[o + 2];
		out->bpdu_type = b[o + 3];
		out->have_bpdu = true;
		o += 4;
		out->got = o;
	}
	return cut ? -ENODATA : 0;
}

void llc_isl(const uint8_t dst[6], struct llc_info *l)
{
	static const uint8_t isl_mc[5] = { 0x01, 0x00, 0x0c, 0x00, 0x00 };
	if (memcmp(dst, isl_mc, 5) || !l->have_snap || memcmp(l->oui, oui_cisco, 3))
		return;
	l->proto = LLC_P_ISL;
	l->isl_vlan = l->pid >> 1;
	l->isl_bpdu = l->pid & 1;
}

int llc_format(const struct llc_info *l, char *buf, size_t len)
{
	size_t pos = 0;
	if (len)
		buf[0] = 0;
	tc_str(buf, len, &pos, "802.3 length ");
	tc_u(buf, len, &pos, l->length);
	if (l->proto == LLC_P_IPX_RAW) {
		tc_str(buf, len, &pos, " raw: Novell IPX (not decoded)");
		return (int)pos;
	}
	if (!l->have_llc)
		return (int)pos;
	tc_str(buf, len, &pos, " LLC dsap 0x");
	tc_hex(buf, len, &pos, l->dsap, 2);
	tc_str(buf, len, &pos, " ssap 0x");
	tc_hex(buf, len, &pos, l->ssap, 2);
	const char *cn = control_name(l);
	tc_chr(buf, len, &pos, ' ');
	tc_str(buf, len, &pos, cn);
	if (l->control_len == 2 || !strcmp(cn, "U")) {
		tc_str(buf, len, &pos, " ctl 0x");
		tc_hex(buf, len, &pos, l->control, l->control_len * 2);
	}
	if (l->have_snap) { /* " SNAP %02x:%02x:%02x pid 0x%04x" */
		tc_str(buf, len, &pos, " SNAP ");
		for (int i = 0; i < 3; i++) {
			if (i)
				tc_chr(buf, len, &pos, ':');
			tc_hex(buf, len, &pos, l->oui[i], 2);
		}
		tc_str(buf, len, &pos, " pid 0x");
		tc_hex(buf, len, &pos, l->pid, 4);
	}
	const char *p = proto_label(l->proto);
	if (!p)
		return (int)pos;
	tc_str(buf, len, &pos, ": ");
	tc_str(buf, len, &pos, p);
	if (l->proto == LLC_P_ISL) {
		tc_str(buf, len, &pos, " VLAN ");
		tc_u(buf, len, &pos, l->isl_vlan);
		if (l->isl_bpdu)
			tc_str(buf, len, &pos, " BPDU");
		tc_str(buf, len, &pos, " (encapsulated frame not decoded)");
	} else if (l->have_bpdu) {
		/* IEEE 802.1Q's names: Configuration, TCN, RST, MST, SPT BPDU */
		static const struct { const char *json, *text; } bn_text[] = {
			{ "config", "config" }, { "tcn", "TCN" }, { "rst", "RST" }, { "mst", "MST" }, { "spt", "SPT" },
		};
		const char *bn = llc_bpdu_name(l);
		for (size_t i = 0; bn && i < ARRAY_SIZE(bn_text); i++)
			if (!strcmp(bn, bn_text[i].json))
				bn = bn_text[i].text;
		if (bn) {
			tc_chr(buf, len, &pos, ' ');
			tc_str(buf, len, &pos, bn);
			tc_str(buf, len, &pos, " BPDU (version ");
			tc_u(buf, len, &pos, l->bpdu_version);
			tc_str(buf, len, &pos, ", not decoded)");
		} else {
			tc_str(buf, len, &pos, " BPDU protocol 0x");
			tc_hex(buf, len, &pos, l->bpdu_proto, 4);
			tc_str(buf, len, &pos, " version ");
			tc_u(buf, len, &pos, l->bpdu_version);
			tc_str(buf, len, &pos, " type 0x");
			tc_hex(buf, len, &pos, l->bpdu_type, 2);
			tc_str(buf, len, &pos, " (not decoded)");
		}
	} else
		tc_str(buf, len, &pos, " (not decoded)");
	return (int)pos;
}

json_t *llc_json(const struct llc_info *l)
{
	json_t *o = json_object();
	json_object_set_new(o, "length", json_integer(l->length));
	if (l->have_llc) {
		json_object_set_new(o, "dsap", json_integer(l->dsap));
		json_object_set_new(o, "ssap", json_integer(l->ssap));
		json_object_set_new(o, "control", json_integer(l->control));
		json_object_set_new(o, "control_format", json_string(control_name(l)));
	}
	if (l->have_snap) {
		char oui[9];
		snprintf(oui, sizeof(oui), "%02x:%02x:%02x", l->oui[0], l->oui[1], l->oui[2]);
		json_object_set_new(o, "snap", json_pack("{s:s,s:i}", "oui", oui, "pid", l->pid));
	}
	const char *p = llc_proto_name(l->proto);
	json_object_set_new(o, "protocol", p ? json_string(p) : json_null());
	if (l->proto == LLC_P_ISL)
		json_object_set_new(o, "isl", json_pack("{s:i,s:b}", "vlan", l->isl_vlan, "bpdu", l->isl_bpdu));
	if (l->have_bpdu) {
		const char *bn = llc_bpdu_name(l);
		json_object_set_new(o, "bpdu", json_pack("{s:i,s:i,s:i,s:o}", "protocol_id", l->bpdu_proto, "version",
							 l->bpdu_version, "type", l->bpdu_type, "name",
							 bn ? json_string(bn) : json_null()));
	}
	return o;
}
