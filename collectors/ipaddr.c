/* Addresses and default routes (collectors/ipaddr.h). What counts as a
 * netdev's own address: IPv4 of any scope but host, IPv6 of scope global
 * or site (every IPv6 netdev has a link-local fe80:: one; it says nothing
 * about a configuration). A default route is dst default / 0.0.0.0/0 /
 * ::/0 of the main table. */
#include "collectors/ipaddr.h"
#include "collectors/root.h"
#include "model/json.h"
#include "lib/util.h"
#include <errno.h>
#include <jansson.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct netdev *by_name(struct machine *m, const char *name)
{
	for (size_t i = 0; name && i < m->nnetdevs; i++)
		if (m->netdevs[i].name.v && !strcmp(m->netdevs[i].name.v, name))
			return &m->netdevs[i];
	return NULL;
}

static struct netdev *by_index(struct machine *m, int64_t idx)
{
	int i = machine_find_netdev_ifindex(m, idx);
	return i >= 0 ? &m->netdevs[i] : NULL;
}

/* One address of n: family AF_INET/AF_INET6, scope RT_SCOPE_*. */
static void add_addr(struct netdev *n, int family, int scope, const char *addr, int plen, int src)
{
	if (!n || !addr || scope == RT_SCOPE_HOST || scope == RT_SCOPE_NOWHERE)
		return;
	if (family == AF_INET6 && scope != RT_SCOPE_UNIVERSE && scope != RT_SCOPE_SITE)
		return;
	if (family != AF_INET && family != AF_INET6)
		return;
	vi_set(&n->naddrs, (VI_KNOWN(n->naddrs) ? n->naddrs.v : 0) + 1, src);
	if (!VS_KNOWN(n->addr_first)) {
		char b[80], c[96];
		vfs_sanitize(b, sizeof(b), addr);
		snprintf(c, sizeof(c), "%s/%d", b, plen);
		vs_set(&n->addr_first, c, src);
	}
}

static int scope_of(const char *s)
{
	if (!s || !strcmp(s, "global"))
		return RT_SCOPE_UNIVERSE;
	if (!strcmp(s, "site"))
		return RT_SCOPE_SITE;
	if (!strcmp(s, "link"))
		return RT_SCOPE_LINK;
	if (!strcmp(s, "host"))
		return RT_SCOPE_HOST;
	return RT_SCOPE_NOWHERE; /* a number or a name we do not know: not counted */
}

static json_t *load(const char *text, size_t len)
{
	if (!text || len > VFS_JSON_MAX_BYTES)
		return NULL;
	json_error_t e;
	json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);
	if (j && !json_is_array(j)) {
		json_decref(j);
		return NULL;
	}
	return j;
}

int ipaddr_json_parse(struct machine *m, const char *text, size_t len, int src)
{
	json_t *j = load(text, len);
	if (!j)
		return -EBADMSG;
	size_t i, k, n = 0;
	json_t *l, *a;
	json_array_foreach(j, i, l) {
		if (i >= 8192)
			break;
		struct netdev *nd = by_name(m, json_string_value(json_object_get(l, "ifname")));
		if (!nd)
			continue;
		n++;
		if (!VI_KNOWN(nd->naddrs))
			vi_set(&nd->naddrs, 0, src);
		json_t *ai = json_object_get(l, "addr_info");
		json_array_foreach(ai, k, a) {
			if (k >= 1024)
				break;
			const char *fam = json_string_value(json_object_get(a, "family"));
			json_t *pl = json_object_get(a, "prefixlen");
			int f = fam && !strcmp(fam, "inet") ? AF_INET : fam && !strcmp(fam, "inet6") ? AF_INET6 : 0;
			int plen = json_is_integer(pl) && json_integer_value(pl) >= 0 && json_integer_value(pl) <= 128
					   ? (int)json_integer_value(pl) : -1;
			if (plen < 0)
				continue;
			add_addr(nd, f, scope_of(json_string_value(json_object_get(a, "scope"))),
				 json_string_value(json_object_get(a, "local")), plen, src);
		}
	}
	json_decref(j);
	return (int)n;
}

/* The first gateway seen for a netdev's default route is kept (a textual
 * address, checked by inet_pton so nothing else is taken for one). */
static void set_gw(struct netdev *nd, const char *gw, int src)
{
	unsigned char a[16];
	if (!nd || !gw || VS_KNOWN(nd->default_gw) || strlen(gw) >= INET6_ADDRSTRLEN)
		return;
	if (inet_pton(AF_INET, gw, a) == 1 || inet_pton(AF_INET6, gw, a) == 1)
		vs_set(&nd->default_gw, gw, src);
}

static void set_default(struct machine *m, const char *dev, const char *gw, int src)
{
	struct netdev *nd = by_name(m, dev);
	if (nd)
		vi_set(&nd->default_route, 1, src);
	set_gw(nd, gw, src);
}

int iproute_json_parse(struct machine *m, const char *text, size_t len, int src)
{
	json_t *j = load(text, len);
	if (!j)
		return -EBADMSG;
	size_t i, k, n = 0;
	json_t *r, *h;
	json_array_foreach(j, i, r) {
		if (i >= 65536)
			break;
		n++;
		const char *dst = json_string_value(json_object_get(r, "dst"));
		if (!dst || (strcmp(dst, "default") && strcmp(dst, "0.0.0.0/0") && strcmp(dst, "::/0")))
			continue;
		const char *table = json_string_value(json_object_get(r, "table"));
		if (table && strcmp(table, "main"))
			continue;
		set_default(m, json_string_value(json_object_get(r, "dev")),
			    json_string_value(json_object_get(r, "gateway")), src);
		json_array_foreach(json_object_get(r, "nexthops"), k, h) {
			if (k >= 256)
				break;
			set_default(m, json_string_value(json_object_get(h, "dev")),
				    json_string_value(json_object_get(h, "gateway")), src);
		}
	}
	json_decref(j);
	return (int)n;
}

/* Every netdev gets 0 where the source was read and said nothing of it. */
static void zero_unset(struct machine *m, bool addrs, bool routes, int src)
{
	for (size_t i = 0; i < m->nnetdevs; i++) {
		if (addrs && !VI_KNOWN(m->netdevs[i].naddrs))
			vi_set(&m->netdevs[i].naddrs, 0, src);
		if (routes && !VI_KNOWN(m->netdevs[i].default_route))
			vi_set(&m->netdevs[i].default_route, 0, src);
	}
}

static int read_file(struct machine *m, const char *rel, int (*parse)(struct machine *, const char *, size_t, int))
{
	unsigned char *buf = NULL;
	ssize_t len = root_read_bin(rel, &buf, VFS_JSON_MAX_BYTES + 1);
	if (len < 0)
		return (int)len;
	int r = parse(m, (const char *)buf, (size_t)len, SRC_NETLINK);
	free(buf);
	return r;
}

/* --- live: one rtnetlink dump, a callback per message -------------------- */
struct dump_ctx {
	struct machine *m;
	int type;
	int n;
};

static int addr_cb(const struct nlmsghdr *h, void *data)
{
	struct dump_ctx *c = data;
	if (h->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(h) < sizeof(struct ifaddrmsg))
		return MNL_CB_OK;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(h);
	const struct nlattr *local = NULL, *address = NULL, *at;
	mnl_attr_for_each(at, h, sizeof(*ifa)) {
		if (mnl_attr_get_type(at) == IFA_LOCAL)
			local = at;
		else if (mnl_attr_get_type(at) == IFA_ADDRESS)
			address = at;
	}
	const struct nlattr *x = local ? local : address;
	size_t want = ifa->ifa_family == AF_INET ? 4 : ifa->ifa_family == AF_INET6 ? 16 : 0;
	if (!x || !want || mnl_attr_get_payload_len(x) < want)
		return MNL_CB_OK;
	char b[INET6_ADDRSTRLEN];
	if (!inet_ntop(ifa->ifa_family, mnl_attr_get_payload(x), b, sizeof(b)))
		return MNL_CB_OK;
	struct netdev *nd = by_index(c->m, ifa->ifa_index);
	if (nd && !VI_KNOWN(nd->naddrs))
		vi_set(&nd->naddrs, 0, SRC_NETLINK);
	add_addr(nd, ifa->ifa_family, ifa->ifa_scope, b, ifa->ifa_prefixlen, SRC_NETLINK);
	c->n++;
	return MNL_CB_OK;
}

static int route_cb(const struct nlmsghdr *h, void *data)
{
	struct dump_ctx *c = data;
	if (h->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(h) < sizeof(struct rtmsg))
		return MNL_CB_OK;
	const struct rtmsg *rt = mnl_nlmsg_get_payload(h);
	c->n++;
	uint32_t table = rt->rtm_table;
	const struct nlattr *at;
	int64_t oif = -1;
	const struct nlattr *mp = NULL, *gw = NULL;
	mnl_attr_for_each(at, h, sizeof(*rt)) {
		if (mnl_attr_get_type(at) == RTA_TABLE && mnl_attr_get_payload_len(at) >= 4)
			table = mnl_attr_get_u32(at);
		else if (mnl_attr_get_type(at) == RTA_OIF && mnl_attr_get_payload_len(at) >= 4)
			oif = mnl_attr_get_u32(at);
		else if (mnl_attr_get_type(at) == RTA_MULTIPATH)
			mp = at;
		else if (mnl_attr_get_type(at) == RTA_GATEWAY)
			gw = at;
	}
	if (rt->rtm_dst_len != 0 || table != RT_TABLE_MAIN || rt->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	struct netdev *nd = oif >= 0 ? by_index(c->m, oif) : NULL;
	if (nd)
		vi_set(&nd->default_route, 1, SRC_NETLINK);
	size_t glen = gw ? mnl_attr_get_payload_len(gw) : 0;
	if (nd && ((rt->rtm_family == AF_INET && glen == 4) || (rt->rtm_family == AF_INET6 && glen == 16))) {
		char b[INET6_ADDRSTRLEN];
		if (inet_ntop(rt->rtm_family, mnl_attr_get_payload(gw), b, sizeof(b)))
			set_gw(nd, b, SRC_NETLINK);
	}
	if (mp) { /* struct rtnexthop records, bounded by the attribute */
		const char *p = mnl_attr_get_payload(mp);
		size_t left = mnl_attr_get_payload_len(mp);
		for (int k = 0; k < 256 && left >= sizeof(struct rtnexthop); k++) {
			const struct rtnexthop *nh = (const struct rtnexthop *)p;
			if (nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > left)
				break;
			struct netdev *hn = by_index(c->m, nh->rtnh_ifindex);
			if (hn)
				vi_set(&hn->default_route, 1, SRC_NETLINK);
			size_t step = RTNH_ALIGN(nh->rtnh_len);
			if (step > left)
				break;
			p += step;
			left -= step;
		}
	}
	return MNL_CB_OK;
}

static int dump(struct machine *m, int type, int family, mnl_cb_t cb, int *count)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	int ret = 0;
	size_t cap = 1 << 16; /* MNL_SOCKET_BUFFER_SIZE is a sysconf() value: not on the stack */
	char *buf = vfs_xcalloc(1, cap);
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		goto out;
	}
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = (unsigned)time(NULL);
	if (type == RTM_GETADDR) {
		struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = (uint8_t)family;
	} else {
		struct rtmsg *rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
		rt->rtm_family = (uint8_t)family;
	}
	unsigned seq = nlh->nlmsg_seq, portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out;
	}
	struct dump_ctx c = { m, type, 0 };
	for (int rounds = 0; rounds < 100000; rounds++) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, cap);
		if (n < 0) {
			ret = -errno;
			break;
		}
		int r = mnl_cb_run(buf, (size_t)n, seq, portid, cb, &c);
		if (r <= MNL_CB_STOP) {
			ret = r < 0 ? -errno : 0;
			break;
		}
	}
	*count = c.n;
out:
	free(buf);
	mnl_socket_close(nl);
	return ret;
}

void ipaddr_collect(struct machine *m)
{
	if (!root_is_live()) {
		int a = root_exists("ip-addr.json") ? read_file(m, "ip-addr.json", ipaddr_json_parse) : -ENOENT;
		int r4 = root_exists("ip-route.json") ? read_file(m, "ip-route.json", iproute_json_parse) : -ENOENT;
		int r6 = root_exists("ip-route6.json") ? read_file(m, "ip-route6.json", iproute_json_parse) : -ENOENT;
		if (a == -ENOENT && r4 == -ENOENT && r6 == -ENOENT) {
			machine_add_source(m, "ipaddr", SOURCE_SKIPPED, "no ip-addr.json / ip-route.json in the tree");
			return;
		}
		zero_unset(m, a >= 0, r4 >= 0 && r6 != -EBADMSG, SRC_NETLINK);
		machine_add_source(m, "ipaddr", a >= 0 && r4 >= 0 ? SOURCE_OK : SOURCE_PARTIAL,
				   "ip-addr.json %s, ip-route.json %s, ip-route6.json %s", a >= 0 ? "read" : strerror(-a),
				   r4 >= 0 ? "read" : strerror(-r4), r6 >= 0 ? "read" : strerror(-r6));
		return;
	}
	int na = 0, nr = 0, nr6 = 0;
	int ea = dump(m, RTM_GETADDR, AF_UNSPEC, addr_cb, &na);
	int er = dump(m, RTM_GETROUTE, AF_INET, route_cb, &nr);
	int er6 = dump(m, RTM_GETROUTE, AF_INET6, route_cb, &nr6);
	zero_unset(m, !ea, !er && !er6, SRC_NETLINK);
	if (ea || er || er6)
		machine_add_source(m, "ipaddr", SOURCE_PARTIAL, "addresses %s, routes %s",
				   ea ? strerror(-ea) : "read", er || er6 ? strerror(-(er ? er : er6)) : "read");
	else
		machine_add_source(m, "ipaddr", SOURCE_OK, "%d addresses, %d routes", na, nr + nr6);
}
