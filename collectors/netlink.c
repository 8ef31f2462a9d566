#include "collectors/netlink.h"
#include "lib/strindex.h"
#include "lib/util.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/if_arp.h>
#include <libmnl/libmnl.h>

#ifndef IFLA_PERM_ADDRESS
#define IFLA_PERM_ADDRESS 54
#endif
#ifndef IFLA_PARENT_DEV_NAME
#define IFLA_PARENT_DEV_NAME 56
#define IFLA_PARENT_DEV_BUS_NAME 57
#endif

static const char *const bond_modes[] = { "balance-rr", "active-backup", "balance-xor", "broadcast",
					  "802.3ad", "balance-tlb", "balance-alb" };
static const char *const fom_names[] = { "none", "active", "follow" };
static const char *const slave_states[] = { "active", "backup" };
static const char *const mii_names[] = { "up", "going down", "down", "going back" };

/* Collect every attribute of a nest into tb[] (last one wins), bounded. */
struct attr_tab { const struct nlattr **tb; unsigned max; };
static int put_attr(const struct nlattr *a, void *data)
{
	struct attr_tab *t = data;
	unsigned type = mnl_attr_get_type(a);
	if (type <= t->max)
		t->tb[type] = a;
	return MNL_CB_OK;
}

static int parse_nested(const struct nlattr *nest, const struct nlattr **tb, unsigned max)
{
	struct attr_tab t = { tb, max };
	memset(tb, 0, sizeof(*tb) * (max + 1));
	return mnl_attr_parse_nested(nest, put_attr, &t) < 0 ? -EBADMSG : 0;
}

static bool attr_len_ok(const struct nlattr *a, size_t want)
{
	return a && mnl_attr_get_payload_len(a) >= want;
}

static void mac_vs(struct vs *f, const struct nlattr *a, int src)
{
	if (!a)
		return;
	size_t l = mnl_attr_get_payload_len(a);
	if (l != 6)
		return; /* not Ethernet: leave unknown */
	char s[18];
	vfs_mac_format(mnl_attr_get_payload(a), s);
	vs_set(f, s, src);
}

static const char *str_attr(const struct nlattr *a, char *buf, size_t size)
{
	if (!a)
		return NULL;
	size_t l = mnl_attr_get_payload_len(a);
	const char *p = mnl_attr_get_payload(a);
	size_t n = strnlen(p, l);
	char tmp[IFNAMSIZ * 16];
	if (n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	memcpy(tmp, p, n);
	tmp[n] = 0;
	return vfs_sanitize(buf, size, tmp);
}

static void vi_u32(struct vi *f, const struct nlattr *a)
{
	if (attr_len_ok(a, 4))
		vi_set(f, mnl_attr_get_u32(a), SRC_NETLINK);
}

static void vi_u8(struct vi *f, const struct nlattr *a)
{
	if (attr_len_ok(a, 1))
		vi_set(f, mnl_attr_get_u8(a), SRC_NETLINK);
}

static void parse_vf(struct machine *m, struct pf *pf, const struct nlattr *vfinfo)
{
	const struct nlattr *tb[IFLA_VF_MAX + 1];
	if (parse_nested(vfinfo, tb, IFLA_VF_MAX) || !attr_len_ok(tb[IFLA_VF_MAC], sizeof(struct ifla_vf_mac)))
		return;
	const struct ifla_vf_mac *vm = mnl_attr_get_payload(tb[IFLA_VF_MAC]);
	if (vm->vf >= 4096)
		return;
	struct vf *v = NULL;
	for (size_t i = 0; i < pf->nvfs; i++)
		if (pf->vfs[i].index == (int)vm->vf)
			v = &pf->vfs[i];
	if (!v)
		v = pf_add_vf(pf, (int)vm->vf);
	char s[18];
	vfs_mac_format(vm->mac, s);
	vs_set(&v->mac, s, SRC_NETLINK);
	if (attr_len_ok(tb[IFLA_VF_VLAN], sizeof(struct ifla_vf_vlan))) {
		const struct ifla_vf_vlan *vl = mnl_attr_get_payload(tb[IFLA_VF_VLAN]);
		vi_set(&v->vlan, vl->vlan, SRC_NETLINK);
		vi_set(&v->qos, vl->qos, SRC_NETLINK);
	}
	if (tb[IFLA_VF_VLAN_LIST]) {
		const struct nlattr *vtb[IFLA_VF_VLAN_INFO_MAX + 1];
		if (!parse_nested(tb[IFLA_VF_VLAN_LIST], vtb, IFLA_VF_VLAN_INFO_MAX) &&
		    attr_len_ok(vtb[IFLA_VF_VLAN_INFO], sizeof(struct ifla_vf_vlan_info))) {
			const struct ifla_vf_vlan_info *vi = mnl_attr_get_payload(vtb[IFLA_VF_VLAN_INFO]);
			vi_set(&v->vlan_proto, ntohs(vi->vlan_proto), SRC_NETLINK);
		}
	}
	if (attr_len_ok(tb[IFLA_VF_RATE], sizeof(struct ifla_vf_rate))) {
		const struct ifla_vf_rate *r = mnl_attr_get_payload(tb[IFLA_VF_RATE]);
		vi_set(&v->min_tx_rate, r->min_tx_rate, SRC_NETLINK);
		vi_set(&v->max_tx_rate, r->max_tx_rate, SRC_NETLINK);
	} else if (attr_len_ok(tb[IFLA_VF_TX_RATE], sizeof(struct ifla_vf_tx_rate))) {
		const struct ifla_vf_tx_rate *r = mnl_attr_get_payload(tb[IFLA_VF_TX_RATE]);
		vi_set(&v->max_tx_rate, r->rate, SRC_NETLINK);
	}
	/* Drivers without the op report (u32)-1: unknown, not "on". */
	if (attr_len_ok(tb[IFLA_VF_SPOOFCHK], sizeof(struct ifla_vf_spoofchk))) {
		const struct ifla_vf_spoofchk *x = mnl_attr_get_payload(tb[IFLA_VF_SPOOFCHK]);
		if (x->setting != (__u32)-1)
			vi_set(&v->spoofchk, x->setting, SRC_NETLINK);
	}
	if (attr_len_ok(tb[IFLA_VF_TRUST], sizeof(struct ifla_vf_trust))) {
		const struct ifla_vf_trust *x = mnl_attr_get_payload(tb[IFLA_VF_TRUST]);
		if (x->setting != (__u32)-1)
			vi_set(&v->trust, x->setting, SRC_NETLINK);
	}
	if (attr_len_ok(tb[IFLA_VF_LINK_STATE], sizeof(struct ifla_vf_link_state))) {
		const struct ifla_vf_link_state *x = mnl_attr_get_payload(tb[IFLA_VF_LINK_STATE]);
		vi_set(&v->link_state, x->link_state, SRC_NETLINK);
	}
	if (attr_len_ok(tb[IFLA_VF_RSS_QUERY_EN], sizeof(struct ifla_vf_rss_query_en))) {
		const struct ifla_vf_rss_query_en *x = mnl_attr_get_payload(tb[IFLA_VF_RSS_QUERY_EN]);
		if (x->setting != (__u32)-1)
			vi_set(&v->rss_query, x->setting, SRC_NETLINK);
	}
	if (tb[IFLA_VF_STATS]) {
		const struct nlattr *st[IFLA_VF_STATS_MAX + 1];
		if (!parse_nested(tb[IFLA_VF_STATS], st, IFLA_VF_STATS_MAX)) {
			v->stats.known = 0;
#define ST(f, a, b)                                                                     \
	if (attr_len_ok(st[a], 8)) {                                                    \
		v->stats.f = mnl_attr_get_u64(st[a]);                                   \
		v->stats.src = SRC_NETLINK;                                             \
		v->stats.known |= 1u << (b);                                            \
	}
			ST(rx_packets, IFLA_VF_STATS_RX_PACKETS, VF_ST_RX_PACKETS);
			ST(tx_packets, IFLA_VF_STATS_TX_PACKETS, VF_ST_TX_PACKETS);
			ST(rx_bytes, IFLA_VF_STATS_RX_BYTES, VF_ST_RX_BYTES);
			ST(tx_bytes, IFLA_VF_STATS_TX_BYTES, VF_ST_TX_BYTES);
			ST(broadcast, IFLA_VF_STATS_BROADCAST, VF_ST_BROADCAST);
			ST(multicast, IFLA_VF_STATS_MULTICAST, VF_ST_MULTICAST);
			ST(rx_dropped, IFLA_VF_STATS_RX_DROPPED, VF_ST_RX_DROPPED); /* kernel 5.5+ */
			ST(tx_dropped, IFLA_VF_STATS_TX_DROPPED, VF_ST_TX_DROPPED);
#undef ST
		}
	}
}

static struct team *team_for(struct machine *m, const char *name)
{
	for (size_t i = 0; i < m->nteams; i++)
		if (m->teams[i].name.v && !strcmp(m->teams[i].name.v, name))
			return &m->teams[i];
	return machine_add_team(m, name);
}

static const char *ifname_of(struct machine *m, uint32_t ifindex)
{
	int i = machine_find_netdev_ifindex(m, ifindex);
	return i >= 0 ? m->netdevs[i].name.v : NULL;
}

static void parse_bond(struct machine *m, const char *name, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_BOND_MAX + 1];
	if (parse_nested(data, tb, IFLA_BOND_MAX))
		return;
	struct team *t = team_for(m, name);
	t->driver = TEAM_BONDING;
	if (attr_len_ok(tb[IFLA_BOND_MODE], 1)) {
		unsigned mode = mnl_attr_get_u8(tb[IFLA_BOND_MODE]);
		vi_set(&t->mode_num, mode, SRC_NETLINK);
		if (mode < ARRAY_SIZE(bond_modes))
			vs_set(&t->mode, bond_modes[mode], SRC_NETLINK);
	}
	vi_u32(&t->miimon, tb[IFLA_BOND_MIIMON]);
	vi_u32(&t->arp_interval, tb[IFLA_BOND_ARP_INTERVAL]);
	vi_u32(&t->updelay, tb[IFLA_BOND_UPDELAY]);
	vi_u32(&t->downdelay, tb[IFLA_BOND_DOWNDELAY]);
	if (attr_len_ok(tb[IFLA_BOND_FAIL_OVER_MAC], 1)) {
		unsigned f = mnl_attr_get_u8(tb[IFLA_BOND_FAIL_OVER_MAC]);
		if (f < ARRAY_SIZE(fom_names))
			vs_set(&t->fail_over_mac, fom_names[f], SRC_NETLINK);
	}
	if (attr_len_ok(tb[IFLA_BOND_ACTIVE_SLAVE], 4)) {
		const char *a = ifname_of(m, mnl_attr_get_u32(tb[IFLA_BOND_ACTIVE_SLAVE]));
		if (a)
			vs_set(&t->active, a, SRC_NETLINK);
	}
	if (attr_len_ok(tb[IFLA_BOND_PRIMARY], 4)) {
		const char *a = ifname_of(m, mnl_attr_get_u32(tb[IFLA_BOND_PRIMARY]));
		if (a)
			vs_set(&t->primary, a, SRC_NETLINK);
	}
}

static void parse_bond_slave(struct machine *m, struct netdev *n, const struct nlattr *data)
{
	const struct nlattr *tb[IFLA_BOND_SLAVE_MAX + 1];
	if (!n->master.v || parse_nested(data, tb, IFLA_BOND_SLAVE_MAX))
		return;
	struct team *t = team_for(m, n->master.v);
	t->driver = TEAM_BONDING;
	struct member *mb = NULL;
	for (size_t i = 0; i < t->nmembers; i++)
		if (!strcmp(t->members[i].name.v, n->name.v))
			mb = &t->members[i];
	if (!mb) {
		if (t->nmembers >= 64)
			return;
		mb = team_add_member(t, n->name.v);
	}
	if (attr_len_ok(tb[IFLA_BOND_SLAVE_STATE], 1)) {
		unsigned s = mnl_attr_get_u8(tb[IFLA_BOND_SLAVE_STATE]);
		if (s < ARRAY_SIZE(slave_states))
			vs_set(&mb->state, slave_states[s], SRC_NETLINK);
	}
	if (attr_len_ok(tb[IFLA_BOND_SLAVE_MII_STATUS], 1)) {
		unsigned s = mnl_attr_get_u8(tb[IFLA_BOND_SLAVE_MII_STATUS]);
		if (s < ARRAY_SIZE(mii_names))
			vs_set(&mb->mii_status, mii_names[s], SRC_NETLINK);
	}
	vi_u32(&mb->link_failures, tb[IFLA_BOND_SLAVE_LINK_FAILURE_COUNT]);
	mac_vs(&mb->perm_mac, tb[IFLA_BOND_SLAVE_PERM_HWADDR], SRC_NETLINK);
	if (attr_len_ok(tb[IFLA_BOND_SLAVE_QUEUE_ID], 2))
		vi_set(&mb->queue_id, mnl_attr_get_u16(tb[IFLA_BOND_SLAVE_QUEUE_ID]), SRC_NETLINK);
}

/* A team-driver member (IFLA_INFO_SLAVE_KIND "team"): membership only;
 * teamd's runner and port state live in generic netlink (not read). */
static void add_generic_member(struct machine *m, struct netdev *n, int driver)
{
	struct team *t = team_for(m, n->master.v);
	if (!t->driver)
		t->driver = driver;
	for (size_t i = 0; i < t->nmembers; i++)
		if (!strcmp(t->members[i].name.v, n->name.v))
			return;
	if (t->nmembers < 64)
		team_add_member(t, n->name.v);
}

/* Binary port/switch ids as sysfs prints them (lowercase hex, no
 * separators); an empty attribute says nothing and leaves them unknown. */
static void hex_vs(struct vs *f, const struct nlattr *a)
{
	if (!a)
		return;
	size_t l = mnl_attr_get_payload_len(a);
	const uint8_t *p = mnl_attr_get_payload(a);
	char s[2 * 32 + 1]; /* MAX_PHYS_ITEM_ID_LEN */
	if (!l || l > 32)
		return;
	for (size_t i = 0; i < l; i++)
		snprintf(s + 2 * i, 3, "%02x", p[i]);
	vs_set(f, s, SRC_NETLINK);
}

static void phys_port(struct pf *pf, const struct nlattr *const *tb)
{
	char b[256];
	hex_vs(&pf->phys_port_id, tb[IFLA_PHYS_PORT_ID]);
	hex_vs(&pf->phys_switch_id, tb[IFLA_PHYS_SWITCH_ID]);
	if (str_attr(tb[IFLA_PHYS_PORT_NAME], b, sizeof(b)))
		vs_set(&pf->phys_port_name, b, SRC_NETLINK);
}

/* While nl_dump_merge runs, netdevs are found by name through an index
 * (thread-local: each namespace is read by a thread of its own): a dump of
 * thousands of links, each looked up by a scan of the netdevs in both
 * passes, was O(n^2), a quarter of a snapshot beside a 4,097-link namespace.
 * Names are never changed or netdevs removed during a merge. */
static __thread struct strindex *merge_ix;
static __thread const struct machine *merge_m;

static int find_netdev(struct machine *m, const char *name)
{
	if (merge_ix && merge_m == m)
		return strindex_get(merge_ix, name);
	return machine_find_netdev(m, name);
}

static struct netdev *add_netdev(struct machine *m, const char *name)
{
	struct netdev *n = machine_add_netdev(m, name);
	if (merge_ix && merge_m == m)
		strindex_put(merge_ix, n->name.v, (int)(n - m->netdevs), false);
	return n;
}

static int parse_link(struct machine *m, const struct nlmsghdr *nlh);

int netlink_parse_link(struct machine *m, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	if (len < sizeof(*nlh) || nlh->nlmsg_len > len || nlh->nlmsg_len < sizeof(*nlh))
		return -ENODATA;
	/* libmnl walks the attributes up to the message's aligned end: a
	 * length that is not a multiple of 4 (never the kernel's; hostile or
	 * cut input) is parsed from a zero-padded copy, so nothing past LEN
	 * is read. */
	if (NLMSG_ALIGN(nlh->nlmsg_len) != nlh->nlmsg_len) {
		struct nlmsghdr *copy = vfs_xcalloc(1, NLMSG_ALIGN(nlh->nlmsg_len));
		memcpy(copy, nlh, nlh->nlmsg_len);
		int rc = parse_link(m, copy);
		free(copy);
		return rc;
	}
	return parse_link(m, nlh);
}

static int parse_link(struct machine *m, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return -EBADMSG;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return -ENODATA;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1];
	memset(tb, 0, sizeof(tb));
	struct attr_tab t = { tb, IFLA_MAX };
	if (mnl_attr_parse(nlh, sizeof(*ifi), put_attr, &t) < 0)
		return -EBADMSG;
	char name[IFNAMSIZ * 4];
	if (!str_attr(tb[IFLA_IFNAME], name, sizeof(name)) || !name[0])
		return -EBADMSG;

	int idx = find_netdev(m, name);
	struct netdev *n = idx >= 0 ? &m->netdevs[idx] : add_netdev(m, name);
	if (idx < 0)
		n->name.src = SRC_NETLINK;
	vi_set(&n->ifindex, ifi->ifi_index, SRC_NETLINK);
	if (ifi->ifi_type == ARPHRD_ETHER)
		mac_vs(&n->mac, tb[IFLA_ADDRESS], SRC_NETLINK);
	mac_vs(&n->perm_mac, tb[IFLA_PERM_ADDRESS], SRC_NETLINK);
	/* The device under the netdev (Linux 5.16+): for a VF's netdev moved
	 * into another network namespace, where sysfs shows nothing of it, the
	 * one exact link to its PCI function (issue 14). */
	char pbus[16], pdev[64];
	if (!VS_KNOWN(n->pci) && str_attr(tb[IFLA_PARENT_DEV_BUS_NAME], pbus, sizeof(pbus)) && !strcmp(pbus, "pci") &&
	    str_attr(tb[IFLA_PARENT_DEV_NAME], pdev, sizeof(pdev)) && strlen(pdev) >= 7 && strchr(pdev, ':'))
		vs_set(&n->pci, pdev, SRC_NETLINK);
	vi_u32(&n->mtu, tb[IFLA_MTU]);
	/* Admin state is IFF_UP in every RTM_NEWLINK. IFLA_CARRIER of a device
	 * that is not up is whatever the driver left behind (sysfs carrier
	 * refuses to answer then): unknown, and any earlier value goes too. */
	vi_set(&n->admin_up, (ifi->ifi_flags & IFF_UP) != 0, SRC_NETLINK);
	if (ifi->ifi_flags & IFF_UP)
		vi_u8(&n->carrier, tb[IFLA_CARRIER]);
	else
		vi_set(&n->carrier, 0, SRC_NONE);
	if (attr_len_ok(tb[IFLA_OPERSTATE], 1)) {
		static const char *const os[] = { "unknown", "notpresent", "down", "lowerlayerdown",
						  "testing", "dormant", "up" };
		unsigned o = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
		if (o < ARRAY_SIZE(os))
			vs_set(&n->operstate, os[o], SRC_NETLINK);
	}
	vi_u32(&n->link_ifindex, tb[IFLA_LINK]);
	char b[256];
	if (str_attr(tb[IFLA_IFALIAS], b, sizeof(b)))
		vs_set(&n->ifalias, b, SRC_NETLINK); /* "" stays unknown */
	if (attr_len_ok(tb[IFLA_MASTER], 4)) {
		const char *mn = ifname_of(m, mnl_attr_get_u32(tb[IFLA_MASTER]));
		if (mn)
			vs_set(&n->master, mn, SRC_NETLINK);
	}
	if (tb[IFLA_LINKINFO]) {
		const struct nlattr *li[IFLA_INFO_MAX + 1];
		if (!parse_nested(tb[IFLA_LINKINFO], li, IFLA_INFO_MAX)) {
			char kind[64] = "", skind[64] = "";
			if (str_attr(li[IFLA_INFO_KIND], kind, sizeof(kind)))
				vs_set(&n->kind, kind, SRC_NETLINK);
			str_attr(li[IFLA_INFO_SLAVE_KIND], skind, sizeof(skind));
			if (!strcmp(kind, "bond") && li[IFLA_INFO_DATA])
				parse_bond(m, name, li[IFLA_INFO_DATA]);
			else if (!strcmp(kind, "team"))
				team_for(m, name)->driver = TEAM_TEAMD;
			if (!strcmp(skind, "bond") && li[IFLA_INFO_SLAVE_DATA])
				parse_bond_slave(m, n, li[IFLA_INFO_SLAVE_DATA]);
			else if (!strcmp(skind, "team") && n->master.v)
				add_generic_member(m, n, TEAM_TEAMD);
		}
	}
	if (n->pci.v) { /* a PF's physical port identity */
		int p = machine_find_pf(m, n->pci.v);
		if (p >= 0 && (!VS_KNOWN(m->pfs[p].netdev) || !strcmp(m->pfs[p].netdev.v, name)))
			phys_port(&m->pfs[p], tb);
	}
	if (tb[IFLA_VFINFO_LIST] && n->pci.v) {
		int p = machine_find_pf(m, n->pci.v);
		struct pf *pf = p >= 0 ? &m->pfs[p] : NULL;
		if (!pf) {
			pf = machine_add_pf(m, n->pci.v);
			vs_set(&pf->netdev, name, SRC_NETLINK);
			phys_port(pf, tb);
		}
		const struct nlattr *a;
		size_t count = 0;
		mnl_attr_for_each_nested(a, tb[IFLA_VFINFO_LIST]) {
			if (mnl_attr_get_type(a) == IFLA_VF_INFO && count++ < 1024)
				parse_vf(m, pf, a);
		}
	} else if (tb[IFLA_VFINFO_LIST]) {
		machine_warn(m, "%s has VF info but no PCI device in sysfs; VF list ignored", name);
	}
	return 0;
}

/* ---- the dump: collected whole, checked, retried, then merged ----
 *
 * A dump's datagrams are copied into one buffer first (nl_dump_feed) and
 * only merged into the model (nl_dump_merge) once complete. So an
 * interrupted dump (NLM_F_DUMP_INTR: the link set changed while the kernel
 * walked it) can be thrown away and taken again without leaving half a
 * link list in the model, and one dump serves both passes (names first,
 * then everything: masters and active slaves are named by ifindex). */


void nl_dump_init(struct nl_dump *d, unsigned seq, unsigned portid)
{
	free(d->buf);
	memset(d, 0, sizeof(*d));
	d->seq = seq;
	d->portid = portid;
}

void nl_dump_free(struct nl_dump *d)
{
	free(d->buf);
	d->buf = NULL;
	d->len = d->cap = 0;
}

static int keep_msg(struct nl_dump *d, const struct nlmsghdr *h)
{
	size_t l = NLMSG_ALIGN(h->nlmsg_len);
	if (d->nmsgs >= NL_DUMP_MAX_MSGS || d->len + l > NL_DUMP_MAX_BYTES)
		return -E2BIG;
	if (d->len + l > d->cap) {
		size_t cap = d->cap ? d->cap : 1 << 16;
		while (cap < d->len + l)
			cap *= 2;
		d->buf = vfs_xrealloc(d->buf, 1, cap);
		d->cap = cap;
	}
	memcpy(d->buf + d->len, h, h->nlmsg_len);
	memset(d->buf + d->len + h->nlmsg_len, 0, l - h->nlmsg_len);
	d->len += l;
	d->nmsgs++;
	return 0;
}

int nl_dump_feed(struct nl_dump *d, const void *buf, size_t len)
{
	if (d->done)
		return 1;
	if (len > INT_MAX)
		return -EMSGSIZE;
	int left = (int)len;
	const struct nlmsghdr *h = buf;
	for (; left > 0; h = mnl_nlmsg_next(h, &left)) {
		if (!nl_msg_ok(h, left))
			return d->err = -EBADMSG; /* truncated or impossible length */
		if (d->portid && h->nlmsg_pid && h->nlmsg_pid != d->portid)
			continue; /* not ours (another socket's reply) */
		if (d->seq && h->nlmsg_seq && h->nlmsg_seq != d->seq) {
			d->stale++; /* a late answer to an earlier try */
			continue;
		}
		if (h->nlmsg_flags & NLM_F_DUMP_INTR)
			d->intr = 1;
		switch (h->nlmsg_type) {
		case NLMSG_NOOP:
			continue;
		case NLMSG_DONE:
			d->done = 1;
			return 1;
		case NLMSG_ERROR: {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				return d->err = -EBADMSG;
			/* rtnl answers a dump it could not finish with an error. */
			return d->err = e->error < 0 ? e->error : -EPROTO;
		}
		case NLMSG_OVERRUN:
			return d->err = -ENOBUFS;
		case RTM_NEWLINK: {
			int r = keep_msg(d, h);
			if (r)
				return d->err = r;
			continue;
		}
		default:
			d->odd++;
			continue;
		}
	}
	return 0;
}

/* Pass 0 learns names and ifindexes only. */
static void learn_name(struct machine *m, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1];
	memset(tb, 0, sizeof(tb));
	struct attr_tab t = { tb, IFLA_MAX };
	char name[IFNAMSIZ * 4];
	if (mnl_attr_parse(nlh, sizeof(*ifi), put_attr, &t) < 0 || !str_attr(tb[IFLA_IFNAME], name, sizeof(name)) ||
	    !name[0])
		return;
	int i = find_netdev(m, name);
	struct netdev *n = i >= 0 ? &m->netdevs[i] : add_netdev(m, name);
	if (i < 0)
		n->name.src = SRC_NETLINK;
	vi_set(&n->ifindex, ifi->ifi_index, SRC_NETLINK);
}

/* A PF whose IFLA_NUM_VF disagrees with what sysfs listed a moment
 * earlier: its VFs came or went between the two reads. */
static bool vf_set_changed(struct machine *m, const struct nlmsghdr *nlh, const size_t *sysfs_nvfs, size_t npfs)
{
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
		return false;
	const struct nlattr *tb[IFLA_MAX + 1];
	memset(tb, 0, sizeof(tb));
	struct attr_tab t = { tb, IFLA_MAX };
	char name[IFNAMSIZ * 4];
	if (mnl_attr_parse(nlh, sizeof(struct ifinfomsg), put_attr, &t) < 0 || !attr_len_ok(tb[IFLA_NUM_VF], 4) ||
	    !str_attr(tb[IFLA_IFNAME], name, sizeof(name)))
		return false;
	int n = find_netdev(m, name);
	if (n < 0 || !m->netdevs[n].pci.v)
		return false;
	int p = machine_find_pf(m, m->netdevs[n].pci.v);
	if (p < 0 || (size_t)p >= npfs)
		return false;
	const struct pf *pf = &m->pfs[p];
	uint32_t num = mnl_attr_get_u32(tb[IFLA_NUM_VF]);
	bool numvfs_known = pf->sriov_numvfs.src == SRC_SYSFS;
	if (num == sysfs_nvfs[p] && (!numvfs_known || (int64_t)num == pf->sriov_numvfs.v))
		return false;
	machine_warn(m, "%s (%s): VFs came or went during collection: sysfs sriov_numvfs %lld with %zu VFs listed, "
			"netlink %u VFs",
		     pf->pci.v, name, numvfs_known ? (long long)pf->sriov_numvfs.v : -1LL, sysfs_nvfs[p], num);
	return true;
}

int nl_dump_merge(struct machine *m, const struct nl_dump *d, int *vf_changed)
{
	int errors = 0, changed = 0;
	/* What sysfs listed, before the dump adds VFs of its own. */
	size_t npfs = m->npfs;
	size_t *nv = vfs_xcalloc(npfs + 1, sizeof(*nv));
	for (size_t i = 0; i < npfs; i++)
		nv[i] = m->pfs[i].nvfs;
	/* the index holds every netdev there is and every one the dump can add */
	size_t msgs = 0;
	int mleft = d->len > INT_MAX ? INT_MAX : (int)d->len;
	for (const struct nlmsghdr *h = (const void *)d->buf; d->buf && nl_msg_ok(h, mleft); h = mnl_nlmsg_next(h, &mleft))
		msgs++;
	struct strindex ix;
	strindex_init(&ix, m->nnetdevs + msgs);
	for (size_t i = 0; i < m->nnetdevs; i++)
		strindex_put(&ix, m->netdevs[i].name.v, (int)i, false);
	if (strindex_ok(&ix)) {
		merge_ix = &ix;
		merge_m = m;
	}
	for (int pass = 0; pass < 2; pass++) {
		int left = d->len > INT_MAX ? INT_MAX : (int)d->len;
		for (const struct nlmsghdr *h = (const void *)d->buf; d->buf && nl_msg_ok(h, left);
		     h = mnl_nlmsg_next(h, &left)) {
			if (pass == 0) {
				learn_name(m, h);
			} else {
				if (netlink_parse_link(m, h, h->nlmsg_len))
					errors++;
				else if (vf_set_changed(m, h, nv, npfs))
					changed++;
			}
		}
	}
	merge_ix = NULL;
	merge_m = NULL;
	strindex_free(&ix);
	free(nv);
	if (vf_changed)
		*vf_changed = changed;
	return errors;
}

int nl_dump_links(struct nl_dump *d, unsigned try)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	int one = 1;
	mnl_socket_setsockopt(nl, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		mnl_socket_close(nl);
		return -e;
	}
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = (unsigned)time(NULL) + try;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_VF);
	nl_dump_init(d, nlh->nlmsg_seq, mnl_socket_get_portid(nl));
	int ret = 0;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		mnl_socket_close(nl);
		return ret;
	}
	/* A PF with hundreds of VFs makes one message far larger than the
	 * default 8 KiB: peek each datagram's size and grow the buffer. */
	size_t cap = 1 << 16;
	char *buf = vfs_xcalloc(1, cap);
	for (;;) {
		ssize_t want = recv(mnl_socket_get_fd(nl), buf, 0, MSG_PEEK | MSG_TRUNC);
		if (want < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if ((size_t)want > cap) {
			if (want > (64 << 20)) {
				ret = -EMSGSIZE;
				break;
			}
			cap = (size_t)want;
			buf = vfs_xrealloc(buf, 1, cap);
		}
		ssize_t n = mnl_socket_recvfrom(nl, buf, cap);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		int r = nl_dump_feed(d, buf, (size_t)n);
		if (r) {
			ret = r < 0 ? r : 0;
			break;
		}
	}
	free(buf);
	mnl_socket_close(nl);
	return ret;
}

static int dump_once(void *unused, struct nl_dump *d, unsigned try)
{
	(void)unused;
	return nl_dump_links(d, try);
}

/* Worth another try: the link set changed under the dump, or the socket
 * overflowed. Anything else (EPERM, EBADMSG, ...) will not get better. */
bool nl_dump_retryable(int r, const struct nl_dump *d)
{
	return (!r && d->intr) || r == -ENOBUFS || r == -EINTR || r == -EAGAIN || r == -EBUSY;
}

int netlink_collect_with(struct machine *m, nl_dump_fn fn, void *ctx)
{
	struct nl_dump d = { 0 };
	int r = 0, tries = 0, intr = 0;
	do {
		nl_dump_init(&d, 0, 0); /* nothing of an earlier try survives */
		r = fn(ctx, &d, (unsigned)tries);
		tries++;
		intr += d.intr;
	} while (nl_dump_retryable(r, &d) && tries < NL_DUMP_TRIES);

	if (r && !d.nmsgs) {
		if (tries > 1)
			machine_add_source(m, "netlink", SOURCE_FAILED, "RTM_GETLINK dump: %s (after %d tries)",
					   strerror(-r), tries);
		else
			machine_add_source(m, "netlink", SOURCE_FAILED, "RTM_GETLINK dump: %s", strerror(-r));
		nl_dump_free(&d);
		return r;
	}
	/* Whatever the last try got is merged: a partial link list beats none,
	 * and the source says it is partial. */
	int changed = 0;
	int errors = nl_dump_merge(m, &d, &changed);
	if (r)
		machine_add_source(m, "netlink", SOURCE_PARTIAL,
				   "RTM_GETLINK dump: %s after %d links (%d tries, %d interrupted)", strerror(-r), d.nmsgs,
				   tries, intr);
	else if (d.intr)
		machine_add_source(m, "netlink", SOURCE_PARTIAL,
				   "dump interrupted by a concurrent change (NLM_F_DUMP_INTR) on %d of %d tries, "
				   "the last too; link list may be inconsistent",
				   intr, tries);
	else if (errors)
		machine_add_source(m, "netlink", SOURCE_PARTIAL, "%d malformed link messages", errors);
	else if (changed)
		machine_add_source(m, "netlink", SOURCE_PARTIAL,
				   "VFs of %d PF%s came or went between the sysfs read and the dump (SR-IOV "
				   "reconfigured during collection; see warnings)",
				   changed, changed == 1 ? "" : "s");
	else if (intr)
		machine_add_source(m, "netlink", SOURCE_OK,
				   "dump interrupted by a concurrent change (NLM_F_DUMP_INTR) on %d of %d tries, "
				   "the last consistent",
				   intr, tries);
	else
		machine_add_source(m, "netlink", SOURCE_OK, NULL);
	nl_dump_free(&d);
	return r;
}

int netlink_collect(struct machine *m)
{
	return netlink_collect_with(m, dump_once, NULL);
}
