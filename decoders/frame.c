#include "decoders/frame.h"
#include "decoders/rd.h"
#include "lib/textcat.h"
#include "lib/util.h"
#include <errno.h>
#include <string.h>

const char *frame_kind_name(enum frame_kind k)
{
	static const char *const n[] = { "other", "lacp", "marker", "lldp", "arp", "na", "llc" };
	return (unsigned)k < ARRAY_SIZE(n) ? n[k] : "other";
}

int frame_decode(const uint8_t *b, size_t len, struct frame_info *f)
{
	memset(f, 0, sizeof(*f));
	f->vlan[0] = f->vlan[1] = -1;
	if (!rd_has(len, 0, 14)) {
		f->got = len >= 12 ? 12 : 0;
		if (len >= 12) {
			memcpy(f->dst, b, 6);
			memcpy(f->src, b + 6, 6);
			f->have_eth = true;
		}
		return f->rc = -ENODATA;
	}
	memcpy(f->dst, b, 6);
	memcpy(f->src, b + 6, 6);
	f->have_eth = true;
	size_t o = 12;
	uint16_t et = rd_be16(b, o);
	/* At most two tags (802.1ad outer + 802.1Q inner). */
	for (int i = 0; i < 2 && (et == 0x8100 || et == 0x88a8); i++) {
		if (!rd_has(len, o, 6)) {
			f->got = o;
			return f->rc = -ENODATA;
		}
		f->vlan[i] = rd_be16(b, o + 2) & 0x0fff;
		o += 4;
		et = rd_be16(b, o);
	}
	o += 2;
	f->type_length = et;
	/* 802.3: up to 1500 (0x05dc) the field is the frame's length; from
	 * 0x0600 on an ethertype; in between neither (kept as read, and said). */
	f->ethertype = et >= 0x0600 ? et : 0;
	f->l3off = o;
	f->got = o;
	const uint8_t *p = b + o;
	size_t n = len - o;
	int rc = 0;
	size_t got = 0;
	switch (et) {
	case 0x8809:
		rc = lacp_decode(p, n, &f->u.lacp);
		got = f->u.lacp.got;
		f->why = f->u.lacp.why;
		if (rc == -ENOENT)
			rc = 0; /* another slow protocol: other */
		else
			f->kind = f->u.lacp.subtype == 2 ? FRAME_MARKER : FRAME_LACP;
		break;
	case 0x88cc:
		f->kind = FRAME_LLDP;
		rc = lldp_decode(p, n, &f->u.lldp);
		got = f->u.lldp.got;
		f->why = f->u.lldp.why;
		break;
	case 0x0806:
		f->kind = FRAME_ARP;
		rc = arp_decode(p, n, &f->u.arp);
		got = f->u.arp.got;
		f->why = f->u.arp.why;
		break;
	case 0x86dd:
		rc = ndisc_decode(p, n, &f->u.na);
		got = f->u.na.got;
		f->why = f->u.na.why;
		if (rc == -ENOENT) {
			rc = 0;
			memset(&f->u.na, 0, sizeof(f->u.na));
			got = 0;
		} else
			f->kind = FRAME_NA;
		break;
	default:
		if (et > 0x05dc)
			break;
		f->kind = FRAME_LLC;
		rc = llc_decode(et, p, n, &f->u.llc);
		llc_isl(f->dst, &f->u.llc);
		got = f->u.llc.got;
		f->why = f->u.llc.why;
		break;
	}
	f->got = o + got;
	return f->rc = rc;
}

int frame_format(const struct frame_info *f, char *buf, size_t len)
{
	size_t pos = 0;
	if (len)
		buf[0] = 0;
	if (!f->have_eth)
		return 0;
	/* "%s > %s" */
	tc_mac(buf, len, &pos, f->src);
	tc_str(buf, len, &pos, " > ");
	tc_mac(buf, len, &pos, f->dst);
	for (int i = 0; i < 2; i++)
		if (f->vlan[i] >= 0) {
			tc_str(buf, len, &pos, " vlan ");
			tc_i(buf, len, &pos, f->vlan[i]);
		}
	if (!f->l3off) /* cut before the type/length field */
		return (int)pos;
	tc_str(buf, len, &pos, ", ");
	if (!len || pos >= len - 1)
		return (int)pos;
	/* The protocol's text goes straight after it, in at most 1024 bytes
	 * (the buffer of its own it had): cut where either limit is. */
	char *tail = buf + pos;
	size_t tlen = MIN(len - pos, (size_t)1024), tpos = 0;
	switch (f->kind) {
	case FRAME_LACP:
	case FRAME_MARKER: tpos = (size_t)lacp_format(&f->u.lacp, tail, tlen); break;
	case FRAME_LLDP: tpos = (size_t)lldp_format(&f->u.lldp, tail, tlen); break;
	case FRAME_ARP: tpos = (size_t)arp_format(&f->u.arp, tail, tlen); break;
	case FRAME_NA: tpos = (size_t)ndisc_format(&f->u.na, tail, tlen); break;
	case FRAME_LLC: tpos = (size_t)llc_format(&f->u.llc, tail, tlen); break;
	default:
		if (f->type_length < 0x0600) {
			tc_str(tail, tlen, &tpos, "type/length 0x");
			tc_hex(tail, tlen, &tpos, f->type_length, 4);
			tc_str(tail, tlen, &tpos, " (neither an 802.3 length nor an ethertype)");
		} else if (f->type_length == 0x8809 && f->got > f->l3off) {
			/* lacp_decode read the subtype of another slow protocol */
			tc_str(tail, tlen, &tpos, "slow protocol subtype ");
			tc_u(tail, tlen, &tpos, f->u.lacp.subtype);
			tc_str(tail, tlen, &tpos, f->u.lacp.subtype == 3 ? " OAM" : f->u.lacp.subtype == 10 ? " OSSP" : "");
			tc_str(tail, tlen, &tpos, " (not decoded)");
		} else {
			tc_str(tail, tlen, &tpos, "ethertype 0x");
			tc_hex(tail, tlen, &tpos, f->ethertype, 4);
		}
		break;
	}
	return (int)(pos + tpos);
}

json_t *frame_json(const struct frame_info *f)
{
	json_t *o = json_object();
	char s[18], d[18];
	json_object_set_new(o, "kind", json_string(frame_kind_name(f->kind)));
	if (f->have_eth) {
		vfs_mac_format(f->src, s);
		vfs_mac_format(f->dst, d);
		json_object_set_new(o, "src", json_string(s));
		json_object_set_new(o, "dst", json_string(d));
	}
	if (f->vlan[0] >= 0) {
		json_t *v = json_array();
		for (int i = 0; i < 2; i++)
			if (f->vlan[i] >= 0)
				json_array_append_new(v, json_integer(f->vlan[i]));
		json_object_set_new(o, "vlan", v);
	}
	if (f->ethertype)
		json_object_set_new(o, "ethertype", json_integer(f->ethertype));
	else if (f->l3off && f->type_length > 0x05dc) /* 1501..1535: neither */
		json_object_set_new(o, "type_length", json_integer(f->type_length));
	json_t *p = NULL;
	switch (f->kind) {
	case FRAME_LACP:
	case FRAME_MARKER: p = lacp_json(&f->u.lacp); break;
	case FRAME_LLDP: p = lldp_json(&f->u.lldp); break;
	case FRAME_ARP: p = arp_json(&f->u.arp); break;
	case FRAME_NA: p = ndisc_json(&f->u.na); break;
	case FRAME_LLC: p = llc_json(&f->u.llc); break;
	default:
		if (f->type_length == 0x8809 && f->got > f->l3off)
			json_object_set_new(o, "slow_protocol_subtype", json_integer(f->u.lacp.subtype));
		break;
	}
	if (p)
		json_object_set_new(o, frame_kind_name(f->kind == FRAME_MARKER ? FRAME_LACP : f->kind), p);
	if (f->rc == -ENODATA)
		json_object_set_new(o, "truncated", json_true());
	if (f->rc == -EBADMSG) {
		json_object_set_new(o, "malformed", json_true());
		if (f->why)
			json_object_set_new(o, "why", json_string(f->why));
	}
	json_object_set_new(o, "decoded_bytes", json_integer((json_int_t)f->got));
	return o;
}
