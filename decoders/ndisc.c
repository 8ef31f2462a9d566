#include "decoders/ndisc.h"
#include "decoders/rd.h"
#include "lib/textcat.h"
#include "lib/util.h"
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

int ndisc_decode(const uint8_t *b, size_t len, struct ndisc_na *out)
{
	memset(out, 0, sizeof(*out));
	if (!rd_has(len, 0, 40))
		return -ENODATA;
	if (b[0] >> 4 != 6) {
		out->why = "IP version is not 6";
		return -EBADMSG;
	}
	uint16_t plen = rd_be16(b, 4);
	uint8_t nh = b[6];
	out->hop_limit = b[7];
	memcpy(out->src, b + 8, 16);
	memcpy(out->dst, b + 24, 16);
	out->have_ip = true;
	out->got = 40;
	if (nh != 58)
		return -ENOENT;
	size_t end = 40 + (size_t)plen; /* options end at the payload length */
	if (!rd_has(len, 40, 1))
		return -ENODATA;
	if (b[40] != 136) {
		out->got = 41;
		return -ENOENT;
	}
	if (!rd_has(len, 40, 24)) {
		out->got = 41;
		return -ENODATA;
	}
	if (b[41] != 0) {
		out->got = 42;
		out->why = "NA code is not 0";
		return -EBADMSG;
	}
	out->flags = b[44];
	memcpy(out->target, b + 48, 16);
	out->have_na = true;
	out->unsolicited = !(out->flags & NDISC_NA_S);
	size_t o = 64;
	out->got = o;
	if (end < o) {
		out->why = "payload length shorter than the NA";
		return -EBADMSG;
	}
	/* Options until the payload length; each is a multiple of 8 bytes. */
	while (o < end) {
		if (!rd_has(len, o, 2))
			return -ENODATA;
		size_t ol = (size_t)b[o + 1] * 8;
		if (!ol) {
			out->why = "option length 0";
			return -EBADMSG;
		}
		if (!rd_has(len, o, ol) )
			return -ENODATA;
		if (o + ol > end) {
			out->why = "option past payload length";
			return -EBADMSG;
		}
		if (b[o] == 2 && ol == 8) {
			memcpy(out->tlla, b + o + 2, 6);
			out->have_tlla = true;
		}
		o += ol;
		out->got = o;
	}
	return 0;
}

int ndisc_format(const struct ndisc_na *n, char *buf, size_t len)
{
	size_t pos = 0;
	if (len)
		buf[0] = 0;
	if (!n->have_ip) {
		tc_str(buf, len, &pos, "IPv6");
		return (int)pos;
	}
	if (!n->have_na) { /* "IPv6 %s > %s" */
		tc_str(buf, len, &pos, "IPv6 ");
		tc_ipv6(buf, len, &pos, n->src);
		tc_str(buf, len, &pos, " > ");
		tc_ipv6(buf, len, &pos, n->dst);
		return (int)pos;
	}
	/* "NA%s %s > %s tgt %s flags %s" */
	tc_str(buf, len, &pos, n->unsolicited ? "NA unsolicited " : "NA ");
	tc_ipv6(buf, len, &pos, n->src);
	tc_str(buf, len, &pos, " > ");
	tc_ipv6(buf, len, &pos, n->dst);
	tc_str(buf, len, &pos, " tgt ");
	tc_ipv6(buf, len, &pos, n->target);
	tc_str(buf, len, &pos, " flags ");
	if (n->flags & NDISC_NA_R)
		tc_chr(buf, len, &pos, 'R');
	if (n->flags & NDISC_NA_S)
		tc_chr(buf, len, &pos, 'S');
	if (n->flags & NDISC_NA_O)
		tc_chr(buf, len, &pos, 'O');
	if (!(n->flags & (NDISC_NA_R | NDISC_NA_S | NDISC_NA_O)))
		tc_chr(buf, len, &pos, '-');
	if (n->have_tlla) {
		tc_str(buf, len, &pos, " tlla ");
		tc_mac(buf, len, &pos, n->tlla);
	}
	if (n->hop_limit != 255) {
		tc_str(buf, len, &pos, " hlim ");
		tc_u(buf, len, &pos, n->hop_limit);
		tc_str(buf, len, &pos, " (not 255: receivers drop it)");
	}
	return (int)pos;
}

json_t *ndisc_json(const struct ndisc_na *n)
{
	json_t *o = json_object();
	char a[INET6_ADDRSTRLEN], mac[18];
	if (!n->have_ip)
		return o;
	inet_ntop(AF_INET6, n->src, a, sizeof(a));
	json_object_set_new(o, "src", json_string(a));
	inet_ntop(AF_INET6, n->dst, a, sizeof(a));
	json_object_set_new(o, "dst", json_string(a));
	json_object_set_new(o, "hop_limit", json_integer(n->hop_limit));
	if (!n->have_na)
		return o;
	inet_ntop(AF_INET6, n->target, a, sizeof(a));
	json_object_set_new(o, "target", json_string(a));
	json_object_set_new(o, "router", json_boolean(n->flags & NDISC_NA_R));
	json_object_set_new(o, "solicited", json_boolean(n->flags & NDISC_NA_S));
	json_object_set_new(o, "override", json_boolean(n->flags & NDISC_NA_O));
	json_object_set_new(o, "unsolicited", json_boolean(n->unsolicited));
	if (n->have_tlla) {
		vfs_mac_format(n->tlla, mac);
		json_object_set_new(o, "target_lladdr", json_string(mac));
	}
	return o;
}
