/* rtnetlink parsing without a kernel: RTM_NEWLINK messages built with libmnl
 * the way the kernel lays them out (rtnl_fill_ifinfo / rtnl_fill_vfinfo). */
#include "tests/unit/t.h"
#include "collectors/netlink.h"
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/if_arp.h>
#include <libmnl/libmnl.h>

static struct nlmsghdr *put_link(char *buf, const char *name, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_type = ARPHRD_ETHER;
	ifi->ifi_index = ifindex;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, (uint8_t)ifindex };
	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	mnl_attr_put_u8(nlh, IFLA_CARRIER, 0);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, 2);
	return nlh;
}

static void put_vf(struct nlmsghdr *nlh, unsigned vf, int spoof, int trust, int ls)
{
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	struct ifla_vf_mac m = { .vf = vf, .mac = { 0x02, 0, 0, 0, (uint8_t)(vf >> 8), (uint8_t)vf } };
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(m), &m);
	struct ifla_vf_vlan v = { .vf = vf, .vlan = vf == 1 ? 100 : 0, .qos = 0 };
	mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(v), &v);
	struct nlattr *vl = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
	struct ifla_vf_vlan_info vi = { .vf = vf, .vlan = v.vlan, .vlan_proto = htons(0x8100) };
	mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
	mnl_attr_nest_end(nlh, vl);
	struct ifla_vf_rate r = { .vf = vf, .min_tx_rate = 0, .max_tx_rate = vf == 2 ? 1000 : 0 };
	mnl_attr_put(nlh, IFLA_VF_RATE, sizeof(r), &r);
	struct ifla_vf_spoofchk s = { .vf = vf, .setting = (unsigned)spoof };
	mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof(s), &s);
	struct ifla_vf_trust t = { .vf = vf, .setting = (unsigned)trust };
	mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(t), &t);
	struct ifla_vf_link_state l = { .vf = vf, .link_state = (unsigned)ls };
	mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof(l), &l);
	struct nlattr *st = mnl_attr_nest_start(nlh, IFLA_VF_STATS);
	mnl_attr_put_u64(nlh, IFLA_VF_STATS_RX_PACKETS, 1000 + vf);
	mnl_attr_put_u64(nlh, IFLA_VF_STATS_TX_BYTES, 5000 + vf);
	mnl_attr_nest_end(nlh, st);
	mnl_attr_nest_end(nlh, info);
}

static void test_pf_with_many_vfs(void)
{
	static char buf[1 << 20];
	struct machine *m = machine_new("host");
	struct netdev *pfn = machine_add_netdev(m, "eth0");
	vs_set(&pfn->pci, "0000:01:00.0", SRC_SYSFS);
	machine_add_pf(m, "0000:01:00.0");
	struct nlmsghdr *nlh = put_link(buf, "eth0", 2);
	mnl_attr_put_u32(nlh, IFLA_NUM_VF, 300);
	struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	for (unsigned i = 0; i < 300; i++) /* far beyond one 8 KiB buffer */
		put_vf(nlh, i, i != 3 ? 1 : 0, i == 0 ? 1 : (i == 5 ? (int)-1 : 0), i == 1 ? IFLA_VF_LINK_STATE_ENABLE : IFLA_VF_LINK_STATE_AUTO);
	mnl_attr_nest_end(nlh, list);
	CHECK(nlh->nlmsg_len > 32768);
	CHECK_INT(netlink_parse_link(m, buf, nlh->nlmsg_len), 0);
	struct pf *pf = &m->pfs[0];
	CHECK_INT(pf->nvfs, 300);
	CHECK_STR(pf->vfs[1].mac.v, "02:00:00:00:00:01");
	CHECK_STR(pf->vfs[299].mac.v, "02:00:00:00:01:2b");
	CHECK_INT(pf->vfs[1].vlan.v, 100);
	CHECK_INT(pf->vfs[1].vlan_proto.v, 0x8100);
	CHECK_INT(pf->vfs[2].max_tx_rate.v, 1000);
	CHECK_INT(pf->vfs[0].trust.v, 1);
	CHECK_INT(pf->vfs[3].spoofchk.v, 0);
	CHECK_INT(pf->vfs[4].spoofchk.v, 1);
	CHECK(!VI_KNOWN(pf->vfs[5].trust)); /* (u32)-1: driver has no op */
	CHECK_INT(pf->vfs[1].link_state.v, VF_LINK_ENABLE);
	CHECK_INT(pf->vfs[1].link_state.src, SRC_NETLINK);
	CHECK_INT(pf->vfs[7].stats.rx_packets, 1007);
	CHECK_INT(pf->vfs[7].stats.tx_bytes, 5007);
	CHECK_INT(m->netdevs[0].carrier.v, 0);
	CHECK_STR(m->netdevs[0].operstate.v, "down");
	CHECK_STR(m->netdevs[0].mac.v, "52:54:00:12:34:02");
	machine_free(m);
}

static void test_bond_and_slave(void)
{
	static char buf[8192];
	struct machine *m = machine_new("guest");
	/* bond0 ifindex 5 with slave eth1 ifindex 3 (active). */
	struct netdev *n = machine_add_netdev(m, "eth1");
	vi_set(&n->ifindex, 3, SRC_SYSFS);
	n = machine_add_netdev(m, "bond0");
	vi_set(&n->ifindex, 5, SRC_SYSFS);
	struct nlmsghdr *nlh = put_link(buf, "bond0", 5);
	struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
	struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(nlh, IFLA_BOND_MODE, 1);
	mnl_attr_put_u32(nlh, IFLA_BOND_ACTIVE_SLAVE, 3);
	mnl_attr_put_u32(nlh, IFLA_BOND_MIIMON, 100);
	mnl_attr_put_u8(nlh, IFLA_BOND_FAIL_OVER_MAC, 0);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, li);
	CHECK_INT(netlink_parse_link(m, buf, nlh->nlmsg_len), 0);

	nlh = put_link(buf, "eth1", 3);
	mnl_attr_put_u32(nlh, IFLA_MASTER, 5);
	li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bond");
	d = mnl_attr_nest_start(nlh, IFLA_INFO_SLAVE_DATA);
	mnl_attr_put_u8(nlh, IFLA_BOND_SLAVE_STATE, 0);
	mnl_attr_put_u8(nlh, IFLA_BOND_SLAVE_MII_STATUS, 0);
	mnl_attr_put_u32(nlh, IFLA_BOND_SLAVE_LINK_FAILURE_COUNT, 2);
	uint8_t perm[6] = { 2, 0, 0, 0, 0, 0xa0 };
	mnl_attr_put(nlh, IFLA_BOND_SLAVE_PERM_HWADDR, 6, perm);
	mnl_attr_nest_end(nlh, d);
	mnl_attr_nest_end(nlh, li);
	CHECK_INT(netlink_parse_link(m, buf, nlh->nlmsg_len), 0);

	CHECK_INT(m->nteams, 1);
	struct team *t = &m->teams[0];
	CHECK_STR(t->mode.v, "active-backup");
	CHECK_STR(t->active.v, "eth1");
	CHECK_INT(t->miimon.v, 100);
	CHECK_STR(t->fail_over_mac.v, "none");
	CHECK_INT(t->nmembers, 1);
	CHECK_STR(t->members[0].perm_mac.v, "02:00:00:00:00:a0");
	CHECK_STR(t->members[0].state.v, "active");
	CHECK_STR(t->members[0].mii_status.v, "up");
	CHECK_INT(t->members[0].link_failures.v, 2);
	machine_free(m);
}

static void test_truncated_and_bad(void)
{
	static char buf[4096];
	struct machine *m = machine_new("host");
	struct nlmsghdr *nlh = put_link(buf, "eth9", 9);
	unsigned full = nlh->nlmsg_len;
	/* Every shorter buffer is refused as short, never read past. */
	int ok = 1;
	for (unsigned len = 0; len < full; len++)
		if (netlink_parse_link(m, buf, len) != -ENODATA)
			ok = 0;
	CHECK(ok);
	/* A message whose attribute length points past its end is malformed. */
	struct nlattr *a = (struct nlattr *)((char *)nlh + NLMSG_LENGTH(sizeof(struct ifinfomsg)));
	a->nla_len = 0xfff0;
	CHECK_INT(netlink_parse_link(m, buf, full), -EBADMSG);
	/* Wrong type. */
	nlh = put_link(buf, "eth9", 9);
	nlh->nlmsg_type = RTM_NEWADDR;
	CHECK_INT(netlink_parse_link(m, buf, nlh->nlmsg_len), -EBADMSG);
	/* Escape sequences in a name never reach the model raw. */
	nlh = put_link(buf, "e\x1b[2Jx", 10);
	CHECK_INT(netlink_parse_link(m, buf, nlh->nlmsg_len), 0);
	CHECK(machine_find_netdev(m, "e?[2Jx") >= 0);
	machine_free(m);
}

T_MAIN(T(test_pf_with_many_vfs), T(test_bond_and_slave), T(test_truncated_and_bad))
