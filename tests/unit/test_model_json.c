/* The model survives JSON both ways (guests and bundles depend on it), and
 * the reader refuses what a hostile guest could send. */
#include "tests/unit/t.h"
#include "model/json.h"
#include <stdlib.h>

static struct machine *sample(void)
{
	struct machine *m = machine_new("host");
	vs_set(&m->hostname, "hv1", SRC_PROCFS);
	m->time_ns = 1795590997649823868ull;
	struct netdev *n = machine_add_netdev(m, "eth0");
	vi_set(&n->carrier, 0, SRC_SYSFS);
	vs_set(&n->pci, "0000:01:00.0", SRC_SYSFS);
	struct pf *p = machine_add_pf(m, "0000:01:00.0");
	vs_set(&p->netdev, "eth0", SRC_SYSFS);
	vi_set(&p->sriov_numvfs, 2, SRC_SYSFS);
	p->cap.present = true;
	p->cap.src = SRC_LIBPCI;
	p->cap.total_vfs = 8;
	p->cap.vf_device = 0x10ca;
	p->cap.link_speed_gts10 = 25;
	p->cap.link_width = 1;
	struct vf *v = pf_add_vf(p, 0);
	vs_set(&v->mac, "02:00:00:00:00:a0", SRC_NETLINK);
	vi_set(&v->trust, 0, SRC_NETLINK);
	vi_set(&v->link_state, VF_LINK_ENABLE, SRC_NETLINK);
	v->stats.src = SRC_NETLINK;
	v->stats.rx_packets = 42;
	struct team *t = machine_add_team(m, "bond0");
	t->driver = TEAM_BONDING;
	vs_set(&t->mode, "active-backup", SRC_SYSFS);
	struct member *mb = team_add_member(t, "eth2");
	vs_set(&mb->perm_mac, "02:00:00:00:00:a0", SRC_PROCFS);
	machine_add_source(m, "netlink", SOURCE_PARTIAL, "dump interrupted");
	struct vfs_event ev = { .ts_real_ns = 5, .kind = EV_MBX, .vf = 0, .dir = EV_DIR_VF_TO_PF,
				.result = EV_RES_NACK, .nwords = 2, .words = { 0x40000002, 0xa0000002 }, .cpu = 1 };
	strcpy(ev.driver, "igb");
	machine_add_event(m, &ev);
	machine_add_kmsg(m, 123, 4, "igb 0000:01:00.0: VF 0 attempted to override administratively set MAC address");
	return m;
}

static void test_roundtrip(void)
{
	struct machine *m = sample();
	json_t *j1 = machine_to_json(m);
	char err[256];
	struct machine *back = machine_from_json(j1, 0, err, sizeof(err));
	CHECK(back != NULL);
	if (!back)
		return;
	json_t *j2 = machine_to_json(back);
	char *s1 = json_dumps(j1, JSON_SORT_KEYS), *s2 = json_dumps(j2, JSON_SORT_KEYS);
	CHECK_STR(s2, s1);
	CHECK_INT(back->pfs[0].vfs[0].link_state.src, SRC_NETLINK);
	CHECK(!VI_KNOWN(back->pfs[0].vfs[0].vlan)); /* unknown stays unknown */
	CHECK_INT(back->events[0].result, EV_RES_NACK);
	CHECK_INT(back->events[0].words[1], 0xa0000002u);
	free(s1);
	free(s2);
	json_decref(j2);
	machine_free(back);
	/* With an override every value says where it really came from now. */
	back = machine_from_json(j1, SRC_GUEST, err, sizeof(err));
	CHECK(back && back->pfs[0].vfs[0].mac.src == SRC_GUEST);
	machine_free(back);
	json_decref(j1);
	machine_free(m);
}

static void expect_reject(const char *doc, const char *why)
{
	char err[256] = "";
	struct machine *m = machine_from_text(doc, strlen(doc), SRC_GUEST, err, sizeof(err));
	if (m)
		fprintf(stderr, "accepted: %s\n", why);
	CHECK(m == NULL);
	CHECK(err[0] != 0);
	machine_free(m);
}

static void test_hostile(void)
{
	expect_reject("", "empty");
	expect_reject("[]", "not an object");
	expect_reject("{\"schema\":99}", "future schema");
	expect_reject("{\"schema\":1,\"netdevs\":[{\"name\":7}]}", "wrong type");
	expect_reject("{\"schema\":1,\"netdevs\":[{\"ifindex\":1}]}", "netdev without a name");
	expect_reject("{\"schema\":1,\"pfs\":[{\"vfs\":[{\"index\":-1}]}]}", "negative VF index");
	expect_reject("{\"schema\":1,\"schema\":1}", "duplicate keys");
	/* Deep nesting. */
	char deep[400] = "{\"schema\":1,\"x\":";
	for (int i = 0; i < 60; i++)
		strcat(deep, "[");
	for (int i = 0; i < 60; i++)
		strcat(deep, "]");
	strcat(deep, "}");
	expect_reject(deep, "nesting deeper than the bound");
	/* Too many members. */
	size_t cap = 100000;
	char *big = malloc(cap);
	size_t o = (size_t)snprintf(big, cap, "{\"schema\":1,\"teams\":[{\"name\":\"b\",\"members\":[");
	for (int i = 0; i < 1000; i++)
		o += (size_t)snprintf(big + o, cap - o, "%s{\"name\":\"m%d\"}", i ? "," : "", i);
	snprintf(big + o, cap - o, "]}]}");
	expect_reject(big, "1000 members");
	free(big);
	/* Strings are sanitised on the way in. */
	const char *esc = "{\"schema\":1,\"netdevs\":[{\"name\":\"e\\u001b]0;x\\u0007\"}]}";
	char err[128];
	struct machine *m = machine_from_text(esc, strlen(esc), SRC_GUEST, err, sizeof(err));
	CHECK(m && m->nnetdevs == 1);
	if (m)
		CHECK_STR(m->netdevs[0].name.v, "e?]0;x?");
	machine_free(m);
}

T_MAIN(T(test_roundtrip), T(test_hostile))
