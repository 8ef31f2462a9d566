/* LACPDU / Marker PDU decoder (IEEE 802.1AX-2014 6.4.2, 6.5.3). */
#include "decoders/lacp.h"
#include "decoders/rd.h"
#include "lib/textcat.h"
#include "lib/util.h"
#include <errno.h>
#include <string.h>

static const char *const st_names[8] = { "Activity", "Timeout", "Aggregation", "Synchronization",
					 "Collecting", "Distributing", "Defaulted", "Expired" };

void lacp_state_format(uint8_t st, char *buf, size_t len)
{
	size_t pos = 0;
	if (len)
		buf[0] = 0;
	for (int i = 0; i < 8; i++)
		if (st & (1u << i)) {
			if (pos)
				tc_chr(buf, len, &pos, ',');
			tc_str(buf, len, &pos, st_names[i]);
		}
	if (!pos)
		tc_chr(buf, len, &pos, '-');
}

static void port_read(const uint8_t *b, size_t o, struct lacp_port *p)
{
	p->sys_prio = rd_be16(b, o);
	memcpy(p->sys, b + o + 2, 6);
	p->key = rd_be16(b, o + 8);
	p->port_prio = rd_be16(b, o + 10);
	p->port = rd_be16(b, o + 12);
	p->state = b[o + 14];
	p->valid = true;
}

int lacp_decode(const uint8_t *b, size_t len, struct lacp_info *out)
{
	memset(out, 0, sizeof(*out));
	size_t o = 0;
	if (!rd_has(len, 0, 2))
		goto short_;
	out->subtype = b[0];
	out->version = b[1];
	o = 2;
	if (out->subtype != 1 && out->subtype != 2) {
		out->got = o;
		return -ENOENT;
	}
	/* TLVs until the terminator; at most the four a PDU can hold. */
	for (int n = 0; n < 8; n++) {
		if (!rd_has(len, o, 2))
			goto short_;
		uint8_t t = b[o], l = b[o + 1];
		if (t == 0) { /* terminator */
			out->got = o + 2;
			return 0;
		}
		if (l < 2) {
			out->why = "TLV length below 2";
			goto bad;
		}
		if (!rd_has(len, o, l))
			goto short_;
		if (out->subtype == 1) {
			if ((t == 1 || t == 2) && l == 20)
				port_read(b, o + 2, t == 1 ? &out->actor : &out->partner);
			else if (t == 3 && l == 16) {
				out->collector_max_delay = rd_be16(b, o + 2);
				out->have_collector = true;
			} else if (t <= 3) {
				out->why = "LACP TLV with wrong length";
				goto bad;
			}
		} else {
			if ((t == 1 || t == 2) && l == 16) {
				out->marker_tlv = t;
				out->marker_port = rd_be16(b, o + 2);
				memcpy(out->marker_sys, b + o + 4, 6);
				out->marker_xid = rd_be32(b, o + 10);
				out->have_marker = true;
			} else {
				out->why = "Marker TLV with wrong type or length";
				goto bad;
			}
		}
		o += l;
		out->got = o;
	}
	out->why = "no terminator TLV";
bad:
	out->got = o;
	return -EBADMSG;
short_:
	out->got = o;
	return -ENODATA;
}

static void port_fmt(const char *who, const struct lacp_port *p, char *buf, size_t len, size_t *pos)
{
	char st[128];
	if (!p->valid)
		return;
	lacp_state_format(p->state, st, sizeof(st));
	/* " %s %u,%s key %u port %u,%u state 0x%02x [%s]" */
	tc_chr(buf, len, pos, ' ');
	tc_str(buf, len, pos, who);
	tc_chr(buf, len, pos, ' ');
	tc_u(buf, len, pos, p->sys_prio);
	tc_chr(buf, len, pos, ',');
	tc_mac(buf, len, pos, p->sys);
	tc_str(buf, len, pos, " key ");
	tc_u(buf, len, pos, p->key);
	tc_str(buf, len, pos, " port ");
	tc_u(buf, len, pos, p->port_prio);
	tc_chr(buf, len, pos, ',');
	tc_u(buf, len, pos, p->port);
	tc_str(buf, len, pos, " state 0x");
	tc_hex(buf, len, pos, p->state, 2);
	tc_str(buf, len, pos, " [");
	tc_str(buf, len, pos, st);
	tc_chr(buf, len, pos, ']');
}

int lacp_format(const struct lacp_info *l, char *buf, size_t len)
{
	size_t pos = 0;
	if (len)
		buf[0] = 0;
	if (l->subtype == 2) {
		tc_str(buf, len, &pos, "Marker v");
		tc_u(buf, len, &pos, l->version);
		if (l->have_marker) {
			/* " %s port %u system %s xid %u" */
			tc_str(buf, len, &pos, l->marker_tlv == 1 ? " information port " : " response port ");
			tc_u(buf, len, &pos, l->marker_port);
			tc_str(buf, len, &pos, " system ");
			tc_mac(buf, len, &pos, l->marker_sys);
			tc_str(buf, len, &pos, " xid ");
			tc_u(buf, len, &pos, l->marker_xid);
		}
	} else {
		tc_str(buf, len, &pos, "LACPv");
		tc_u(buf, len, &pos, l->version);
		port_fmt("actor", &l->actor, buf, len, &pos);
		port_fmt("partner", &l->partner, buf, len, &pos);
		if (l->have_collector) {
			tc_str(buf, len, &pos, " max-delay ");
			tc_u(buf, len, &pos, l->collector_max_delay);
		}
	}
	return (int)pos;
}

static json_t *port_json(const struct lacp_port *p)
{
	char mac[18], st[128];
	vfs_mac_format(p->sys, mac);
	lacp_state_format(p->state, st, sizeof(st));
	json_t *names = json_array();
	for (int i = 0; i < 8; i++)
		if (p->state & (1u << i))
			json_array_append_new(names, json_string(st_names[i]));
	return json_pack("{s:i,s:s,s:i,s:i,s:i,s:i,s:o}", "system_priority", p->sys_prio, "system", mac,
			 "key", p->key, "port_priority", p->port_prio, "port", p->port, "state",
			 p->state, "state_bits", names);
}

json_t *lacp_json(const struct lacp_info *l)
{
	json_t *o = json_object();
	json_object_set_new(o, "subtype", json_string(l->subtype == 2 ? "marker" : "lacp"));
	json_object_set_new(o, "version", json_integer(l->version));
	if (l->actor.valid)
		json_object_set_new(o, "actor", port_json(&l->actor));
	if (l->partner.valid)
		json_object_set_new(o, "partner", port_json(&l->partner));
	if (l->have_collector)
		json_object_set_new(o, "collector_max_delay", json_integer(l->collector_max_delay));
	if (l->have_marker) {
		char mac[18];
		vfs_mac_format(l->marker_sys, mac);
		json_object_set_new(o, "marker", json_pack("{s:s,s:i,s:s,s:I}", "tlv",
			l->marker_tlv == 1 ? "information" : "response", "port", l->marker_port,
			"system", mac, "transaction_id", (json_int_t)l->marker_xid));
	}
	return o;
}
