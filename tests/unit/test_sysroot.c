/* collect_machine on a captured tree (--sysroot): what net-sysfs and
 * `ip -d -j link show` files say, and what they do not. The tree is made
 * here the way sysfs lays it out (class/net entries are symlinks into
 * devices/, bonding's control file bonding_masters is a regular file). */
#include "tests/unit/t.h"
#include "collectors/collect.h"
#include "collectors/iplink_json.h"
#include "model/json.h"
#include "model/print.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tests/unit/tree.h"

/* A netdev of PCI function pci (or virtual when pci is NULL). */
static void netdev(const char *name, const char *pci, int ifindex, const char *flags, const char *carrier,
		   const char *address, const char *port_id)
{
	char dev[512], rel[768], tgt[768];
	if (pci)
		snprintf(dev, sizeof(dev), "sys/devices/pci0000:00/%s/net/%s", pci, name);
	else
		snprintf(dev, sizeof(dev), "sys/devices/virtual/net/%s", name);
#define A(attr, ...) do { snprintf(rel, sizeof(rel), "%s/%s", dev, attr); put(rel, __VA_ARGS__); } while (0)
	A("ifindex", "%d\n", ifindex);
	A("flags", "%s\n", flags);
	if (carrier)
		A("carrier", "%s\n", carrier);
	A("address", "%s\n", address);
	A("operstate", "%s\n", carrier && !strcmp(carrier, "1") ? "up" : "down");
	A("mtu", "1500\n");
	A("ifalias", "\n"); /* net-sysfs prints an unset alias as an empty line */
	if (port_id) {
		A("phys_port_id", "%s\n", port_id);
		A("phys_switch_id", "%s", "");
	}
#undef A
	snprintf(rel, sizeof(rel), "sys/class/net/%s", name);
	snprintf(tgt, sizeof(tgt), "../../%s", dev + 4);
	link_to(rel, tgt);
	if (pci) {
		snprintf(rel, sizeof(rel), "%s/device", dev);
		link_to(rel, "../../../");
	}
}

static void pf(const char *pci)
{
	char rel[512], tgt[512];
	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s/sriov_totalvfs", pci);
	put(rel, "7\n");
	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s/sriov_numvfs", pci);
	put(rel, "0\n");
	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s/vendor", pci);
	put(rel, "0x8086\n");
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", pci);
	snprintf(tgt, sizeof(tgt), "../../../devices/pci0000:00/%s", pci);
	link_to(rel, tgt);
}

/* An SR-IOV function with its PCI class and TotalVFs. */
static void sriov_fn(const char *pci, const char *cls, const char *total)
{
	char rel[512];
	pf(pci);
	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s/class", pci);
	put(rel, "%s\n", cls);
	snprintf(rel, sizeof(rel), "sys/devices/pci0000:00/%s/sriov_totalvfs", pci);
	put(rel, "%s\n", total);
}

static void make_tree(void)
{
	snprintf(top, sizeof(top), "/tmp/vfst-sysroot-XXXXXX");
	if (!mkdtemp(top)) {
		perror("mkdtemp");
		exit(1);
	}
	pf("0000:01:00.0");
	pf("0000:02:00.0");
	/* SR-IOV functions that are no NIC PF: an NVMe drive with 8 VFs, a
	 * PCIe port with a zero-VF capability, an Ethernet function allowing
	 * no VFs; and that one's twin allowing 4, a PF. */
	sriov_fn("0000:03:00.0", "0x010802", "8");
	sriov_fn("0000:00:02.1", "0x060400", "0");
	sriov_fn("0000:04:00.0", "0x020000", "0");
	sriov_fn("0000:05:00.0", "0x020000", "4");
	/* Two PFs whose drivers leave phys_port_id empty. */
	netdev("eth0", "0000:01:00.0", 2, "0x1003", "1", "02:00:00:00:01:00", "");
	netdev("eth1", "0000:02:00.0", 3, "0x1003", "0", "02:00:00:00:02:00", "");
	/* Admin down, with a carrier file a copying tool made up: not believed. */
	netdev("eth3", NULL, 5, "0x1002", "1", "02:00:00:00:00:a1", NULL);
	/* No hardware address (a tun device: empty address file). */
	netdev("tun0", NULL, 6, "0x1091", "1", "", NULL);
	/* bonding's control file, and a directory that is no netdev at all. */
	put("sys/class/net/bonding_masters", "bond0\n");
	mkdirs("sys/class/net/not-a-netdev");
	put("sys/class/net/not-a-netdev/README", "x\n");
	put("proc/sys/kernel/hostname", "tree\n");
}

static void rm_tree(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", top);
}

static const struct netdev *nd(const struct machine *m, const char *name)
{
	int i = machine_find_netdev(m, name);
	return i >= 0 ? &m->netdevs[i] : NULL;
}

static void test_sysfs_tree(void)
{
	struct collect_opts o = { .sysroot = top, .role = "host" };
	char err[256];
	struct machine *m = collect_machine(&o, err, sizeof(err));
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(m->nnetdevs, 4); /* eth0 eth1 eth3 tun0 */
	CHECK(machine_find_netdev(m, "bonding_masters") < 0);
	CHECK(machine_find_netdev(m, "not-a-netdev") < 0);
	const struct netdev *e0 = nd(m, "eth0"), *e1 = nd(m, "eth1"), *e3 = nd(m, "eth3"), *t = nd(m, "tun0");
	CHECK(e0 && e1 && e3 && t);
	if (!e0 || !e1 || !e3 || !t) {
		machine_free(m);
		return;
	}
	CHECK_INT(e0->admin_up.v, 1);
	CHECK_INT(e0->admin_up.src, SRC_SYSFS);
	CHECK_INT(e0->carrier.v, 1);
	CHECK_INT(e1->admin_up.v, 1);
	CHECK_INT(e1->carrier.v, 0);
	CHECK_INT(e1->carrier.src, SRC_SYSFS);
	CHECK_INT(e3->admin_up.v, 0);
	CHECK_INT(e3->admin_up.src, SRC_SYSFS);
	CHECK(!VI_KNOWN(e3->carrier));
	CHECK(!VS_KNOWN(t->mac));      /* empty address: unknown */
	CHECK(!VS_KNOWN(e0->ifalias)); /* unset alias: unknown */
	CHECK_STR(e0->mac.v, "02:00:00:00:01:00");
	CHECK_INT(m->npfs, 3); /* 01:00.0 02:00.0 (class unread: unknown, kept) and 05:00.0 */
	CHECK(machine_find_pf(m, "0000:05:00.0") >= 0);
	CHECK(machine_find_pf(m, "0000:03:00.0") < 0 && machine_find_pf(m, "0000:00:02.1") < 0 &&
	      machine_find_pf(m, "0000:04:00.0") < 0);
	int nvme = 0, nic0 = 0, port = 0;
	for (size_t w = 0; w < m->nwarnings; w++) {
		nvme += strstr(m->warnings[w], "0000:03:00.0: SR-IOV function of PCI class 0x010802 (not a network "
						"controller), TotalVFs 8: not listed as a NIC PF") != NULL;
		nic0 += strstr(m->warnings[w], "0000:04:00.0: network function with an SR-IOV capability but TotalVFs 0") != NULL;
		port += strstr(m->warnings[w], "0000:00:02.1") != NULL;
	}
	CHECK(nvme == 1 && nic0 == 1 && port == 0);
	for (size_t i = 0; i < m->npfs; i++) {
		CHECK(!VS_KNOWN(m->pfs[i].phys_port_id));
		CHECK(!VS_KNOWN(m->pfs[i].phys_switch_id));
		CHECK(!VS_KNOWN(m->pfs[i].phys_port_name)); /* absent */
	}
	/* Not measured from a tree: no time, no duration. */
	CHECK_INT(m->time_ns, 0);
	CHECK_INT(m->collect_ns, 0);
	json_t *j = machine_to_json(m);
	CHECK(json_is_null(json_object_get(j, "collect_ms")));
	CHECK(json_is_null(json_object_get(j, "time")));
	const json_t *p0 = json_array_get(json_object_get(j, "pfs"), 0);
	CHECK(json_is_null(json_object_get(p0, "phys_port_id")));
	size_t i;
	json_t *n;
	json_array_foreach(json_object_get(j, "netdevs"), i, n) {
		const char *name = json_string_value(json_object_get(n, "name"));
		if (name && !strcmp(name, "eth3")) {
			CHECK(json_is_false(json_object_get(n, "admin_up")));
			CHECK(json_is_null(json_object_get(n, "carrier")));
		}
	}
	json_decref(j);
	/* The text tree names admin state beside carrier. */
	char *txt = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&txt, &len);
	machine_print(f, m);
	fclose(f);
	CHECK(strstr(txt, "netdev eth0 admin up carrier up") != NULL);
	CHECK(strstr(txt, "netdev eth1 admin up carrier down") != NULL);
	CHECK(strstr(txt, " at ?, root ") != NULL);
	free(txt);
	machine_free(m);
}

/* The same tree with an ip-link.json beside it (iproute2's flags): UP is
 * the admin state, LOWER_UP/NO-CARRIER the carrier only while UP, an
 * empty portid is unknown. */
static void test_iplink_json_tree(void)
{
	put("ip-link.json",
	    "[{\"ifindex\":2,\"ifname\":\"eth0\",\"flags\":[\"NO-CARRIER\",\"BROADCAST\",\"MULTICAST\",\"UP\"],"
	    "\"mtu\":1500,\"operstate\":\"DOWN\",\"link_type\":\"ether\",\"address\":\"02:00:00:00:01:00\","
	    "\"phys_port_id\":\"\",\"parentbus\":\"pci\",\"parentdev\":\"0000:01:00.0\"},"
	    "{\"ifindex\":3,\"ifname\":\"eth1\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],"
	    "\"mtu\":1500,\"operstate\":\"UP\",\"link_type\":\"ether\",\"address\":\"02:00:00:00:02:00\","
	    "\"phys_port_id\":\"001b21fffe000102\",\"phys_port_name\":\"p1\",\"parentbus\":\"pci\",\"parentdev\":\"0000:02:00.0\","
	    "\"vfinfo_list\":[{\"vf\":0,\"link_type\":\"ether\",\"address\":\"02:00:00:00:00:b0\","
	    "\"vlan_list\":[{}],"
	    "\"stats\":{\"rx\":{\"bytes\":100,\"packets\":2,\"multicast\":0,\"broadcast\":1},"
	    "\"tx\":{\"bytes\":50,\"packets\":1}}},"
	    "{\"vf\":1,\"link_type\":\"ether\",\"address\":\"02:00:00:00:00:b1\","
	    "\"vlan_list\":[{\"vlan\":100,\"qos\":3,\"protocol\":\"802.1ad\"}]}]},"
	    "{\"ifindex\":5,\"ifname\":\"eth3\",\"flags\":[\"BROADCAST\",\"MULTICAST\"],\"mtu\":1500,"
	    "\"operstate\":\"DOWN\",\"link_type\":\"ether\",\"address\":\"02:00:00:00:00:a1\",\"ifalias\":\"\"},"
	    "{\"ifindex\":6,\"ifname\":\"tun0\",\"mtu\":1500,\"link_type\":\"none\"}]\n");
	struct collect_opts o = { .sysroot = top, .role = "host" };
	char err[256];
	struct machine *m = collect_machine(&o, err, sizeof(err));
	CHECK(m != NULL);
	if (!m)
		return;
	const struct source *s = machine_source(m, "netlink");
	CHECK(s && s->status == SOURCE_OK);
	const struct netdev *e0 = nd(m, "eth0"), *e1 = nd(m, "eth1"), *e3 = nd(m, "eth3"), *t = nd(m, "tun0");
	CHECK(e0 && e1 && e3 && t);
	if (e0 && e1 && e3 && t) {
		CHECK_INT(e0->admin_up.v, 1);
		CHECK_INT(e0->admin_up.src, SRC_NETLINK);
		CHECK_INT(e0->carrier.v, 0); /* NO-CARRIER */
		CHECK_INT(e0->carrier.src, SRC_NETLINK);
		CHECK_INT(e1->carrier.v, 1);
		CHECK_INT(e3->admin_up.v, 0);
		CHECK_INT(e3->admin_up.src, SRC_NETLINK);
		CHECK(!VI_KNOWN(e3->carrier));
		CHECK(!VS_KNOWN(e3->ifalias));
		/* No flags array: the admin state the tree's flags file gave stays. */
		CHECK_INT(t->admin_up.v, 1);
		CHECK_INT(t->admin_up.src, SRC_SYSFS);
	}
	int p0 = machine_find_pf(m, "0000:01:00.0"), p1 = machine_find_pf(m, "0000:02:00.0");
	CHECK(p0 >= 0 && p1 >= 0);
	if (p0 >= 0 && p1 >= 0) {
		CHECK(!VS_KNOWN(m->pfs[p0].phys_port_id));
		CHECK_STR(m->pfs[p1].phys_port_id.v, "001b21fffe000102");
		CHECK_INT(m->pfs[p1].phys_port_id.src, SRC_NETLINK);
		CHECK_STR(m->pfs[p1].phys_port_name.v, "p1");
		/* iproute2 before "dropped" was printed: those counters unknown. */
		CHECK(m->pfs[p1].nvfs == 2);
		if (m->pfs[p1].nvfs == 2) {
			/* ip prints VLAN 0 as "vlan_list":[{}] (zero vlan/qos and
			 * 802.1Q left out): 0, 0, 802.1Q, all known. */
			const struct vf *v0 = &m->pfs[p1].vfs[0], *v1 = &m->pfs[p1].vfs[1];
			CHECK(VI_KNOWN(v0->vlan) && v0->vlan.v == 0);
			CHECK(VI_KNOWN(v0->qos) && v0->qos.v == 0);
			CHECK_INT(v0->vlan_proto.v, 0x8100);
			CHECK_INT(v1->vlan.v, 100);
			CHECK_INT(v1->qos.v, 3);
			CHECK_INT(v1->vlan_proto.v, 0x88a8);
			const struct vf_stats *st = &m->pfs[p1].vfs[0].stats;
			CHECK_INT(st->src, SRC_NETLINK);
			CHECK_INT(st->rx_bytes, 100);
			CHECK(VF_STAT_KNOWN(*st, VF_ST_MULTICAST)); /* 0, and known */
			CHECK(!VF_STAT_KNOWN(*st, VF_ST_RX_DROPPED));
			CHECK(!VF_STAT_KNOWN(*st, VF_ST_TX_DROPPED));
		}
	}
	/* What the bundle writes as ip-link.json reads back the same. */
	json_t *w = iplink_json_write(m);
	char *txt = json_dumps(w, 0);
	json_decref(w);
	struct machine *b = machine_new("host");
	char perr[128];
	CHECK(iplink_json_parse(b, txt, strlen(txt), perr, sizeof(perr)) == 4);
	free(txt);
	int bp = machine_find_pf(b, "0000:02:00.0");
	CHECK(bp >= 0 && b->pfs[bp].nvfs == 2);
	if (bp >= 0 && b->pfs[bp].nvfs == 2) {
		CHECK(VF_STAT_KNOWN(b->pfs[bp].vfs[0].stats, VF_ST_TX_BYTES));
		CHECK(!VF_STAT_KNOWN(b->pfs[bp].vfs[0].stats, VF_ST_RX_DROPPED));
		CHECK(VI_KNOWN(b->pfs[bp].vfs[0].vlan) && b->pfs[bp].vfs[0].vlan.v == 0);
		CHECK_INT(b->pfs[bp].vfs[1].vlan.v, 100);
		CHECK_INT(b->pfs[bp].vfs[1].vlan_proto.v, 0x88a8);
	}
	const struct netdev *b0 = nd(b, "eth0"), *b3 = nd(b, "eth3"), *b1 = nd(b, "eth1");
	CHECK(b0 && b1 && b3);
	if (b0 && b1 && b3) {
		CHECK_INT(b0->admin_up.v, 1);
		CHECK_INT(b0->carrier.v, 0);
		CHECK(VI_KNOWN(b0->carrier));
		CHECK_INT(b1->carrier.v, 1);
		CHECK_INT(b3->admin_up.v, 0);
		CHECK(VI_KNOWN(b3->admin_up));
		CHECK(!VI_KNOWN(b3->carrier));
	}
	machine_free(b);
	machine_free(m);
}

T_MAIN(T(test_sysfs_tree), T(test_iplink_json_tree))

__attribute__((constructor)) static void setup(void)
{
	make_tree();
}

__attribute__((destructor)) static void teardown(void)
{
	rm_tree();
}
