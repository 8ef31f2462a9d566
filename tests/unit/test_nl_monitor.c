/* collectors/nl_monitor.c, what the dashboard draws from it: the admin
 * state (IFF_UP) said with the change it came with or alone, the last state
 * of a link (nl_monitor_link) and the change counter the screen watches. */
#include "tests/unit/t.h"
#include "collectors/nl_monitor.h"
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>

static struct vfs_event got[8];
static int ngot;
static void cb(const struct vfs_event *ev, void *ctx)
{
	(void)ctx;
	if (ngot < 8)
		got[ngot++] = *ev;
}

static size_t mk(char *buf, int ifindex, const char *name, unsigned flags, int carrier, int oper)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (carrier >= 0)
		mnl_attr_put_u8(nlh, IFLA_CARRIER, (uint8_t)carrier);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, (uint8_t)oper);
	return nlh->nlmsg_len;
}

static void test_admin_state(void)
{
	char buf[4096];
	struct nl_monitor *m = nl_monitor_new(NULL, 0, cb, NULL);
	struct nl_monitor_link l;
	ngot = 0;
	CHECK_INT(nl_monitor_link(m, 7, &l), -ENOENT);
	CHECK_INT(nl_monitor_parse(m, buf, mk(buf, 7, "eth0", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP)), 0);
	CHECK_INT(nl_monitor_changes(m), 0); /* first sight: state, not a change */
	CHECK_INT(nl_monitor_link(m, 7, &l), 0);
	CHECK_STR(l.name, "eth0");
	CHECK(l.flags & IFF_UP);
	CHECK_INT(l.carrier, 1);
	CHECK_STR(nl_monitor_oper_name(l.operstate), "up");
	/* The wire goes: carrier and operstate, IFF_UP stays. */
	CHECK_INT(nl_monitor_parse(m, buf, mk(buf, 7, "eth0", IFF_UP, 0, IF_OPER_DOWN)), 1);
	CHECK_STR(got[0].text, "carrier down, operstate down");
	CHECK_INT(nl_monitor_changes(m), 1);
	/* The admin sets it down: only IFF_UP changes, said alone. */
	CHECK_INT(nl_monitor_parse(m, buf, mk(buf, 7, "eth0", 0, 0, IF_OPER_DOWN)), 1);
	CHECK_STR(got[1].text, "admin down, operstate down");
	CHECK_INT(nl_monitor_changes(m), 2);
	CHECK_INT(nl_monitor_link(m, 7, &l), 0);
	CHECK(!(l.flags & IFF_UP));
	CHECK_INT(l.carrier, -1); /* not up: carrier unknown, as sysfs says */
	/* Up from carrier up straight to admin down (a carrier that drops with
	 * IFF_UP): told as admin/operstate, never as a carrier reading. */
	CHECK_INT(nl_monitor_parse(m, buf, mk(buf, 8, "eth1", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP)), 0);
	CHECK_INT(nl_monitor_parse(m, buf, mk(buf, 8, "eth1", 0, 0, IF_OPER_DOWN)), 1);
	CHECK_STR(got[2].text, "operstate up -> down, admin down");
	ngot = 2;
	/* Up again with carrier: one event says both. */
	CHECK_INT(nl_monitor_parse(m, buf, mk(buf, 7, "eth0", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP)), 1);
	CHECK_STR(got[2].text, "carrier up, operstate up, admin up");
	/* The same message again: no event, no change. */
	CHECK_INT(nl_monitor_parse(m, buf, mk(buf, 7, "eth0", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP)), 0);
	CHECK_INT(nl_monitor_changes(m), 4);
	/* A message without IFLA_CARRIER keeps the carrier last seen. */
	CHECK_INT(nl_monitor_parse(m, buf, mk(buf, 7, "eth0", IFF_UP | IFF_LOWER_UP, -1, IF_OPER_UP)), 0);
	CHECK_INT(nl_monitor_link(m, 7, &l), 0);
	CHECK_INT(l.carrier, 1);
	CHECK_STR(nl_monitor_oper_name(99), "?");
	nl_monitor_close(m);
}

/* What the refresh between full collections takes: the links with any
 * notification since the last take, and what it cannot follow. */
static size_t mk_master(char *buf, int ifindex, const char *name, int master)
{
	size_t len = mk(buf, ifindex, name, IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP);
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	(void)len;
	return nlh->nlmsg_len;
}

static void test_dirty(void)
{
	char buf[4096];
	int out[8], st = -1;
	struct nl_monitor *m = nl_monitor_new(NULL, 0, NULL, NULL);
	nl_monitor_parse(m, buf, mk(buf, 7, "eth0", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP));
	nl_monitor_parse(m, buf, mk(buf, 8, "eth1", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP));
	/* Both new to the monitor: dirty, and a link appeared. */
	CHECK_INT(nl_monitor_ndirty(m), 2);
	CHECK_INT(nl_monitor_take_dirty(m, out, 8, &st), 2);
	CHECK(st & NLM_STRUCT_NEW);
	CHECK_INT(nl_monitor_ndirty(m), 0);
	CHECK_INT(nl_monitor_take_dirty(m, out, 8, &st), 0);
	CHECK_INT(st, 0);
	/* Any notification makes a link dirty, a state change or not (an MTU
	 * or alias change says nothing the monitor keeps). */
	nl_monitor_parse(m, buf, mk(buf, 8, "eth1", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP));
	nl_monitor_parse(m, buf, mk(buf, 8, "eth1", IFF_UP, 0, IF_OPER_DOWN));
	CHECK_INT(nl_monitor_take_dirty(m, out, 8, &st), 1);
	CHECK_INT(out[0], 8);
	CHECK_INT(st, 0);
	/* Renamed, enslaved, removed: structural. */
	nl_monitor_parse(m, buf, mk(buf, 7, "wan0", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP));
	CHECK_INT(nl_monitor_structural(m), NLM_STRUCT_RENAMED);
	nl_monitor_take_dirty(m, out, 8, &st);
	nl_monitor_parse(m, buf, mk_master(buf, 8, "eth1", 7));
	CHECK_INT(nl_monitor_take_dirty(m, out, 8, &st), 1);
	CHECK_INT(st, NLM_STRUCT_MASTER);
	size_t len = mk(buf, 8, "eth1", 0, -1, IF_OPER_DOWN);
	((struct nlmsghdr *)buf)->nlmsg_type = RTM_DELLINK;
	nl_monitor_parse(m, buf, len);
	CHECK_INT(nl_monitor_take_dirty(m, out, 8, &st), 0); /* gone: nothing to ask for */
	CHECK_INT(st, NLM_STRUCT_GONE);
	/* More dirty links than room: all counted, the first written. */
	for (int i = 0; i < 20; i++) {
		char n[16];
		snprintf(n, sizeof(n), "v%d", i);
		nl_monitor_parse(m, buf, mk(buf, 100 + i, n, IFF_UP, 1, IF_OPER_UP));
	}
	CHECK_INT(nl_monitor_take_dirty(m, out, 8, &st), 20);
	CHECK_INT(nl_monitor_ndirty(m), 0);
	/* Lookups by ifindex after removals (the index follows the moves). */
	struct nl_monitor_link l;
	CHECK_INT(nl_monitor_link(m, 119, &l), 0);
	CHECK_STR(l.name, "v19");
	CHECK_INT(nl_monitor_link(m, 8, &l), -ENOENT);
	CHECK_INT(nl_monitor_link(m, 7, &l), 0);
	CHECK_STR(l.name, "wan0");
	nl_monitor_close(m);
}

/* The links of the last changes, for a screen that applies only those
 * (cli/cmd_top.c): one per change of state, oldest first; SIZE_MAX when
 * they do not fit or are no longer remembered. */
static void test_changed_since(void)
{
	char buf[4096];
	int out[300];
	struct nl_monitor *m = nl_monitor_new(NULL, 0, NULL, NULL);
	nl_monitor_parse(m, buf, mk(buf, 7, "eth0", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP));
	nl_monitor_parse(m, buf, mk(buf, 8, "eth1", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP));
	uint64_t c0 = nl_monitor_changes(m);
	CHECK_INT(nl_monitor_changed_since(m, c0, out, 8), 0);
	nl_monitor_parse(m, buf, mk(buf, 8, "eth1", IFF_UP, 0, IF_OPER_DOWN));
	nl_monitor_parse(m, buf, mk(buf, 8, "eth1", IFF_UP, 0, IF_OPER_DOWN)); /* no change of state */
	nl_monitor_parse(m, buf, mk(buf, 7, "eth0", 0, -1, IF_OPER_DOWN));
	nl_monitor_parse(m, buf, mk(buf, 8, "eth1", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP));
	CHECK_INT(nl_monitor_changes(m) - c0, 3);
	CHECK_INT(nl_monitor_changed_since(m, c0, out, 8), 3);
	CHECK(out[0] == 8 && out[1] == 7 && out[2] == 8);
	CHECK_INT(nl_monitor_changed_since(m, c0 + 2, out, 8), 1);
	CHECK_INT(out[0], 8);
	CHECK_INT(nl_monitor_changed_since(m, c0, out, 2), SIZE_MAX); /* no room */
	CHECK_INT(nl_monitor_changed_since(m, nl_monitor_changes(m) + 1, out, 8), SIZE_MAX);
	for (int i = 0; i < 150; i++) { /* 300 changes: the oldest are forgotten */
		nl_monitor_parse(m, buf, mk(buf, 7, "eth0", IFF_UP, 0, IF_OPER_DOWN));
		nl_monitor_parse(m, buf, mk(buf, 7, "eth0", 0, -1, IF_OPER_DOWN));
	}
	CHECK_INT(nl_monitor_changed_since(m, c0, out, 300), SIZE_MAX);
	CHECK_INT(nl_monitor_changed_since(m, nl_monitor_changes(m) - 256, out, 300), 256);
	CHECK_INT(out[255], 7);
	nl_monitor_close(m);
}

/* With keep_msgs, each link's last RTM_NEWLINK (not a bridge port's
 * AF_BRIDGE one) for the refresh to merge: there after the take that
 * gives the link, gone after the next take without a notification. */
static void test_msgs(void)
{
	char buf[4096];
	int out[8], st;
	size_t len = 0;
	struct nl_monitor *m = nl_monitor_new(NULL, 0, NULL, NULL);
	nl_monitor_parse(m, buf, mk(buf, 7, "eth0", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP));
	CHECK(nl_monitor_msg(m, 7, &len) == NULL); /* not asked to keep them */
	nl_monitor_keep_msgs(m, true);
	nl_monitor_take_dirty(m, out, 8, &st);
	size_t l1 = mk(buf, 7, "eth0", IFF_UP, 0, IF_OPER_DOWN);
	nl_monitor_parse(m, buf, l1);
	size_t l2 = mk(buf, 7, "eth0", IFF_UP | IFF_LOWER_UP, 1, IF_OPER_UP);
	nl_monitor_parse(m, buf, l2);
	char last[4096];
	memcpy(last, buf, l2);
	((struct ifinfomsg *)mnl_nlmsg_get_payload((struct nlmsghdr *)buf))->ifi_family = AF_BRIDGE;
	nl_monitor_parse(m, buf, l2);
	CHECK_INT(nl_monitor_take_dirty(m, out, 8, &st), 1);
	const void *msg = nl_monitor_msg(m, 7, &len);
	CHECK(msg != NULL && len == l2 && !memcmp(msg, last, l2));
	CHECK(nl_monitor_msg(m, 8, &len) == NULL);
	CHECK_INT(nl_monitor_take_dirty(m, out, 8, &st), 0);
	CHECK(nl_monitor_msg(m, 7, &len) == NULL);
	(void)l1;
	nl_monitor_close(m);
}

T_MAIN(T(test_admin_state), T(test_dirty), T(test_changed_since), T(test_msgs))
