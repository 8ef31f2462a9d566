/* collectors/link_refresh.c: the reply to one RTM_GETLINK merged into a
 * model only when it is the link asked for (bytes built here), and live, in
 * a network namespace of its own with veths: after a series of announced
 * changes (carrier, admin state, MTU, alias set and cleared), the model
 * refreshed link by link from nl_monitor's dirty set, asked again or
 * merged from the notifications the monitor kept, gives the same links and
 * the same findings as a full collection of the same state; a new link or
 * a rename is said to need a full collection. */
#include "tests/unit/t.h"
#include "collectors/collect.h"
#include "collectors/link_refresh.h"
#include "collectors/nl_monitor.h"
#include "model/json.h"
#include "rules/rules.h"
#include <errno.h>
#include <jansson.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

static size_t mk(char *buf, int ifindex, const char *name, unsigned flags, int carrier, unsigned mtu)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = flags;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	if (carrier >= 0)
		mnl_attr_put_u8(nlh, IFLA_CARRIER, (uint8_t)carrier);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, carrier > 0 ? IF_OPER_UP : IF_OPER_DOWN);
	return nlh->nlmsg_len;
}

static size_t mk_err(char *buf, int err)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	struct nlmsgerr *e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = err;
	return nlh->nlmsg_len;
}

static void test_reply(void)
{
	char buf[4096];
	struct machine *m = machine_new("host");
	struct netdev *n = machine_add_netdev(m, "eth0");
	vi_set(&n->ifindex, 7, SRC_NETLINK);
	vi_set(&n->admin_up, 1, SRC_NETLINK);
	vi_set(&n->carrier, 1, SRC_NETLINK);
	vs_set(&n->ifalias, "uplink", SRC_NETLINK);
	/* The link asked for: merged (carrier down, MTU), its alias gone. */
	CHECK_INT(link_refresh_reply(m, buf, mk(buf, 7, "eth0", IFF_UP, 0, 9000), 7, "eth0"), 0);
	n = &m->netdevs[0];
	CHECK_INT(m->nnetdevs, 1);
	CHECK(VI_KNOWN(n->carrier) && n->carrier.v == 0);
	CHECK_INT(n->mtu.v, 9000);
	CHECK(!VS_KNOWN(n->ifalias));
	CHECK_STR(n->operstate.v, "down");
	/* Another name (renamed) or another ifindex: nothing merged, collect. */
	CHECK_INT(link_refresh_reply(m, buf, mk(buf, 7, "eth9", IFF_UP, 1, 1500), 7, "eth0"), LINK_REFRESH_FULL);
	CHECK_INT(link_refresh_reply(m, buf, mk(buf, 8, "eth0", IFF_UP, 1, 1500), 7, "eth0"), LINK_REFRESH_FULL);
	CHECK_INT(m->nnetdevs, 1);
	CHECK_INT(m->netdevs[0].mtu.v, 9000);
	/* Gone, or refused. */
	CHECK_INT(link_refresh_reply(m, buf, mk_err(buf, -ENODEV), 7, "eth0"), LINK_REFRESH_FULL);
	CHECK_INT(link_refresh_reply(m, buf, mk_err(buf, -EPERM), 7, "eth0"), -EPERM);
	CHECK_INT(link_refresh_reply(m, buf, mk_err(buf, 12345), 7, "eth0"), -EBADMSG);
	/* Short, empty, truncated. */
	size_t len = mk(buf, 7, "eth0", IFF_UP, 1, 1500);
	CHECK_INT(link_refresh_reply(m, buf, 8, 7, "eth0"), -ENODATA);
	CHECK_INT(link_refresh_reply(m, NULL, 0, 7, "eth0"), -ENODATA);
	((struct nlmsghdr *)buf)->nlmsg_len = (uint32_t)len + 100;
	CHECK_INT(link_refresh_reply(m, buf, len, 7, "eth0"), -ENODATA);
	CHECK_INT(link_refresh_reply(m, buf, mk(buf, 7, "eth0", IFF_UP, 1, 1500), 7, NULL), LINK_REFRESH_FULL);
	machine_free(m);
}

static void test_alone(void)
{
	struct machine *m = machine_new("host");
	machine_add_netdev(m, "bond0");
	vs_set(&m->netdevs[0].kind, "bond", SRC_NETLINK);
	machine_add_netdev(m, "eth1");
	vs_set(&m->netdevs[1].master, "bond0", SRC_NETLINK);
	machine_add_netdev(m, "eth2");
	CHECK(!link_refresh_alone(m, &m->netdevs[0]));
	CHECK(!link_refresh_alone(m, &m->netdevs[1]));
	CHECK(link_refresh_alone(m, &m->netdevs[2]));
	machine_free(m);
}

/* ---- live ---- */
static int sh(const char *cmd)
{
	int r = system(cmd);
	if (r)
		fprintf(stderr, "command failed (%d): %s\n", r, cmd);
	return r;
}

static struct machine *full(struct findings *f)
{
	struct collect_opts o = { .no_kmsg = true, .no_netns = true };
	char err[256];
	struct machine *m = collect_machine(&o, err, sizeof(err));
	if (!m)
		return NULL;
	host_extras(m, &o);
	correlate(m);
	rules_run(m, f);
	return m;
}

/* The model's links and teams and the findings, as JSON text (what the
 * screen and check --json show), without what differs between any two
 * collections (times, the sources' notes). */
static char *view(const struct machine *m, const struct findings *f)
{
	json_t *j = machine_to_json(m), *o = json_object();
	json_object_set(o, "netdevs", json_object_get(j, "netdevs"));
	json_object_set(o, "teams", json_object_get(j, "teams"));
	json_object_set(o, "pfs", json_object_get(j, "pfs"));
	json_object_set_new(o, "findings", findings_to_json(f));
	char *s = json_dumps(o, JSON_SORT_KEYS | JSON_INDENT(1));
	json_decref(o);
	json_decref(j);
	return s;
}

static void diff(const char *a, const char *b)
{
	FILE *fa = fopen("/tmp/vfst-link-refresh.a", "w"), *fb = fopen("/tmp/vfst-link-refresh.b", "w");
	if (fa && fb) {
		fputs(a, fa);
		fputs(b, fb);
	}
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	if (system("diff -u /tmp/vfst-link-refresh.a /tmp/vfst-link-refresh.b | head -60 >&2")) {
	}
	unlink("/tmp/vfst-link-refresh.a");
	unlink("/tmp/vfst-link-refresh.b");
}

/* The refreshed model m (findings f) against a full collection now. */
static void same_as_full(struct machine *m, struct findings *f, const char *step)
{
	struct findings ff = { 0 };
	struct machine *fm = full(&ff);
	CHECK(fm != NULL);
	if (!fm)
		return;
	char *a = view(m, f), *b = view(fm, &ff);
	if (strcmp(a, b)) {
		fprintf(stderr, "after %s: the refreshed model differs from a full collection:\n", step);
		diff(a, b);
	}
	CHECK(!strcmp(a, b));
	free(a);
	free(b);
	findings_free(&ff);
	machine_free(fm);
}

/* One refresh as vfscope top does it: 0 merged, LINK_REFRESH_FULL, ... */
static size_t from_msgs; /* links merged from their notification */

static int refresh(struct nl_monitor *mon, struct link_refresh *lr, struct machine *m, struct findings *f,
		   size_t *merged, bool msgs)
{
	int dirty[64], st = 0;
	struct link_refresh_msg mv[64];
	usleep(100000); /* the notifications are in the socket */
	nl_monitor_read(mon);
	size_t n = nl_monitor_take_dirty(mon, dirty, 64, &st);
	if (st || n > 64)
		return LINK_REFRESH_FULL;
	for (size_t k = 0; k < n; k++) {
		mv[k].buf = msgs ? nl_monitor_msg(mon, dirty[k], &mv[k].len) : NULL;
		from_msgs += mv[k].buf != NULL;
	}
	int r = link_refresh_links(lr, m, dirty, mv, n, merged);
	if (r)
		return r;
	/* as cli/top_refresh.c: no PF among the links (veths), so the model
	 * is not linked or correlated again */
	findings_free(f);
	rules_run(m, f);
	return 0;
}

static void test_live(void)
{
	if (getuid() != 0 || unshare(CLONE_NEWNET | CLONE_NEWNS)) {
		printf("live part skipped: needs root (unshare a network namespace)\n");
		return;
	}
	/* sysfs shows the namespace of whoever mounted it: mount our own, as
	 * ip netns exec does. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) || umount2("/sys", MNT_DETACH) ||
	    mount("sysfs", "/sys", "sysfs", 0, NULL)) {
		printf("live part skipped: cannot mount sysfs for the namespace\n");
		return;
	}
	if (sh("ip link add lr0 type veth peer name lr1 && ip link add lr2 type veth peer name lr3 && "
	       "ip link set lr0 up && ip link set lr1 up && ip link set lr2 up")) {
		printf("live part skipped: no veth\n");
		return;
	}
	struct nl_monitor *mon = nl_monitor_open(NULL, 0, NULL, NULL);
	struct link_refresh *lr = link_refresh_open();
	CHECK(mon && lr);
	if (!mon || !lr)
		return;
	nl_monitor_keep_msgs(mon, true);
	struct findings f = { 0 };
	struct machine *m = full(&f);
	CHECK(m != NULL);
	if (!m)
		return;
	size_t merged = 0;
	static const struct { const char *cmd, *step; size_t links; } steps[] = {
		{ "ip link set lr1 down", "peer down (lr0 loses carrier)", 2 },
		{ "ip link set lr0 down", "admin down", 1 },
		{ "ip link set lr0 mtu 9000 && ip link set lr0 up && ip link set lr1 up", "mtu, both up", 2 },
		{ "ip link set lr2 alias uplink && ip link set lr3 up", "alias, lr2 gets carrier", 2 },
		{ "ip link set lr2 alias ''", "alias cleared", 1 },
		{ "ip link set lr0 mtu 1500 && ip link set lr1 down", "mtu back, peer down", 2 },
		{ "ip link set lr1 up && ip link set lr2 alias edge && ip link set lr2 mtu 4000", "alias, mtu", 2 },
	};
	/* Asked again (RTM_GETLINK), then merged from the notifications. */
	for (int pass = 0; pass < 2; pass++) {
		if (pass) { /* back to where the first pass began */
			CHECK_INT(sh("ip link set lr3 down && ip link set lr2 alias ''"), 0);
			CHECK_INT(refresh(mon, lr, m, &f, &merged, true), 0);
			same_as_full(m, &f, "lr3 down again");
		}
		for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
			char step[128];
			snprintf(step, sizeof(step), "%s (%s)", steps[i].step, pass ? "notification" : "asked");
			CHECK_INT(sh(steps[i].cmd), 0);
			CHECK_INT(refresh(mon, lr, m, &f, &merged, pass == 1), 0);
			CHECK(merged >= steps[i].links);
			if (merged < steps[i].links)
				fprintf(stderr, "%s: %zu links merged\n", step, merged);
			same_as_full(m, &f, step);
		}
	}
	CHECK(from_msgs >= 10); /* the second pass did merge notifications */
	/* What a per-link refresh cannot follow. */
	CHECK_INT(sh("ip link add lr4 type veth peer name lr6"), 0);
	CHECK_INT(refresh(mon, lr, m, &f, &merged, true), LINK_REFRESH_FULL);
	CHECK_INT(sh("ip link set lr3 name lr5"), 0);
	CHECK_INT(refresh(mon, lr, m, &f, &merged, true), LINK_REFRESH_FULL);
	/* Not in the model (ifindex unknown to it): collect. */
	int none = 999999;
	CHECK_INT(link_refresh_links(lr, m, &none, NULL, 1, &merged), LINK_REFRESH_FULL);
	findings_free(&f);
	machine_free(m);
	link_refresh_close(lr);
	nl_monitor_close(mon);
}

T_MAIN(T(test_reply), T(test_alone), T(test_live))
