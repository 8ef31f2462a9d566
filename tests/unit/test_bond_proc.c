/* /proc/net/bonding/<bond> as bonding 6.x prints it (bond_info_show_master /
 * bond_info_show_slave), and hostile variants. */
#include "tests/unit/t.h"
#include "collectors/bond_proc.h"
#include <stdlib.h>

static const char sample[] =
	"Ethernet Channel Bonding Driver: v6.12.95+deb12-amd64\n\n"
	"Bonding Mode: fault-tolerance (active-backup)\n"
	"Primary Slave: None\n"
	"Currently Active Slave: eth2\n"
	"MII Status: up\n"
	"MII Polling Interval (ms): 100\n"
	"Up Delay (ms): 0\n"
	"Down Delay (ms): 0\n"
	"Peer Notification Delay (ms): 0\n\n"
	"Slave Interface: eth2\n"
	"MII Status: up\n"
	"Speed: 1000 Mbps\n"
	"Duplex: full\n"
	"Link Failure Count: 0\n"
	"Permanent HW addr: 02:00:00:00:00:a0\n"
	"Slave queue ID: 0\n\n"
	"Slave Interface: eth4\n"
	"MII Status: down\n"
	"Speed: Unknown\n"
	"Duplex: Unknown\n"
	"Link Failure Count: 3\n"
	"Permanent HW addr: 02:00:00:00:00:b0\n"
	"Slave queue ID: 0\n";

static void test_sample(void)
{
	struct machine *m = machine_new("guest");
	struct team *t = machine_add_team(m, "bond0");
	CHECK(bond_proc_parse(sample, sizeof(sample) - 1, t) > 10);
	CHECK_STR(t->mode.v, "active-backup");
	CHECK_INT(t->mode.src, SRC_PROCFS);
	CHECK_STR(t->active.v, "eth2");
	CHECK(!VS_KNOWN(t->primary));
	CHECK_INT(t->miimon.v, 100);
	CHECK_INT(t->nmembers, 2);
	CHECK_STR(t->members[0].name.v, "eth2");
	CHECK_STR(t->members[0].perm_mac.v, "02:00:00:00:00:a0");
	CHECK_INT(t->members[0].speed.v, 1000);
	CHECK_STR(t->members[1].mii_status.v, "down");
	CHECK_INT(t->members[1].link_failures.v, 3);
	CHECK(!VI_KNOWN(t->members[1].speed)); /* "Unknown" stays unknown */
	machine_free(m);
}

static void test_mode_names(void)
{
	const char *txt[][2] = { { "Bonding Mode: load balancing (round-robin)\n", "balance-rr" },
				 { "Bonding Mode: IEEE 802.3ad Dynamic link aggregation\n", "802.3ad" },
				 { "Bonding Mode: load balancing (xor)\n", "balance-xor" } };
	for (size_t i = 0; i < 3; i++) {
		struct machine *m = machine_new("guest");
		struct team *t = machine_add_team(m, "bond0");
		bond_proc_parse(txt[i][0], strlen(txt[i][0]), t);
		CHECK_STR(t->mode.v, txt[i][1]);
		machine_free(m);
	}
}

static void test_sysfs_wins(void)
{
	struct machine *m = machine_new("guest");
	struct team *t = machine_add_team(m, "bond0");
	vs_set(&t->mode, "802.3ad", SRC_SYSFS);
	bond_proc_parse(sample, sizeof(sample) - 1, t);
	CHECK_STR(t->mode.v, "802.3ad");
	machine_free(m);
}

static void test_hostile(void)
{
	struct machine *m = machine_new("guest");
	struct team *t = machine_add_team(m, "bond0");
	/* Prefixes never crash; no NUL terminator is assumed. */
	for (size_t len = 0; len < sizeof(sample) - 1; len++) {
		char *b = malloc(len ? len : 1);
		memcpy(b, sample, len);
		bond_proc_parse(b, len, t);
		free(b);
	}
	CHECK_INT(t->nmembers, 2);
	/* Escape sequences and a flood of members are bounded and inert. */
	size_t cap = 200 * 64;
	char *flood = malloc(cap);
	size_t o = 0;
	for (int i = 0; i < 200; i++)
		o += (size_t)snprintf(flood + o, cap - o, "Slave Interface: x\x1b[%d\n", i);
	struct team *t2 = machine_add_team(m, "bond1");
	bond_proc_parse(flood, o, t2);
	CHECK_INT(t2->nmembers, 64);
	CHECK_STR(t2->members[0].name.v, "x?[0");
	free(flood);
	machine_free(m);
}

T_MAIN(T(test_sample), T(test_mode_names), T(test_sysfs_wins), T(test_hostile))
