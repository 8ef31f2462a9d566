#include "collectors/iplink_json.h"
#include "collectors/root.h"
#include "model/json.h"
#include "lib/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stddef.h>

/* ip -j's VF counters ("stats": {"rx": {...}, "tx": {...}}) and where each
 * goes in struct vf_stats: one table for reading and writing them. */
static const struct { bool tx; const char *key; size_t off; int bit; } vf_stat_keys[] = {
	{ false, "bytes", offsetof(struct vf_stats, rx_bytes), VF_ST_RX_BYTES },
	{ false, "packets", offsetof(struct vf_stats, rx_packets), VF_ST_RX_PACKETS },
	{ false, "multicast", offsetof(struct vf_stats, multicast), VF_ST_MULTICAST },
	{ false, "broadcast", offsetof(struct vf_stats, broadcast), VF_ST_BROADCAST },
	{ false, "dropped", offsetof(struct vf_stats, rx_dropped), VF_ST_RX_DROPPED },
	{ true, "bytes", offsetof(struct vf_stats, tx_bytes), VF_ST_TX_BYTES },
	{ true, "packets", offsetof(struct vf_stats, tx_packets), VF_ST_TX_PACKETS },
	{ true, "dropped", offsetof(struct vf_stats, tx_dropped), VF_ST_TX_DROPPED },
};

static const char *js(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void set_s(struct vs *f, const char *v)
{
	if (!v)
		return;
	char *c = vfs_sanitize_dup(v);
	vs_set(f, c, SRC_NETLINK);
	free(c);
}

static void set_i(struct vi *f, const json_t *v)
{
	if (json_is_integer(v))
		vi_set(f, json_integer_value(v), SRC_NETLINK);
	else if (json_is_boolean(v))
		vi_set(f, json_is_true(v), SRC_NETLINK);
}

/* A number iproute2 prints only when it is not 0: absent is 0, anything
 * but an integer is unknown. */
static void zero_or_i(struct vi *f, const json_t *o, const char *key)
{
	const json_t *x = json_object_get(o, key);
	if (!x)
		vi_set(f, 0, SRC_NETLINK);
	else if (json_is_integer(x))
		vi_set(f, json_integer_value(x), SRC_NETLINK);
}

static struct team *team_for(struct machine *m, const char *name)
{
	for (size_t i = 0; i < m->nteams; i++)
		if (m->teams[i].name.v && !strcmp(m->teams[i].name.v, name))
			return &m->teams[i];
	struct team *t = machine_add_team(m, name);
	t->name.src = SRC_NETLINK;
	return t;
}

static struct member *member_for(struct team *t, const char *name)
{
	for (size_t i = 0; i < t->nmembers; i++)
		if (!strcmp(t->members[i].name.v, name))
			return &t->members[i];
	if (t->nmembers >= 64)
		return NULL;
	struct member *mb = team_add_member(t, name);
	mb->name.src = SRC_NETLINK;
	return mb;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void parse_vf(struct pf *pf, const json_t *o)
{
	json_t *ix = json_object_get(o, "vf");
	if (!json_is_integer(ix) || json_integer_value(ix) < 0 || json_integer_value(ix) >= 4096)
		return;
	int idx = (int)json_integer_value(ix);
	struct vf *v = NULL;
	for (size_t i = 0; i < pf->nvfs; i++)
		if (pf->vfs[i].index == idx)
			v = &pf->vfs[i];
	if (!v) {
		if (pf->nvfs >= 4096)
			return;
		v = pf_add_vf(pf, idx);
	}
	const char *mac = js(o, "address");
	if (!mac)
		mac = js(o, "mac");
	uint8_t b[6];
	if (mac && !vfs_mac_parse(mac, b)) {
		char s[18];
		vfs_mac_format(b, s);
		vs_set(&v->mac, s, SRC_NETLINK);
	}
	/* iproute2 (print_vfinfo) prints vlan and qos only when non-zero, in
	 * a "vlan_list" entry (IFLA_VF_VLAN_LIST: VLAN 0 is "vlan_list":[{}])
	 * or, without the list, in the VF object itself; the protocol only
	 * when it is not 802.1Q. So an entry printed without them says 0. */
	const json_t *vl = json_array_get(json_object_get(o, "vlan_list"), 0);
	if (json_is_object(vl)) {
		zero_or_i(&v->vlan, vl, "vlan");
		zero_or_i(&v->qos, vl, "qos");
		const char *p = js(vl, "protocol");
		if (!json_object_get(vl, "protocol") || (p && !strcasecmp(p, "802.1Q")))
			vi_set(&v->vlan_proto, 0x8100, SRC_NETLINK);
		else if (p && !strcasecmp(p, "802.1ad"))
			vi_set(&v->vlan_proto, 0x88a8, SRC_NETLINK);
	} else if (!json_object_get(o, "vlan_list") && VS_KNOWN(v->mac)) {
		zero_or_i(&v->vlan, o, "vlan");
		zero_or_i(&v->qos, o, "qos");
	}
	const json_t *rate = json_object_get(o, "rate");
	if (json_is_object(rate)) {
		set_i(&v->max_tx_rate, json_object_get(rate, "max_tx"));
		set_i(&v->min_tx_rate, json_object_get(rate, "min_tx"));
	} else if (json_object_get(o, "tx_rate")) {
		set_i(&v->max_tx_rate, json_object_get(o, "tx_rate"));
	}
	set_i(&v->spoofchk, json_object_get(o, "spoofchk"));
	set_i(&v->trust, json_object_get(o, "trust"));
	set_i(&v->rss_query, json_object_get(o, "query_rss_en"));
	const char *ls = js(o, "link_state");
	if (ls)
		vi_set(&v->link_state, !strcmp(ls, "enable") ? VF_LINK_ENABLE : !strcmp(ls, "disable") ? VF_LINK_DISABLE : VF_LINK_AUTO,
		       SRC_NETLINK);
	/* Each counter only when ip printed it (older iproute2 has no
	 * "dropped"): an absent one is unknown, not 0. */
	const json_t *st = json_object_get(o, "stats");
	if (json_is_object(st)) {
		const json_t *rx = json_object_get(st, "rx"), *tx = json_object_get(st, "tx");
		struct vf_stats *s = &v->stats;
		s->known = 0;
		for (size_t i = 0; i < ARRAY_SIZE(vf_stat_keys); i++) {
			const json_t *x = json_object_get(vf_stat_keys[i].tx ? tx : rx, vf_stat_keys[i].key);
			if (json_is_integer(x) && json_integer_value(x) >= 0) {
				*(uint64_t *)((char *)s + vf_stat_keys[i].off) = (uint64_t)json_integer_value(x);
				s->known |= 1u << vf_stat_keys[i].bit;
			}
		}
		if (s->known)
			s->src = SRC_NETLINK;
	}
}

static void phys_port(struct pf *pf, const json_t *o)
{
	set_s(&pf->phys_port_id, js(o, "phys_port_id"));
	set_s(&pf->phys_switch_id, js(o, "phys_switch_id"));
	set_s(&pf->phys_port_name, js(o, "phys_port_name"));
}

static void parse_link(struct machine *m, const json_t *o)
{
	const char *name = js(o, "ifname");
	if (!name || !*name || strlen(name) > 64)
		return;
	char clean[80];
	vfs_sanitize(clean, sizeof(clean), name);
	int i = machine_find_netdev(m, clean);
	struct netdev *n = i >= 0 ? &m->netdevs[i] : machine_add_netdev(m, clean);
	if (i < 0)
		n->name.src = SRC_NETLINK;
	set_i(&n->ifindex, json_object_get(o, "ifindex"));
	set_i(&n->mtu, json_object_get(o, "mtu"));
	const char *lt = js(o, "link_type");
	if (lt && !strcmp(lt, "ether")) {
		set_s(&n->mac, js(o, "address"));
		set_s(&n->perm_mac, js(o, "permaddr"));
	}
	const char *os = js(o, "operstate");
	if (os) {
		char l[32];
		vfs_strlcpy(l, os, sizeof(l));
		lower(l);
		set_s(&n->operstate, l);
	}
	/* ip prints ifi_flags by name: UP is IFF_UP (admin state); LOWER_UP is
	 * the carrier, which the kernel reports only while the device is up
	 * (dev_get_flags); NO-CARRIER is UP without RUNNING (iproute2's
	 * print_link_flags). No "flags" array at all says nothing. */
	const json_t *flags = json_object_get(o, "flags"), *f;
	size_t k;
	bool up = false, lower_up = false, no_carrier = false;
	json_array_foreach(flags, k, f) {
		const char *s = json_string_value(f);
		if (s && !strcmp(s, "UP"))
			up = true;
		if (s && !strcmp(s, "LOWER_UP"))
			lower_up = true;
		if (s && !strcmp(s, "NO-CARRIER"))
			no_carrier = true;
	}
	if (json_is_array(flags)) {
		vi_set(&n->admin_up, up, SRC_NETLINK);
		if (!up)
			vi_set(&n->carrier, 0, SRC_NONE);
		else if (lower_up || no_carrier) /* both: carrier, but not RUNNING (dormant) */
			vi_set(&n->carrier, lower_up, SRC_NETLINK);
	}
	set_s(&n->ifalias, js(o, "ifalias")); /* "" stays unknown */
	const char *master = js(o, "master");
	if (master)
		set_s(&n->master, master);
	const char *pdev = js(o, "parentdev"), *pbus = js(o, "parentbus");
	if (pdev && pbus && !strcmp(pbus, "pci") && !VS_KNOWN(n->pci))
		set_s(&n->pci, pdev);

	const json_t *li = json_object_get(o, "linkinfo");
	if (json_is_object(li)) {
		const char *kind = js(li, "info_kind"), *skind = js(li, "info_slave_kind");
		if (kind)
			set_s(&n->kind, kind);
		const json_t *d = json_object_get(li, "info_data");
		if (kind && !strcmp(kind, "bond") && json_is_object(d)) {
			struct team *t = team_for(m, clean);
			t->driver = TEAM_BONDING;
			set_s(&t->mode, js(d, "mode"));
			set_s(&t->active, js(d, "active_slave"));
			set_s(&t->primary, js(d, "primary"));
			set_i(&t->miimon, json_object_get(d, "miimon"));
			set_i(&t->arp_interval, json_object_get(d, "arp_interval"));
			set_i(&t->updelay, json_object_get(d, "updelay"));
			set_i(&t->downdelay, json_object_get(d, "downdelay"));
			set_s(&t->fail_over_mac, js(d, "fail_over_mac"));
			set_s(&t->xmit_hash_policy, js(d, "xmit_hash_policy"));
			set_s(&t->lacp_rate, js(d, "ad_lacp_rate"));
			set_s(&t->ad_select, js(d, "ad_select"));
			set_s(&t->mac, js(o, "address"));
		} else if (kind && !strcmp(kind, "team")) {
			team_for(m, clean)->driver = TEAM_TEAMD;
		}
		const json_t *sd = json_object_get(li, "info_slave_data");
		if (skind && master && (!strcmp(skind, "bond") || !strcmp(skind, "team"))) {
			char mc[80];
			vfs_sanitize(mc, sizeof(mc), master);
			struct team *t = team_for(m, mc);
			if (!t->driver)
				t->driver = !strcmp(skind, "bond") ? TEAM_BONDING : TEAM_TEAMD;
			struct member *mb = member_for(t, clean);
			if (mb && json_is_object(sd)) {
				char l[32];
				const char *s = js(sd, "state");
				if (s) {
					vfs_strlcpy(l, s, sizeof(l));
					lower(l);
					set_s(&mb->state, l);
				}
				s = js(sd, "mii_status");
				if (s) {
					vfs_strlcpy(l, s, sizeof(l));
					lower(l);
					set_s(&mb->mii_status, l);
				}
				set_i(&mb->link_failures, json_object_get(sd, "link_failure_count"));
				set_s(&mb->perm_mac, js(sd, "perm_hwaddr"));
				set_i(&mb->queue_id, json_object_get(sd, "queue_id"));
			}
		}
	}
	const json_t *vfl = json_object_get(o, "vfinfo_list");
	if (n->pci.v) { /* a PF's physical port identity (ip -d: portid, switchid, portname) */
		int p = machine_find_pf(m, n->pci.v);
		if (p >= 0 && (!VS_KNOWN(m->pfs[p].netdev) || !strcmp(m->pfs[p].netdev.v, clean)))
			phys_port(&m->pfs[p], o);
	}
	if (json_array_size(vfl) && n->pci.v) {
		int p = machine_find_pf(m, n->pci.v);
		struct pf *pf = p >= 0 ? &m->pfs[p] : NULL;
		if (!pf) {
			pf = machine_add_pf(m, n->pci.v);
			set_s(&pf->netdev, clean);
			phys_port(pf, o);
		}
		json_t *vo;
		json_array_foreach(vfl, k, vo) if (k < 4096) parse_vf(pf, vo);
	}
}

int iplink_json_parse(struct machine *m, const char *text, size_t len, char *err, size_t errlen)
{
	if (len > VFS_JSON_MAX_BYTES) {
		snprintf(err, errlen, "larger than %u bytes", VFS_JSON_MAX_BYTES);
		return -EFBIG;
	}
	json_error_t je;
	json_t *j = json_loadb(text, len, 0, &je);
	if (!j || !json_is_array(j)) {
		snprintf(err, errlen, j ? "not a JSON array of links" : "JSON line %d: %s", je.line, je.text);
		json_decref(j);
		return -EBADMSG;
	}
	/* Names and ifindexes first, then everything (masters by name). */
	size_t i;
	json_t *o;
	int n = 0;
	json_array_foreach(j, i, o) {
		if (i >= 8192)
			break;
		if (json_is_object(o)) {
			parse_link(m, o);
			n++;
		}
	}
	json_decref(j);
	return n;
}

int iplink_json_collect(struct machine *m, const char *path, int rel)
{
	char *buf = NULL;
	ssize_t len;
	if (rel) {
		len = root_read_bin(path, (unsigned char **)&buf, VFS_JSON_MAX_BYTES + 1);
	} else {
		FILE *f = fopen(path, "r");
		if (!f) {
			machine_add_source(m, "netlink", SOURCE_FAILED, "%s: %s", path, strerror(errno));
			return -errno;
		}
		buf = vfs_xcalloc(1, VFS_JSON_MAX_BYTES + 1);
		len = (ssize_t)fread(buf, 1, VFS_JSON_MAX_BYTES + 1, f);
		fclose(f);
	}
	if (len < 0) {
		machine_add_source(m, "netlink", SOURCE_FAILED, "%s: %s", path, strerror((int)-len));
		return (int)len;
	}
	char err[256];
	int n = iplink_json_parse(m, buf, (size_t)len, err, sizeof(err));
	free(buf);
	if (n < 0)
		machine_add_source(m, "netlink", SOURCE_FAILED, "%s: %s", path, err);
	else
		machine_add_source(m, "netlink", SOURCE_OK, "replayed from %s (ip -d -j link show)", path);
	return n;
}

static void put_s(json_t *o, const char *k, const struct vs *v)
{
	if (VS_KNOWN(*v))
		json_object_set_new(o, k, json_string(v->v));
}

static void put_i(json_t *o, const char *k, const struct vi *v)
{
	if (VI_KNOWN(*v))
		json_object_set_new(o, k, json_integer(v->v));
}

static void put_b(json_t *o, const char *k, const struct vi *v)
{
	if (VI_KNOWN(*v))
		json_object_set_new(o, k, json_boolean(v->v));
}

static void upper(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

json_t *iplink_json_write(const struct machine *m)
{
	static const char *const ls[] = { "auto", "enable", "disable" };
	json_t *arr = json_array();
	for (size_t i = 0; i < m->nnetdevs; i++) {
		const struct netdev *n = &m->netdevs[i];
		json_t *o = json_object();
		put_i(o, "ifindex", &n->ifindex);
		put_s(o, "ifname", &n->name);
		/* As ip prints them; without a known admin state there are no
		 * flags at all (an empty list would read back as down). */
		if (VI_KNOWN(n->admin_up)) {
			json_t *flags = json_array();
			if (n->admin_up.v && VI_KNOWN(n->carrier) && !n->carrier.v)
				json_array_append_new(flags, json_string("NO-CARRIER"));
			if (n->admin_up.v)
				json_array_append_new(flags, json_string("UP"));
			if (n->admin_up.v && VI_KNOWN(n->carrier) && n->carrier.v)
				json_array_append_new(flags, json_string("LOWER_UP"));
			json_object_set_new(o, "flags", flags);
		}
		put_i(o, "mtu", &n->mtu);
		if (VS_KNOWN(n->operstate)) {
			char up[32];
			vfs_strlcpy(up, n->operstate.v, sizeof(up));
			upper(up);
			json_object_set_new(o, "operstate", json_string(up));
		}
		put_s(o, "master", &n->master);
		if (VS_KNOWN(n->mac)) {
			json_object_set_new(o, "link_type", json_string("ether"));
			put_s(o, "address", &n->mac);
			put_s(o, "permaddr", &n->perm_mac);
		}
		put_s(o, "ifalias", &n->ifalias);
		if (n->pf_idx >= 0 && (size_t)n->pf_idx < m->npfs) {
			put_s(o, "phys_port_id", &m->pfs[n->pf_idx].phys_port_id);
			put_s(o, "phys_switch_id", &m->pfs[n->pf_idx].phys_switch_id);
			put_s(o, "phys_port_name", &m->pfs[n->pf_idx].phys_port_name);
		}
		if (VS_KNOWN(n->pci)) {
			json_object_set_new(o, "parentbus", json_string("pci"));
			put_s(o, "parentdev", &n->pci);
		}
		json_t *li = json_object();
		put_s(li, "info_kind", &n->kind);
		for (size_t t = 0; t < m->nteams; t++) {
			const struct team *tm = &m->teams[t];
			if (tm->name.v && n->name.v && !strcmp(tm->name.v, n->name.v) && tm->driver == TEAM_BONDING) {
				json_t *d = json_object();
				put_s(d, "mode", &tm->mode);
				put_s(d, "active_slave", &tm->active);
				put_s(d, "primary", &tm->primary);
				put_i(d, "miimon", &tm->miimon);
				put_i(d, "arp_interval", &tm->arp_interval);
				put_i(d, "updelay", &tm->updelay);
				put_i(d, "downdelay", &tm->downdelay);
				put_s(d, "fail_over_mac", &tm->fail_over_mac);
				put_s(d, "xmit_hash_policy", &tm->xmit_hash_policy);
				put_s(d, "ad_lacp_rate", &tm->lacp_rate);
				put_s(d, "ad_select", &tm->ad_select);
				json_object_set_new(li, "info_data", d);
			}
			for (size_t k = 0; k < tm->nmembers; k++) {
				const struct member *mb = &tm->members[k];
				if (!mb->name.v || !n->name.v || strcmp(mb->name.v, n->name.v))
					continue;
				json_object_set_new(li, "info_slave_kind",
						    json_string(tm->driver == TEAM_TEAMD ? "team" : "bond"));
				json_t *sd = json_object();
				char up[32];
				if (VS_KNOWN(mb->state)) {
					vfs_strlcpy(up, mb->state.v, sizeof(up));
					upper(up);
					json_object_set_new(sd, "state", json_string(up));
				}
				if (VS_KNOWN(mb->mii_status)) {
					vfs_strlcpy(up, mb->mii_status.v, sizeof(up));
					upper(up);
					json_object_set_new(sd, "mii_status", json_string(up));
				}
				put_i(sd, "link_failure_count", &mb->link_failures);
				put_s(sd, "perm_hwaddr", &mb->perm_mac);
				put_i(sd, "queue_id", &mb->queue_id);
				json_object_set_new(li, "info_slave_data", sd);
			}
		}
		if (json_object_size(li))
			json_object_set_new(o, "linkinfo", li);
		else
			json_decref(li);
		if (n->pf_idx >= 0 && (size_t)n->pf_idx < m->npfs) {
			const struct pf *p = &m->pfs[n->pf_idx];
			json_t *vl = json_array();
			for (size_t v = 0; v < p->nvfs; v++) {
				const struct vf *f = &p->vfs[v];
				if (!VS_KNOWN(f->mac))
					continue; /* no netlink facts about this VF */
				json_t *vo = json_object();
				json_object_set_new(vo, "vf", json_integer(f->index));
				json_object_set_new(vo, "link_type", json_string("ether"));
				put_s(vo, "address", &f->mac);
				if (VI_KNOWN(f->vlan) && f->vlan.v) {
					json_t *e = json_object();
					put_i(e, "vlan", &f->vlan);
					put_i(e, "qos", &f->qos);
					if (VI_KNOWN(f->vlan_proto))
						json_object_set_new(e, "protocol", json_string(f->vlan_proto.v == 0x88a8 ? "802.1ad" : "802.1Q"));
					json_object_set_new(vo, "vlan_list", json_pack("[o]", e));
				}
				if (VI_KNOWN(f->max_tx_rate) || VI_KNOWN(f->min_tx_rate)) {
					json_t *r = json_object();
					put_i(r, "max_tx", &f->max_tx_rate);
					put_i(r, "min_tx", &f->min_tx_rate);
					json_object_set_new(vo, "rate", r);
				}
				put_b(vo, "spoofchk", &f->spoofchk);
				put_b(vo, "trust", &f->trust);
				put_b(vo, "query_rss_en", &f->rss_query);
				if (VI_KNOWN(f->link_state) && f->link_state.v >= 0 && f->link_state.v <= 2)
					json_object_set_new(vo, "link_state", json_string(ls[f->link_state.v]));
				if (f->stats.src) {
					json_t *rx = json_object(), *tx = json_object();
					for (size_t i = 0; i < ARRAY_SIZE(vf_stat_keys); i++)
						if (VF_STAT_KNOWN(f->stats, vf_stat_keys[i].bit))
							json_object_set_new(vf_stat_keys[i].tx ? tx : rx, vf_stat_keys[i].key,
									    json_integer((json_int_t)*(const uint64_t *)
											 ((const char *)&f->stats + vf_stat_keys[i].off)));
					json_object_set_new(vo, "stats", json_pack("{s:o,s:o}", "rx", rx, "tx", tx));
				}
				json_array_append_new(vl, vo);
			}
			if (json_array_size(vl))
				json_object_set_new(o, "vfinfo_list", vl);
			else
				json_decref(vl);
		}
		json_array_append_new(arr, o);
	}
	return arr;
}
