/* See link_refresh.h. */
#include "collectors/link_refresh.h"
#include "collectors/netlink.h"
#include "collectors/root.h"
#include "lib/util.h"
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

struct link_refresh {
	struct mnl_socket *nl;
	unsigned seq;
	char *buf;
	size_t cap;
};

struct link_refresh *link_refresh_open(void)
{
	struct link_refresh *r = vfs_xcalloc(1, sizeof(*r));
	r->nl = mnl_socket_open(NETLINK_ROUTE);
	if (!r->nl || mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		link_refresh_close(r);
		errno = e;
		return NULL;
	}
	int one = 1;
	mnl_socket_setsockopt(r->nl, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	/* The kernel answers at once; a screen must never hang on it. */
	struct timeval tv = { .tv_sec = 2 };
	setsockopt(mnl_socket_get_fd(r->nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	r->seq = (unsigned)time(NULL);
	r->cap = 1 << 16;
	r->buf = vfs_xcalloc(1, r->cap);
	return r;
}

void link_refresh_close(struct link_refresh *r)
{
	if (!r)
		return;
	if (r->nl)
		mnl_socket_close(r->nl);
	free(r->buf);
	free(r);
}

bool link_refresh_alone(const struct machine *m, const struct netdev *n)
{
	if (!VS_KNOWN(n->name) || VS_KNOWN(n->master))
		return false;
	if (VS_KNOWN(n->kind) && (!strcmp(n->kind.v, "bond") || !strcmp(n->kind.v, "team")))
		return false;
	for (size_t t = 0; t < m->nteams; t++) {
		const struct team *tm = &m->teams[t];
		if (VS_KNOWN(tm->name) && !strcmp(tm->name.v, n->name.v))
			return false;
		for (size_t j = 0; j < tm->nmembers; j++)
			if (VS_KNOWN(tm->members[j].name) && !strcmp(tm->members[j].name.v, n->name.v))
				return false;
	}
	return true;
}

static int ifname_cb(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == IFLA_IFNAME)
		*(const struct nlattr **)data = a;
	return MNL_CB_OK;
}

static int merge(struct machine *m, const struct nlmsghdr *h, int ifindex, const char *name)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(h);
	const struct nlattr *an = NULL;
	if (mnl_attr_parse(h, sizeof(*ifi), ifname_cb, &an) < 0)
		return -EBADMSG;
	size_t nl = an ? mnl_attr_get_payload_len(an) : 0;
	const char *s = an ? mnl_attr_get_payload(an) : NULL;
	size_t sl = s ? strnlen(s, nl) : 0;
	/* Another link than the one asked for, or renamed: the model's netdev
	 * by that name would get another link's state. */
	if (ifi->ifi_index != ifindex || !name || sl != strlen(name) || memcmp(s, name, sl))
		return LINK_REFRESH_FULL;
	int i = machine_find_netdev(m, name);
	if (i >= 0) /* "" stays unknown, as sysfs has it: a removed alias goes */
		vs_free(&m->netdevs[i].ifalias);
	return netlink_parse_link(m, h, h->nlmsg_len) ? -EBADMSG : 0;
}

int link_refresh_reply(struct machine *m, const void *buf, size_t len, int ifindex, const char *name)
{
	const struct nlmsghdr *h = buf;
	int left = len > INT_MAX ? INT_MAX : (int)len;
	if (!buf || !nl_msg_ok(h, left))
		return -ENODATA;
	for (; nl_msg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
		if (h->nlmsg_type == NLMSG_ERROR) {
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				return -EBADMSG;
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
			if (e->error == -ENODEV)
				return LINK_REFRESH_FULL;
			return e->error < 0 && e->error > -4096 ? e->error : -EBADMSG;
		}
		if (h->nlmsg_type != RTM_NEWLINK)
			continue;
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(struct ifinfomsg)))
			return -ENODATA;
		/* libmnl walks attributes up to the message's aligned end; the
		 * kernel's last message of a datagram may stop short of it. */
		void *copy = NULL;
		if (NLMSG_ALIGN(h->nlmsg_len) > (unsigned)left) {
			copy = vfs_xcalloc(1, NLMSG_ALIGN(h->nlmsg_len));
			memcpy(copy, h, h->nlmsg_len);
			h = copy;
		}
		int rc = merge(m, h, ifindex, name);
		free(copy);
		return rc;
	}
	return -ENODATA;
}

/* One RTM_GETLINK by ifindex (and name, which the kernel checks), its
 * answer into r->buf (grown to the datagram's size). Bytes or -errno. */
static ssize_t ask(struct link_refresh *r, int ifindex, bool vfs)
{
	char req[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++r->seq;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, vfs ? RTEXT_FILTER_VF : 0);
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t want = recv(mnl_socket_get_fd(r->nl), r->buf, 0, MSG_PEEK | MSG_TRUNC);
		if (want < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)want > r->cap) {
			if (want > (64 << 20))
				return -EMSGSIZE;
			r->cap = (size_t)want;
			r->buf = vfs_xrealloc(r->buf, 1, r->cap);
		}
		ssize_t n = mnl_socket_recvfrom(r->nl, r->buf, r->cap);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		const struct nlmsghdr *h = (const void *)r->buf;
		if (n >= (ssize_t)sizeof(*h) && h->nlmsg_seq != r->seq)
			continue; /* an answer to an earlier request that timed out */
		return n;
	}
}

/* speed is sysfs-only and follows the carrier (unknown while not up).
 * The kernel answers it under rtnl (restarting the read while another
 * holds it). */
static void read_speed(struct netdev *n)
{
	char p[128], v[32];
	long long s;
	n->speed = (struct vi){ 0 };
	if (VI_KNOWN(n->admin_up) && !n->admin_up.v)
		return;
	snprintf(p, sizeof(p), "sys/class/net/%s/speed", n->name.v);
	if (!root_read_str(p, v, sizeof(v)) && sscanf(v, "%lld", &s) == 1 && s >= 0)
		vi_set(&n->speed, s, SRC_SYSFS);
}

static int refresh_one(struct link_refresh *r, struct machine *m, int ifindex, bool vfs, const struct link_refresh_msg *msg)
{
	int i = machine_find_netdev_ifindex(m, ifindex);
	if (i < 0 || !VS_KNOWN(m->netdevs[i].name))
		return LINK_REFRESH_FULL; /* not in the model */
	char name[IFNAMSIZ * 4];
	vfs_strlcpy(name, m->netdevs[i].name.v, sizeof(name));
	int p = m->netdevs[i].pf_idx;
	size_t nvfs = p >= 0 && (size_t)p < m->npfs ? m->pfs[p].nvfs : 0;
	int rc;
	if (msg && msg->buf && !vfs && p < 0) {
		/* The notification itself: what the request would answer. */
		rc = link_refresh_reply(m, msg->buf, msg->len, ifindex, name);
	} else {
		ssize_t len = ask(r, ifindex, vfs || p >= 0);
		if (len < 0)
			return (int)len;
		rc = link_refresh_reply(m, r->buf, (size_t)len, ifindex, name);
	}
	if (rc == 0 && (i = machine_find_netdev(m, name)) >= 0)
		read_speed(&m->netdevs[i]);
	if (rc == 0 && p >= 0 && (size_t)p < m->npfs && m->pfs[p].nvfs != nvfs)
		return LINK_REFRESH_FULL; /* VFs came or went: sysfs and config space too */
	return rc;
}

int link_refresh_links(struct link_refresh *r, struct machine *m, const int *ifindexes,
		       const struct link_refresh_msg *msgs, size_t n, size_t *merged)
{
	size_t done = 0;
	int rc = 0;
	for (size_t k = 0; k < n && !rc; k++) {
		int i = machine_find_netdev_ifindex(m, ifindexes[k]);
		if (i < 0 || !link_refresh_alone(m, &m->netdevs[i])) {
			rc = LINK_REFRESH_FULL;
			break;
		}
		rc = refresh_one(r, m, ifindexes[k], false, msgs ? &msgs[k] : NULL);
		if (!rc)
			done++;
	}
	if (merged)
		*merged = done;
	return rc;
}

int link_refresh_vf_stats(struct link_refresh *r, struct machine *m, size_t *merged)
{
	size_t done = 0;
	int rc = 0;
	bool *want = vfs_xcalloc(m->npfs + 1, sizeof(*want));
	for (size_t t = 0; t < m->nteams; t++)
		for (size_t j = 0; j < m->teams[t].nmembers; j++) {
			const struct member *mb = &m->teams[t].members[j];
			int p = mb->host_pf_idx >= 0 ? mb->host_pf_idx
				: mb->netdev_idx >= 0 && (size_t)mb->netdev_idx < m->nnetdevs
				? m->netdevs[mb->netdev_idx].vf_pf_idx : -1;
			if (p >= 0 && (size_t)p < m->npfs)
				want[p] = true;
		}
	for (size_t p = 0; p < m->npfs && !rc; p++) {
		const struct pf *pf = &m->pfs[p];
		if (!want[p] || pf->netdev_idx < 0 || (size_t)pf->netdev_idx >= m->nnetdevs ||
		    !VI_KNOWN(m->netdevs[pf->netdev_idx].ifindex))
			continue;
		rc = refresh_one(r, m, (int)m->netdevs[pf->netdev_idx].ifindex.v, true, NULL);
		if (!rc)
			done++;
	}
	free(want);
	if (merged)
		*merged = done;
	return rc;
}
