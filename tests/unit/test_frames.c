/* collectors/frames.c on the committed real captures (tests/decoders/
 * captures: lldpd, the lab's bonding LACP and failover GARP/NA, arping):
 * LLDP on a PF netdev names its switch and a shutdown LLDPDU withdraws it;
 * LACP/GARP/NA become EV_FRAME events with the frame's time; a classic
 * pcap without IF= leaves frames without an interface and says so; the
 * model's JSON keeps it all. */
#include "t.h"
#include "collectors/frames.h"
#include "model/json.h"
#include <errno.h>
#include <pcap/pcap.h>

#define CAP "tests/decoders/captures/"

static struct machine *lab_host(void)
{
	struct machine *m = machine_new("host");
	struct pf *p0 = machine_add_pf(m, "0000:01:00.0");
	struct pf *p1 = machine_add_pf(m, "0000:02:00.0");
	vs_set(&p0->netdev, "eth0", SRC_SYSFS);
	vs_set(&p1->netdev, "eth1", SRC_SYSFS);
	struct netdev *n = machine_add_netdev(m, "eth0");
	vs_set(&n->pci, "0000:01:00.0", SRC_SYSFS);
	n = machine_add_netdev(m, "eth1");
	vs_set(&n->pci, "0000:02:00.0", SRC_SYSFS);
	machine_add_netdev(m, "eth3");
	machine_link(m);
	return m;
}

/* Apply the first `max` frames of a capture as seen on ifname. */
static int apply_first(struct machine *m, const char *path, const char *ifname, int max, struct frames_stats *st)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	if (!p)
		return -1;
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0;
	while (n < max && pcap_next_ex(p, &h, &d) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec * 1000ull;
		frames_apply_raw(m, ifname, ts, 0, d, h->caplen, "pcap", st);
		n++;
	}
	pcap_close(p);
	return n;
}

static size_t count_events(const struct machine *m, const char *prefix, const char *ifname)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nevents; i++)
		if (m->events[i].kind == EV_FRAME && !strncmp(m->events[i].text, prefix, strlen(prefix)) &&
		    (!ifname || !strcmp(m->events[i].ifname, ifname)))
			n++;
	return n;
}

static void test_lldp_pf(void)
{
	struct machine *m = lab_host();
	struct frames_stats st = { 0 };
	CHECK_INT(apply_first(m, CAP "lldp-lldpd.pcap", "eth0", 1, &st), 1);
	CHECK_INT(st.lldp, 1);
	struct pf *p0 = &m->pfs[0], *p1 = &m->pfs[1];
	CHECK_STR(p0->lldp_chassis.v, "02:00:00:00:d2:0a");
	CHECK_INT(p0->lldp_chassis.src, SRC_LLDP);
	CHECK_STR(p0->lldp_port.v, "02:00:00:00:d2:0a");
	CHECK_STR(p0->lldp_sysname.v, "vfst-lldp");
	CHECK_INT(p0->lldp_sysname.src, SRC_LLDP);
	CHECK(!VS_KNOWN(p1->lldp_chassis));
	CHECK_INT(count_events(m, "LLDP chassis 02:00:00:00:d2:0a", "eth0"), 1);
	CHECK_STR(m->events[0].pf, "eth0");
	CHECK(m->events[0].ts_real_ns == 1795594888299666000ull);
	/* on a netdev that is not a PF: an event, no switch identity */
	CHECK_INT(apply_first(m, CAP "lldp-lldpd.pcap", "eth3", 1, &st), 1);
	CHECK(!VS_KNOWN(p1->lldp_chassis));
	CHECK_INT(count_events(m, "LLDP", "eth3"), 1);
	/* the same chassis on both PFs: what VFS003's same-switch check reads */
	CHECK_INT(apply_first(m, CAP "lldp-lldpd.pcap", "eth1", 1, &st), 1);
	CHECK_STR(p1->lldp_chassis.v, p0->lldp_chassis.v);
	/* JSON keeps values, sources and the events */
	json_t *j = machine_to_json(m);
	char *txt = json_dumps(j, 0);
	char err[256] = "";
	struct machine *b = machine_from_text(txt, strlen(txt), 0, err, sizeof(err));
	CHECK(b != NULL);
	if (b) {
		CHECK_STR(b->pfs[0].lldp_sysname.v, "vfst-lldp");
		CHECK_INT(b->pfs[0].lldp_chassis.src, SRC_LLDP);
		CHECK_INT(count_events(b, "LLDP", NULL), 3);
		machine_free(b);
	}
	free(txt);
	json_decref(j);
	machine_free(m);
}

static void test_lldp_shutdown(void)
{
	/* lldpd's capture ends with its shutdown LLDPDU (TTL 0) */
	struct machine *m = lab_host();
	char err[256] = "";
	CHECK_INT(frames_read_file(m, CAP "lldp-lldpd.pcap", "eth0", "pcap", "pcap", err, sizeof(err)), 0);
	CHECK(!VS_KNOWN(m->pfs[0].lldp_chassis));
	CHECK(!VS_KNOWN(m->pfs[0].lldp_sysname));
	CHECK_INT(m->nwarnings, 1);
	CHECK(m->nwarnings && strstr(m->warnings[0], "shutdown") && strstr(m->warnings[0], "eth0"));
	CHECK_INT(count_events(m, "LLDP", "eth0"), 2);
	const struct source *s = machine_source(m, "pcap");
	CHECK(s && s->status == SOURCE_OK && strstr(s->detail, "2 LLDP"));
	machine_free(m);
}

static void test_lacp(void)
{
	struct machine *m = lab_host();
	char err[256] = "";
	CHECK_INT(frames_read_file(m, CAP "lacp-8023ad-igbvf.pcap", "eth2", "pcap", "pcap", err, sizeof(err)), 0);
	CHECK_INT(count_events(m, "LACP", "eth2"), 205);
	CHECK_INT(count_events(m, "LACPv1 actor 65535,02:00:00:00:00:a0 key 9 port 255,1", "eth2") > 0, 1);
	CHECK(strstr(m->events[0].text, "from 02:00:00:00:00:a0") != NULL);
	CHECK_STR(m->events[0].probe, "pcap");
	CHECK(m->events[0].ts_real_ns == 1795595090429997000ull);
	CHECK_INT(m->events[0].vf, -1);
	CHECK(!VS_KNOWN(m->pfs[0].lldp_chassis));
	machine_free(m);
}

static void test_failover(void)
{
	struct machine *m = lab_host();
	char err[256] = "";
	CHECK_INT(frames_read_file(m, CAP "failover-garp-na.pcap", "eth0", "pcap", "pcap", err, sizeof(err)), 0);
	CHECK_INT(count_events(m, "GARP for 192.0.2.10 from 02:00:00:00:00:a0", "eth0"), 4);
	CHECK_INT(count_events(m, "NA for 2001:db8::10 from 02:00:00:00:00:a0 (unsolicited", "eth0"), 4);
	CHECK_INT(count_events(m, "NA for fe80::ff:fe00:a0", "eth0"), 4);
	CHECK_INT(m->nevents, 12);
	machine_free(m);
}

static void test_classic_pcap_without_if(void)
{
	struct machine *m = lab_host();
	char err[256] = "";
	CHECK_INT(frames_read_file(m, CAP "garp-arping.pcap", NULL, "pcap", "pcap", err, sizeof(err)), 0);
	const struct source *s = machine_source(m, "pcap");
	CHECK(s && s->status == SOURCE_PARTIAL && strstr(s->detail, "IF="));
	CHECK(m->nwarnings == 1 && strstr(m->warnings[0], "IF="));
	CHECK_INT(count_events(m, "GARP for 192.0.2.1 from 02:00:00:00:d2:0a", ""), 3);
	machine_free(m);
	/* errors: missing file, not a capture */
	m = lab_host();
	CHECK(frames_read_file(m, CAP "does-not-exist.pcap", "eth0", "pcap", "pcap", err, sizeof(err)) < 0);
	CHECK(frames_read_file(m, "tests/unit/t.h", "eth0", "pcap", "pcap", err, sizeof(err)) < 0);
	s = machine_source(m, "pcap");
	CHECK(s && s->status == SOURCE_FAILED);
	CHECK_INT(m->nevents, 0);
	machine_free(m);
}

T_MAIN(T(test_lldp_pf), T(test_lldp_shutdown), T(test_lacp), T(test_failover), T(test_classic_pcap_without_if))
