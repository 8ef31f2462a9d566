#include "model/json.h"
#include "model/json_hyperv.h"
#include "lib/util.h"
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Field tables: one list per entity drives both directions, so the writer
 * and the reader cannot drift apart. */
enum ftype { F_VI, F_VS, F_VB };
struct field { const char *name; enum ftype t; size_t off; };
#define FI(s, f) { #f, F_VI, offsetof(struct s, f) }
#define FS(s, f) { #f, F_VS, offsetof(struct s, f) }
#define FB(s, f) { #f, F_VB, offsetof(struct s, f) } /* a struct vi written as true/false */
#define FN(n, s, f, t) { n, t, offsetof(struct s, f) } /* a JSON name other than the field's */

static const struct field netdev_f[] = {
	FS(netdev, name), FI(netdev, ifindex), FS(netdev, mac), FS(netdev, perm_mac),
	FB(netdev, admin_up), FI(netdev, carrier), FS(netdev, operstate), FI(netdev, mtu), FI(netdev, speed),
	FS(netdev, kind), FS(netdev, driver), FS(netdev, pci), FS(netdev, ifalias),
	FS(netdev, master), FI(netdev, link_ifindex), FI(netdev, is_virtfn),
};
/* A netdev's addresses and default route ("ip", written only when known:
 * collectors/ipaddr.c). */
static const struct field netdev_ip_f[] = {
	FN("addrs", netdev, naddrs, F_VI), FN("addr_first", netdev, addr_first, F_VS),
	FN("default_route", netdev, default_route, F_VI), FN("gateway", netdev, default_gw, F_VS),
};
static const struct field vf_f[] = {
	FS(vf, pci), FS(vf, netdev), FS(vf, driver), FS(vf, mac), FI(vf, vlan), FI(vf, qos),
	FI(vf, vlan_proto), FI(vf, min_tx_rate), FI(vf, max_tx_rate), FI(vf, spoofchk),
	FI(vf, trust), FI(vf, link_state), FI(vf, rss_query), FS(vf, iommu_group),
	FI(vf, owner_pid), FS(vf, owner_name),
};
/* Network namespaces (issue 14): a VF's Kubernetes allocation and the
 * namespace its netdev is in ("allocation", written only when one is
 * known); a netns machine's identity and owner ("netns"). */
static const struct field vf_alloc_f[] = {
	FN("pod_uid", vf, alloc_pod_uid, F_VS), FN("pod", vf, alloc_pod, F_VS),
	FN("resource", vf, alloc_resource, F_VS), FN("netns", vf, netns, F_VS),
	FN("netns_path", vf, alloc_netns, F_VS),
};
static const struct field netns_f[] = {
	FN("name", machine, netns_name, F_VS), FN("inode", machine, netns_inode, F_VI),
	FN("pid", machine, netns_pid, F_VI), FS(machine, pod_uid), FS(machine, pod_namespace),
	FS(machine, pod_name),
};
/* Paravirtual failover pairs (issue 15): a pair team's data path and its
 * evidence ("pair", written for net_failover/netvsc teams only); a host
 * VF's QEMU failover_pair_id ("failover", written only when known). */
static const struct field pair_f[] = {
	FS(team, datapath), FS(team, datapath_member), FS(team, datapath_why), FI(team, datapath_switches),
	FI(team, datapath_switch_span_ms), FI(team, vf_offered), FI(team, vf_slot), FI(team, vf_rx_packets),
	FI(team, vf_tx_packets), FI(team, vf_rx_delta), FI(team, vf_tx_delta), FI(team, vf_delta_ms),
};
/* A pair member's role ("role", written only when known: bond and team
 * members have none, and documents before issue 15 lack it). */
static const struct field member_role_f[] = { FS(member, role) };
static const struct field vf_failover_f[] = {
	FN("pair_id", vf, failover_pair_id, F_VS), FN("standby_mac", vf, failover_standby_mac, F_VS),
};
static bool any_known(const void *base, const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *p = (const char *)base + f[i].off;
		if (f[i].t == F_VS ? VS_KNOWN(*(const struct vs *)p) : VI_KNOWN(*(const struct vi *)p))
			return true;
	}
	return false;
}
static const struct field pf_f[] = {
	FS(pf, pci), FS(pf, vendor), FS(pf, device), FS(pf, driver), FS(pf, netdev),
	FI(pf, sriov_totalvfs), FI(pf, sriov_numvfs), FI(pf, sriov_offset), FI(pf, sriov_stride),
	FS(pf, sriov_vf_device), FS(pf, phys_port_id), FS(pf, phys_switch_id), FS(pf, phys_port_name),
	FS(pf, lldp_chassis), FS(pf, lldp_port), FS(pf, lldp_sysname),
};
static const struct field team_f[] = {
	FS(team, name), FS(team, mode), FI(team, mode_num), FS(team, xmit_hash_policy),
	FI(team, miimon), FI(team, arp_interval), FI(team, updelay), FI(team, downdelay),
	FS(team, arp_ip_target), FS(team, arp_validate), FS(team, fail_over_mac),
	FS(team, primary), FS(team, active), FS(team, lacp_rate), FS(team, ad_select), FS(team, mac),
};
static const struct field member_f[] = {
	FS(member, name), FS(member, perm_mac), FS(member, cur_mac), FI(member, carrier),
	FS(member, mii_status), FI(member, link_failures), FS(member, state), FS(member, driver),
	FS(member, pci), FI(member, queue_id), FI(member, speed), FS(member, duplex),
};

static void put_fields(json_t *o, const void *base, const struct field *f, size_t n)
{
	json_t *src = json_object();
	for (size_t i = 0; i < n; i++) {
		const char *p = (const char *)base + f[i].off;
		if (f[i].t == F_VI || f[i].t == F_VB) {
			const struct vi *v = (const struct vi *)p;
			json_object_set_new(o, f[i].name, !v->src ? json_null() : f[i].t == F_VB ? json_boolean(v->v)
											: json_integer(v->v));
			if (v->src)
				json_object_set_new(src, f[i].name, json_string(vfs_src_name(v->src)));
		} else {
			const struct vs *v = (const struct vs *)p;
			json_object_set_new(o, f[i].name, v->src && v->v ? json_string(v->v) : json_null());
			if (v->src && v->v)
				json_object_set_new(src, f[i].name, json_string(vfs_src_name(v->src)));
		}
	}
	json_object_set_new(o, "src", src);
}

static int get_fields(const json_t *o, void *base, const struct field *f, size_t n, int override)
{
	const json_t *src = json_object_get(o, "src");
	for (size_t i = 0; i < n; i++) {
		char *p = (char *)base + f[i].off;
		const json_t *v = json_object_get(o, f[i].name);
		if (!v || json_is_null(v))
			continue;
		int s = override ? override : vfs_src_parse(json_string_value(json_object_get(src, f[i].name)));
		if (!s)
			s = SRC_DERIVED;
		if (f[i].t == F_VI) {
			if (!json_is_integer(v))
				return -EBADMSG;
			vi_set((struct vi *)p, json_integer_value(v), s);
		} else if (f[i].t == F_VB) {
			if (json_is_boolean(v))
				vi_set((struct vi *)p, json_is_true(v), s);
			else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
				vi_set((struct vi *)p, json_integer_value(v), s);
			else
				return -EBADMSG;
		} else {
			if (!json_is_string(v) || json_string_length(v) > 4096)
				return -EBADMSG;
			char *clean = vfs_sanitize_dup(json_string_value(v));
			vs_set((struct vs *)p, clean, s);
			free(clean);
		}
	}
	return 0;
}

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* VF counters in enum vf_stat order, by their JSON names. */
static const struct { const char *name; size_t off; } vf_stat_f[VF_ST_MAX] = {
	[VF_ST_RX_PACKETS] = { "rx_packets", offsetof(struct vf_stats, rx_packets) },
	[VF_ST_TX_PACKETS] = { "tx_packets", offsetof(struct vf_stats, tx_packets) },
	[VF_ST_RX_BYTES] = { "rx_bytes", offsetof(struct vf_stats, rx_bytes) },
	[VF_ST_TX_BYTES] = { "tx_bytes", offsetof(struct vf_stats, tx_bytes) },
	[VF_ST_BROADCAST] = { "broadcast", offsetof(struct vf_stats, broadcast) },
	[VF_ST_MULTICAST] = { "multicast", offsetof(struct vf_stats, multicast) },
	[VF_ST_RX_DROPPED] = { "rx_dropped", offsetof(struct vf_stats, rx_dropped) },
	[VF_ST_TX_DROPPED] = { "tx_dropped", offsetof(struct vf_stats, tx_dropped) },
};

/* The registers the source left unknown (struct sriov_cap.unknown), by
 * name; a field whose register is unknown is written as null, and a field
 * missing or null when read back is unknown again. */
static const struct { uint32_t bit; const char *name; } sriov_unk_names[] = {
	{ SRIOV_UNK_CAPS, "iovcap" }, { SRIOV_UNK_ARIP, "ari_capable_preserved" },
	{ SRIOV_UNK_10BIT, "10bit_tag_req" }, { SRIOV_UNK_CTRL, "iovctl" }, { SRIOV_UNK_STATUS, "iovsta" },
	{ SRIOV_UNK_COUNTS, "vf_counts" }, { SRIOV_UNK_ROUTING, "vf_routing" }, { SRIOV_UNK_PAGES, "page_sizes" },
	{ SRIOV_UNK_BARS, "vf_regions" }, { SRIOV_UNK_ARI, "ari" }, { SRIOV_UNK_IMN, "interrupt_message_number" },
};
/* LnkSta against LnkCap (enum sriov_link_cmp), as lspci marks it. */
static const char *const sriov_cmp_names[] = {
	[SRIOV_LINK_SAME] = "same", [SRIOV_LINK_DOWNGRADED] = "downgraded",
	[SRIOV_LINK_OVERDRIVEN] = "overdriven", [SRIOV_LINK_LOWER_PORT] = "lower (port)",
};

static json_t *cap_int(const struct sriov_cap *c, uint32_t unk, json_int_t v)
{
	return c->unknown & unk ? json_null() : json_integer(v);
}

static json_t *cap_bool(const struct sriov_cap *c, uint32_t unk, bool v)
{
	return c->unknown & unk ? json_null() : json_boolean(v);
}

static json_t *cmp_json(uint8_t cmp)
{
	return cmp && cmp < NF(sriov_cmp_names) ? json_string(sriov_cmp_names[cmp]) : json_null();
}

static json_t *sriov_cap_json(const struct sriov_cap *c)
{
	if (!c->present)
		return json_null();
	char b[16];
	json_t *o = json_object();
	json_object_set_new(o, "src", json_string(vfs_src_name(c->src)));
	json_object_set_new(o, "offset", json_integer(c->offset));
	json_object_set_new(o, "caps", cap_int(c, SRIOV_UNK_CAPS, c->caps));
	json_object_set_new(o, "ctrl", cap_int(c, SRIOV_UNK_CTRL, c->ctrl));
	json_object_set_new(o, "vf_enable", cap_bool(c, SRIOV_UNK_CTRL, c->ctrl & 1));
	json_object_set_new(o, "vf_mse", cap_bool(c, SRIOV_UNK_CTRL, c->ctrl & 8));
	json_object_set_new(o, "ari_hierarchy", cap_bool(c, SRIOV_UNK_CTRL, c->ctrl & 16));
	json_object_set_new(o, "ari_capable_preserved", cap_bool(c, SRIOV_UNK_CAPS | SRIOV_UNK_ARIP, c->caps & 2));
	json_object_set_new(o, "status", cap_int(c, SRIOV_UNK_STATUS, c->status));
	json_object_set_new(o, "initial_vfs", cap_int(c, SRIOV_UNK_COUNTS, c->initial_vfs));
	json_object_set_new(o, "total_vfs", cap_int(c, SRIOV_UNK_COUNTS, c->total_vfs));
	json_object_set_new(o, "num_vfs", cap_int(c, SRIOV_UNK_COUNTS, c->num_vfs));
	json_object_set_new(o, "func_dep_link", cap_int(c, SRIOV_UNK_COUNTS, c->func_dep_link));
	json_object_set_new(o, "first_vf_offset", cap_int(c, SRIOV_UNK_ROUTING, c->first_vf_offset));
	json_object_set_new(o, "vf_stride", cap_int(c, SRIOV_UNK_ROUTING, c->vf_stride));
	snprintf(b, sizeof(b), "0x%04x", c->vf_device);
	json_object_set_new(o, "vf_device", c->unknown & SRIOV_UNK_ROUTING ? json_null() : json_string(b));
	json_object_set_new(o, "supported_page_sizes", cap_int(c, SRIOV_UNK_PAGES, c->supported_page_sizes));
	json_object_set_new(o, "system_page_size", cap_int(c, SRIOV_UNK_PAGES, c->system_page_size));
	json_t *bars = json_null();
	if (!(c->unknown & SRIOV_UNK_BARS)) {
		bars = json_array();
		for (int i = 0; i < 6; i++)
			json_array_append_new(bars, json_integer(c->vf_bar[i]));
	}
	json_object_set_new(o, "vf_bars", bars);
	json_object_set_new(o, "ari_present", cap_bool(c, SRIOV_UNK_ARI, c->ari_present));
	json_object_set_new(o, "link_speed_gts", c->link_speed_gts10 >= 0 ? json_real(c->link_speed_gts10 / 10.0) : json_null());
	json_object_set_new(o, "link_width", c->link_width >= 0 ? json_integer(c->link_width) : json_null());
	/* Added by issue 13: the lspci reading of the function. */
	json_t *u = json_array();
	for (size_t i = 0; i < NF(sriov_unk_names); i++)
		if (c->unknown & sriov_unk_names[i].bit)
			json_array_append_new(u, json_string(sriov_unk_names[i].name));
	json_object_set_new(o, "unknown", u);
	json_object_set_new(o, "from_text", json_boolean(c->from_text));
	json_object_set_new(o, "vf_migration", c->vf_migration_known ? json_integer(c->vf_migration) : json_null());
	json_object_set_new(o, "express_type_code", c->exp_type_known ? json_integer(c->exp_type) : json_null());
	/* A LnkCap speed code lspci calls "unknown" is a known register with no
	 * speed: null speed beside a width. */
	json_object_set_new(o, "link_cap_speed_gts",
			    c->link_cap_known && c->link_cap_speed_gts10 >= 0 ? json_real(c->link_cap_speed_gts10 / 10.0) : json_null());
	json_object_set_new(o, "link_cap_width", c->link_cap_known ? json_integer(c->link_cap_width) : json_null());
	json_object_set_new(o, "link_speed_vs_cap", cmp_json(c->link_speed_cmp));
	json_object_set_new(o, "link_width_vs_cap", cmp_json(c->link_width_cmp));
	return o;
}

static uint8_t cmp_from(const json_t *v)
{
	const char *s = json_string_value(v);
	for (size_t i = 1; s && i < NF(sriov_cmp_names); i++)
		if (sriov_cmp_names[i] && !strcmp(s, sriov_cmp_names[i]))
			return (uint8_t)i;
	return SRIOV_LINK_UNKNOWN;
}

/* Reads integer member name into *v; false (v untouched) when it is
 * missing, null or not an integer in 0..max. */
static bool cap_get(const json_t *o, const char *name, uint64_t max, uint64_t *v)
{
	json_t *x = json_object_get(o, name);
	if (!json_is_integer(x) || json_integer_value(x) < 0 || (uint64_t)json_integer_value(x) > max)
		return false;
	*v = (uint64_t)json_integer_value(x);
	return true;
}

static void sriov_cap_from(const json_t *o, struct sriov_cap *c, int override)
{
	memset(c, 0, sizeof(*c));
	c->link_speed_gts10 = c->link_width = -1;
	c->link_cap_speed_gts10 = c->link_cap_width = -1;
	if (!json_is_object(o))
		return;
	c->present = true;
	c->src = (uint8_t)(override ? override : vfs_src_parse(json_string_value(json_object_get(o, "src"))));
	uint64_t v[4];
	if (cap_get(o, "offset", 0xfff, &v[0]))
		c->offset = (uint16_t)v[0];
	if (cap_get(o, "caps", UINT32_MAX, &v[0]))
		c->caps = (uint32_t)v[0];
	else
		c->unknown |= SRIOV_UNK_CAPS;
	if (cap_get(o, "ctrl", UINT16_MAX, &v[0]))
		c->ctrl = (uint16_t)v[0];
	else
		c->unknown |= SRIOV_UNK_CTRL;
	if (cap_get(o, "status", UINT16_MAX, &v[0]))
		c->status = (uint16_t)v[0];
	else
		c->unknown |= SRIOV_UNK_STATUS;
	if (cap_get(o, "initial_vfs", UINT16_MAX, &v[0]) && cap_get(o, "total_vfs", UINT16_MAX, &v[1]) &&
	    cap_get(o, "num_vfs", UINT16_MAX, &v[2]) && cap_get(o, "func_dep_link", UINT8_MAX, &v[3])) {
		c->initial_vfs = (uint16_t)v[0];
		c->total_vfs = (uint16_t)v[1];
		c->num_vfs = (uint16_t)v[2];
		c->func_dep_link = (uint8_t)v[3];
	} else {
		c->unknown |= SRIOV_UNK_COUNTS;
	}
	const char *d = json_string_value(json_object_get(o, "vf_device"));
	char *end = NULL;
	unsigned long dev = d ? strtoul(d, &end, 16) : 0;
	if (d && end != d && !*end && dev <= UINT16_MAX && cap_get(o, "first_vf_offset", UINT16_MAX, &v[0]) &&
	    cap_get(o, "vf_stride", UINT16_MAX, &v[1])) {
		c->vf_device = (uint16_t)dev;
		c->first_vf_offset = (uint16_t)v[0];
		c->vf_stride = (uint16_t)v[1];
	} else {
		c->unknown |= SRIOV_UNK_ROUTING;
	}
	if (cap_get(o, "supported_page_sizes", UINT32_MAX, &v[0]) && cap_get(o, "system_page_size", UINT32_MAX, &v[1])) {
		c->supported_page_sizes = (uint32_t)v[0];
		c->system_page_size = (uint32_t)v[1];
	} else {
		c->unknown |= SRIOV_UNK_PAGES;
	}
	json_t *bars = json_object_get(o, "vf_bars");
	bool bars_ok = json_array_size(bars) == 6;
	for (size_t i = 0; bars_ok && i < 6; i++) {
		json_t *x = json_array_get(bars, i);
		bars_ok = json_is_integer(x) && json_integer_value(x) >= 0 && json_integer_value(x) <= UINT32_MAX;
	}
	if (bars_ok)
		for (size_t i = 0; i < 6; i++)
			c->vf_bar[i] = (uint32_t)json_integer_value(json_array_get(bars, i));
	else
		c->unknown |= SRIOV_UNK_BARS;
	json_t *ari = json_object_get(o, "ari_present");
	if (json_is_boolean(ari))
		c->ari_present = json_is_true(ari);
	else
		c->unknown |= SRIOV_UNK_ARI;
	json_t *u = json_object_get(o, "unknown"), *ue;
	size_t k;
	json_array_foreach(u, k, ue) {
		for (size_t i = 0; i < NF(sriov_unk_names); i++)
			if (json_is_string(ue) && !strcmp(json_string_value(ue), sriov_unk_names[i].name))
				c->unknown |= sriov_unk_names[i].bit;
	}
	c->from_text = json_is_true(json_object_get(o, "from_text"));
	json_t *ls = json_object_get(o, "link_speed_gts");
	if (json_is_number(ls) && json_number_value(ls) >= 0 && json_number_value(ls) < 1e6)
		c->link_speed_gts10 = (int)(json_number_value(ls) * 10 + 0.5);
	if (cap_get(o, "link_width", 63, &v[0]))
		c->link_width = (int)v[0];
	if (cap_get(o, "vf_migration", UINT32_MAX, &v[0])) {
		c->vf_migration_known = true;
		c->vf_migration = (uint32_t)v[0];
	}
	if (cap_get(o, "express_type_code", 15, &v[0])) {
		c->exp_type_known = true;
		c->exp_type = (uint8_t)v[0];
	}
	if (cap_get(o, "link_cap_width", 63, &v[0])) {
		c->link_cap_known = true;
		c->link_cap_width = (int)v[0];
		json_t *cs = json_object_get(o, "link_cap_speed_gts");
		if (json_is_number(cs) && json_number_value(cs) >= 0 && json_number_value(cs) < 1e6)
			c->link_cap_speed_gts10 = (int)(json_number_value(cs) * 10 + 0.5);
	}
	c->link_speed_cmp = cmp_from(json_object_get(o, "link_speed_vs_cap"));
	c->link_width_cmp = cmp_from(json_object_get(o, "link_width_vs_cap"));
}

json_t *event_to_json(const struct vfs_event *ev)
{
	char ts[32];
	vfs_fmt_time(ev->ts_real_ns, ts);
	json_t *o = json_pack("{s:s, s:I, s:I, s:s}", "time", ts, "ts_real_ns", (json_int_t)ev->ts_real_ns,
			      "ts_mono_ns", (json_int_t)ev->ts_mono_ns, "kind", vfs_ev_kind_name(ev->kind));
	if (ev->cpu >= 0)
		json_object_set_new(o, "cpu", json_integer(ev->cpu));
	if (ev->ifindex)
		json_object_set_new(o, "ifindex", json_integer(ev->ifindex));
	char clean[256];
#define S(k, f) if (ev->f[0]) json_object_set_new(o, k, json_string(vfs_sanitize(clean, sizeof(clean), ev->f)))
	S("ifname", ifname); S("pf", pf); S("driver", driver); S("probe", probe); S("text", text);
#undef S
	if (ev->vf >= 0)
		json_object_set_new(o, "vf", json_integer(ev->vf));
	static const char *const dirs[] = { NULL, "vf_to_pf", "pf_to_vf" };
	if (ev->dir > 0 && ev->dir < 3)
		json_object_set_new(o, "dir", json_string(dirs[ev->dir]));
	static const char *const res[] = { NULL, "ack", "nack" };
	if (ev->result > 0 && ev->result < 3)
		json_object_set_new(o, "result", json_string(res[ev->result]));
	if (ev->nwords) {
		json_t *w = json_array();
		for (uint32_t i = 0; i < ev->nwords && i < VFS_EV_WORDS; i++) {
			char h[12];
			snprintf(h, sizeof(h), "0x%08x", ev->words[i]);
			json_array_append_new(w, json_string(h));
		}
		json_object_set_new(o, "words", w);
	}
	return o;
}

int event_from_json(const json_t *o, struct vfs_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->cpu = -1;
	ev->vf = -1;
	if (!json_is_object(o))
		return -EBADMSG;
	ev->ts_real_ns = (uint64_t)json_integer_value(json_object_get(o, "ts_real_ns"));
	ev->ts_mono_ns = (uint64_t)json_integer_value(json_object_get(o, "ts_mono_ns"));
	const char *k = json_string_value(json_object_get(o, "kind"));
	for (int i = 0; k && i < EV_KIND_MAX; i++)
		if (!strcmp(k, vfs_ev_kind_name(i)))
			ev->kind = i;
	json_t *v;
	if ((v = json_object_get(o, "cpu")) && json_is_integer(v))
		ev->cpu = (int32_t)json_integer_value(v);
	if ((v = json_object_get(o, "vf")) && json_is_integer(v))
		ev->vf = (int32_t)json_integer_value(v);
	ev->ifindex = (int32_t)json_integer_value(json_object_get(o, "ifindex"));
	const char *s;
#define S(k, f) if ((s = json_string_value(json_object_get(o, k)))) vfs_sanitize(ev->f, sizeof(ev->f), s)
	S("ifname", ifname); S("pf", pf); S("driver", driver); S("probe", probe); S("text", text);
#undef S
	s = json_string_value(json_object_get(o, "dir"));
	ev->dir = s && !strcmp(s, "vf_to_pf") ? EV_DIR_VF_TO_PF : s && !strcmp(s, "pf_to_vf") ? EV_DIR_PF_TO_VF : 0;
	s = json_string_value(json_object_get(o, "result"));
	ev->result = s && !strcmp(s, "ack") ? EV_RES_ACK : s && !strcmp(s, "nack") ? EV_RES_NACK : 0;
	json_t *w = json_object_get(o, "words");
	for (size_t i = 0; i < json_array_size(w) && i < VFS_EV_WORDS; i++) {
		s = json_string_value(json_array_get(w, i));
		if (s)
			ev->words[ev->nwords++] = (uint32_t)strtoul(s, NULL, 16);
	}
	return 0;
}

static const char *const status_names[] = { "ok", "partial", "skipped", "failed" };

json_t *machine_to_json(const struct machine *m)
{
	char ts[32];
	vfs_fmt_time(m->time_ns, ts);
	json_t *o = json_pack("{s:i, s:s, s:s}", "schema", VFS_JSON_SCHEMA, "vfscope", VFSCOPE_VERSION,
			      "role", m->role ? m->role : "host");
	if (m->label)
		json_object_set_new(o, "label", json_string(m->label));
	json_object_set_new(o, "hostname", m->hostname.v ? json_string(m->hostname.v) : json_null());
	json_object_set_new(o, "kernel", m->kernel.v ? json_string(m->kernel.v) : json_null());
	/* 0 is "not known": a document without a time, a replay that measured
	 * no collection (--sysroot, --from, a guest file). */
	json_object_set_new(o, "time", m->time_ns ? json_string(ts) : json_null());
	json_object_set_new(o, "time_ns", m->time_ns ? json_integer((json_int_t)m->time_ns) : json_null());
	json_object_set_new(o, "collect_ms", m->collect_ns ? json_real((double)m->collect_ns / 1e6) : json_null());
	json_object_set_new(o, "root", json_string(m->root ? m->root : "/"));
	if ((m->role && !strcmp(m->role, "netns")) || any_known(m, netns_f, NF(netns_f))) {
		json_t *no = json_object();
		put_fields(no, m, netns_f, NF(netns_f));
		json_object_set_new(o, "netns", no);
	}

	json_t *a = json_array();
	for (size_t i = 0; i < m->nsources; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name", m->sources[i].name, "status",
						   status_names[m->sources[i].status & 3], "detail",
						   m->sources[i].detail));
	json_object_set_new(o, "sources", a);
	a = json_array();
	for (size_t i = 0; i < m->nwarnings; i++)
		json_array_append_new(a, json_string(m->warnings[i]));
	json_object_set_new(o, "warnings", a);

	a = json_array();
	for (size_t i = 0; i < m->npfs; i++) {
		const struct pf *p = &m->pfs[i];
		json_t *po = json_object();
		put_fields(po, p, pf_f, NF(pf_f));
		json_object_set_new(po, "sriov_cap", sriov_cap_json(&p->cap));
		json_t *vfs = json_array();
		for (size_t j = 0; j < p->nvfs; j++) {
			const struct vf *v = &p->vfs[j];
			json_t *vo = json_object();
			json_object_set_new(vo, "index", json_integer(v->index));
			put_fields(vo, v, vf_f, NF(vf_f));
			json_object_set_new(vo, "link_state_name",
					    VI_KNOWN(v->link_state) ? json_string(vf_link_state_name((int)v->link_state.v)) : json_null());
			if (v->stats.src) {
				/* A counter the source did not give is null, not 0. */
				json_t *so = json_object();
				for (int k = 0; k < VF_ST_MAX; k++)
					json_object_set_new(so, vf_stat_f[k].name,
							    VF_STAT_KNOWN(v->stats, k)
								    ? json_integer((json_int_t)*(const uint64_t *)((const char *)&v->stats + vf_stat_f[k].off))
								    : json_null());
				json_object_set_new(vo, "stats", so);
			} else
				json_object_set_new(vo, "stats", json_null());
			if (any_known(v, vf_alloc_f, NF(vf_alloc_f))) {
				json_t *al = json_object();
				put_fields(al, v, vf_alloc_f, NF(vf_alloc_f));
				json_object_set_new(vo, "allocation", al);
			}
			if (any_known(v, vf_failover_f, NF(vf_failover_f))) {
				json_t *fo = json_object();
				put_fields(fo, v, vf_failover_f, NF(vf_failover_f));
				json_object_set_new(vo, "failover", fo);
			}
			if (v->guest_idx >= 0)
				json_object_set_new(vo, "used_by", json_pack("{s:i, s:i, s:i}", "guest", v->guest_idx,
									   "team", v->guest_team_idx, "member", v->guest_member_idx));
			json_array_append_new(vfs, vo);
		}
		json_object_set_new(po, "vfs", vfs);
		json_array_append_new(a, po);
	}
	json_object_set_new(o, "pfs", a);

	a = json_array();
	for (size_t i = 0; i < m->nnetdevs; i++) {
		json_t *no = json_object();
		put_fields(no, &m->netdevs[i], netdev_f, NF(netdev_f));
		if (any_known(&m->netdevs[i], netdev_ip_f, NF(netdev_ip_f))) {
			json_t *ip = json_object();
			put_fields(ip, &m->netdevs[i], netdev_ip_f, NF(netdev_ip_f));
			json_object_set_new(no, "ip", ip);
		}
		json_array_append_new(a, no);
	}
	json_object_set_new(o, "netdevs", a);

	a = json_array();
	for (size_t i = 0; i < m->nteams; i++) {
		const struct team *t = &m->teams[i];
		json_t *to = json_object();
		put_fields(to, t, team_f, NF(team_f));
		json_object_set_new(to, "driver", json_string(team_driver_name(t->driver)));
		if (team_is_pair(t)) {
			json_t *po = json_object();
			put_fields(po, t, pair_f, NF(pair_f));
			json_object_set_new(to, "pair", po);
		}
		json_t *ms = json_array();
		for (size_t j = 0; j < t->nmembers; j++) {
			const struct member *mb = &t->members[j];
			json_t *mo = json_object();
			put_fields(mo, mb, member_f, NF(member_f));
			if (VS_KNOWN(mb->role)) {
				json_object_set_new(mo, "role", json_string(mb->role.v));
				json_object_set_new(json_object_get(mo, "src"), "role", json_string(vfs_src_name(mb->role.src)));
			}
			if (mb->host_pf_idx >= 0)
				json_object_set_new(mo, "backing", json_pack("{s:i, s:i}", "pf", mb->host_pf_idx,
									      "vf", mb->host_vf_idx));
			json_array_append_new(ms, mo);
		}
		json_object_set_new(to, "members", ms);
		json_array_append_new(a, to);
	}
	json_object_set_new(o, "teams", a);

	if (m->nkmsg) {
		a = json_array();
		for (size_t i = 0; i < m->nkmsg; i++)
			json_array_append_new(a, json_pack("{s:I, s:i, s:s}", "ts_us", (json_int_t)m->kmsg[i].ts_us,
							   "prio", m->kmsg[i].prio, "text", m->kmsg[i].text));
		json_object_set_new(o, "kmsg", a);
	}
	if (m->nevents) {
		a = json_array();
		for (size_t i = 0; i < m->nevents; i++)
			json_array_append_new(a, event_to_json(&m->events[i]));
		json_object_set_new(o, "events", a);
	}
	if (m->hyperv) /* a Hyper-V host or Windows guest (model/json_hyperv.c) */
		json_object_set_new(o, "hyperv", hv_to_json(m->hyperv));
	if (m->nguests) {
		a = json_array();
		for (size_t i = 0; i < m->nguests; i++)
			json_array_append_new(a, machine_to_json(m->guests[i]));
		json_object_set_new(o, "guests", a);
	}
	return o;
}

static int depth_ok(const json_t *j, int depth)
{
	if (depth > VFS_JSON_MAX_DEPTH)
		return 0;
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)j, k, v) if (!depth_ok(v, depth + 1)) return 0;
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) if (!depth_ok(v, depth + 1)) return 0;
	}
	return 1;
}

#define LIMIT(arr, max, what)                                                          \
	if (json_array_size(arr) > (max)) {                                            \
		snprintf(err, errlen, "too many %s (%zu > %d)", what, json_array_size(arr), max); \
		goto bad;                                                              \
	}

struct machine *machine_from_json(const json_t *j, int ovr, char *err, size_t errlen)
{
	if (!json_is_object(j)) {
		snprintf(err, errlen, "not a JSON object");
		return NULL;
	}
	if (!depth_ok(j, 0)) {
		snprintf(err, errlen, "nesting deeper than %d", VFS_JSON_MAX_DEPTH);
		return NULL;
	}
	json_t *sch = json_object_get(j, "schema");
	if (!json_is_integer(sch) || json_integer_value(sch) != VFS_JSON_SCHEMA) {
		snprintf(err, errlen, "unsupported schema (want %d)", VFS_JSON_SCHEMA);
		return NULL;
	}
	const char *role = json_string_value(json_object_get(j, "role"));
	struct machine *m = machine_new(role && !strcmp(role, "guest") ? "guest" :
					role && !strcmp(role, "netns") ? "netns" : "host");
	const char *s;
	if ((s = json_string_value(json_object_get(j, "label"))))
		m->label = vfs_sanitize_dup(s);
	if ((s = json_string_value(json_object_get(j, "hostname")))) {
		char *c = vfs_sanitize_dup(s);
		vs_set(&m->hostname, c, ovr ? ovr : SRC_PROCFS);
		free(c);
	}
	if ((s = json_string_value(json_object_get(j, "kernel")))) {
		char *c = vfs_sanitize_dup(s);
		vs_set(&m->kernel, c, ovr ? ovr : SRC_PROCFS);
		free(c);
	}
	json_t *tn = json_object_get(j, "time_ns");
	if (json_is_integer(tn) && json_integer_value(tn) > 0)
		m->time_ns = (uint64_t)json_integer_value(tn);
	/* collect_ms is not read back: this run did not measure a collection. */
	if ((s = json_string_value(json_object_get(j, "root"))))
		m->root = vfs_sanitize_dup(s);
	if (get_fields(json_object_get(j, "netns"), m, netns_f, NF(netns_f), ovr)) {
		snprintf(err, errlen, "netns: bad field");
		goto bad;
	}
	json_t *a, *e;
	size_t i;
	a = json_object_get(j, "sources");
	LIMIT(a, 256, "sources");
	json_array_foreach(a, i, e) {
		const char *n = json_string_value(json_object_get(e, "name"));
		const char *st = json_string_value(json_object_get(e, "status"));
		const char *d = json_string_value(json_object_get(e, "detail"));
		int status = SOURCE_OK;
		for (int k = 0; st && k < 4; k++)
			if (!strcmp(st, status_names[k]))
				status = k;
		if (n) {
			char nn[32], dd[256];
			vfs_sanitize(nn, sizeof(nn), n);
			machine_add_source(m, nn, status, "%s", d ? vfs_sanitize(dd, sizeof(dd), d) : "");
		}
	}
	a = json_object_get(j, "warnings");
	LIMIT(a, 512, "warnings");
	json_array_foreach(a, i, e) if (json_is_string(e)) machine_warn(m, "%s", json_string_value(e));

	a = json_object_get(j, "netdevs");
	LIMIT(a, 8192, "netdevs");
	json_array_foreach(a, i, e) {
		struct netdev *n = machine_add_netdev(m, NULL);
		if (get_fields(e, n, netdev_f, NF(netdev_f), ovr) || !n->name.v ||
		    get_fields(json_object_get(e, "ip"), n, netdev_ip_f, NF(netdev_ip_f), ovr)) {
			snprintf(err, errlen, "netdevs[%zu]: bad field", i);
			goto bad;
		}
	}
	a = json_object_get(j, "pfs");
	LIMIT(a, 1024, "pfs");
	json_array_foreach(a, i, e) {
		struct pf *p = machine_add_pf(m, NULL);
		if (get_fields(e, p, pf_f, NF(pf_f), ovr)) {
			snprintf(err, errlen, "pfs[%zu]: bad field", i);
			goto bad;
		}
		sriov_cap_from(json_object_get(e, "sriov_cap"), &p->cap, ovr);
		json_t *vfs = json_object_get(e, "vfs"), *ve;
		size_t k;
		LIMIT(vfs, 4096, "vfs");
		json_array_foreach(vfs, k, ve) {
			json_t *ix = json_object_get(ve, "index");
			if (!json_is_integer(ix) || json_integer_value(ix) < 0 || json_integer_value(ix) > 65535) {
				snprintf(err, errlen, "pfs[%zu].vfs[%zu]: bad index", i, k);
				goto bad;
			}
			struct vf *v = pf_add_vf(p, (int)json_integer_value(ix));
			if (get_fields(ve, v, vf_f, NF(vf_f), ovr) ||
			    get_fields(json_object_get(ve, "allocation"), v, vf_alloc_f, NF(vf_alloc_f), ovr) ||
			    get_fields(json_object_get(ve, "failover"), v, vf_failover_f, NF(vf_failover_f), ovr)) {
				snprintf(err, errlen, "pfs[%zu].vfs[%zu]: bad field", i, k);
				goto bad;
			}
			json_t *st = json_object_get(ve, "stats");
			if (json_is_object(st)) {
				v->stats.known = 0;
				for (int c = 0; c < VF_ST_MAX; c++) {
					const json_t *x = json_object_get(st, vf_stat_f[c].name);
					if (!json_is_integer(x) || json_integer_value(x) < 0)
						continue; /* null or absent: not given */
					*(uint64_t *)((char *)&v->stats + vf_stat_f[c].off) = (uint64_t)json_integer_value(x);
					v->stats.known |= 1u << c;
				}
				if (v->stats.known)
					v->stats.src = (uint8_t)(ovr ? ovr : SRC_NETLINK);
			}
		}
	}
	a = json_object_get(j, "teams");
	LIMIT(a, 1024, "teams");
	json_array_foreach(a, i, e) {
		struct team *t = machine_add_team(m, NULL);
		if (get_fields(e, t, team_f, NF(team_f), ovr) || !t->name.v) {
			snprintf(err, errlen, "teams[%zu]: bad field", i);
			goto bad;
		}
		const char *d = json_string_value(json_object_get(e, "driver"));
		t->driver = team_driver_parse(d);
		if (get_fields(json_object_get(e, "pair"), t, pair_f, NF(pair_f), ovr)) {
			snprintf(err, errlen, "teams[%zu].pair: bad field", i);
			goto bad;
		}
		json_t *ms = json_object_get(e, "members"), *me;
		size_t k;
		LIMIT(ms, 64, "team members");
		json_array_foreach(ms, k, me) {
			struct member *mb = team_add_member(t, NULL);
			if (get_fields(me, mb, member_f, NF(member_f), ovr) || !mb->name.v ||
			    get_fields(me, mb, member_role_f, NF(member_role_f), ovr)) {
				snprintf(err, errlen, "teams[%zu].members[%zu]: bad field", i, k);
				goto bad;
			}
		}
	}
	a = json_object_get(j, "kmsg");
	LIMIT(a, 4096, "kmsg lines");
	json_array_foreach(a, i, e) {
		const char *t = json_string_value(json_object_get(e, "text"));
		if (t)
			machine_add_kmsg(m, (uint64_t)json_integer_value(json_object_get(e, "ts_us")),
					 (int)json_integer_value(json_object_get(e, "prio")), t);
	}
	a = json_object_get(j, "events");
	LIMIT(a, 65536, "events");
	json_array_foreach(a, i, e) {
		struct vfs_event ev;
		if (!event_from_json(e, &ev))
			machine_add_event(m, &ev);
	}
	a = json_object_get(j, "guests");
	LIMIT(a, 512, "guests"); /* guests and network namespaces (collectors/netns.h NETNS_MAX) */
	json_array_foreach(a, i, e) {
		char gerr[200];
		struct machine *g = machine_from_json(e, ovr, gerr, sizeof(gerr));
		if (!g) {
			snprintf(err, errlen, "guests[%zu]: %s", i, gerr);
			goto bad;
		}
		machine_add_guest(m, g);
	}
	if ((e = json_object_get(j, "hyperv")) && !json_is_null(e)) {
		char herr[200];
		if (!(m->hyperv = hv_from_json(e, ovr, herr, sizeof(herr)))) {
			snprintf(err, errlen, "%s", herr);
			goto bad;
		}
	}
	hv_link(m);
	return m;
bad:
	machine_free(m);
	return NULL;
}

struct machine *machine_from_text(const char *text, size_t len, int ovr, char *err, size_t errlen)
{
	if (len > VFS_JSON_MAX_BYTES) {
		snprintf(err, errlen, "document larger than %u bytes", VFS_JSON_MAX_BYTES);
		return NULL;
	}
	json_error_t je;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!j) {
		snprintf(err, errlen, "JSON line %d: %s", je.line, je.text);
		return NULL;
	}
	struct machine *m = machine_from_json(j, ovr, err, errlen);
	json_decref(j);
	return m;
}
