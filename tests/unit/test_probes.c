/* Raw BPF ring-buffer records -> struct vfs_event (bpf/probes.c),
 * rtnetlink notifications -> EV_LINK/EV_FAILOVER (collectors/nl_monitor.c),
 * and the time-ordering reorder window of the merged stream (bpf/evq.c). */
#include "t.h"
#include "bpf/probes.h"
#include "bpf/evq.h"
#include "collectors/nl_monitor.h"
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

static void test_mbx_write_ack(void)
{
	struct mbx_event r = { .ts_ns = 1000, .kind = MBX_EV_WRITE, .driver = MBX_DRV_IGB, .cpu = 1, .vf = 3,
			       .nwords = 2, .words = { 0x80000002u, 0x1234 } };
	struct vfs_event ev;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 500, &ev), 0);
	CHECK_INT(ev.kind, EV_MBX);
	CHECK_INT(ev.ts_mono_ns, 1000);
	CHECK_INT(ev.ts_real_ns, 1500);
	CHECK_INT(ev.cpu, 1);
	CHECK_INT(ev.vf, 3);
	CHECK_INT(ev.dir, EV_DIR_PF_TO_VF);
	CHECK_INT(ev.result, EV_RES_ACK);
	CHECK_INT(ev.nwords, 2);
	CHECK_INT(ev.words[1], 0x1234);
	CHECK_STR(ev.driver, "igb");
	CHECK_STR(ev.probe, "igb_write_mbx_pf");
	CHECK(strstr(ev.text, "80000002 00001234") != NULL);
	CHECK(strstr(ev.text, "SET_MAC") != NULL); /* decoders/mbx.h names it */
}

static void test_mbx_read_nack(void)
{
	struct mbx_event r = { .kind = MBX_EV_READ, .driver = MBX_DRV_IGB, .vf = 0, .nwords = 40,
			       .words = { 0x40000001u } };
	struct vfs_event ev;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), 0);
	CHECK_INT(ev.dir, EV_DIR_VF_TO_PF);
	CHECK_INT(ev.result, EV_RES_NACK);
	CHECK_INT(ev.nwords, VFS_EV_WORDS); /* clamped */
	CHECK_STR(ev.probe, "igb_read_mbx_pf");
}

static void test_mbx_ixgbe(void)
{
	struct mbx_event r = { .kind = MBX_EV_WRITE, .driver = MBX_DRV_IXGBE, .vf = 5, .nwords = 1,
			       .words = { 0x60000002u } };
	struct vfs_event ev;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), 0);
	CHECK_STR(ev.driver, "ixgbe");
	CHECK_STR(ev.probe, "ixgbe_write_mbx_pf");
	CHECK_INT(ev.result, EV_RES_NACK);
	CHECK_INT(ev.vf, 5);
	r.kind = MBX_EV_READ;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), 0);
	CHECK_STR(ev.probe, "ixgbe_read_mbx_pf");
	CHECK_INT(ev.dir, EV_DIR_VF_TO_PF);
	/* VF side (igbvf): a read is the PF's answer. */
	r.driver = MBX_DRV_IGBVF;
	r.vf = -1;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), 0);
	CHECK_STR(ev.probe, "e1000_read_mbx_vf");
	CHECK_INT(ev.dir, EV_DIR_PF_TO_VF);
	CHECK_INT(ev.result, EV_RES_NACK);
	CHECK_INT(ev.vf, -1);
	r.kind = MBX_EV_WRITE;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), 0);
	CHECK_STR(ev.probe, "e1000_write_mbx_vf");
	CHECK_INT(ev.dir, EV_DIR_VF_TO_PF);
}

static void test_mbx_reset_mac_vc(void)
{
	struct mbx_event r = { .kind = MBX_EV_VF_RESET, .driver = MBX_DRV_IGB, .vf = 1 };
	struct vfs_event ev;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), 0);
	CHECK_INT(ev.kind, EV_VF_RESET);
	CHECK_INT(ev.vf, 1);
	struct mbx_event m = { .kind = MBX_EV_SET_MAC, .driver = MBX_DRV_IGB, .vf = 2,
			       .mac = { 0x02, 0, 0x5e, 0x10, 0, 0x01 } };
	CHECK_INT(probes_mbx_to_event(&m, sizeof(m), 0, &ev), 0);
	CHECK(strstr(ev.text, "02:00:5e:10:00:01") != NULL);
	struct mbx_event v = { .kind = MBX_EV_VC_SEND, .driver = MBX_DRV_ICE, .vf = -1, .opcode = 1, .retval = 0 };
	CHECK_INT(probes_mbx_to_event(&v, sizeof(v), 0, &ev), 0);
	CHECK_STR(ev.driver, "ice");
	CHECK_INT(ev.result, EV_RES_ACK);
	CHECK_STR(ev.probe, "ice_vc_send_msg_to_vf");
}

static void test_mbx_bad(void)
{
	struct mbx_event r = { .kind = MBX_EV_WRITE, .driver = MBX_DRV_IGB };
	struct vfs_event ev;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r) - 1, 0, &ev), -EBADMSG);
	r.driver = 99;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), -EBADMSG);
	r.driver = MBX_DRV_IGB;
	r.kind = 77;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), -EBADMSG);
}

/* The mailbox ring: 1 MiB up to 4 CPUs, then 256 KiB a CPU in powers of
 * two, 8 MiB at most; 1 MiB holds thousands of 160-byte records. */
static void test_mbx_ring_bytes(void)
{
	CHECK_INT((int)mbx_ring_bytes(0), 1 << 20);
	CHECK_INT((int)mbx_ring_bytes(1), 1 << 20);
	CHECK_INT((int)mbx_ring_bytes(4), 1 << 20);
	CHECK_INT((int)mbx_ring_bytes(5), 2 << 20);
	CHECK_INT((int)mbx_ring_bytes(16), 4 << 20);
	CHECK_INT((int)mbx_ring_bytes(32), 8 << 20);
	CHECK_INT((int)mbx_ring_bytes(1024), 8 << 20);
	CHECK(mbx_ring_bytes(1) / (sizeof(struct mbx_event) + 8) >= 6000);
}

static void test_dp_events(void)
{
	struct dp_event r = { .ts_ns = 5, .kind = DP_EV_NEIGH, .cpu = 0, .ifindex = 4, .arg = 0x02, .arg2 = 0x01,
			      .family = 2, .addr_len = 6, .name = "eth\x1b[2J012345678",
			      .addr = { 2, 0, 0x5e, 0x10, 0, 2 }, .key = { 192, 0, 2, 2 } };
	struct vfs_event ev;
	CHECK_INT(probes_dp_to_event(&r, sizeof(r), 0, &ev), 0);
	CHECK_INT(ev.kind, EV_NEIGH);
	CHECK_INT(ev.ifindex, 4);
	CHECK(strchr(ev.ifname, 0x1b) == NULL); /* sanitised, not NUL-terminated input */
	CHECK_STR(ev.text, "neigh 192.0.2.2 lladdr 02:00:5e:10:00:02 INCOMPLETE -> REACHABLE");
	struct dp_event t = { .kind = DP_EV_TX_TIMEOUT, .ifindex = 7, .arg = 3, .name = "eth0" };
	CHECK_INT(probes_dp_to_event(&t, sizeof(t), 0, &ev), 0);
	CHECK_INT(ev.kind, EV_TX_TIMEOUT);
	CHECK_STR(ev.ifname, "eth0");
	CHECK_STR(ev.text, "tx watchdog timeout on queue 3");
	struct dp_event f = { .kind = DP_EV_FDB, .arg = 10, .addr_len = 6, .addr = { 2, 0, 0, 0, 0, 1 },
			      .name = "p0", .name2 = "br0" };
	CHECK_INT(probes_dp_to_event(&f, sizeof(f), 0, &ev), 0);
	CHECK_INT(ev.kind, EV_FDB);
	CHECK_STR(ev.text, "fdb 02:00:00:00:00:01 vlan 10 port p0 bridge br0 flags 0x0");
	CHECK_INT(probes_dp_to_event(&f, 8, 0, &ev), -EBADMSG);
}

/* ---- nl_monitor --------------------------------------------------------- */

static struct vfs_event got[8];
static int ngot;
static void cb(const struct vfs_event *ev, void *ctx)
{
	(void)ctx;
	if (ngot < 8)
		got[ngot++] = *ev;
}

static size_t mk_link(char *buf, int ifindex, const char *name, int carrier, int oper, int bond_active,
		      int slave_state, int master)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	/* Admin up, as the kernel says of a member whose carrier it reports. */
	ifi->ifi_flags = IFF_UP | (carrier ? IFF_LOWER_UP | IFF_RUNNING : 0);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u8(nlh, IFLA_CARRIER, (uint8_t)carrier);
	mnl_attr_put_u8(nlh, IFLA_OPERSTATE, (uint8_t)oper);
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	if (bond_active >= 0 || slave_state >= 0) {
		struct nlattr *li = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
		if (bond_active >= 0) {
			mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bond");
			struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
			mnl_attr_put_u32(nlh, IFLA_BOND_ACTIVE_SLAVE, (uint32_t)bond_active);
			mnl_attr_nest_end(nlh, d);
		} else {
			mnl_attr_put_strz(nlh, IFLA_INFO_SLAVE_KIND, "bond");
			struct nlattr *d = mnl_attr_nest_start(nlh, IFLA_INFO_SLAVE_DATA);
			mnl_attr_put_u8(nlh, IFLA_BOND_SLAVE_STATE, (uint8_t)slave_state);
			mnl_attr_nest_end(nlh, d);
		}
		mnl_attr_nest_end(nlh, li);
	}
	return nlh->nlmsg_len;
}

static void test_nl_link_and_failover(void)
{
	char buf[4096];
	struct nl_monitor *m = nl_monitor_new(NULL, 0, cb, NULL);
	ngot = 0;
	/* First sight: state only. */
	CHECK_INT(nl_monitor_parse(m, buf, mk_link(buf, 2, "eth2", 1, IF_OPER_UP, -1, 0, 5)), 0);
	CHECK_INT(nl_monitor_parse(m, buf, mk_link(buf, 3, "eth3", 1, IF_OPER_UP, -1, 1, 5)), 0);
	CHECK_INT(nl_monitor_parse(m, buf, mk_link(buf, 5, "bond0", 1, IF_OPER_UP, 2, -1, 0)), 0);
	/* eth2 loses carrier. */
	CHECK_INT(nl_monitor_parse(m, buf, mk_link(buf, 2, "eth2", 0, IF_OPER_LOWERLAYERDOWN, -1, 0, 5)), 1);
	CHECK_INT(got[0].kind, EV_LINK);
	CHECK_STR(got[0].ifname, "eth2");
	CHECK_STR(got[0].text, "carrier down, operstate lowerlayerdown");
	/* Bond moves to eth3; eth3 becomes active. */
	CHECK_INT(nl_monitor_parse(m, buf, mk_link(buf, 5, "bond0", 1, IF_OPER_UP, 3, -1, 0)), 1);
	CHECK_INT(got[1].kind, EV_FAILOVER);
	CHECK_STR(got[1].text, "active slave eth2 -> eth3");
	CHECK_STR(got[1].driver, "bonding");
	CHECK_INT(nl_monitor_parse(m, buf, mk_link(buf, 3, "eth3", 1, IF_OPER_UP, -1, 0, 5)), 1);
	CHECK_STR(got[2].text, "slave eth3 of bond0: backup -> active");
	/* No change, no event; truncated input is an error. */
	CHECK_INT(nl_monitor_parse(m, buf, mk_link(buf, 3, "eth3", 1, IF_OPER_UP, -1, 0, 5)), 0);
	CHECK_INT(nl_monitor_parse(m, buf, 4), -ENODATA);
	nl_monitor_close(m);
}

static void test_nl_filter(void)
{
	char buf[4096];
	int only = 3;
	struct nl_monitor *m = nl_monitor_new(&only, 1, cb, NULL);
	ngot = 0;
	nl_monitor_parse(m, buf, mk_link(buf, 2, "eth2", 1, IF_OPER_UP, -1, -1, 0));
	nl_monitor_parse(m, buf, mk_link(buf, 3, "eth3", 1, IF_OPER_UP, -1, -1, 0));
	CHECK_INT(nl_monitor_parse(m, buf, mk_link(buf, 2, "eth2", 0, IF_OPER_DOWN, -1, -1, 0)), 0);
	CHECK_INT(nl_monitor_parse(m, buf, mk_link(buf, 3, "eth3", 0, IF_OPER_DOWN, -1, -1, 0)), 1);
	CHECK_STR(got[0].ifname, "eth3");
	nl_monitor_close(m);
}

static void test_mbx_names(void)
{
	/* PF side: the PF netdev is the event's pf and ifname. */
	struct mbx_event r = { .kind = MBX_EV_WRITE, .driver = MBX_DRV_IGB, .vf = 0, .nwords = 1,
			       .words = { 0x40000002u }, .pf = "eth0" };
	struct vfs_event ev;
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), 0);
	CHECK_STR(ev.pf, "eth0");
	CHECK_STR(ev.ifname, "eth0");
	CHECK(strstr(ev.text, "igb pf eth0 vf 0") != NULL);
	/* Not NUL-terminated in the record: cut at 15 characters. */
	memcpy(r.pf, "0123456789abcdefXYZ", sizeof(r.pf));
	CHECK_INT(probes_mbx_to_event(&r, sizeof(r), 0, &ev), 0);
	CHECK_INT((int)strlen(ev.pf), 15);
	/* VF side: the VF's own netdev, no PF. */
	struct mbx_event v = { .kind = MBX_EV_READ, .driver = MBX_DRV_IXGBEVF, .vf = -1, .nwords = 1,
			       .words = { 0x80000001u }, .ifname = "eth5" };
	CHECK_INT(probes_mbx_to_event(&v, sizeof(v), 0, &ev), 0);
	CHECK_STR(ev.driver, "ixgbevf");
	CHECK_STR(ev.probe, "ixgbevf_read_mbx_vf");
	CHECK_STR(ev.pf, "");
	CHECK_STR(ev.ifname, "eth5");
	CHECK_INT(ev.dir, EV_DIR_PF_TO_VF);
	CHECK_INT(ev.result, EV_RES_ACK);
	/* iavf: send = VF -> PF (no result), completion = PF -> VF with retval. */
	struct mbx_event a = { .kind = MBX_EV_VC_SEND, .driver = MBX_DRV_IAVF, .vf = -1, .opcode = 10 };
	CHECK_INT(probes_mbx_to_event(&a, sizeof(a), 0, &ev), 0);
	CHECK_STR(ev.probe, "iavf_send_pf_msg");
	CHECK_INT(ev.dir, EV_DIR_VF_TO_PF);
	CHECK_INT(ev.result, EV_RES_NONE);
	a.kind = MBX_EV_VC_RECV;
	a.retval = (unsigned int)-5;
	CHECK_INT(probes_mbx_to_event(&a, sizeof(a), 0, &ev), 0);
	CHECK_STR(ev.probe, "iavf_virtchnl_completion");
	CHECK_INT(ev.dir, EV_DIR_PF_TO_VF);
	CHECK_INT(ev.result, EV_RES_NACK);
	/* i40e: VF -> PF request names the PF. */
	struct mbx_event i = { .kind = MBX_EV_VC_RECV, .driver = MBX_DRV_I40E, .vf = 3, .pf = "enp1s0f0" };
	CHECK_INT(probes_mbx_to_event(&i, sizeof(i), 0, &ev), 0);
	CHECK_STR(ev.probe, "i40e_vc_process_vf_msg");
	CHECK_STR(ev.pf, "enp1s0f0");
	CHECK_INT(ev.result, EV_RES_NONE);
}

static uint64_t emitted[64];
static int nemitted;
static void emit(const struct vfs_event *ev, void *ctx)
{
	(void)ctx;
	if (nemitted < 64)
		emitted[nemitted++] = ev->ts_mono_ns * 100 + (uint64_t)ev->cpu;
}

static void push_at(struct evq *q, uint64_t ts, int tag)
{
	struct vfs_event ev = { .ts_mono_ns = ts, .cpu = tag };
	evq_push(q, &ev);
}

static void test_evq_order(void)
{
	struct evq q;
	const uint64_t ms = 1000000;
	evq_init(&q, 100 * ms);
	nemitted = 0;
	CHECK_INT(evq_due_ms(&q, 0), -1);
	/* Batch 1 at t=1000 ms: a netlink event stamped 1000 and a BPF event 990. */
	push_at(&q, 1000 * ms, 1);
	push_at(&q, 990 * ms, 2);
	CHECK_INT((int)evq_flush(&q, 1000 * ms, emit, NULL), 0); /* both younger than the window */
	CHECK_INT(evq_due_ms(&q, 1000 * ms), 90);
	/* Batch 2 at t=1050 ms brings an older BPF event (950) from another ring. */
	push_at(&q, 950 * ms, 3);
	CHECK_INT((int)evq_flush(&q, 1050 * ms, emit, NULL), 1); /* 950 is due */
	CHECK_INT((int)evq_flush(&q, 1095 * ms, emit, NULL), 1); /* 990 */
	/* Same timestamp: arrival order. */
	push_at(&q, 1000 * ms, 4);
	CHECK_INT((int)evq_flush(&q, 1100 * ms, emit, NULL), 2);
	CHECK_INT(nemitted, 4);
	CHECK(emitted[0] == 950 * ms * 100 + 3);
	CHECK(emitted[1] == 990 * ms * 100 + 2);
	CHECK(emitted[2] == 1000 * ms * 100 + 1);
	CHECK(emitted[3] == 1000 * ms * 100 + 4);
	CHECK_INT((int)q.late, 0);
	/* Later than the window: still emitted, counted as late. */
	push_at(&q, 900 * ms, 5);
	push_at(&q, 1200 * ms, 6);
	CHECK_INT((int)evq_flush(&q, 1200 * ms, emit, NULL), 1);
	CHECK_INT((int)q.late, 1);
	/* The end: everything, in order. */
	CHECK_INT((int)evq_flush(&q, UINT64_MAX, emit, NULL), 1);
	CHECK(emitted[5] == 1200 * ms * 100 + 6);
	CHECK_INT((int)q.n, 0);
	/* Window 0: everything at once, sorted within the flush. */
	q.window_ns = 0;
	push_at(&q, 2000 * ms, 7);
	push_at(&q, 1999 * ms, 8);
	CHECK_INT((int)evq_flush(&q, 2000 * ms, emit, NULL), 2);
	CHECK(emitted[6] == 1999 * ms * 100 + 8);
	evq_free(&q);
}

T_MAIN(T(test_mbx_write_ack), T(test_mbx_read_nack), T(test_mbx_ixgbe), T(test_mbx_reset_mac_vc), T(test_mbx_bad), T(test_mbx_ring_bytes), T(test_mbx_names), T(test_evq_order), T(test_dp_events),
       T(test_nl_link_and_failover), T(test_nl_filter))
