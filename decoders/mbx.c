/* Mailbox message decoder; opcode tables from the kernel headers named in
 * mbx.h (numbers only). */
#include "decoders/mbx.h"
#include "decoders/rd.h"
#include "lib/util.h"
#include <errno.h>
#include <string.h>

struct op { uint32_t v; const char *n; };

static const struct op igb_ops[] = {
	{ 0x01, "VF_RESET" }, { 0x02, "SET_MAC_ADDR" }, { 0x03, "SET_MULTICAST" },
	{ 0x04, "SET_VLAN" }, { 0x05, "SET_LPE" }, { 0x06, "SET_PROMISC" },
	{ 0x0100, "PF_CONTROL_MSG" },
};
static const struct op ixgbe_ops[] = {
	{ 0x01, "VF_RESET" }, { 0x02, "SET_MAC_ADDR" }, { 0x03, "SET_MULTICAST" },
	{ 0x04, "SET_VLAN" }, { 0x05, "SET_LPE" }, { 0x06, "SET_MACVLAN" },
	{ 0x08, "API_NEGOTIATE" }, { 0x09, "GET_QUEUES" }, { 0x0a, "GET_RETA" },
	{ 0x0b, "GET_RSS_KEY" }, { 0x0c, "UPDATE_XCAST_MODE" }, { 0x10, "GET_LINK_STATE" },
	{ 0x12, "IPSEC_ADD" }, { 0x13, "IPSEC_DEL" }, { 0x0100, "PF_CONTROL_MSG" },
};
static const struct op vc_ops[] = {
	{ 0, "UNKNOWN" }, { 1, "VERSION" }, { 2, "RESET_VF" }, { 3, "GET_VF_RESOURCES" },
	{ 4, "CONFIG_TX_QUEUE" }, { 5, "CONFIG_RX_QUEUE" }, { 6, "CONFIG_VSI_QUEUES" },
	{ 7, "CONFIG_IRQ_MAP" }, { 8, "ENABLE_QUEUES" }, { 9, "DISABLE_QUEUES" },
	{ 10, "ADD_ETH_ADDR" }, { 11, "DEL_ETH_ADDR" }, { 12, "ADD_VLAN" }, { 13, "DEL_VLAN" },
	{ 14, "CONFIG_PROMISCUOUS_MODE" }, { 15, "GET_STATS" }, { 17, "EVENT" },
	{ 23, "CONFIG_RSS_KEY" }, { 24, "CONFIG_RSS_LUT" }, { 25, "GET_RSS_HENA_CAPS" },
	{ 26, "SET_RSS_HENA" }, { 27, "ENABLE_VLAN_STRIPPING" }, { 28, "DISABLE_VLAN_STRIPPING" },
	{ 29, "REQUEST_QUEUES" }, { 30, "ENABLE_CHANNELS" }, { 31, "DISABLE_CHANNELS" },
	{ 32, "ADD_CLOUD_FILTER" }, { 33, "DEL_CLOUD_FILTER" },
};
static const struct op vc_status[] = {
	{ 0, "SUCCESS" }, { (uint32_t)-5, "ERR_PARAM" }, { (uint32_t)-18, "ERR_NO_MEMORY" },
	{ (uint32_t)-38, "ERR_OPCODE_MISMATCH" }, { (uint32_t)-39, "ERR_CQP_COMPL_ERROR" },
	{ (uint32_t)-40, "ERR_INVALID_VF_ID" }, { (uint32_t)-53, "ERR_ADMIN_QUEUE_ERROR" },
	{ (uint32_t)-64, "ERR_NOT_SUPPORTED" },
};

static const char *lookup(const struct op *t, size_t n, uint32_t v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].v == v)
			return t[i].n;
	return NULL;
}

const char *mbx_type_name(enum mbx_family fam, uint32_t type)
{
	const char *s = fam == MBX_IGB ? lookup(igb_ops, ARRAY_SIZE(igb_ops), type) :
			fam == MBX_IXGBE ? lookup(ixgbe_ops, ARRAY_SIZE(ixgbe_ops), type) :
					   lookup(vc_ops, ARRAY_SIZE(vc_ops), type);
	return s ? s : "UNKNOWN";
}

const char *mbx_virtchnl_status_name(int32_t st)
{
	const char *s = lookup(vc_status, ARRAY_SIZE(vc_status), (uint32_t)st);
	return s ? s : "ERR_UNKNOWN";
}

/* MAC from two words in memory order (little-endian host, as the drivers
 * memcpy it into the u32 buffer). */
static void mac_from_words(uint32_t w1, uint32_t w2, uint8_t mac[6])
{
	for (int i = 0; i < 4; i++)
		mac[i] = (uint8_t)(w1 >> (8 * i));
	mac[4] = (uint8_t)w2;
	mac[5] = (uint8_t)(w2 >> 8);
}

/* Byte i of the payload that starts at word `first`. */
static int pbyte(const uint32_t *w, size_t nw, size_t first, size_t i)
{
	size_t wi = first + i / 4;
	if (wi >= nw)
		return -1;
	return (int)((w[wi] >> (8 * (i % 4))) & 0xff);
}
static int pu16(const uint32_t *w, size_t nw, size_t first, size_t i)
{
	int a = pbyte(w, nw, first, i), b = pbyte(w, nw, first, i + 1);
	return a < 0 || b < 0 ? -1 : a | b << 8;
}

static int decode_intel(const uint32_t *w, size_t nw, struct mbx_msg *m)
{
	bool igb = m->family == MBX_IGB;
	bool req = m->dir == MBX_VF2PF;
	uint32_t t = m->type;
	/* A NACKed reply carries only the header word. */
	if (m->nack)
		return 0;
	switch (t) {
	case 0x01: /* reset: PF reply carries the permanent MAC and mc filter type */
		if (req)
			return 0;
		if (nw < 3)
			return -ENODATA;
		mac_from_words(w[1], w[2], m->mac);
		m->have_mac = true;
		m->got = 3;
		return 0;
	case 0x02:
		if (igb)
			m->mac_filter = m->info; /* E1000_VF_MAC_FILTER_CLR 1, _ADD 2 */
		if (igb && m->info == 1)
			return 0;
		if (!req) /* the PF echoes only the header word */
			return 0;
		if (nw < 3)
			return -ENODATA;
		mac_from_words(w[1], w[2], m->mac);
		m->have_mac = true;
		m->got = 3;
		return 0;
	case 0x06:
		if (igb) { /* SET_PROMISC: E1000_VF_SET_PROMISC_UNICAST/MULTICAST */
			m->promisc = m->info & 3;
			return 0;
		}
		/* ixgbe SET_MACVLAN: info = index (0 clears), MAC in words 1-2 */
		if (!req || !m->info)
			return 0;
		if (nw < 3)
			return -ENODATA;
		mac_from_words(w[1], w[2], m->mac);
		m->have_mac = true;
		m->got = 3;
		return 0;
	case 0x03:
		m->mc_count = m->info;
		return 0;
	case 0x04:
		m->vlan_add = m->info & 1;
		if (nw < 2)
			return req ? -ENODATA : 0;
		m->vid = (int)(w[1] & 0x0fff);
		m->got = 2;
		return 0;
	case 0x05:
		if (nw < 2)
			return req ? -ENODATA : 0;
		m->max_frame = (int)w[1];
		m->got = 2;
		return 0;
	case 0x08:
		if (igb)
			return 0;
		if (nw < 2)
			return -ENODATA;
		m->api = (int)w[1];
		m->got = 2;
		return 0;
	case 0x0c:
		if (igb)
			return 0;
		if (nw < 2)
			return -ENODATA;
		m->xcast_mode = (int)w[1];
		m->got = 2;
		return 0;
	default:
		return 0;
	}
}

static int decode_virtchnl(const uint32_t *w, size_t nw, struct mbx_msg *m)
{
	if (nw < 2)
		return -ENODATA;
	m->retval = (int32_t)w[1];
	m->got = 2;
	if (m->dir == MBX_PF2VF && m->type != 17)
		m->result = m->retval == 0 ? MBX_RES_ACCEPTED : MBX_RES_REFUSED;
	if (m->dir == MBX_PF2VF && m->type != 17)
		return 0;
	switch (m->type) {
	case 17: /* virtchnl_pf_event: event u32, ... */
		if (nw < 3)
			return -ENODATA;
		m->event = (int)w[2];
		m->got = 3;
		return 0;
	case 10:
	case 11: { /* virtchnl_ether_addr_list: vsi u16, num u16, {addr[6], type, pad}[] */
		int num = pu16(w, nw, 2, 2);
		if (num < 0)
			return -ENODATA;
		m->mc_count = num; /* number of addresses */
		for (int i = 0; i < 6; i++) {
			int b = pbyte(w, nw, 2, 4 + (size_t)i);
			if (b < 0)
				return num ? -ENODATA : 0;
			m->mac[i] = (uint8_t)b;
		}
		m->have_mac = num > 0;
		m->got = MIN(nw, (size_t)5);
		return 0;
	}
	case 12:
	case 13: { /* virtchnl_vlan_filter_list: vsi u16, num u16, vlan u16[] */
		int num = pu16(w, nw, 2, 2);
		if (num < 0)
			return -ENODATA;
		m->vlan_add = m->type == 12;
		if (num) {
			int v = pu16(w, nw, 2, 4);
			if (v < 0)
				return -ENODATA;
			m->vid = v & 0x0fff;
		}
		m->got = MIN(nw, (size_t)4);
		return 0;
	}
	case 14: { /* virtchnl_promisc_info: vsi u16, flags u16 */
		int fl = pu16(w, nw, 2, 2);
		if (fl < 0)
			return -ENODATA;
		m->promisc = fl & 3;
		m->got = 3;
		return 0;
	}
	default:
		return 0;
	}
}

int mbx_decode(const char *driver, const uint32_t *w, size_t nw, int dir, struct mbx_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->vid = m->vlan_add = m->mc_count = m->promisc = m->max_frame = -1;
	m->xcast_mode = m->api = m->event = -1;
	m->dir = dir;
	m->name = "UNKNOWN";
	if (!driver)
		return -EINVAL;
	if (!strcmp(driver, "igb") || !strcmp(driver, "igbvf"))
		m->family = MBX_IGB;
	else if (!strcmp(driver, "ixgbe") || !strcmp(driver, "ixgbevf"))
		m->family = MBX_IXGBE;
	else if (!strcmp(driver, "virtchnl") || !strcmp(driver, "i40e") || !strcmp(driver, "iavf") ||
		 !strcmp(driver, "ice"))
		m->family = MBX_VIRTCHNL;
	else
		return -EINVAL;
	if (nw < 1)
		return -ENODATA;
	m->got = 1;
	if (m->family == MBX_VIRTCHNL) {
		m->type = w[0];
		m->name = mbx_type_name(m->family, m->type);
		return decode_virtchnl(w, nw, m);
	}
	m->type = w[0] & 0xffff;
	m->info = (uint8_t)(w[0] >> 16);
	m->ack = w[0] & MBX_ACK;
	m->nack = w[0] & MBX_NACK;
	m->cts = w[0] & MBX_CTS;
	m->name = mbx_type_name(m->family, m->type);
	if (m->dir == MBX_PF2VF && (m->ack || m->nack))
		m->result = m->nack ? MBX_RES_REFUSED : MBX_RES_ACCEPTED;
	return decode_intel(w, nw, m);
}

static const char *fam_name(enum mbx_family f)
{
	return f == MBX_IGB ? "igb" : f == MBX_IXGBE ? "ixgbe" : "virtchnl";
}

static const char *xcast_name(int x)
{
	static const char *const n[] = { "none", "multi", "allmulti", "promisc" };
	return x >= 0 && x < 4 ? n[x] : "?";
}

static const char *event_name(int e)
{
	static const char *const n[] = { "UNKNOWN", "LINK_CHANGE", "RESET_IMPENDING", "PF_DRIVER_CLOSE" };
	return e >= 0 && e < 4 ? n[e] : "UNKNOWN";
}

int mbx_format(const struct mbx_msg *m, char *buf, size_t len)
{
	size_t pos = 0;
	char mac[18];
	if (len)
		buf[0] = 0;
	rd_cat(buf, len, &pos, "%s %s %s", fam_name(m->family),
	       m->dir == MBX_VF2PF ? "vf2pf" : "pf2vf", m->name);
	if (!strcmp(m->name, "UNKNOWN"))
		rd_cat(buf, len, &pos, "(0x%x)", m->type);
	rd_cat(buf, len, &pos, " %s", m->dir == MBX_VF2PF ? "request" : m->event >= 0 ? "event" : "reply");
	if (m->ack)
		rd_cat(buf, len, &pos, " ACK");
	if (m->nack)
		rd_cat(buf, len, &pos, " NACK");
	if (m->cts)
		rd_cat(buf, len, &pos, " CTS");
	if (m->family == MBX_VIRTCHNL && m->dir == MBX_PF2VF)
		rd_cat(buf, len, &pos, " status %s(%d)", mbx_virtchnl_status_name(m->retval), m->retval);
	if (m->family == MBX_IGB && m->type == 2 && m->mac_filter)
		rd_cat(buf, len, &pos, " filter-%s", m->mac_filter == 1 ? "clear" : m->mac_filter == 2 ? "add" : "?");
	if (m->have_mac) {
		vfs_mac_format(m->mac, mac);
		rd_cat(buf, len, &pos, " mac %s", mac);
	}
	if (m->vlan_add >= 0)
		rd_cat(buf, len, &pos, " %s", m->vlan_add ? "add" : "remove");
	if (m->vid >= 0)
		rd_cat(buf, len, &pos, " vid %d", m->vid);
	if (m->mc_count >= 0)
		rd_cat(buf, len, &pos, " count %d", m->mc_count);
	if (m->promisc >= 0)
		rd_cat(buf, len, &pos, " promisc %s%s%s", m->promisc & 1 ? "unicast" : "",
		       (m->promisc & 3) == 3 ? "," : "", m->promisc & 2 ? "multicast" : m->promisc ? "" : "off");
	if (m->max_frame >= 0)
		rd_cat(buf, len, &pos, " max-frame %d", m->max_frame);
	if (m->xcast_mode >= 0)
		rd_cat(buf, len, &pos, " xcast %s", xcast_name(m->xcast_mode));
	if (m->api >= 0)
		rd_cat(buf, len, &pos, " api %d", m->api);
	if (m->event >= 0)
		rd_cat(buf, len, &pos, " event %s", event_name(m->event));
	if (m->result != MBX_RES_NONE)
		rd_cat(buf, len, &pos, " -> %s", m->result == MBX_RES_ACCEPTED ? "accepted" : "refused");
	return (int)pos;
}

json_t *mbx_json(const struct mbx_msg *m)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:s}", "family", fam_name(m->family), "dir",
			      m->dir == MBX_VF2PF ? "vf2pf" : "pf2vf", "kind",
			      m->dir == MBX_VF2PF ? "request" : "reply", "type", (json_int_t)m->type,
			      "name", m->name);
	if (m->family != MBX_VIRTCHNL) {
		json_object_set_new(o, "ack", json_boolean(m->ack));
		json_object_set_new(o, "nack", json_boolean(m->nack));
		json_object_set_new(o, "cts", json_boolean(m->cts));
		json_object_set_new(o, "info", json_integer(m->info));
	} else if (m->dir == MBX_PF2VF) {
		json_object_set_new(o, "status", json_integer(m->retval));
		json_object_set_new(o, "status_name", json_string(mbx_virtchnl_status_name(m->retval)));
	}
	if (m->have_mac) {
		char mac[18];
		vfs_mac_format(m->mac, mac);
		json_object_set_new(o, "mac", json_string(mac));
	}
	if (m->vid >= 0)
		json_object_set_new(o, "vid", json_integer(m->vid));
	if (m->vlan_add >= 0)
		json_object_set_new(o, "vlan_add", json_boolean(m->vlan_add));
	if (m->mc_count >= 0)
		json_object_set_new(o, "count", json_integer(m->mc_count));
	if (m->promisc >= 0)
		json_object_set_new(o, "promisc", json_pack("{s:b,s:b}", "unicast", m->promisc & 1,
							      "multicast", (m->promisc & 2) != 0));
	if (m->max_frame >= 0)
		json_object_set_new(o, "max_frame", json_integer(m->max_frame));
	if (m->xcast_mode >= 0)
		json_object_set_new(o, "xcast_mode", json_string(xcast_name(m->xcast_mode)));
	if (m->api >= 0)
		json_object_set_new(o, "api", json_integer(m->api));
	if (m->event >= 0)
		json_object_set_new(o, "event", json_string(event_name(m->event)));
	if (m->result != MBX_RES_NONE)
		json_object_set_new(o, "result", json_string(m->result == MBX_RES_ACCEPTED ? "accepted" : "refused"));
	return o;
}
