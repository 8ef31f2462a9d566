#include "decoders/arp.h"
#include "decoders/rd.h"
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
static const char *op_text(uint16_t op, char b[12])
{
	if (op == 1 || op == 2)
		return op_name(op);
	snprintf(b, 12, "op %u", op);
	return b;
}

int arp_format(const struct arp_info *a, char *buf, size_t len)
{
	size_t pos = 0;
	char ob[12];
	char sha[18], tha[18], spa[16], tpa[16];
	if (len)
		buf[0] = 0;
	if (a->got < 8) { /* cut inside the fixed header: what was read */
		rd_cat(buf, len, &pos, "ARP");
		if (a->got >= 4)
			rd_cat(buf, len, &pos, " htype %u ptype 0x%04x", a->htype, a->ptype);
		return (int)pos;
	}
	if (!a->have_addrs) {
		/* hlen/plen too: htype 1 ptype 0x0800 with other lengths is what
		 * mutated captures (tcpdump's arp-oobr) are full of */
		rd_cat(buf, len, &pos, "ARP %s htype %u ptype 0x%04x hlen %u plen %u", op_text(a->op, ob), a->htype,
		       a->ptype, a->hlen, a->plen);
		return (int)pos;
	}
	vfs_mac_format(a->sha, sha);
	vfs_mac_format(a->tha, tha);
	inet_ntop(AF_INET, a->spa, spa, sizeof(spa));
	inet_ntop(AF_INET, a->tpa, tpa, sizeof(tpa));
	if (a->gratuitous)
		rd_cat(buf, len, &pos, "ARP gratuitous %s %s is-at %s", op_text(a->op, ob), spa, sha);
	else if (a->probe)
		rd_cat(buf, len, &pos, "ARP probe who-has %s tell %s", tpa, sha);
	else if (a->op == 1)
		rd_cat(buf, len, &pos, "ARP request who-has %s tell %s (%s)", tpa, spa, sha);
	else
		rd_cat(buf, len, &pos, "ARP %s %s is-at %s to %s (%s)", op_text(a->op, ob), spa, sha, tpa, tha);
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
