/* iproute2 link text (collectors/iplink_text.c) on real outputs:
 *  - every lab capture's `ip -d link show` (iproute2 6.1.0, igb PFs with VF
 *    lines, a guest with bond0 and bond_slave lines) against the JSON the
 *    same ip printed at the same moment (`ip -d -j link show`, read by
 *    collectors/iplink_json.c): the two readers must agree field by field;
 *  - `ip -s -d link` from the lab with VF settings and VF counters
 *    (tests/fixtures/sos/lab/ip_-s_-d_link, see its SOURCES);
 *  - `ip -s -d link` as a real sos report on this project's dev machine
 *    keeps it (tests/fixtures/sos/dev-vm);
 *  - the older VF line forms as iproute2 printed them (quoted in iproute2
 *    commit 0f48f9f4 and issue 13), `ip -o`, and hostile input. */
#include "tests/unit/t.h"
#include "collectors/iplink_text.h"
#include "collectors/iplink_json.h"
#include "lib/util.h"
#include <errno.h>
#include <stdlib.h>

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *b = calloc(1, 1 << 22);
	*len = fread(b, 1, (1 << 22) - 1, f);
	fclose(f);
	return b;
}

static int streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

#define SAME_VS(x, y, what)                                                                         \
	do {                                                                                        \
		if (!streq((x).v, (y).v)) {                                                         \
			t_fail++;                                                                   \
			fprintf(stderr, "FAIL %s: %s: text '%s' json '%s'\n", path, what,           \
				(x).v ? (x).v : "?", (y).v ? (y).v : "?");                          \
		} else                                                                              \
			t_pass++;                                                                   \
	} while (0)
#define SAME_VI(x, y, what)                                                                         \
	do {                                                                                        \
		if (VI_KNOWN(x) != VI_KNOWN(y) || (VI_KNOWN(x) && (x).v != (y).v)) {                \
			t_fail++;                                                                   \
			fprintf(stderr, "FAIL %s: %s: text %lld/%d json %lld/%d\n", path, what,     \
				(long long)(x).v, (x).src, (long long)(y).v, (y).src);              \
		} else                                                                              \
			t_pass++;                                                                   \
	} while (0)

/* The text and the JSON the same ip printed at the same moment. */
static void cross_check(const char *path, const char *jpath)
{
	size_t tl, jl;
	char *t = slurp(path, &tl), *j = slurp(jpath, &jl);
	CHECK(t && j);
	if (!t || !j) {
		free(t);
		free(j);
		return;
	}
	struct machine *a = machine_new("host"), *b = machine_new("host");
	struct iplink_text_stats st;
	char err[256];
	int n = iplink_text_parse(a, t, tl, SRC_SOS, &st);
	int nj = iplink_json_parse(b, j, jl, err, sizeof(err));
	CHECK(n > 0);
	CHECK_INT(n, nj);
	CHECK_INT(st.bad, 0);
	CHECK_INT(st.vfs_unplaced, 0);
	CHECK_INT(a->nnetdevs, b->nnetdevs);
	for (size_t i = 0; i < a->nnetdevs && i < b->nnetdevs; i++) {
		const struct netdev *x = &a->netdevs[i], *y = &b->netdevs[i];
		SAME_VS(x->name, y->name, "name");
		CHECK_INT(x->name.src, SRC_SOS);
		SAME_VI(x->ifindex, y->ifindex, "ifindex");
		SAME_VI(x->mtu, y->mtu, "mtu");
		SAME_VS(x->operstate, y->operstate, "operstate");
		SAME_VS(x->master, y->master, "master");
		SAME_VS(x->pci, y->pci, "pci");
		SAME_VS(x->kind, y->kind, "kind");
		SAME_VS(x->perm_mac, y->perm_mac, "permaddr");
		if (y->mac.v) /* the JSON reader keeps ether addresses only */
			SAME_VS(x->mac, y->mac, "mac");
		if (VI_KNOWN(x->carrier) && VI_KNOWN(y->carrier))
			SAME_VI(x->carrier, y->carrier, "carrier");
		CHECK(VI_KNOWN(x->admin_up));
	}
	CHECK_INT(a->npfs, b->npfs);
	for (size_t p = 0; p < a->npfs && p < b->npfs; p++) {
		const struct pf *x = &a->pfs[p], *y = &b->pfs[p];
		SAME_VS(x->pci, y->pci, "pf pci");
		SAME_VS(x->netdev, y->netdev, "pf netdev");
		CHECK_INT(x->nvfs, y->nvfs);
		for (size_t v = 0; v < x->nvfs && v < y->nvfs; v++) {
			const struct vf *u = &x->vfs[v], *w = &y->vfs[v];
			CHECK_INT(u->index, w->index);
			SAME_VS(u->mac, w->mac, "vf mac");
			CHECK_INT(u->mac.src, SRC_SOS);
			SAME_VI(u->spoofchk, w->spoofchk, "vf spoofchk");
			SAME_VI(u->trust, w->trust, "vf trust");
			SAME_VI(u->link_state, w->link_state, "vf link_state");
			/* ip -j prints "vlan_list": [{}] for VLAN 0 (it prints a VLAN
			 * only when not 0), which the JSON reader leaves unknown */
			if (VI_KNOWN(w->vlan))
				SAME_VI(u->vlan, w->vlan, "vf vlan");
			else
				CHECK(VI_KNOWN(u->vlan) && u->vlan.v == 0);
			if (VI_KNOWN(w->qos))
				SAME_VI(u->qos, w->qos, "vf qos");
			else
				CHECK(VI_KNOWN(u->qos) && u->qos.v == 0);
			SAME_VI(u->max_tx_rate, w->max_tx_rate, "vf max_tx_rate");
			SAME_VI(u->min_tx_rate, w->min_tx_rate, "vf min_tx_rate");
			SAME_VI(u->rss_query, w->rss_query, "vf query_rss");
			CHECK_INT(u->stats.src != SRC_NONE, w->stats.src != SRC_NONE);
			if (u->stats.src && w->stats.src) {
				CHECK_INT(u->stats.rx_bytes, w->stats.rx_bytes);
				CHECK_INT(u->stats.rx_packets, w->stats.rx_packets);
				CHECK_INT(u->stats.multicast, w->stats.multicast);
				CHECK_INT(u->stats.broadcast, w->stats.broadcast);
				CHECK_INT(u->stats.rx_dropped, w->stats.rx_dropped);
				CHECK_INT(u->stats.tx_packets, w->stats.tx_packets);
			}
		}
	}
	CHECK_INT(a->nteams, b->nteams);
	for (size_t k = 0; k < a->nteams && k < b->nteams; k++) {
		const struct team *x = &a->teams[k], *y = &b->teams[k];
		SAME_VS(x->name, y->name, "team");
		CHECK_INT(x->driver, y->driver);
		SAME_VS(x->mode, y->mode, "team mode");
		SAME_VS(x->active, y->active, "active");
		SAME_VI(x->miimon, y->miimon, "miimon");
		SAME_VS(x->fail_over_mac, y->fail_over_mac, "fail_over_mac");
		SAME_VS(x->lacp_rate, y->lacp_rate, "lacp_rate");
		SAME_VS(x->mac, y->mac, "team mac");
		CHECK_INT(x->nmembers, y->nmembers);
		for (size_t i = 0; i < x->nmembers && i < y->nmembers; i++) {
			SAME_VS(x->members[i].name, y->members[i].name, "member");
			SAME_VS(x->members[i].state, y->members[i].state, "member state");
			SAME_VS(x->members[i].mii_status, y->members[i].mii_status, "member mii");
			SAME_VS(x->members[i].perm_mac, y->members[i].perm_mac, "member perm");
			SAME_VI(x->members[i].link_failures, y->members[i].link_failures, "member failures");
		}
	}
	machine_free(a);
	machine_free(b);
	free(t);
	free(j);
}

static void test_lab_captures(void)
{
	static const char *const scen[] = { "healthy", "pf-link-down", "same-pf", "lacp", "balance-rr",
					    "failover", "mac-refused", "vf-reset" };
	for (size_t i = 0; i < sizeof(scen) / sizeof(scen[0]); i++) {
		for (int g = 0; g < 2; g++) {
			char t[256], j[256];
			snprintf(t, sizeof(t), "tests/fixtures/lab/%s/%s/ip-link.txt", scen[i], g ? "guest" : "host");
			snprintf(j, sizeof(j), "tests/fixtures/lab/%s/%s/ip-link.json", scen[i], g ? "guest" : "host");
			cross_check(t, j);
		}
	}
	/* with -s: the VF counters */
	cross_check("tests/fixtures/sos/lab/ip_-s_-d_link", "tests/fixtures/sos/lab/ip_-s_-d_-j_link");
}

/* Values as the lab printed them (healthy host: PF0 = eth0). */
static void test_lab_values(void)
{
	size_t len;
	char *t = slurp("tests/fixtures/lab/mac-refused/host/ip-link.txt", &len);
	CHECK(t != NULL);
	if (!t)
		return;
	struct machine *m = machine_new("host");
	CHECK_INT(iplink_text_parse(m, t, len, SRC_SOS, NULL), 5);
	int p = machine_find_pf(m, "0000:01:00.0");
	CHECK(p >= 0);
	if (p >= 0) {
		CHECK_INT(m->pfs[p].nvfs, 2);
		CHECK_STR(m->pfs[p].vfs[1].mac.v, "02:00:00:00:00:a1");
		CHECK_INT(m->pfs[p].vfs[1].trust.v, 0);
		CHECK_INT(m->pfs[p].vfs[1].spoofchk.v, 1);
		CHECK_INT(m->pfs[p].vfs[1].link_state.v, VF_LINK_AUTO);
		CHECK_INT(m->pfs[p].vfs[0].vlan.v, 0);
		CHECK(!VI_KNOWN(m->pfs[p].vfs[0].rss_query)); /* igb sends no query_rss */
		CHECK_STR(m->pfs[p].netdev.v, "eth0");
	}
	int n = machine_find_netdev(m, "eth3");
	CHECK(n >= 0);
	if (n >= 0) { /* "<BROADCAST,MULTICAST> ... state DOWN": admin down, carrier unknown */
		CHECK_INT(m->netdevs[n].admin_up.v, 0);
		CHECK(!VI_KNOWN(m->netdevs[n].carrier));
		CHECK_STR(m->netdevs[n].operstate.v, "down");
		CHECK_STR(m->netdevs[n].pci.v, "0000:01:10.2");
	}
	machine_free(m);
	free(t);
}

/* `ip -s -d link` in the lab with VF settings changed, each VF line
 * followed by its counters. */
static void test_lab_stats(void)
{
	size_t len;
	char *t = slurp("tests/fixtures/sos/lab/ip_-s_-d_link", &len);
	if (!t) {
		CHECK(!"tests/fixtures/sos/lab/ip_-s_-d_link missing");
		return;
	}
	struct machine *m = machine_new("host");
	struct iplink_text_stats st;
	CHECK(iplink_text_parse(m, t, len, SRC_SOS, &st) >= 6);
	CHECK_INT(st.bad, 0);
	CHECK_INT(st.vfs, 4);
	int p0 = machine_find_pf(m, "0000:01:00.0"), p1 = machine_find_pf(m, "0000:02:00.0");
	CHECK(p0 >= 0 && p1 >= 0);
	if (p0 >= 0 && p1 >= 0) {
		const struct vf *a = &m->pfs[p0].vfs[0], *b = &m->pfs[p0].vfs[1], *c = &m->pfs[p1].vfs[0];
		/* set in the lab: PF0 vf 0 vlan 100 qos 3, max_tx_rate 400, spoofchk
		 * off; PF1 vf 1 trust off (igb refuses VF link-state changes) */
		CHECK_INT(a->vlan.v, 100);
		CHECK_INT(a->qos.v, 3);
		CHECK_INT(a->max_tx_rate.v, 400);
		CHECK_INT(a->min_tx_rate.v, 0);
		CHECK_INT(a->spoofchk.v, 0);
		CHECK_INT(a->trust.v, 1);
		CHECK_INT(a->link_state.v, VF_LINK_AUTO);
		CHECK_INT(b->spoofchk.v, 1);
		CHECK_INT(c->vlan.v, 0);
		CHECK_INT(c->max_tx_rate.v, 0);
		CHECK_INT(m->pfs[p1].vfs[1].trust.v, 0);
		CHECK_INT(a->stats.src, SRC_SOS);
		CHECK_INT(c->stats.src, SRC_SOS);
		CHECK_INT(m->pfs[p1].vfs[1].stats.src, SRC_SOS);
	}
	/* bond1 in the host namespace, over both PFs' VF 1 */
	CHECK_INT(m->nteams, 1);
	if (m->nteams == 1) {
		CHECK_STR(m->teams[0].name.v, "bond1");
		CHECK_STR(m->teams[0].mode.v, "active-backup");
		CHECK_INT(m->teams[0].nmembers, 2);
		CHECK_INT(m->teams[0].miimon.v, 100);
	}
	machine_free(m);
	free(t);
}

/* The real sos report of the dev machine: lo, two ifb, a virtio eth0. */
static void test_sos_dev_vm(void)
{
	size_t len;
	char *t = slurp("tests/fixtures/sos/dev-vm/sos_commands/networking/ip_-s_-d_link", &len);
	CHECK(t != NULL);
	if (!t)
		return;
	struct machine *m = machine_new("host");
	struct iplink_text_stats st;
	CHECK_INT(iplink_text_parse(m, t, len, SRC_SOS, &st), 4);
	CHECK_INT(st.bad, 0);
	int e = machine_find_netdev(m, "eth0"), f = machine_find_netdev(m, "ifb0");
	CHECK(e >= 0 && f >= 0);
	if (e >= 0 && f >= 0) {
		CHECK_INT(m->netdevs[e].admin_up.v, 1);
		CHECK_INT(m->netdevs[e].carrier.v, 1);
		CHECK(!VS_KNOWN(m->netdevs[e].pci)); /* "parentbus virtio": not a PCI function */
		CHECK_STR(m->netdevs[f].kind.v, "ifb");
		CHECK_INT(m->netdevs[f].admin_up.v, 0);
		CHECK_STR(m->netdevs[f].operstate.v, "down");
	}
	machine_free(m);
	free(t);
}

static struct machine *parse_str(const char *s, struct iplink_text_stats *st)
{
	struct machine *m = machine_new("host");
	iplink_text_parse(m, s, strlen(s), SRC_SOS, st);
	return m;
}

/* Older VF line forms. */
static void test_old_forms(void)
{
	struct iplink_text_stats st;
	/* v2.6.34..v5.2, e.g. an i40e PF's VF 8 (issue 13); no parentdev before
	 * iproute2 5.14, so the PF's address must come from elsewhere */
	const char *old =
		"4: ens1f1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc mq state UP mode DEFAULT group default qlen 1000\n"
		"    link/ether 3c:fd:fe:00:00:01 brd ff:ff:ff:ff:ff:ff\n"
		"    vf 8 MAC 00:00:00:00:00:00, spoof checking on, link-state auto\n"
		"    vf 9 MAC 52:54:00:aa:bb:cc, vlan 10, qos 2, tx rate 100 (Mbps), max_tx_rate 100Mbps, min_tx_rate 10Mbps, spoof checking off, link-state enable, trust on, query_rss off\n";
	struct machine *m = parse_str(old, &st);
	CHECK_INT(st.links, 1);
	CHECK_INT(st.vfs, 0);
	CHECK_INT(st.vfs_unplaced, 2);
	machine_free(m);
	/* the same, the PF's PCI function known (sysfs copy, ethtool -i) */
	m = machine_new("host");
	struct netdev *n = machine_add_netdev(m, "ens1f1");
	vs_set(&n->pci, "0000:3b:00.1", SRC_SOS);
	iplink_text_parse(m, old, strlen(old), SRC_SOS, &st);
	CHECK_INT(st.vfs, 2);
	CHECK_INT(m->npfs, 1);
	if (m->npfs == 1 && m->pfs[0].nvfs == 2) {
		const struct vf *a = &m->pfs[0].vfs[0], *b = &m->pfs[0].vfs[1];
		CHECK_INT(a->index, 8);
		CHECK_STR(a->mac.v, "00:00:00:00:00:00");
		CHECK_INT(a->spoofchk.v, 1);
		CHECK(!VI_KNOWN(a->trust)); /* not printed: unknown */
		CHECK(!VI_KNOWN(a->min_tx_rate)); /* the MAC form: min_tx_rate may predate iproute2 3.16 */
		CHECK_INT(a->max_tx_rate.v, 0);
		CHECK_INT(b->index, 9);
		CHECK_INT(b->vlan.v, 10);
		CHECK_INT(b->qos.v, 2);
		CHECK_INT(b->max_tx_rate.v, 100);
		CHECK_INT(b->min_tx_rate.v, 10);
		CHECK_INT(b->spoofchk.v, 0);
		CHECK_INT(b->link_state.v, VF_LINK_ENABLE);
		CHECK_INT(b->trust.v, 1);
		CHECK_INT(b->rss_query.v, 0);
		CHECK_STR(m->pfs[0].netdev.v, "ens1f1");
	}
	machine_free(m);
	/* before v2.6.34: "vf N: MAC ..., tx rate N (Mbps_" */
	m = machine_new("host");
	n = machine_add_netdev(m, "eth2");
	vs_set(&n->pci, "0000:05:00.0", SRC_SOS);
	const char *oldest = "3: eth2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP qlen 1000\n"
			     "    link/ether 00:1b:21:00:00:02 brd ff:ff:ff:ff:ff:ff\n"
			     "    vf 0: MAC 00:1b:21:00:00:10, vlan 5, tx rate 50 (Mbps_\n";
	iplink_text_parse(m, oldest, strlen(oldest), SRC_SOS, &st);
	CHECK_INT(st.vfs, 1);
	CHECK_INT(st.bad, 0);
	if (m->npfs == 1 && m->pfs[0].nvfs == 1) {
		CHECK_STR(m->pfs[0].vfs[0].mac.v, "00:1b:21:00:00:10");
		CHECK_INT(m->pfs[0].vfs[0].vlan.v, 5);
		CHECK_INT(m->pfs[0].vfs[0].max_tx_rate.v, 50);
	}
	machine_free(m);
	/* IPoIB (iproute2 commit 0f48f9f4, "After:"): a 20-byte address is no MAC */
	const char *ib =
		"11: ib1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 2044 qdisc pfifo_fast state UP mode DEFAULT group default qlen 256\n"
		"    link/infiniband 80:00:00:66:fe:80:00:00:00:00:00:00:24:8a:07:03:00:a4:3e:7c brd 00:ff:ff:ff:ff:12:40:1b:ff:ff:00:00:00:00:00:00:ff:ff:ff:ff\n"
		"    vf 0     link/infiniband 80:00:00:66:fe:80:00:00:00:00:00:00:24:8a:07:03:00:a4:3e:7c brd 00:ff:ff:ff:ff:12:40:1b:ff:ff:00:00:00:00:00:00:ff:ff:ff:ff, spoof checking off, link-state disable, trust off, query_rss off\n";
	m = machine_new("host");
	n = machine_add_netdev(m, "ib1");
	vs_set(&n->pci, "0000:81:00.0", SRC_SOS);
	iplink_text_parse(m, ib, strlen(ib), SRC_SOS, &st);
	CHECK_INT(st.bad, 0);
	CHECK(!VS_KNOWN(m->netdevs[0].mac));
	if (m->npfs == 1 && m->pfs[0].nvfs == 1) {
		CHECK(!VS_KNOWN(m->pfs[0].vfs[0].mac));
		CHECK_INT(m->pfs[0].vfs[0].link_state.v, VF_LINK_DISABLE);
		CHECK_INT(m->pfs[0].vfs[0].min_tx_rate.v, 0);
	}
	machine_free(m);
}

/* `ip -o link`: a block on one line, joined with backslashes. */
static void test_oneline(void)
{
	const char *o = "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group "
			"default qlen 1000\\    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff\\    vf 0     "
			"link/ether 02:00:00:00:00:a0 brd ff:ff:ff:ff:ff:ff, spoof checking on, link-state auto, trust on\n";
	struct machine *m = machine_new("host");
	struct netdev *n = machine_add_netdev(m, "eth0");
	vs_set(&n->pci, "0000:01:00.0", SRC_SYSFS);
	struct iplink_text_stats st;
	CHECK_INT(iplink_text_parse(m, o, strlen(o), SRC_SOS, &st), 1);
	CHECK_INT(st.vfs, 1);
	CHECK_INT(st.bad, 0);
	CHECK_STR(m->netdevs[0].mac.v, "52:54:00:12:34:56");
	CHECK_INT(m->netdevs[0].pci.src, SRC_SYSFS); /* known before: kept */
	machine_free(m);
}

static void test_hostile(void)
{
	struct iplink_text_stats st;
	struct machine *m = machine_new("host");
	const char *junk = "Device \"eth9\" does not exist.\n";
	CHECK_INT(iplink_text_parse(m, junk, strlen(junk), SRC_SOS, &st), -EBADMSG);
	CHECK_INT(iplink_text_parse(m, "", 0, SRC_SOS, &st), 0);
	const char *tr = "5: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP\n"
			 "    link/ether 52:54:00:12:34:57 brd ff:ff:ff:ff:ff:ff parentbus pci parentdev 0000:02:00.0\n"
			 "    vf 0     link/ether 02:00:00:00:00:b0 brd ff:ff:ff:ff:ff:ff, spoof checking on\n"
			 "    vf x bogus\n"
			 "    vf 1 something else\n"
			 "Truncated VF list: eth1\n"
			 "    orphan line\n"
			 "7: : <UP> mtu 1\n"
			 "8: e\033[31mvil: <UP,LOWER_UP> mtu 99999999999999999999 state U\001P\n"
			 "    link/ether zz:zz brd\n";
	CHECK_INT(iplink_text_parse(m, tr, strlen(tr), SRC_SOS, &st), 2);
	CHECK(st.truncated_vfs);
	CHECK_INT(st.vfs, 1);
	CHECK_INT(st.bad, 3);
	CHECK_INT(st.first_bad, 4);
	int e = machine_find_netdev(m, "e?[31mvil");
	CHECK(e >= 0);
	if (e >= 0) {
		CHECK(!VI_KNOWN(m->netdevs[e].mtu));
		CHECK(!VS_KNOWN(m->netdevs[e].mac));
	}
	/* a NUL in the middle, CRLF line ends */
	const char nul[] = "9: eth7: <UP,LOWER_UP> mtu 1500 state UP\r\n    link/ether 02:00:00:00:00:01\0 brd x\r\n";
	CHECK_INT(iplink_text_parse(m, nul, sizeof(nul) - 1, SRC_SOS, &st), 1);
	CHECK_INT(m->netdevs[machine_find_netdev(m, "eth7")].mtu.v, 1500);
	machine_free(m);
}

T_MAIN(T(test_lab_captures), T(test_lab_values), T(test_lab_stats), T(test_sos_dev_vm), T(test_old_forms),
       T(test_oneline), T(test_hostile))
