/* Paravirtual failover pairs (collectors/pairs.c, pair_kmsg.c, ethtool.c) on
 * sysroot trees built here from the kernel's own semantics (Linux 6.12):
 *
 *  - net_failover_create (drivers/net/net_failover.c): the master's parent
 *    device is the standby's (failover_dev->dev.parent =
 *    standby_dev->dev.parent), so master and standby hang under virtio0
 *    (driver virtio_net); net_failover_slave_register: slave_is_standby =
 *    slave_dev->dev.parent == failover_dev->dev.parent; failover_slave_register
 *    (net/core/failover.c) links with netdev_master_upper_dev_link (master,
 *    upper_<master>, lower_<slave> links); virtnet_get_phys_port_name returns
 *    "sby" on a STANDBY device; the master's ethtool driver is
 *    "net_failover" (nfo_ethtool_get_drvinfo); net_failover_xmit sends on
 *    the primary when it is running with carrier, else on the standby.
 *  - netvsc (drivers/net/hyperv/netvsc_drv.c): the netdev's device is a
 *    VMBus device bound to hv_netvsc; netvsc_vf_join links the VF as its
 *    lower and sets IFF_SLAVE (0x800) on it; netvsc_get_strings names
 *    vf_rx_packets, vf_tx_packets, tx_queue_%u_packets, rx_queue_%u_packets.
 *  - log lines, each netdev_info() on the pair's device: "failover
 *    master:%s registered", "failover %s slave:%s registered|unregistered",
 *    "Data path switched %s VF: %s", "Data path failed to switch %s VF: %s,
 *    err: %d", "VF registering: %s", "VF unregistering: %s" (netvsc_drv.c),
 *    "VF slot %u %s" added|removed (netvsc.c netvsc_send_vf).
 * Azure's VF names (enP<domain>s<n>) and VMBus paths are as Azure guests
 * show them (hv_pci gives the VF a PCI domain of its own). */
#include "tests/unit/t.h"
#include "collectors/collect.h"
#include "collectors/pairs.h"
#include "collectors/pair_kmsg.h"
#include "collectors/ethtool.h"
#include "collectors/vfio.h"
#include "collectors/root.h"
#include <sched.h>
#include "model/json.h"
#include "rules/rules.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tests/unit/tree.h"

static void new_tree(void)
{
	snprintf(top, sizeof(top), "/tmp/vfst-pairs-XXXXXX");
	if (!mkdtemp(top)) {
		perror("mkdtemp");
		exit(1);
	}
	put("proc/sys/kernel/hostname", "guest\n");
}

static void rm_tree(void)
{
	if (getenv("VFST_KEEP")) { /* to look at a tree: VFST_KEEP=1 test_pairs NAME */
		fprintf(stderr, "kept %s\n", top);
		return;
	}
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", top);
	if (system(cmd))
		fprintf(stderr, "cannot remove %s\n", top);
}

/* A device directory (under sys/devices) bound to driver (bus/drivers/driver). */
static void device(const char *devdir, const char *bus, const char *driver)
{
	char rel[768], tgt[512];
	snprintf(rel, sizeof(rel), "sys/devices/%s/driver", devdir);
	snprintf(tgt, sizeof(tgt), "../../../../bus/%s/drivers/%s", bus, driver);
	link_to(rel, tgt);
}

/* A netdev under devdir (sys/devices/<devdir>/net/<name>). */
static void netdev(const char *name, const char *devdir, int ifindex, const char *flags, int carrier,
		   const char *address, const char *ppn)
{
	char dev[512], rel[768], tgt[768];
	snprintf(dev, sizeof(dev), "sys/devices/%s/net/%s", devdir, name);
#define A(attr, ...) do { snprintf(rel, sizeof(rel), "%s/%s", dev, attr); put(rel, __VA_ARGS__); } while (0)
	A("ifindex", "%d\n", ifindex);
	A("flags", "%s\n", flags);
	if (carrier >= 0)
		A("carrier", "%d\n", carrier);
	A("address", "%s\n", address);
	A("operstate", "%s\n", carrier == 1 ? "up" : "down");
	A("mtu", "1500\n");
	if (ppn)
		A("phys_port_name", "%s\n", ppn);
#undef A
	snprintf(rel, sizeof(rel), "sys/class/net/%s", name);
	snprintf(tgt, sizeof(tgt), "../../%s", dev + 4);
	link_to(rel, tgt);
	const char *base = strrchr(devdir, '/') ? strrchr(devdir, '/') + 1 : devdir;
	snprintf(rel, sizeof(rel), "%s/device", dev);
	snprintf(tgt, sizeof(tgt), "../../../%s", base);
	link_to(rel, tgt);
}

/* upper: lower's master; the upper_/lower_ links netdev_upper_dev_link makes. */
static void enslave(const char *lower_dir, const char *lower, const char *upper_dir, const char *upper)
{
	char rel[768], tgt[768];
	snprintf(rel, sizeof(rel), "sys/devices/%s/net/%s/master", lower_dir, lower);
	snprintf(tgt, sizeof(tgt), "../../../../../../../devices/%s/net/%s", upper_dir, upper);
	link_to(rel, tgt);
	snprintf(rel, sizeof(rel), "sys/devices/%s/net/%s/upper_%s", lower_dir, lower, upper);
	link_to(rel, tgt);
	snprintf(rel, sizeof(rel), "sys/devices/%s/net/%s/lower_%s", upper_dir, upper, lower);
	snprintf(tgt, sizeof(tgt), "../../../../../../../devices/%s/net/%s", lower_dir, lower);
	link_to(rel, tgt);
}

static struct machine *collect(void)
{
	struct collect_opts o = { .sysroot = top, .role = "guest" };
	char err[256] = "";
	struct machine *m = collect_machine(&o, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "collect: %s\n", err);
		return NULL;
	}
	host_extras(m, &o);
	return m;
}

static const struct team *team(const struct machine *m, const char *name)
{
	int i = machine_find_team(m, name);
	return i >= 0 ? &m->teams[i] : NULL;
}

static const struct member *member(const struct team *t, const char *name)
{
	for (size_t i = 0; t && i < t->nmembers; i++)
		if (t->members[i].name.v && !strcmp(t->members[i].name.v, name))
			return &t->members[i];
	return NULL;
}

#define VIRTIO "pci0000:00/0000:00:02.0/0000:01:00.0/virtio0"
#define E1000E "pci0000:00/0000:00:02.1/0000:02:00.0"
#define MAC_FO "02:00:00:00:fa:00"

/* The lab's pair: master eth0 and standby eth1 under virtio0, primary eth2 (e1000e). */
static void failover_tree(bool primary, int primary_carrier)
{
	new_tree();
	device(VIRTIO, "virtio", "virtio_net");
	netdev("eth0", VIRTIO, 3, "0x1003", 1, MAC_FO, NULL);
	netdev("eth1", VIRTIO, 4, "0x1003", 1, MAC_FO, "sby");
	enslave(VIRTIO, "eth1", VIRTIO, "eth0");
	if (primary) {
		device(E1000E, "pci", "e1000e");
		netdev("eth2", E1000E, 5, "0x1003", primary_carrier, MAC_FO, NULL);
		enslave(E1000E, "eth2", VIRTIO, "eth0");
	}
}

static void test_failover_healthy(void)
{
	failover_tree(true, 1);
	put("dmesg.txt", "[    2.100000] virtio_net virtio0 eth0: failover master:eth0 registered\n"
			 "[    2.100100] virtio_net virtio0 eth0: failover standby slave:eth1 registered\n"
			 "[    2.300000] virtio_net virtio0 eth0: failover primary slave:eth2 registered\n");
	struct machine *m = collect();
	CHECK(m != NULL);
	if (!m)
		goto out;
	const struct team *t = team(m, "eth0");
	CHECK(t != NULL);
	if (!t)
		goto done;
	CHECK_INT(t->driver, TEAM_NET_FAILOVER);
	CHECK(team_is_pair(t));
	CHECK_INT(t->nmembers, 2);
	CHECK_STR(member(t, "eth1") ? member(t, "eth1")->role.v : NULL, "standby");
	CHECK_STR(member(t, "eth2") ? member(t, "eth2")->role.v : NULL, "primary");
	CHECK_STR(t->mac.v, MAC_FO);
	CHECK_STR(t->datapath.v, "primary");
	CHECK_STR(t->datapath_member.v, "eth2");
	CHECK_INT(t->datapath.src, SRC_DERIVED);
	CHECK_INT(t->datapath_switches.v, 1); /* the primary's arrival */
	CHECK_INT(t->datapath_switches.src, SRC_KMSG);
	CHECK(!team(m, "eth1") && !team(m, "eth2"));
	/* JSON both ways keeps the roles and the data path with its source */
	json_t *j = machine_to_json(m);
	char *js = j ? json_dumps(j, 0) : NULL;
	json_decref(j);
	CHECK(js != NULL);
	char err[256];
	struct machine *b = js ? machine_from_text(js, strlen(js), 0, err, sizeof(err)) : NULL;
	CHECK(b != NULL);
	if (b) {
		const struct team *bt = team(b, "eth0");
		CHECK(bt && bt->driver == TEAM_NET_FAILOVER);
		if (bt) {
			CHECK_STR(member(bt, "eth1") ? member(bt, "eth1")->role.v : NULL, "standby");
			CHECK_STR(bt->datapath.v, "primary");
			CHECK_INT(bt->datapath.src, SRC_DERIVED);
			CHECK_INT(bt->datapath_switches.v, 1);
		}
		machine_free(b);
	}
	free(js);
done:
	machine_free(m);
out:
	rm_tree();
}

/* After device_del of the primary (a migration): only the standby, which carries. */
static void test_failover_no_primary(void)
{
	failover_tree(false, 0);
	put("dmesg.txt", "[    2.300000] virtio_net virtio0 eth0: failover primary slave:eth2 registered\n"
			 "[   40.000000] virtio_net virtio0 eth0: failover primary slave:eth2 unregistered\n");
	struct machine *m = collect();
	const struct team *t = m ? team(m, "eth0") : NULL;
	CHECK(t != NULL);
	if (t) {
		CHECK_INT(t->driver, TEAM_NET_FAILOVER);
		CHECK_INT(t->nmembers, 1);
		CHECK_STR(t->datapath.v, "standby");
		CHECK_STR(t->datapath_member.v, "eth1");
		CHECK_INT(t->datapath_switches.v, 2);
		CHECK_INT(t->datapath_switch_span_ms.v, 37700);
	}
	int evs = 0;
	for (size_t i = 0; m && i < m->nevents; i++)
		evs += m->events[i].kind == EV_FAILOVER && !strcmp(m->events[i].ifname, "eth0");
	CHECK_INT(evs, 2);
	machine_free(m);
	rm_tree();
}

/* A primary without carrier: net_failover sends on the standby. Unknown
 * carrier (no carrier file) leaves the data path unknown. */
static void test_failover_primary_down(void)
{
	failover_tree(true, 0);
	struct machine *m = collect();
	const struct team *t = m ? team(m, "eth0") : NULL;
	CHECK(t && t->datapath.v && !strcmp(t->datapath.v, "standby"));
	CHECK(t && !VI_KNOWN(t->datapath_switches)); /* no kernel log in the tree: unknown, not 0 */
	machine_free(m);
	rm_tree();
	failover_tree(true, -1);
	m = collect();
	t = m ? team(m, "eth0") : NULL;
	CHECK(t && !VS_KNOWN(t->datapath));
	machine_free(m);
	rm_tree();
}

#define VMBUS "LNXSYSTM:00/LNXSYBUS:00/ACPI0004:00/VMBUS:00"
#define NV0 VMBUS "/000d3a6e-5f43-000d-3a6e-5f43000d3a6e"
#define NV1 VMBUS "/000d3a6e-5f43-000d-3a6e-5f43000d3a6f"
#define MLX VMBUS "/7870d1c2-0001-4b5f-8a3e-6f5a2b7c1d00/pci7870:00/7870:00:02.0"
#define MANA VMBUS "/8a1e2b3c-0002-4c6d-9e8f-0a1b2c3d4e5f/pci8a1e:00/8a1e:00:00.0"

static void netvsc(const char *name, const char *dir, int ifindex, const char *mac)
{
	device(dir, "vmbus", "hv_netvsc");
	netdev(name, dir, ifindex, "0x1003", 1, mac, NULL);
}

/* A VF (flags with IFF_SLAVE) under a netvsc device. */
static void vf(const char *name, const char *dir, const char *driver, int ifindex, const char *mac,
	       const char *nv, const char *nvdir)
{
	device(dir, "pci", driver);
	netdev(name, dir, ifindex, "0x1803", 1, mac, NULL);
	enslave(dir, name, nvdir, nv);
}

/* Two vNICs teamed: bond0 -> eth0 (netvsc) -> enP30832s1 (mlx5), eth1 -> enP35358s2 (mana). */
static void test_netvsc_bond_of_pairs(void)
{
	new_tree();
	netvsc("eth0", NV0, 2, "00:0d:3a:6e:5f:43");
	netvsc("eth1", NV1, 3, "00:0d:3a:6e:5f:44");
	vf("enP30832s1", MLX, "mlx5_core", 4, "00:0d:3a:6e:5f:43", "eth0", NV0);
	vf("enP35358s2", MANA, "mana", 5, "00:0d:3a:6e:5f:44", "eth1", NV1);
	put("sys/devices/virtual/net/bond0/ifindex", "6\n");
	put("sys/devices/virtual/net/bond0/flags", "0x1403\n");
	put("sys/devices/virtual/net/bond0/carrier", "1\n");
	put("sys/devices/virtual/net/bond0/address", "00:0d:3a:6e:5f:43\n");
	put("sys/devices/virtual/net/bond0/bonding/mode", "active-backup 1\n");
	put("sys/devices/virtual/net/bond0/bonding/slaves", "eth0 eth1\n");
	link_to("sys/class/net/bond0", "../../devices/virtual/net/bond0");
	link_to("sys/devices/" NV0 "/net/eth0/master", "../../../../../../../virtual/net/bond0");
	link_to("sys/devices/" NV1 "/net/eth1/master", "../../../../../../../virtual/net/bond0");
	put("dmesg.txt", "[    5.000000] hv_netvsc 000d3a6e-5f43-000d-3a6e-5f43000d3a6e eth0: VF slot 1 added\n"
			 "[    5.100000] hv_netvsc 000d3a6e-5f43-000d-3a6e-5f43000d3a6e eth0: VF registering: eth2\n"
			 "[    6.000000] hv_netvsc 000d3a6e-5f43-000d-3a6e-5f43000d3a6e eth0: Data path switched to VF: enP30832s1\n");
	struct machine *m = collect();
	CHECK(m != NULL);
	if (!m)
		goto out;
	const struct team *b = team(m, "bond0"), *p0 = team(m, "eth0"), *p1 = team(m, "eth1");
	CHECK(b && b->driver == TEAM_BONDING && b->nmembers == 2);
	CHECK(p0 && p0->driver == TEAM_NETVSC);
	CHECK(p1 && p1->driver == TEAM_NETVSC);
	if (b && p0 && p1) {
		/* bond member -> pair -> VF */
		const struct team *via = team(m, b->members[0].name.v);
		CHECK(via == p0);
		CHECK_STR(member(p0, "eth0") ? member(p0, "eth0")->role.v : NULL, "synthetic");
		CHECK_STR(member(p0, "enP30832s1") ? member(p0, "enP30832s1")->role.v : NULL, "vf");
		CHECK_STR(member(p1, "enP35358s2") ? member(p1, "enP35358s2")->role.v : NULL, "vf");
		CHECK_STR(member(p1, "enP35358s2") ? member(p1, "enP35358s2")->driver.v : NULL, "mana");
		CHECK_STR(p0->datapath.v, "vf"); /* the log's last switch */
		CHECK_INT(p0->datapath.src, SRC_KMSG);
		CHECK_INT(p0->vf_offered.v, 1);
		CHECK_INT(p0->vf_slot.v, 1);
		CHECK_INT(p0->datapath_switches.v, 1);
		/* eth1: no line; its VF is up: derived, not a state read */
		CHECK_STR(p1->datapath.v, "vf");
		CHECK_INT(p1->datapath.src, SRC_DERIVED);
		CHECK_INT(p1->datapath_switches.v, 0);
		CHECK(!VI_KNOWN(p1->vf_offered));
	}
	CHECK(!team(m, "enP30832s1"));
	/* the switch is an event of the pair's device (the Events panel) */
	int evs = 0;
	for (size_t i = 0; i < m->nevents; i++)
		if (m->events[i].kind == EV_FAILOVER && !strcmp(m->events[i].ifname, "eth0") &&
		    strstr(m->events[i].text, "Data path switched to VF"))
			evs++;
	CHECK_INT(evs, 1);
	machine_free(m);
out:
	rm_tree();
}

/* Host servicing took the VF away: the log says so, the pair runs synthetic. */
static void test_netvsc_vf_removed(void)
{
	new_tree();
	netvsc("eth0", NV0, 2, "00:0d:3a:6e:5f:43");
	put("dmesg.txt", "[    6.000000] hv_netvsc 000d3a6e-5f43-000d-3a6e-5f43000d3a6e eth0: Data path switched to VF: enP30832s1\n"
			 "[  900.000000] hv_netvsc 000d3a6e-5f43-000d-3a6e-5f43000d3a6e eth0: Data path switched from VF: enP30832s1\n"
			 "[  900.010000] hv_netvsc 000d3a6e-5f43-000d-3a6e-5f43000d3a6e eth0: VF unregistering: enP30832s1\n"
			 "[  900.020000] hv_netvsc 000d3a6e-5f43-000d-3a6e-5f43000d3a6e eth0: VF slot 1 removed\n");
	struct machine *m = collect();
	const struct team *t = m ? team(m, "eth0") : NULL;
	CHECK(t != NULL);
	if (t) {
		CHECK_INT(t->nmembers, 1);
		CHECK_STR(t->datapath.v, "synthetic");
		CHECK_INT(t->datapath.src, SRC_SYSFS);
		CHECK_INT(t->vf_offered.v, 0);
		CHECK_INT(t->vf_offered.src, SRC_KMSG);
		CHECK_INT(t->datapath_switches.v, 2);
		CHECK_INT(t->datapath_switch_span_ms.v, 894000);
	}
	machine_free(m);
	rm_tree();
}

/* vf_* counters moving between two readings say the VF carries; standing
 * still while the synthetic channels move says synthetic, whatever the log. */
static void test_netvsc_counters(void)
{
	for (int moving = 0; moving < 2; moving++) {
		new_tree();
		netvsc("eth0", NV0, 2, "00:0d:3a:6e:5f:43");
		vf("enP30832s1", MLX, "mlx5_core", 4, "00:0d:3a:6e:5f:43", "eth0", NV0);
		put("dmesg.txt", "[    6.000000] hv_netvsc 000d3a6e-5f43-000d-3a6e-5f43000d3a6e eth0: Data path switched to VF: enP30832s1\n");
		put("ethtool-S/eth0", "NIC statistics:\n     tx_scattered: 0\n     vf_rx_packets: 1000\n"
				      "     vf_rx_bytes: 64000\n     vf_tx_packets: 2000\n     vf_tx_bytes: 9\n"
				      "     tx_queue_0_packets: 10\n     rx_queue_0_packets: 20\n");
		put("ethtool-S/eth0.2", "NIC statistics:\n     tx_scattered: 0\n     vf_rx_packets: %d\n"
					"     vf_rx_bytes: 64000\n     vf_tx_packets: %d\n     vf_tx_bytes: 9\n"
					"     tx_queue_0_packets: 15\n     rx_queue_0_packets: 90\n",
		    moving ? 1500 : 1000, moving ? 2100 : 2000);
		put("ethtool-S/interval_ms", "1000\n");
		struct machine *m = collect();
		const struct team *t = m ? team(m, "eth0") : NULL;
		CHECK(t != NULL);
		if (t) {
			CHECK_INT(t->vf_rx_packets.v, 1000);
			CHECK_INT(t->vf_tx_packets.src, SRC_ETHTOOL);
			CHECK_INT(t->vf_rx_delta.v, moving ? 500 : 0);
			CHECK_INT(t->vf_tx_delta.v, moving ? 100 : 0);
			CHECK_INT(t->vf_delta_ms.v, 1000);
			CHECK_STR(t->datapath.v, moving ? "vf" : "synthetic");
			CHECK_INT(t->datapath.src, SRC_ETHTOOL);
		}
		const struct source *s = m ? machine_source(m, "ethtool") : NULL;
		CHECK(s && s->status == SOURCE_OK);
		machine_free(m);
		rm_tree();
	}
}

static void test_pair_kmsg(void)
{
	struct pair_kmsg k;
	CHECK_INT(pair_kmsg_parse("virtio_net virtio0 eth0: failover master:eth0 registered", &k), PK_MASTER_REGISTERED);
	CHECK_STR(k.ifname, "eth0");
	CHECK_STR(k.arg, "eth0");
	CHECK_INT(pair_kmsg_parse("virtio_net virtio0 eth0: failover standby slave:eth1 registered", &k),
		  PK_STANDBY_REGISTERED);
	CHECK_STR(k.arg, "eth1");
	CHECK_INT(pair_kmsg_parse("virtio_net virtio0 eth0: failover primary slave:eth2 unregistered", &k),
		  PK_PRIMARY_UNREGISTERED);
	CHECK_STR(k.ifname, "eth0");
	CHECK_INT(pair_kmsg_parse("net_failover virtio0 eth0: failover master:eth0 unregistered\n", &k),
		  PK_MASTER_UNREGISTERED);
	CHECK_INT(pair_kmsg_parse("hv_netvsc 000d3a6e-5f43-000d-3a6e-5f43000d3a6e eth0: Data path switched to VF: enP30832s1",
				  &k), PK_SWITCHED_TO_VF);
	CHECK_STR(k.ifname, "eth0");
	CHECK_STR(k.arg, "enP30832s1");
	CHECK_INT(pair_kmsg_parse("hv_netvsc 000d3a6e eth1: Data path switched from VF: eth3", &k), PK_SWITCHED_FROM_VF);
	CHECK_STR(k.ifname, "eth1");
	CHECK_INT(pair_kmsg_parse("hv_netvsc 000d3a6e eth1: Data path failed to switch to VF: eth3, err: -110", &k),
		  PK_SWITCH_FAILED);
	CHECK(k.to);
	CHECK_INT(k.num, -110);
	CHECK_INT(pair_kmsg_parse("hv_netvsc 000d3a6e eth0: VF slot 1 added", &k), PK_VF_SLOT_ADDED);
	CHECK_INT(k.num, 1);
	CHECK_INT(pair_kmsg_parse("hv_netvsc 000d3a6e eth0: VF slot 12 removed", &k), PK_VF_SLOT_REMOVED);
	CHECK_INT(k.num, 12);
	CHECK_INT(pair_kmsg_parse("hv_netvsc 000d3a6e eth0: VF registering: eth2", &k), PK_VF_REGISTERING);
	CHECK_STR(k.arg, "eth2");
	CHECK_INT(pair_kmsg_parse("hv_netvsc 000d3a6e eth0: VF unregistering: eth2", &k), PK_VF_UNREGISTERING);
	/* near misses */
	CHECK_INT(pair_kmsg_parse("hv_netvsc 000d3a6e eth0: VF slot x added", &k), PK_NONE);
	CHECK_INT(pair_kmsg_parse("hv_netvsc 000d3a6e eth0: VF slot 1 addedX", &k), PK_NONE);
	CHECK_INT(pair_kmsg_parse("virtio_net virtio0 eth0: failover backup slave:eth1 registered", &k), PK_NONE);
	CHECK_INT(pair_kmsg_parse("virtio_net virtio0 eth0: failover master:eth0 registering", &k), PK_NONE);
	CHECK_INT(pair_kmsg_parse("Data path switched sideways VF: eth1", &k), PK_NONE);
	CHECK_INT(pair_kmsg_parse("bond0: (slave eth1): making interface the new active one", &k), PK_NONE);
	CHECK_INT(pair_kmsg_parse(NULL, &k), PK_NONE);
	/* no "IFNAME: " prefix: the line still counts, its device is unknown */
	CHECK_INT(pair_kmsg_parse("Data path switched to VF: eth1", &k), PK_SWITCHED_TO_VF);
	CHECK_STR(k.ifname, "");
}

static void test_ethtool_stats_parse(void)
{
	const char *t = "NIC statistics:\n     tx_scattered: 0\n     vf_rx_packets: 18446744073709551615\n"
			"     bad: -1\n     toolong_toolong_toolong_toolong_x: 5\n     cpu0_vf_tx_packets: 7\n"
			"     rx_queue_0_packets: 12 \n     noval:\n     overflow: 18446744073709551616\n";
	struct ethtool_counters s;
	CHECK_INT(ethtool_stats_parse(t, strlen(t), &s), 4);
	uint64_t v = 0;
	CHECK(!ethtool_stat_get(&s, "vf_rx_packets", &v) && v == UINT64_MAX);
	CHECK(!ethtool_stat_get(&s, "rx_queue_0_packets", &v) && v == 12);
	CHECK(ethtool_stat_get(&s, "bad", &v) == -ENOENT);
	CHECK(ethtool_stat_get(&s, "overflow", &v) == -ENOENT);
	ethtool_stats_free(&s);
	CHECK_INT(ethtool_stats_parse("", 0, &s), 0);
	ethtool_stats_free(&s);
}

/* A device with a kind (a bond) and a device with no pair evidence are no pairs. */
static void test_not_pairs(void)
{
	new_tree();
	device(E1000E, "pci", "e1000e");
	netdev("eth0", E1000E, 2, "0x1003", 1, "02:00:00:00:00:01", NULL);
	/* a virtio-net device alone (no STANDBY): no phys_port_name, no master */
	device(VIRTIO, "virtio", "virtio_net");
	netdev("eth1", VIRTIO, 3, "0x1003", 1, "02:00:00:00:00:02", NULL);
	struct machine *m = collect();
	CHECK(m && m->nteams == 0);
	machine_free(m);
	rm_tree();
}

/* Host side of KVM: a VF held by a QEMU whose command line passes it with
 * failover_pair_id (both -device forms), and the standby's mac. */
static void host_tree(const char *cmdline, size_t len)
{
	new_tree();
	mkdirs("sys/class/net");
	const char *pf = "pci0000:00/0000:00:01.0/0000:01:00.0", *vfd = "pci0000:00/0000:00:01.0/0000:01:10.0";
	put("sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/sriov_totalvfs", "7\n");
	put("sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/sriov_numvfs", "1\n");
	put("sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/class", "0x020000\n");
	link_to("sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/virtfn0", "../0000:01:10.0");
	device(pf, "pci", "igb");
	device(vfd, "pci", "vfio-pci");
	put("sys/devices/pci0000:00/0000:00:01.0/0000:01:10.0/class", "0x020000\n");
	link_to("sys/devices/pci0000:00/0000:00:01.0/0000:01:10.0/iommu_group", "../../../../kernel/iommu_groups/12");
	mkdirs("sys/kernel/iommu_groups/12");
	link_to("sys/bus/pci/devices/0000:01:00.0", "../../../devices/pci0000:00/0000:00:01.0/0000:01:00.0");
	link_to("sys/bus/pci/devices/0000:01:10.0", "../../../devices/pci0000:00/0000:00:01.0/0000:01:10.0");
	link_to("proc/4242/fd/17", "/dev/vfio/12");
	char p[512];
	snprintf(p, sizeof(p), "%s/proc/4242/cmdline", top);
	FILE *f = fopen(p, "w");
	if (f) {
		fwrite(cmdline, 1, len, f);
		fclose(f);
	}
}

static void test_host_qemu_failover(void)
{
	static const char opts[] = "qemu-system-x86_64\0-name\0guest=vm1,debug-threads=on\0"
				   "-device\0virtio-net-pci,netdev=hs0,id=standby0,failover=on,mac=02:00:00:00:fa:00\0"
				   "-device\0vfio-pci,host=01:10.0,id=primary0,failover_pair_id=standby0\0";
	static const char js[] = "/usr/bin/qemu-system-x86_64\0-name\0guest=vm2,debug-threads=on\0"
				 "-device\0{\"driver\":\"virtio-net-pci\",\"netdev\":\"hostua-net0\",\"id\":\"ua-net0\","
				 "\"mac\":\"52:54:00:aa:bb:cc\",\"failover\":true,\"bus\":\"pci.1\"}\0"
				 "-device\0{\"driver\":\"vfio-pci\",\"host\":\"0000:01:10.0\",\"id\":\"hostdev0\","
				 "\"failover_pair_id\":\"ua-net0\",\"bus\":\"pci.7\"}\0";
	static const char none[] = "qemu-system-x86_64\0-name\0vm3\0"
				   "-device\0virtio-net-pci,netdev=hs0,id=net0,mac=02:00:00:00:fa:00\0"
				   "-device\0vfio-pci,host=0000:01:10.0,id=hostdev0\0";
	const struct { const char *cmd; size_t len; const char *id, *mac, *owner; } c[] = {
		{ opts, sizeof(opts), "standby0", "02:00:00:00:fa:00", "vm1" },
		{ js, sizeof(js), "ua-net0", "52:54:00:aa:bb:cc", "vm2" },
		{ none, sizeof(none), NULL, NULL, "vm3" },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		host_tree(c[i].cmd, c[i].len);
		struct collect_opts o = { .sysroot = top, .role = "host" };
		char err[256] = "";
		struct machine *m = collect_machine(&o, err, sizeof(err));
		if (m)
			host_extras(m, &o);
		const struct vf *v = m && m->npfs == 1 && m->pfs[0].nvfs == 1 ? &m->pfs[0].vfs[0] : NULL;
		CHECK(v != NULL);
		if (v) {
			CHECK_STR(v->owner_name.v, c[i].owner);
			if (c[i].id) {
				CHECK_STR(v->failover_pair_id.v, c[i].id);
				CHECK_STR(v->failover_standby_mac.v, c[i].mac);
				CHECK_INT(v->failover_pair_id.src, SRC_PROCFS);
			} else
				CHECK(!VS_KNOWN(v->failover_pair_id));
		}
		machine_free(m);
		rm_tree();
	}
}

/* The lab's real pairs (tests/fixtures/lab/pair-*, QEMU 10 virtio-net
 * failover=on + e1000e failover_pair_id, 6.12 guest; names.txt says which
 * netdev is which): what the kernel built is recognised as such. */
static struct machine *lab(const char *scen)
{
	char d[256];
	snprintf(d, sizeof(d), "tests/fixtures/lab/%s/host", scen);
	struct collect_opts o = { .sysroot = d, .role = "host" };
	char err[256] = "";
	struct machine *m = collect_machine(&o, err, sizeof(err));
	if (m)
		host_extras(m, &o);
	else
		fprintf(stderr, "%s: %s\n", d, err);
	return m;
}

static void test_lab_pairs(void)
{
	struct machine *m = lab("pair-healthy");
	const struct team *t = m ? team(m, "eth6") : NULL;
	CHECK(t && t->driver == TEAM_NET_FAILOVER);
	if (t) {
		CHECK_STR(member(t, "eth7") ? member(t, "eth7")->role.v : NULL, "standby");
		CHECK_STR(member(t, "eth10") ? member(t, "eth10")->role.v : NULL, "primary");
		CHECK_STR(t->datapath.v, "primary");
		CHECK_STR(t->datapath_member.v, "eth10");
		CHECK_INT(t->datapath_switches.v, 1);
	}
	t = m ? team(m, "eth8") : NULL;
	CHECK(t && t->driver == TEAM_NET_FAILOVER && t->nmembers == 2);
	CHECK(m && !team(m, "eth7") && !team(m, "eth10"));
	machine_free(m);

	m = lab("pair-primary-gone");
	t = m ? team(m, "eth6") : NULL;
	CHECK(t && t->driver == TEAM_NET_FAILOVER);
	if (t) {
		CHECK_INT(t->nmembers, 1);
		CHECK_STR(member(t, "eth7") ? member(t, "eth7")->role.v : NULL, "standby");
		CHECK_STR(t->datapath.v, "standby");
		CHECK_INT(t->datapath_switches.v, 2); /* registered, then unregistered by device_del */
	}
	machine_free(m);

	m = lab("pair-bond");
	const struct team *b = m ? team(m, "bond0") : NULL;
	CHECK(b && b->driver == TEAM_BONDING && b->nmembers == 2);
	for (size_t i = 0; b && i < b->nmembers; i++) {
		const struct team *p = team(m, b->members[i].name.v);
		CHECK(p && p->driver == TEAM_NET_FAILOVER); /* bond member -> pair */
	}
	machine_free(m);
}

/* The ethtool ioctls for real (read-only), on a veth pair in a network
 * namespace of this process's own (root only; the namespace goes with the
 * process): driver "veth", and veth's statistics with its peer_ifindex. */
static void test_ethtool_live(void)
{
	if (geteuid() != 0 || unshare(CLONE_NEWNET)) {
		fprintf(stderr, "test_ethtool_live: skipped (needs root and CLONE_NEWNET)\n");
		return;
	}
	CHECK(system("ip link add pva type veth peer name pvb && ip link set pva up && ip link set pvb up") == 0);
	root_set(NULL);
	char drv[64] = "";
	CHECK_INT(ethtool_driver("pva", drv, sizeof(drv)), 0);
	CHECK_STR(drv, "veth");
	struct ethtool_counters s;
	CHECK_INT(ethtool_read_stats("pva", 0, &s), 0);
	uint64_t v = 0;
	CHECK(!ethtool_stat_get(&s, "peer_ifindex", &v) && v > 0);
	ethtool_stats_free(&s);
	CHECK(ethtool_driver("nosuchdev0", drv, sizeof(drv)) < 0);
	CHECK(ethtool_driver("../x", drv, sizeof(drv)) == -EINVAL);
	CHECK(ethtool_read_stats("nosuchdev0", 0, &s) < 0 && s.n == 0);
}

/* Correlation (rules/correlate.c) of a guest bond over a net_failover pair:
 * bond member, standby and primary all carry the VF's MAC; only the primary
 * is the VF. */
static void test_pair_correlation(void)
{
	struct machine *h = machine_new("host");
	struct pf *p = machine_add_pf(h, "0000:01:00.0");
	struct vf *v = pf_add_vf(p, 0);
	vs_set(&v->pci, "0000:01:10.0", SRC_SYSFS);
	vs_set(&v->mac, MAC_FO, SRC_NETLINK);
	struct machine *g = machine_new("guest");
	g->label = strdup("vm1");
	struct team *b = machine_add_team(g, "bond0");
	b->driver = TEAM_BONDING;
	vs_set(&team_add_member(b, "eth0")->perm_mac, MAC_FO, SRC_SYSFS);
	struct team *t = machine_add_team(g, "eth0");
	t->driver = TEAM_NET_FAILOVER;
	struct member *sb = team_add_member(t, "eth1"), *pr = team_add_member(t, "eth2");
	vs_set(&sb->role, "standby", SRC_SYSFS);
	vs_set(&sb->perm_mac, MAC_FO, SRC_NETLINK);
	vs_set(&pr->role, "primary", SRC_SYSFS);
	vs_set(&pr->perm_mac, MAC_FO, SRC_NETLINK);
	machine_add_guest(h, g);
	correlate(h);
	const struct vf *cv = &h->pfs[0].vfs[0];
	CHECK_INT(cv->guest_idx, 0);
	CHECK_INT(cv->guest_team_idx, 1);
	CHECK_INT(cv->guest_member_idx, 1);
	CHECK_INT(g->teams[1].members[1].host_vf_idx, 0);
	CHECK_INT(g->teams[1].members[0].host_pf_idx, -1);
	CHECK_INT(g->teams[0].members[0].host_pf_idx, -1);
	machine_free(h);
}

T_MAIN(T(test_failover_healthy), T(test_failover_no_primary), T(test_failover_primary_down),
       T(test_netvsc_bond_of_pairs), T(test_netvsc_vf_removed), T(test_netvsc_counters), T(test_pair_kmsg),
       T(test_ethtool_stats_parse), T(test_not_pairs), T(test_host_qemu_failover), T(test_lab_pairs), T(test_pair_correlation), T(test_ethtool_live))
