/* One RTM_GETLINK dump for every link's byte counters: see nl_stats.h. */
#include "collectors/nl_stats.h"
#include "lib/util.h"
#include <errno.h>
#include <limits.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);
	if (t <= IFLA_MAX)
		tb[t] = a;
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *h, void *data)
{
	struct nl_stats_acc *acc = data;
	if (h->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	if (mnl_attr_parse(h, sizeof(*ifi), attr_cb, tb) < 0)
		return MNL_CB_OK;
	if (!tb[IFLA_IFNAME] || mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_STRING) < 0 || !tb[IFLA_STATS64] ||
	    mnl_attr_get_payload_len(tb[IFLA_STATS64]) < sizeof(struct rtnl_link_stats64))
		return MNL_CB_OK;
	struct rtnl_link_stats64 s;
	memcpy(&s, mnl_attr_get_payload(tb[IFLA_STATS64]), sizeof(s));
	VFS_PUSH(acc->v, acc->n, acc->cap);
	struct nl_stat *e = &acc->v[acc->n++];
	vfs_strlcpy(e->name, mnl_attr_get_str(tb[IFLA_IFNAME]), sizeof(e->name));
	e->ifindex = ifi->ifi_index;
	e->rx_bytes = s.rx_bytes;
	e->tx_bytes = s.tx_bytes;
	return MNL_CB_OK;
}

/* Our own walk, as collectors/netlink.c's: every length checked against
 * the datagram before anything in the message is read. */
int nl_stats_parse(struct nl_stats_acc *acc, const void *dg, size_t len, uint32_t seq, uint32_t port)
{
	if (len > INT_MAX) {
		errno = EMSGSIZE;
		return MNL_CB_ERROR;
	}
	int left = (int)len;
	for (const struct nlmsghdr *h = dg; left > 0; h = mnl_nlmsg_next(h, &left)) {
		if (left < (int)sizeof(*h) || h->nlmsg_len < sizeof(*h) || h->nlmsg_len > (unsigned)left) {
			errno = EBADMSG;
			return MNL_CB_ERROR;
		}
		if ((port && h->nlmsg_pid && h->nlmsg_pid != port) || (seq && h->nlmsg_seq != seq))
			continue; /* not an answer to this request */
		switch (h->nlmsg_type) {
		case NLMSG_DONE:
			return MNL_CB_STOP;
		case NLMSG_ERROR: {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			errno = h->nlmsg_len >= NLMSG_LENGTH(sizeof(*e)) && e->error < 0 ? -e->error : EPROTO;
			return MNL_CB_ERROR;
		}
		case NLMSG_OVERRUN:
			errno = ENOBUFS;
			return MNL_CB_ERROR;
		case RTM_NEWLINK:
			if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct ifinfomsg)))
				link_cb(h, acc);
			continue;
		default:
			continue;
		}
	}
	return MNL_CB_OK;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct nl_stat *)a)->name, ((const struct nl_stat *)b)->name);
}

int nl_stats_dump(struct nl_stat **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = -errno;
		mnl_socket_close(nl);
		return e;
	}
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *h = mnl_nlmsg_put_header(req);
	h->nlmsg_type = RTM_GETLINK;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	uint32_t seq = h->nlmsg_seq = (uint32_t)time(NULL);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(h, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	/* No VF info (RTEXT_FILTER_VF unset): names and counters only. */
	mnl_attr_put_u32(h, IFLA_EXT_MASK, 0);
	int r = 0;
	struct nl_stats_acc acc = { 0 };
	if (mnl_socket_sendto(nl, h, h->nlmsg_len) < 0) {
		r = -errno;
	} else {
		uint32_t port = mnl_socket_get_portid(nl);
		static char buf[1 << 16]; /* one thread (the dashboard) calls this */
		for (;;) {
			ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
			if (len < 0) {
				r = -errno;
				break;
			}
			const struct nlmsghdr *m = (const struct nlmsghdr *)buf;
			if (mnl_nlmsg_ok(m, (int)len) && (m->nlmsg_flags & NLM_F_DUMP_INTR)) {
				r = -EAGAIN; /* a partial list: let the caller use sysfs this time */
				break;
			}
			int cr = nl_stats_parse(&acc, buf, (size_t)len, seq, port);
			if (cr <= MNL_CB_STOP) {
				if (cr < 0)
					r = -errno;
				break;
			}
		}
	}
	mnl_socket_close(nl);
	if (r) {
		free(acc.v);
		return r;
	}
	if (acc.n)
		qsort(acc.v, acc.n, sizeof(*acc.v), cmp_name);
	*out = acc.v;
	*n = acc.n;
	return 0;
}

const struct nl_stat *nl_stats_find(const struct nl_stat *v, size_t n, const char *name)
{
	struct nl_stat k;
	vfs_strlcpy(k.name, name, sizeof(k.name));
	return n ? bsearch(&k, v, n, sizeof(*v), cmp_name) : NULL;
}
