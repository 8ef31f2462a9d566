/* collectors/kmsg.c: which kernel lines are kept, which become link or
 * failover events and which netdev each event names. The lines are the
 * drivers' own format strings as the kernel prints them (igb, ixgbe, i40e,
 * ice, e1000e, iavf, igbvf, mlx5_core, bnxt_en, bonding). */
#include "tests/unit/t.h"
#include "collectors/kmsg.h"
#include "lib/event.h"

static const struct vfs_event *ev_of(const struct machine *m, const char *needle)
{
	for (size_t i = 0; i < m->nevents; i++)
		if (strstr(m->events[i].text, needle))
			return &m->events[i];
	return NULL;
}

static void want(const struct machine *m, const char *needle, int kind, const char *ifname, const char *driver)
{
	const struct vfs_event *e = ev_of(m, needle);
	CHECK(e != NULL);
	if (!e) {
		fprintf(stderr, "  no event for: %s\n", needle);
		return;
	}
	CHECK_INT(e->kind, kind);
	CHECK_STR(e->ifname, ifname);
	CHECK_STR(e->driver, driver);
	CHECK_STR(e->probe, "kmsg");
}

static void test_link_lines(void)
{
	static const char dmesg[] =
		"[   12.500000] igb 0000:01:00.0 eth0: igb: eth0 NIC Link is Down\n"
		"[   13.250000] igb 0000:02:00.0 eth1: igb: eth1 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX/TX\n"
		"[   14.000000] ixgbe 0000:03:00.0 enp3s0f0: NIC Link is Up 10 Gbps, Flow Control: RX/TX\n"
		"[   14.100000] ixgbe 0000:03:00.0 enp3s0f0: NIC Link is Down\n"
		"[   15.000000] i40e 0000:3b:00.0 ens1f0: NIC Link is Up, 25 Gbps Full Duplex, Requested FEC: None, Negotiated FEC: None, Autoneg: False, Flow Control: None\n"
		"[   16.000000] ice 0000:5e:00.0 ens2f0: NIC Link is up 100 Gbps Full Duplex, Requested FEC: RS-FEC, Negotiated FEC: RS-FEC, Autoneg Advertised: On, Autoneg Negotiated: False, Flow Control: None\n"
		"[   17.000000] e1000e 0000:00:19.0 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx\n"
		"<6>[   18.000000] iavf 0000:3b:02.0 ens1f0v0: NIC Link is Up Speed is 25 Gbps Full Duplex\n"
		"[   19.000000] igbvf 0000:01:10.0: Link is Up 1000 Mbps Full Duplex\n"
		"[   20.000000] mlx5_core 0000:08:00.0 ens1f0np0: Link down\n"
		"[   21.000000] bnxt_en 0000:af:00.0 ens3f0np0: NIC Link is Down\n"
		"[   22.000000] bond0: (slave eth2): link status definitely down, disabling slave\n"
		"[   22.000100] bond0: (slave eth4): making interface the new active one\n"
		"[   23.000000] bond0: (slave eth2): link status down for interface, disabling it in 200 ms\n"
		"[   24.000000] bond0: now running without any active interface!\n"
		"[   25.000000] bonding: bond1: link status definitely down for interface eth7, disabling it\n"
		"[   26.000000] e1000: eth8 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX/TX\n"
		"[   27.000000] eth9: NIC Link is Down\n"
		/* kept, but no event */
		"[   30.000000] igb 0000:01:00.0: VF 0 attempted to override administratively set MAC address\n"
		"[   30.100000] bond0: (slave eth2): Enslaving as a backup interface with an up link\n"
		"[   30.200000] igb 0000:01:00.0 eth0: igb: eth0 NIC Link is Dow\n"
		/* not kept */
		"[   31.000000] usb 1-1: new high-speed USB device number 2 using xhci_hcd\n";
	struct machine *m = machine_new("host");
	size_t kept = kmsg_parse_dmesg(m, dmesg, sizeof(dmesg) - 1);
	CHECK_INT(kept, 21);
	CHECK_INT(m->nkmsg, 21);
	CHECK_INT(m->nevents, 18);
	want(m, "eth0 NIC Link is Down", EV_LINK, "eth0", "igb");
	want(m, "eth1 NIC Link is Up 1000", EV_LINK, "eth1", "igb");
	want(m, "NIC Link is Up 10 Gbps", EV_LINK, "enp3s0f0", "ixgbe");
	want(m, "25 Gbps Full Duplex, Requested", EV_LINK, "ens1f0", "i40e");
	want(m, "NIC Link is up 100 Gbps", EV_LINK, "ens2f0", "ice");
	want(m, "Flow Control: Rx/Tx", EV_LINK, "eno1", "e1000e");
	want(m, "Speed is 25 Gbps", EV_LINK, "ens1f0v0", "iavf");
	want(m, "igbvf 0000:01:10.0: Link is Up", EV_LINK, "", "igbvf");
	want(m, "Link down", EV_LINK, "ens1f0np0", "mlx5_core");
	want(m, "bnxt_en", EV_LINK, "ens3f0np0", "bnxt_en");
	want(m, "definitely down, disabling slave", EV_LINK, "bond0", "bonding");
	want(m, "new active one", EV_FAILOVER, "bond0", "bonding");
	want(m, "disabling it in 200 ms", EV_LINK, "bond0", "bonding");
	want(m, "without any active interface", EV_FAILOVER, "bond0", "bonding");
	want(m, "interface eth7", EV_LINK, "bond1", "bonding");
	want(m, "e1000: eth8", EV_LINK, "eth8", "e1000");
	want(m, "eth9: NIC Link is Down", EV_LINK, "eth9", "");
	CHECK(ev_of(m, "administratively") == NULL);
	CHECK(ev_of(m, "Enslaving") == NULL);
	CHECK(ev_of(m, "Link is Dow\n") == NULL);
	/* Timestamps: seconds since boot, no wall clock for a text log. */
	const struct vfs_event *e = ev_of(m, "eth0 NIC Link is Down");
	CHECK(e && e->ts_mono_ns == 12500000000ull && e->ts_real_ns == 0);
	CHECK_INT(m->kmsg[0].ts_us, 12500000);
	CHECK_INT(m->kmsg[7].prio, 6);
	machine_free(m);
}

static void test_records(void)
{
	static const char rec[] =
		"6,1201,12500000,-;igb 0000:01:00.0 eth0: igb: eth0 NIC Link is Down\n"
		" SUBSYSTEM=pci\n"
		" DEVICE=+pci:0000:01:00.0\n"
		"4,1202,12600000,-;bond0: (slave eth2): link status definitely down, disabling slave\n"
		"garbage without a semicolon\n"
		"6,x,y,-;igb: not a record\n";
	struct machine *m = machine_new("host");
	CHECK_INT(kmsg_parse_records(m, rec, sizeof(rec) - 1), 2);
	CHECK_INT(m->nevents, 2);
	CHECK_INT(m->kmsg[1].prio, 4);
	want(m, "NIC Link is Down", EV_LINK, "eth0", "igb");
	/* Bad input: NULL and empty buffers keep nothing. */
	CHECK_INT(kmsg_parse_dmesg(m, NULL, 10), 0);
	CHECK_INT(kmsg_parse_dmesg(m, "", 0), 0);
	CHECK_INT(kmsg_parse_dmesg(NULL, rec, sizeof(rec) - 1), 0);
	machine_free(m);
}

/* A long-running host logs more than the model holds: the newest lines
 * stay (the latest link-down matters, not the boot), the count of dropped
 * ones is kept, and the order is still oldest first. */
static void test_keeps_newest(void)
{
	struct machine *m = machine_new("host");
	char line[96];
	for (int i = 0; i < 10000; i++) {
		snprintf(line, sizeof(line), "[%5d.000000] igb 0000:01:00.0 eth0: igb: eth0 NIC Link is Down %d\n", i, i);
		kmsg_parse_dmesg(m, line, strlen(line));
	}
	CHECK(m->nkmsg > 0 && m->nkmsg <= 4096);
	CHECK(m->kmsg_dropped > 0 && m->kmsg_dropped + m->nkmsg == 10000);
	CHECK(m->nkmsg && strstr(m->kmsg[m->nkmsg - 1].text, "Down 9999") != NULL);
	CHECK(m->nkmsg && m->kmsg[0].ts_us < m->kmsg[m->nkmsg - 1].ts_us);
	snprintf(line, sizeof(line), "Link is Down %zu", m->kmsg_dropped);
	CHECK(m->nkmsg && !strcmp(strstr(m->kmsg[0].text, "Link is") ? strstr(m->kmsg[0].text, "Link is") : "", line));
	machine_free(m);
}

T_MAIN(T(test_link_lines), T(test_records), T(test_keeps_newest))
