/* The model survives JSON both ways (guests and bundles depend on it), and
 * the reader refuses what a hostile guest could send. */
#include "tests/unit/t.h"
#include "model/json.h"
#include "model/print.h"
#include <stdlib.h>
#include <string.h>

static struct machine *sample(void)
{
	struct machine *m = machine_new("host");
	vs_set(&m->hostname, "hv1", SRC_PROCFS);
	m->time_ns = 1795590997649823868ull;
	struct netdev *n = machine_add_netdev(m, "eth0");
	vi_set(&n->admin_up, 1, SRC_NETLINK);
	vi_set(&n->carrier, 0, SRC_SYSFS);
	n = machine_add_netdev(m, "eth3");
	vi_set(&n->admin_up, 0, SRC_SYSFS);
	machine_add_netdev(m, "eth9"); /* admin state unknown */
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

static const json_t *netdev_json(const json_t *doc, const char *name)
{
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(doc, "netdevs"), i, n)
		if (!strcmp(json_string_value(json_object_get(n, "name")) ?: "", name))
			return n;
	return NULL;
}

/* admin_up is true/false/null with its source, and comes back the same. */
static void test_admin_up(void)
{
	struct machine *m = sample();
	json_t *j = machine_to_json(m);
	const json_t *e0 = netdev_json(j, "eth0"), *e3 = netdev_json(j, "eth3"), *e9 = netdev_json(j, "eth9");
	CHECK(e0 && json_is_true(json_object_get(e0, "admin_up")));
	CHECK(e0 && !strcmp(json_string_value(json_object_get(json_object_get(e0, "src"), "admin_up")) ?: "", "netlink"));
	CHECK(e3 && json_is_false(json_object_get(e3, "admin_up")));
	CHECK(e3 && !strcmp(json_string_value(json_object_get(json_object_get(e3, "src"), "admin_up")) ?: "", "sysfs"));
	CHECK(e9 && json_is_null(json_object_get(e9, "admin_up")));
	CHECK(e9 && !json_object_get(json_object_get(e9, "src"), "admin_up"));
	char err[256];
	struct machine *back = machine_from_json(j, 0, err, sizeof(err));
	CHECK(back && back->nnetdevs == 3);
	if (back && back->nnetdevs == 3) {
		CHECK_INT(back->netdevs[0].admin_up.v, 1);
		CHECK_INT(back->netdevs[0].admin_up.src, SRC_NETLINK);
		CHECK_INT(back->netdevs[1].admin_up.v, 0);
		CHECK_INT(back->netdevs[1].admin_up.src, SRC_SYSFS);
		CHECK(!VI_KNOWN(back->netdevs[2].admin_up));
	}
	machine_free(back);
	json_decref(j);
	machine_free(m);
	/* A hand-written 0/1 is taken; anything else is a bad field. */
	const char *ok = "{\"schema\":1,\"netdevs\":[{\"name\":\"a\",\"admin_up\":0,\"carrier\":1}]}";
	back = machine_from_text(ok, strlen(ok), SRC_GUEST, err, sizeof(err));
	CHECK(back && back->nnetdevs == 1 && back->netdevs[0].admin_up.src == SRC_GUEST && !back->netdevs[0].admin_up.v);
	/* A guest that says admin down and carrier 1: not up, so no carrier. */
	if (back) {
		machine_link(back);
		CHECK(!VI_KNOWN(back->netdevs[0].carrier));
	}
	machine_free(back);
	expect_reject("{\"schema\":1,\"netdevs\":[{\"name\":\"a\",\"admin_up\":2}]}", "admin_up 2");
	expect_reject("{\"schema\":1,\"netdevs\":[{\"name\":\"a\",\"admin_up\":\"yes\"}]}", "admin_up string");
}

/* A member whose netdev is not up has no carrier either. */
static void test_link_not_up(void)
{
	struct machine *m = machine_new("guest");
	struct netdev *n = machine_add_netdev(m, "eth2");
	vi_set(&n->admin_up, 0, SRC_NETLINK);
	vi_set(&n->carrier, 0, SRC_NETLINK);
	n = machine_add_netdev(m, "eth4");
	vi_set(&n->admin_up, 1, SRC_NETLINK);
	vi_set(&n->carrier, 1, SRC_NETLINK);
	struct team *t = machine_add_team(m, "bond0");
	team_add_member(t, "eth2");
	team_add_member(t, "eth4");
	vi_set(&t->members[0].carrier, 0, SRC_GUEST);
	machine_link(m);
	CHECK(!VI_KNOWN(m->netdevs[0].carrier));
	CHECK(!VI_KNOWN(t->members[0].carrier));
	CHECK_INT(m->netdevs[1].carrier.v, 1);
	CHECK_INT(t->members[1].carrier.v, 1);
	CHECK_INT(t->members[1].carrier.src, SRC_NETLINK);
	machine_free(m);
}

/* Empty is unknown: vs_set never keeps "", so two empty attributes can
 * not compare equal; a JSON "" reads back as null. */
static void test_empty_unknown(void)
{
	struct vs v = { 0 };
	vs_set(&v, "", SRC_SYSFS);
	CHECK(!VS_KNOWN(v));
	CHECK_INT(v.src, SRC_NONE);
	CHECK(v.v == NULL);
	vs_set(&v, "x", SRC_SYSFS);
	CHECK(VS_KNOWN(v));
	vs_set(&v, "", SRC_SYSFS); /* an empty read replaces an earlier value by unknown */
	CHECK(!VS_KNOWN(v));
	vs_free(&v);
	const char *doc = "{\"schema\":1,\"pfs\":[{\"pci\":\"0000:01:00.0\",\"phys_port_id\":\"\",\"phys_switch_id\":\"\","
			  "\"phys_port_name\":\"\"}],\"netdevs\":[{\"name\":\"e\",\"ifalias\":\"\",\"mac\":\"\"}]}";
	char err[256];
	struct machine *m = machine_from_text(doc, strlen(doc), 0, err, sizeof(err));
	CHECK(m && m->npfs == 1 && m->nnetdevs == 1);
	if (!m || m->npfs != 1 || m->nnetdevs != 1) {
		machine_free(m);
		return;
	}
	CHECK(!VS_KNOWN(m->pfs[0].phys_port_id));
	CHECK(!VS_KNOWN(m->pfs[0].phys_switch_id));
	CHECK(!VS_KNOWN(m->pfs[0].phys_port_name));
	CHECK(!VS_KNOWN(m->netdevs[0].ifalias));
	CHECK(!VS_KNOWN(m->netdevs[0].mac));
	json_t *j = machine_to_json(m);
	const json_t *pf = json_array_get(json_object_get(j, "pfs"), 0);
	CHECK(json_is_null(json_object_get(pf, "phys_port_id")));
	CHECK(!json_object_get(json_object_get(pf, "src"), "phys_port_id"));
	json_decref(j);
	machine_free(m);
}

/* Not measured is null, not 0: a document read back measured no
 * collection, and one without a time has none. */
static void test_not_measured(void)
{
	struct machine *m = sample();
	m->collect_ns = 2500000;
	json_t *j = machine_to_json(m);
	CHECK(json_real_value(json_object_get(j, "collect_ms")) == 2.5);
	CHECK(json_is_integer(json_object_get(j, "time_ns")));
	char err[256];
	struct machine *back = machine_from_json(j, 0, err, sizeof(err));
	CHECK(back && back->collect_ns == 0 && back->time_ns == m->time_ns);
	json_t *j2 = back ? machine_to_json(back) : NULL;
	CHECK(j2 && json_is_null(json_object_get(j2, "collect_ms")));
	CHECK(j2 && json_integer_value(json_object_get(j2, "time_ns")) == (json_int_t)m->time_ns);
	json_decref(j2);
	machine_free(back);
	json_decref(j);
	m->time_ns = 0;
	j = machine_to_json(m);
	CHECK(json_is_null(json_object_get(j, "time")));
	CHECK(json_is_null(json_object_get(j, "time_ns")));
	back = machine_from_json(j, 0, err, sizeof(err));
	CHECK(back && back->time_ns == 0);
	machine_free(back);
	json_decref(j);
	machine_free(m);
}

/* The lspci reading of the capability (issue 13) survives JSON: LnkCap,
 * the downgraded mark, the Express type, VF Migration and the registers the
 * source left unknown (null, and unknown again when read back). */
static struct machine *cap_machine(const char *doc)
{
	json_error_t je;
	json_t *j = json_loads(doc, 0, &je);
	CHECK(j != NULL);
	char err[256];
	struct machine *m = j ? machine_from_json(j, 0, err, sizeof(err)) : NULL;
	CHECK(m != NULL && m->npfs == 1);
	json_decref(j);
	return m;
}

static void test_sriov_cap_fields(void)
{
	struct machine *m = sample();
	struct sriov_cap *c = &m->pfs[0].cap;
	c->unknown = SRIOV_UNK_CAPS | SRIOV_UNK_BARS | SRIOV_UNK_10BIT;
	c->from_text = true;
	c->vf_migration_known = true;
	c->vf_migration = 0x00000a03;
	c->exp_type_known = true;
	c->exp_type = 0;
	c->link_cap_known = true;
	c->link_cap_speed_gts10 = 50;
	c->link_cap_width = 4;
	c->link_speed_cmp = SRIOV_LINK_DOWNGRADED;
	c->link_width_cmp = SRIOV_LINK_DOWNGRADED;
	c->ctrl = 0x19;
	c->num_vfs = 2;
	json_t *j = machine_to_json(m);
	json_t *o = json_object_get(json_array_get(json_object_get(j, "pfs"), 0), "sriov_cap");
	CHECK(json_is_null(json_object_get(o, "caps")));
	CHECK(json_is_null(json_object_get(o, "vf_bars")));
	CHECK(json_is_null(json_object_get(o, "ari_capable_preserved")));
	CHECK(json_integer_value(json_object_get(o, "ctrl")) == 0x19);
	CHECK(json_real_value(json_object_get(o, "link_cap_speed_gts")) == 5.0);
	CHECK_STR(json_string_value(json_object_get(o, "link_width_vs_cap")), "downgraded");
	CHECK(json_array_size(json_object_get(o, "unknown")) == 3);
	char err[256];
	struct machine *back = machine_from_json(j, 0, err, sizeof(err));
	CHECK(back != NULL);
	if (back) {
		const struct sriov_cap *b = &back->pfs[0].cap;
		CHECK_INT(b->unknown, SRIOV_UNK_CAPS | SRIOV_UNK_BARS | SRIOV_UNK_10BIT);
		CHECK(b->from_text && b->vf_migration_known && b->vf_migration == 0xa03);
		CHECK(b->exp_type_known && b->exp_type == 0);
		CHECK(b->link_cap_known && b->link_cap_speed_gts10 == 50 && b->link_cap_width == 4);
		CHECK_INT(b->link_speed_cmp, SRIOV_LINK_DOWNGRADED);
		CHECK_INT(b->link_width_cmp, SRIOV_LINK_DOWNGRADED);
		CHECK(b->link_speed_gts10 == 25 && b->link_width == 1);
		json_t *j2 = machine_to_json(back);
		char *s1 = json_dumps(j, JSON_SORT_KEYS), *s2 = json_dumps(j2, JSON_SORT_KEYS);
		CHECK_STR(s2, s1);
		free(s1);
		free(s2);
		json_decref(j2);
		/* The snapshot's sriov line marks the link as lspci does. */
		char *txt = NULL;
		size_t tl = 0;
		FILE *f = open_memstream(&txt, &tl);
		machine_print(f, back);
		fclose(f);
		CHECK(strstr(txt, "; link 2.5GT/s (downgraded) x1 (downgraded)\n") != NULL);
		free(txt);
	}
	machine_free(back);
	json_decref(j);
	machine_free(m);

	/* A capability with only some members (hand-written, older or cut):
	 * a missing register is unknown, not 0; LnkCap unknown, so no mark. */
	m = cap_machine("{\"schema\":1,\"role\":\"host\",\"pfs\":[{\"pci\":\"0000:01:00.0\",\"sriov_cap\":"
			"{\"src\":\"libpci\",\"offset\":352,\"ctrl\":25,\"link_speed_gts\":2.5,\"link_width\":1}}]}");
	if (m) {
		const struct sriov_cap *b = &m->pfs[0].cap;
		uint32_t want = SRIOV_UNK_CAPS | SRIOV_UNK_STATUS | SRIOV_UNK_COUNTS | SRIOV_UNK_ROUTING |
				SRIOV_UNK_PAGES | SRIOV_UNK_BARS | SRIOV_UNK_ARI;
		CHECK_INT(b->unknown, want);
		CHECK(!b->link_cap_known && !b->exp_type_known && !b->vf_migration_known);
		CHECK_INT(b->link_speed_cmp, SRIOV_LINK_UNKNOWN);
		char *txt = NULL;
		size_t tl = 0;
		FILE *f = open_memstream(&txt, &tl);
		machine_print(f, m);
		fclose(f);
		CHECK(strstr(txt, "VF Enable+ TotalVFs ? NumVFs ? offset ? stride ? VF device ? ARI?; link 2.5GT/s x1\n") != NULL);
		free(txt);
		json_t *j3 = machine_to_json(m);
		json_t *o3 = json_object_get(json_array_get(json_object_get(j3, "pfs"), 0), "sriov_cap");
		CHECK(json_is_null(json_object_get(o3, "total_vfs")) && json_is_null(json_object_get(o3, "ari_present")));
		CHECK(json_is_null(json_object_get(o3, "link_cap_width")));
		json_decref(j3);
		machine_free(m);
	}
	/* Its near twin with every register: nothing unknown, the same link
	 * same as LnkCap: no mark. */
	m = cap_machine("{\"schema\":1,\"role\":\"host\",\"pfs\":[{\"pci\":\"0000:01:00.0\",\"sriov_cap\":"
			"{\"src\":\"libpci\",\"offset\":352,\"caps\":0,\"ctrl\":25,\"status\":0,\"initial_vfs\":8,"
			"\"total_vfs\":8,\"num_vfs\":2,\"func_dep_link\":0,\"first_vf_offset\":128,\"vf_stride\":2,"
			"\"vf_device\":\"0x10ca\",\"supported_page_sizes\":1363,\"system_page_size\":1,"
			"\"vf_bars\":[0,0,0,0,0,0],\"ari_present\":true,\"link_speed_gts\":2.5,\"link_width\":1,"
			"\"link_cap_speed_gts\":2.5,\"link_cap_width\":1,\"link_speed_vs_cap\":\"same\","
			"\"link_width_vs_cap\":\"same\"}}]}");
	if (m) {
		const struct sriov_cap *b = &m->pfs[0].cap;
		CHECK_INT(b->unknown, 0);
		CHECK(b->link_cap_known && b->link_speed_cmp == SRIOV_LINK_SAME);
		char *txt = NULL;
		size_t tl = 0;
		FILE *f = open_memstream(&txt, &tl);
		machine_print(f, m);
		fclose(f);
		CHECK(strstr(txt, "VF Enable+ TotalVFs 8 NumVFs 2 offset 128 stride 2 VF device 10ca ARI+; link 2.5GT/s x1\n") != NULL);
		free(txt);
		machine_free(m);
	}
}

T_MAIN(T(test_roundtrip), T(test_hostile), T(test_admin_up), T(test_link_not_up), T(test_empty_unknown),
       T(test_not_measured), T(test_sriov_cap_fields))
