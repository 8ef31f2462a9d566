#include "decoders/arp.h"
#include "decoders/rd.h"
#include "lib/textcat.h"
#include "lib/util.h"
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

int arp_decode(const uint8_t *b, size_t len, struct arp_info *out)
{
	memset(out, 0, sizeof(*out));
	if (!rd_has(len, 0, 8)) {
		/* Fixed header fields we can still read. */
		if (len >= 2)
			out->htype = rd_be16(b, 0);
		if (len >= 4)
			out->ptype = rd_be16(b, 2);
		out->got = len >= 4 ? 4 : len >= 2 ? 2 : 0;
		return -ENODATA;
	}
	out->htype = rd_be16(b, 0);
	out->ptype = rd_be16(b, 2);
	out->hlen = b[4];
	out->plen = b[5];
	out->op = rd_be16(b, 6);
	out->got = 8;
	if (out->htype != 1 || out->ptype != 0x0800 || out->hlen != 6 || out->plen != 4) {
		out->why = "not Ethernet/IPv4 ARP";
		return -EBADMSG;
	}
	if (!rd_has(len, 8, 20))
		return -ENODATA;
	memcpy(out->sha, b + 8, 6);
	memcpy(out->spa, b + 14, 4);
	memcpy(out->tha, b + 18, 6);
	memcpy(out->tpa, b + 24, 4);
	out->have_addrs = true;
	out->got = 28;
	static const uint8_t zero[4];
	out->probe = out->op == 1 && !memcmp(out->spa, zero, 4);
	/* Only a request or a reply announces anything: an unknown opcode
	 * with sender IP == target IP (mutated captures have them) is not a
	 * gratuitous ARP. */
	out->gratuitous = (out->op == 1 || out->op == 2) && !out->probe && !memcmp(out->spa, out->tpa, 4);
	return 0;
}

static const char *op_name(uint16_t op)
{
	return op == 1 ? "request" : op == 2 ? "reply" : "op?";
}

/* Text: "request", "reply" or "op N". */
static void op_text(uint16_t op, char *buf, size_t len, size_t *pos)
{
	if (op == 1 || op == 2) {
		tc_str(buf, len, pos, op_name(op));
		return;
	}
	tc_str(buf, len, pos, "op ");
	tc_u(buf, len, pos, op);
}

int arp_format(const struct arp_info *a, char *buf, size_t len)
{
	size_t pos = 0;
	if (len)
		buf[0] = 0;
	if (a->got < 8) { /* cut inside the fixed header: what was read */
		tc_str(buf, len, &pos, "ARP");
		if (a->got >= 4) {
			tc_str(buf, len, &pos, " htype ");
			tc_u(buf, len, &pos, a->htype);
			tc_str(buf, len, &pos, " ptype 0x");
			tc_hex(buf, len, &pos, a->ptype, 4);
		}
		return (int)pos;
	}
	if (!a->have_addrs) {
		/* hlen/plen too: htype 1 ptype 0x0800 with other lengths is what
		 * mutated captures (tcpdump's arp-oobr) are full of */
		tc_str(buf, len, &pos, "ARP ");
		op_text(a->op, buf, len, &pos);
		tc_str(buf, len, &pos, " htype ");
		tc_u(buf, len, &pos, a->htype);
		tc_str(buf, len, &pos, " ptype 0x");
		tc_hex(buf, len, &pos, a->ptype, 4);
		tc_str(buf, len, &pos, " hlen ");
		tc_u(buf, len, &pos, a->hlen);
		tc_str(buf, len, &pos, " plen ");
		tc_u(buf, len, &pos, a->plen);
		return (int)pos;
	}
	if (a->gratuitous) { /* "ARP gratuitous %s %s is-at %s" */
		tc_str(buf, len, &pos, "ARP gratuitous ");
		op_text(a->op, buf, len, &pos);
		tc_chr(buf, len, &pos, ' ');
		tc_ipv4(buf, len, &pos, a->spa);
		tc_str(buf, len, &pos, " is-at ");
		tc_mac(buf, len, &pos, a->sha);
	} else if (a->probe) { /* "ARP probe who-has %s tell %s" */
		tc_str(buf, len, &pos, "ARP probe who-has ");
		tc_ipv4(buf, len, &pos, a->tpa);
		tc_str(buf, len, &pos, " tell ");
		tc_mac(buf, len, &pos, a->sha);
	} else if (a->op == 1) { /* "ARP request who-has %s tell %s (%s)" */
		tc_str(buf, len, &pos, "ARP request who-has ");
		tc_ipv4(buf, len, &pos, a->tpa);
		tc_str(buf, len, &pos, " tell ");
		tc_ipv4(buf, len, &pos, a->spa);
		tc_str(buf, len, &pos, " (");
		tc_mac(buf, len, &pos, a->sha);
		tc_chr(buf, len, &pos, ')');
	} else { /* "ARP %s %s is-at %s to %s (%s)" */
		tc_str(buf, len, &pos, "ARP ");
		op_text(a->op, buf, len, &pos);
		tc_chr(buf, len, &pos, ' ');
		tc_ipv4(buf, len, &pos, a->spa);
		tc_str(buf, len, &pos, " is-at ");
		tc_mac(buf, len, &pos, a->sha);
		tc_str(buf, len, &pos, " to ");
		tc_ipv4(buf, len, &pos, a->tpa);
		tc_str(buf, len, &pos, " (");
		tc_mac(buf, len, &pos, a->tha);
		tc_chr(buf, len, &pos, ')');
	}
	return (int)pos;
}

json_t *arp_json(const struct arp_info *a)
{
	json_t *o = json_object();
	if (a->got < 8) { /* cut before the opcode: not read, so null */
		json_object_set_new(o, "op", json_null());
		return o;
	}
	json_object_set_new(o, "op", json_string(op_name(a->op)));
	if (a->op != 1 && a->op != 2)
		json_object_set_new(o, "opcode", json_integer(a->op));
	if (!a->have_addrs)
		return o;
	char sha[18], tha[18], spa[16], tpa[16];
	vfs_mac_format(a->sha, sha);
	vfs_mac_format(a->tha, tha);
	inet_ntop(AF_INET, a->spa, spa, sizeof(spa));
	inet_ntop(AF_INET, a->tpa, tpa, sizeof(tpa));
	json_object_set_new(o, "sender_mac", json_string(sha));
	json_object_set_new(o, "sender_ip", json_string(spa));
	json_object_set_new(o, "target_mac", json_string(tha));
	json_object_set_new(o, "target_ip", json_string(tpa));
	json_object_set_new(o, "gratuitous", json_boolean(a->gratuitous));
	json_object_set_new(o, "probe", json_boolean(a->probe));
	return o;
}
