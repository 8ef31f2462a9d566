/* LLDPDU decoder (IEEE 802.1AB-2016 8.5, annexes E and F). */
#include "decoders/lldp.h"
#include "decoders/rd.h"
#include "lib/textcat.h"
#include "lib/util.h"
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

const char *lldp_chassis_subtype_name(uint8_t st)
{
	static const char *const n[] = { "reserved", "chassis-component", "interface-alias",
		"port-component", "mac", "network-address", "interface-name", "local" };
	return st < ARRAY_SIZE(n) ? n[st] : "reserved";
}

const char *lldp_port_subtype_name(uint8_t st)
{
	static const char *const n[] = { "reserved", "interface-alias", "port-component", "mac",
		"network-address", "interface-name", "agent-circuit-id", "local" };
	return st < ARRAY_SIZE(n) ? n[st] : "reserved";
}

/* Bytes -> sanitised text (NULs become '?'). */
static void text(char *dst, size_t size, const uint8_t *p, size_t n)
{
	char tmp[512];
	n = MIN(n, sizeof(tmp) - 1);
	for (size_t i = 0; i < n; i++)
		tmp[i] = p[i] ? (char)p[i] : '?';
	tmp[n] = 0;
	vfs_sanitize(dst, size, tmp);
}

/* Network address (IANA family byte + address) -> text. */
static void netaddr(char *dst, size_t size, const uint8_t *p, size_t n)
{
	if (n == 5 && p[0] == 1)
		inet_ntop(AF_INET, p + 1, dst, (socklen_t)size);
	else if (n == 17 && p[0] == 2)
		inet_ntop(AF_INET6, p + 1, dst, (socklen_t)size);
	else {
		size_t pos = 0;
		dst[0] = 0;
		for (size_t i = 0; i < n; i++)
			rd_cat(dst, size, &pos, "%02x", p[i]);
	}
}

/* ID value of a chassis/port TLV: MAC subtype, network address, else text. */
static void id_value(char *dst, size_t size, bool mac, bool net, const uint8_t *p, size_t n)
{
	if (mac && n == 6) {
		char m[18];
		vfs_mac_format(p, m);
		vfs_strlcpy(dst, m, size);
	} else if (net)
		netaddr(dst, size, p, n);
	else
		text(dst, size, p, n);
}

static void org_tlv(struct lldp_info *out, const uint8_t *v, size_t l)
{
	if (l < 4)
		return;
	uint32_t oui = (uint32_t)v[0] << 16 | v[1] << 8 | v[2];
	uint8_t st = v[3];
	const uint8_t *d = v + 4;
	size_t n = l - 4;
	if (oui == 0x0080c2 && st == 1 && n >= 2)
		out->pvid = rd_be16(d, 0);
	else if ((oui == 0x0080c2 && st == 7 && n >= 5) || (oui == 0x00120f && st == 3 && n >= 5)) {
		out->have_agg = true;
		out->agg_status = d[0];
		out->agg_port = rd_be32(d, 1);
	} else if (oui == 0x00120f && st == 1 && n >= 5) {
		out->have_macphy = true;
		out->autoneg = d[0];
		out->pmd_cap = rd_be16(d, 1);
		out->mau_type = rd_be16(d, 3);
	}
}

int lldp_decode(const uint8_t *b, size_t len, struct lldp_info *out)
{
	memset(out, 0, sizeof(*out));
	out->ttl = out->pvid = -1;
	size_t o = 0;
	/* A LLDPDU fits one frame; 512 TLVs is more than 1500 bytes can hold. */
	for (unsigned i = 0; i < 512; i++) {
		if (!rd_has(len, o, 2))
			goto short_;
		uint16_t h = rd_be16(b, o);
		unsigned t = h >> 9;
		size_t l = h & 0x1ff;
		if (!rd_has(len, o + 2, l))
			goto short_;
		const uint8_t *v = b + o + 2;
		/* Mandatory order: chassis ID, port ID, TTL. */
		static const unsigned want[3] = { 1, 2, 3 };
		if (i < 3 && t != want[i]) {
			out->why = i == 0 ? "first TLV is not Chassis ID" :
				   i == 1 ? "second TLV is not Port ID" : "third TLV is not TTL";
			goto bad;
		}
		switch (t) {
		case 0:
			out->end = true;
			out->ntlv = i + 1;
			out->got = o + 2;
			return 0;
		case 1:
		case 2:
			if (l < 2 || l > 256) {
				out->why = t == 1 ? "Chassis ID length" : "Port ID length";
				goto bad;
			}
			if (t == 1) {
				out->chassis_subtype = v[0];
				id_value(out->chassis_id, sizeof(out->chassis_id), v[0] == 4, v[0] == 5, v + 1, l - 1);
			} else {
				out->port_subtype = v[0];
				id_value(out->port_id, sizeof(out->port_id), v[0] == 3, v[0] == 4, v + 1, l - 1);
			}
			break;
		case 3:
			if (l < 2) {
				out->why = "TTL length";
				goto bad;
			}
			out->ttl = rd_be16(v, 0);
			break;
		case 4: text(out->port_desc, sizeof(out->port_desc), v, l); break;
		case 5: text(out->sys_name, sizeof(out->sys_name), v, l); break;
		case 6: text(out->sys_desc, sizeof(out->sys_desc), v, l); break;
		case 7:
			if (l >= 4) {
				out->have_caps = true;
				out->cap_sys = rd_be16(v, 0);
				out->cap_enabled = rd_be16(v, 2);
			}
			break;
		case 8: /* addr string length (incl. subtype) + subtype + addr */
			if (l >= 2 && v[0] >= 2 && (size_t)v[0] + 1 <= l && !out->mgmt_addr[0])
				netaddr(out->mgmt_addr, sizeof(out->mgmt_addr), v + 1, v[0]);
			break;
		case 127: org_tlv(out, v, l); break;
		default: break;
		}
		o += 2 + l;
		out->ntlv = i + 1;
		out->got = o;
	}
	out->why = "too many TLVs";
bad:
	out->got = o;
	return -EBADMSG;
short_:
	out->got = o;
	return -ENODATA;
}

static void caps_fmt(uint16_t c, char *buf, size_t len, size_t *pos)
{
	static const char *const n[] = { "Other", "Repeater", "Bridge", "WLAN-AP", "Router",
		"Telephone", "DOCSIS", "Station", "C-VLAN", "S-VLAN", "TPMR" };
	bool any = false;
	for (unsigned i = 0; i < ARRAY_SIZE(n); i++)
		if (c & (1u << i)) {
			if (any)
				tc_chr(buf, len, pos, ',');
			tc_str(buf, len, pos, n[i]);
			any = true;
		}
	if (!any)
		tc_chr(buf, len, pos, '-');
}

/* " KEY \"VALUE\"" */
static void quoted(char *buf, size_t len, size_t *pos, const char *key, const char *v)
{
	tc_str(buf, len, pos, key);
	tc_chr(buf, len, pos, '"');
	tc_str(buf, len, pos, v);
	tc_chr(buf, len, pos, '"');
}

int lldp_format(const struct lldp_info *l, char *buf, size_t len)
{
	size_t pos = 0;
	if (len)
		buf[0] = 0;
	tc_str(buf, len, &pos, "LLDP");
	if (l->chassis_subtype) {
		tc_str(buf, len, &pos, " chassis ");
		tc_str(buf, len, &pos, lldp_chassis_subtype_name(l->chassis_subtype));
		tc_chr(buf, len, &pos, ' ');
		tc_str(buf, len, &pos, l->chassis_id);
	}
	if (l->port_subtype) {
		tc_str(buf, len, &pos, " port ");
		tc_str(buf, len, &pos, lldp_port_subtype_name(l->port_subtype));
		tc_chr(buf, len, &pos, ' ');
		tc_str(buf, len, &pos, l->port_id);
	}
	if (l->ttl >= 0) {
		tc_str(buf, len, &pos, " ttl ");
		tc_i(buf, len, &pos, l->ttl);
	}
	if (l->sys_name[0])
		quoted(buf, len, &pos, " name ", l->sys_name);
	if (l->port_desc[0])
		quoted(buf, len, &pos, " port-desc ", l->port_desc);
	if (l->have_caps) {
		/* each list was cut at 95 bytes in a buffer of its own: no
		 * list of the 11 names (at most 80 bytes) reaches that */
		tc_str(buf, len, &pos, " caps ");
		caps_fmt(l->cap_sys, buf, len, &pos);
		tc_str(buf, len, &pos, " enabled ");
		caps_fmt(l->cap_enabled, buf, len, &pos);
	}
	if (l->mgmt_addr[0]) {
		tc_str(buf, len, &pos, " mgmt ");
		tc_str(buf, len, &pos, l->mgmt_addr);
	}
	if (l->pvid >= 0) {
		tc_str(buf, len, &pos, " pvid ");
		tc_i(buf, len, &pos, l->pvid);
	}
	if (l->have_agg) {
		tc_str(buf, len, &pos, l->agg_status & 1 ? " lag capable" : " lag incapable");
		if (l->agg_status & 2)
			tc_str(buf, len, &pos, ",enabled");
		tc_str(buf, len, &pos, " port ");
		tc_u(buf, len, &pos, l->agg_port);
	}
	if (l->have_macphy) {
		tc_str(buf, len, &pos, l->autoneg & 1 ? " autoneg supported" : " autoneg unsupported");
		if (l->autoneg & 2)
			tc_str(buf, len, &pos, ",enabled");
		tc_str(buf, len, &pos, " mau ");
		tc_u(buf, len, &pos, l->mau_type);
	}
	if (l->sys_desc[0])
		quoted(buf, len, &pos, " desc ", l->sys_desc);
	return (int)pos;
}

json_t *lldp_json(const struct lldp_info *l)
{
	json_t *o = json_object();
	if (l->chassis_subtype)
		json_object_set_new(o, "chassis", json_pack("{s:s,s:s}", "subtype",
			lldp_chassis_subtype_name(l->chassis_subtype), "id", l->chassis_id));
	if (l->port_subtype)
		json_object_set_new(o, "port", json_pack("{s:s,s:s}", "subtype",
			lldp_port_subtype_name(l->port_subtype), "id", l->port_id));
	if (l->ttl >= 0)
		json_object_set_new(o, "ttl", json_integer(l->ttl));
	if (l->port_desc[0])
		json_object_set_new(o, "port_description", json_string(l->port_desc));
	if (l->sys_name[0])
		json_object_set_new(o, "system_name", json_string(l->sys_name));
	if (l->sys_desc[0])
		json_object_set_new(o, "system_description", json_string(l->sys_desc));
	if (l->have_caps)
		json_object_set_new(o, "capabilities", json_pack("{s:i,s:i}", "system", l->cap_sys,
								 "enabled", l->cap_enabled));
	if (l->mgmt_addr[0])
		json_object_set_new(o, "management_address", json_string(l->mgmt_addr));
	if (l->pvid >= 0)
		json_object_set_new(o, "port_vlan_id", json_integer(l->pvid));
	if (l->have_agg)
		json_object_set_new(o, "link_aggregation", json_pack("{s:b,s:b,s:I}", "capable",
			l->agg_status & 1, "enabled", (l->agg_status & 2) != 0, "port", (json_int_t)l->agg_port));
	if (l->have_macphy)
		json_object_set_new(o, "mac_phy", json_pack("{s:b,s:b,s:i,s:i}", "autoneg_supported",
			l->autoneg & 1, "autoneg_enabled", (l->autoneg & 2) != 0, "pmd_capability",
			l->pmd_cap, "mau_type", l->mau_type));
	json_object_set_new(o, "tlvs", json_integer(l->ntlv));
	return o;
}
