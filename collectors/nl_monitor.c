/* See nl_monitor.h. Link state is kept per ifindex in a small array. */
#include "collectors/nl_monitor.h"
#include "collectors/netlink.h"
#include "lib/util.h"
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NLM_MAX_LINKS 65536

struct nlm_link {
	int ifindex;
	char name[IFNAMSIZ];
	int carrier;      /* -1 unknown */
	int operstate;    /* IF_OPER_*, -1 unknown */
	long flags;       /* ifi_flags (IFF_*), -1 unknown */
	int master;
	int active_slave; /* bond: ifindex, 0 none, -1 not a bond/unknown */
	int slave_state;  /* bond slave: 0 active, 1 backup, -1 unknown */
	bool dirty;       /* a notification came since nl_monitor_take_dirty */
	/* With keep_msgs: the last RTM_NEWLINK (AF_UNSPEC) since the take
	 * before the last one, NLMSG_ALIGNed copy; NULL none. */
	void *msg;
	uint32_t msglen;
};

struct nl_monitor {
	struct mnl_socket *nl;
	nl_monitor_fn cb;
	void *ctx;
	int *filter;
	size_t nfilter;
	struct nlm_link *links;
	size_t nlinks, cap;
	bool primed; /* initial dump done: from now on differences are events */
	bool keep_msgs;
	uint64_t lost, events, changes;
	size_t ndirty;
	int structural; /* NLM_STRUCT_* seen since nl_monitor_take_dirty */
	/* ifindex -> position in links + 1 (0: none), for ifindexes below
	 * NLM_MAX_LINKS * 4; larger ones are searched. */
	uint32_t *pos;
	size_t npos;
	/* The links of the last NLM_RECENT changes (changes counts them):
	 * recent[c % NLM_RECENT] is the ifindex of change c + 1. */
	int recent[256];
};
#define NLM_RECENT 256

static const char *oper_name(int s)
{
	static const char *const n[] = { "unknown", "notpresent", "down", "lowerlayerdown",
					 "testing", "dormant", "up" };
	return s >= 0 && s < (int)ARRAY_SIZE(n) ? n[s] : "?";
}

static bool wanted(const struct nl_monitor *m, int ifindex)
{
	if (!m->nfilter)
		return true;
	for (size_t i = 0; i < m->nfilter; i++)
		if (m->filter[i] == ifindex)
			return true;
	return false;
}

static void pos_set(struct nl_monitor *m, int ifindex, size_t at)
{
	if (ifindex <= 0 || (size_t)ifindex >= NLM_MAX_LINKS * 4)
		return;
	if ((size_t)ifindex >= m->npos) {
		size_t n = MAX((size_t)ifindex + 1, m->npos * 2);
		n = MIN(MAX(n, 256), NLM_MAX_LINKS * 4);
		m->pos = vfs_xrealloc(m->pos, n, sizeof(*m->pos));
		memset(m->pos + m->npos, 0, (n - m->npos) * sizeof(*m->pos));
		m->npos = n;
	}
	m->pos[ifindex] = (uint32_t)at;
}

static struct nlm_link *link_find(const struct nl_monitor *m, int ifindex)
{
	if (ifindex > 0 && (size_t)ifindex < NLM_MAX_LINKS * 4) {
		size_t at = (size_t)ifindex < m->npos ? m->pos[ifindex] : 0;
		return at ? &m->links[at - 1] : NULL;
	}
	for (size_t i = 0; i < m->nlinks; i++)
		if (m->links[i].ifindex == ifindex)
			return &m->links[i];
	return NULL;
}

static struct nlm_link *link_get(struct nl_monitor *m, int ifindex, bool create)
{
	struct nlm_link *l = link_find(m, ifindex);
	if (l || !create)
		return l;
	if (m->nlinks >= NLM_MAX_LINKS) {
		m->structural |= NLM_STRUCT_FULL; /* a link we cannot follow */
		return NULL;
	}
	VFS_PUSH(m->links, m->nlinks, m->cap);
	l = &m->links[m->nlinks++];
	memset(l, 0, sizeof(*l));
	l->ifindex = ifindex;
	l->carrier = l->operstate = l->active_slave = l->slave_state = -1;
	l->flags = -1;
	pos_set(m, ifindex, m->nlinks);
	return l;
}

static void link_del(struct nl_monitor *m, struct nlm_link *l)
{
	if (l->dirty)
		m->ndirty--;
	free(l->msg);
	pos_set(m, l->ifindex, 0);
	*l = m->links[--m->nlinks];
	if (l != &m->links[m->nlinks])
		pos_set(m, l->ifindex, (size_t)(l - m->links) + 1);
}

static const char *name_of(struct nl_monitor *m, int ifindex, char *buf, size_t size)
{
	struct nlm_link *l = link_get(m, ifindex, false);
	if (l && l->name[0])
		return l->name;
	snprintf(buf, size, "if%d", ifindex);
	return buf;
}

static void emit(struct nl_monitor *m, int kind, const struct nlm_link *l, const char *driver, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void emit(struct nl_monitor *m, int kind, const struct nlm_link *l, const char *driver, const char *fmt, ...)
{
	struct vfs_event ev;
	va_list ap;
	char text[256];

	memset(&ev, 0, sizeof(ev));
	ev.ts_mono_ns = vfs_now_mono_ns();
	ev.ts_real_ns = vfs_now_real_ns();
	ev.cpu = -1;
	ev.vf = -1;
	ev.kind = kind;
	ev.ifindex = l->ifindex;
	vfs_strlcpy(ev.ifname, l->name, sizeof(ev.ifname));
	vfs_strlcpy(ev.probe, "rtnetlink", sizeof(ev.probe));
	if (driver)
		vfs_strlcpy(ev.driver, driver, sizeof(ev.driver));
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	vfs_sanitize(ev.text, sizeof(ev.text), text);
	m->events++;
	if (m->cb)
		m->cb(&ev, m->ctx);
}

struct parsed {
	const struct nlattr *tb[IFLA_MAX + 1];
	const struct nlattr *info[IFLA_INFO_MAX + 1];
	const struct nlattr *bond[IFLA_BOND_MAX + 1];
	const struct nlattr *slave[IFLA_BOND_SLAVE_MAX + 1];
};

static int cb_attr(const struct nlattr *a, void *data, int max)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);
	if (t <= max)
		tb[t] = a;
	return MNL_CB_OK;
}
static int cb_ifla(const struct nlattr *a, void *d) { return cb_attr(a, d, IFLA_MAX); }
static int cb_info(const struct nlattr *a, void *d) { return cb_attr(a, d, IFLA_INFO_MAX); }
static int cb_bond(const struct nlattr *a, void *d) { return cb_attr(a, d, IFLA_BOND_MAX); }
static int cb_slave(const struct nlattr *a, void *d) { return cb_attr(a, d, IFLA_BOND_SLAVE_MAX); }

static bool is_str(const struct nlattr *a, const char *s)
{
	return a && mnl_attr_get_payload_len(a) > 0 &&
	       !strncmp(mnl_attr_get_str(a), s, mnl_attr_get_payload_len(a));
}

static int u32_attr(const struct nlattr *a, int def)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? (int)mnl_attr_get_u32(a) : def;
}
static int u8_attr(const struct nlattr *a, int def)
{
	return a && mnl_attr_get_payload_len(a) >= 1 ? (int)mnl_attr_get_u8(a) : def;
}

static int on_link(struct nl_monitor *m, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct parsed p;
	char b1[24], b2[24];
	int before = (int)m->events;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return -ENODATA;
	memset(&p, 0, sizeof(p));
	if (mnl_attr_parse(nlh, sizeof(*ifi), cb_ifla, p.tb) < 0)
		return -EBADMSG;
	if (p.tb[IFLA_LINKINFO] && mnl_attr_parse_nested(p.tb[IFLA_LINKINFO], cb_info, p.info) < 0)
		return -EBADMSG;
	bool bond = is_str(p.info[IFLA_INFO_KIND], "bond");
	bool bslave = is_str(p.info[IFLA_INFO_SLAVE_KIND], "bond");
	if (bond && p.info[IFLA_INFO_DATA])
		mnl_attr_parse_nested(p.info[IFLA_INFO_DATA], cb_bond, p.bond);
	if (bslave && p.info[IFLA_INFO_SLAVE_DATA])
		mnl_attr_parse_nested(p.info[IFLA_INFO_SLAVE_DATA], cb_slave, p.slave);

	bool known = link_find(m, ifi->ifi_index) != NULL;
	struct nlm_link *l = link_get(m, ifi->ifi_index, true);
	if (!l)
		return 0;
	if (m->primed && !known)
		m->structural |= NLM_STRUCT_NEW;
	if (nlh->nlmsg_type == RTM_DELLINK) {
		if (m->primed && wanted(m, l->ifindex))
			emit(m, EV_LINK, l, NULL, "removed");
		if (m->primed)
			m->structural |= NLM_STRUCT_GONE;
		link_del(m, l);
		return (int)m->events - before;
	}
	if (m->primed && !l->dirty) {
		l->dirty = true;
		m->ndirty++;
	}
	/* The link's whole state, as an RTM_GETLINK without VF info would
	 * answer (rtmsg_ifinfo fills it the same way); a bridge's AF_BRIDGE
	 * message has only its port's part and is not kept. */
	if (m->primed && m->keep_msgs && ifi->ifi_family == AF_UNSPEC && nlh->nlmsg_len <= (1u << 20)) {
		uint32_t al = NLMSG_ALIGN(nlh->nlmsg_len);
		void *c = vfs_xrealloc(l->msg, 1, al);
		memcpy(c, nlh, nlh->nlmsg_len);
		memset((char *)c + nlh->nlmsg_len, 0, al - nlh->nlmsg_len);
		l->msg = c;
		l->msglen = nlh->nlmsg_len;
	}
	if (p.tb[IFLA_IFNAME]) {
		char name[IFNAMSIZ] = "", clean[IFNAMSIZ];
		size_t n = mnl_attr_get_payload_len(p.tb[IFLA_IFNAME]);
		memcpy(name, mnl_attr_get_payload(p.tb[IFLA_IFNAME]), n < IFNAMSIZ ? n : IFNAMSIZ - 1);
		name[IFNAMSIZ - 1] = 0;
		vfs_sanitize(clean, sizeof(clean), name);
		if (m->primed && known && strcmp(clean, l->name))
			m->structural |= NLM_STRUCT_RENAMED;
		memcpy(l->name, clean, sizeof(l->name));
	}
	bool seen = l->carrier >= 0 || l->operstate >= 0;
	bool report = m->primed && seen && wanted(m, l->ifindex);
	int carrier = u8_attr(p.tb[IFLA_CARRIER], l->carrier);
	int oper = u8_attr(p.tb[IFLA_OPERSTATE], l->operstate);
	/* The admin state (IFF_UP, ip's UP flag) is said with the change it came
	 * with, or alone when nothing else changed (a link without carrier set
	 * down by the admin). */
	const char *admin = l->flags >= 0 && ((l->flags ^ (long)ifi->ifi_flags) & IFF_UP)
		? (ifi->ifi_flags & IFF_UP ? ", admin up" : ", admin down") : "";
	/* The carrier of a device that is not up is unknown (sysfs refuses to
	 * say it): an admin-down change is told as operstate/admin, not carrier. */
	bool up = ifi->ifi_flags & IFF_UP;
	if (report && up && carrier != l->carrier && carrier >= 0)
		emit(m, EV_LINK, l, NULL, "carrier %s, operstate %s%s", carrier ? "up" : "down", oper_name(oper), admin);
	else if (report && oper != l->operstate && oper >= 0)
		emit(m, EV_LINK, l, NULL, "operstate %s -> %s%s", oper_name(l->operstate), oper_name(oper), admin);
	else if (report && admin[0])
		emit(m, EV_LINK, l, NULL, "%s, operstate %s", admin + 2, oper_name(oper));
	if (m->primed && seen && (carrier != l->carrier || oper != l->operstate || (long)ifi->ifi_flags != l->flags))
		m->recent[m->changes++ % NLM_RECENT] = l->ifindex;
	l->carrier = carrier;
	l->operstate = oper;
	l->flags = (long)ifi->ifi_flags;
	int master = u32_attr(p.tb[IFLA_MASTER], 0);
	if (m->primed && known && master != l->master)
		m->structural |= NLM_STRUCT_MASTER;
	l->master = master;

	if (bond) {
		int act = u32_attr(p.bond[IFLA_BOND_ACTIVE_SLAVE], 0);
		if (report && p.bond[IFLA_BOND_ACTIVE_SLAVE] && l->active_slave >= 0 && act != l->active_slave)
			emit(m, EV_FAILOVER, l, "bonding", "active slave %s -> %s",
			     l->active_slave ? name_of(m, l->active_slave, b1, sizeof(b1)) : "none",
			     act ? name_of(m, act, b2, sizeof(b2)) : "none");
		if (p.bond[IFLA_BOND_ACTIVE_SLAVE] || l->active_slave < 0)
			l->active_slave = act;
	}
	if (bslave && p.slave[IFLA_BOND_SLAVE_STATE]) {
		int st = u8_attr(p.slave[IFLA_BOND_SLAVE_STATE], -1);
		bool rep = m->primed && seen && (wanted(m, l->ifindex) || wanted(m, l->master));
		if (rep && l->slave_state >= 0 && st != l->slave_state)
			emit(m, EV_FAILOVER, l, "bonding", "slave %s of %s: %s -> %s", l->name,
			     name_of(m, l->master, b1, sizeof(b1)), l->slave_state ? "backup" : "active",
			     st ? "backup" : "active");
		l->slave_state = st;
	}
	return (int)m->events - before;
}

int nl_monitor_parse(struct nl_monitor *m, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int n = 0, r;
	int left = (int)len;

	if (len < sizeof(struct nlmsghdr))
		return -ENODATA;
	while (nl_msg_ok(nlh, left)) {
		if (nlh->nlmsg_type == RTM_NEWLINK || nlh->nlmsg_type == RTM_DELLINK) {
			if ((r = on_link(m, nlh)) < 0)
				return r;
			n += r;
		} else if (nlh->nlmsg_type == NLMSG_ERROR) {
			return -EBADMSG;
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return n;
}

struct nl_monitor *nl_monitor_new(const int *ifindexes, size_t n, nl_monitor_fn cb, void *ctx)
{
	struct nl_monitor *m = vfs_xcalloc(1, sizeof(*m));
	m->cb = cb;
	m->ctx = ctx;
	if (n) {
		m->filter = vfs_xcalloc(n, sizeof(int));
		memcpy(m->filter, ifindexes, n * sizeof(int));
		m->nfilter = n;
	}
	m->primed = true; /* tests: every known link's change is an event */
	return m;
}

/* Dump every link once so that later notifications compare to something,
 * with the collector's dump reader (messages of any size, NLM_F_DUMP_INTR):
 * an interrupted dump may have missed a link, so it is taken again, and
 * later dumps overwrite what earlier ones recorded. Notifications are
 * subscribed before, so a change after the last dump is still seen. */
static int prime(struct nl_monitor *m)
{
	struct nl_dump d = { 0 };
	int r = 0;
	for (unsigned t = 0; t < NL_DUMP_TRIES; t++) {
		r = nl_dump_links(&d, t);
		int left = d.len > INT_MAX ? INT_MAX : (int)d.len;
		for (const struct nlmsghdr *h = (const void *)d.buf; d.buf && nl_msg_ok(h, left);
		     h = mnl_nlmsg_next(h, &left))
			on_link(m, h);
		if (!nl_dump_retryable(r, &d))
			break;
	}
	nl_dump_free(&d);
	return r;
}

struct nl_monitor *nl_monitor_open(const int *ifindexes, size_t n, nl_monitor_fn cb, void *ctx)
{
	struct nl_monitor *m = nl_monitor_new(ifindexes, n, cb, ctx);
	int err;

	m->primed = false;
	m->nl = mnl_socket_open(NETLINK_ROUTE);
	if (!m->nl)
		goto fail;
	/* Subscribe first, then dump: a change in between is seen twice at worst. */
	if (mnl_socket_bind(m->nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	if ((err = prime(m)) < 0) {
		errno = -err;
		goto fail;
	}
	m->primed = true;
	int fd = mnl_socket_get_fd(m->nl);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return m;
fail:
	err = errno;
	nl_monitor_close(m);
	errno = err;
	return NULL;
}

int nl_monitor_fd(const struct nl_monitor *m)
{
	return m && m->nl ? mnl_socket_get_fd(m->nl) : -1;
}

int nl_monitor_read(struct nl_monitor *m)
{
	char buf[65536];
	int total = 0;
	if (!m || !m->nl)
		return 0;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(m->nl, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return total;
			if (errno == ENOBUFS) {
				m->lost++;
				m->structural |= NLM_STRUCT_LOST;
				continue;
			}
			return -errno;
		}
		if (n == 0)
			return total;
		int r = nl_monitor_parse(m, buf, (size_t)n);
		if (r > 0)
			total += r;
	}
}

uint64_t nl_monitor_lost(const struct nl_monitor *m) { return m ? m->lost : 0; }
uint64_t nl_monitor_changes(const struct nl_monitor *m) { return m ? m->changes : 0; }
const char *nl_monitor_oper_name(int operstate) { return oper_name(operstate); }

size_t nl_monitor_changed_since(const struct nl_monitor *m, uint64_t since, int *out, size_t max)
{
	if (!m || since > m->changes)
		return SIZE_MAX;
	uint64_t n = m->changes - since;
	if (n > NLM_RECENT || n > max)
		return SIZE_MAX;
	for (uint64_t c = since; c < m->changes; c++)
		out[c - since] = m->recent[c % NLM_RECENT];
	return (size_t)n;
}

int nl_monitor_link(const struct nl_monitor *m, int ifindex, struct nl_monitor_link *out)
{
	const struct nlm_link *l = m ? link_find(m, ifindex) : NULL;
	if (!l)
		return -ENOENT;
	memset(out, 0, sizeof(*out));
	out->ifindex = l->ifindex;
	vfs_strlcpy(out->name, l->name, sizeof(out->name));
	out->flags = l->flags;
	out->carrier = l->flags >= 0 && !(l->flags & IFF_UP) ? -1 : l->carrier;
	out->operstate = l->operstate;
	out->master = l->master;
	return 0;
}

size_t nl_monitor_take_dirty(struct nl_monitor *m, int *out, size_t max, int *structural)
{
	size_t n = 0;
	if (structural)
		*structural = m ? m->structural : 0;
	if (!m)
		return 0;
	m->structural = 0;
	for (size_t i = 0; (m->ndirty || m->keep_msgs) && i < m->nlinks; i++) {
		struct nlm_link *l = &m->links[i];
		if (!l->dirty) { /* kept one take long: for the caller of the last */
			if (l->msg) {
				free(l->msg);
				l->msg = NULL;
				l->msglen = 0;
			}
			continue;
		}
		l->dirty = false;
		m->ndirty--;
		if (n < max)
			out[n] = l->ifindex;
		n++;
	}
	m->ndirty = 0;
	return n;
}

size_t nl_monitor_ndirty(const struct nl_monitor *m) { return m ? m->ndirty : 0; }

void nl_monitor_keep_msgs(struct nl_monitor *m, bool on)
{
	if (m)
		m->keep_msgs = on;
}

const void *nl_monitor_msg(const struct nl_monitor *m, int ifindex, size_t *len)
{
	const struct nlm_link *l = m ? link_find(m, ifindex) : NULL;
	if (!l || !l->msg)
		return NULL;
	*len = l->msglen;
	return l->msg;
}
int nl_monitor_structural(const struct nl_monitor *m) { return m ? m->structural : 0; }

uint64_t nl_monitor_events(const struct nl_monitor *m) { return m ? m->events : 0; }

void nl_monitor_close(struct nl_monitor *m)
{
	if (!m)
		return;
	if (m->nl)
		mnl_socket_close(m->nl);
	free(m->filter);
	for (size_t i = 0; i < m->nlinks; i++)
		free(m->links[i].msg);
	free(m->links);
	free(m->pos);
	free(m);
}
