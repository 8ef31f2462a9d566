/* Rules against fixture pairs: tests/fixtures/rules/TESTLIST names, per
 * rule, a directory whose bad.json must trigger the rule (with the listed
 * severity) and whose good.json must not. Also: correlation, JSON output,
 * VFSCOPE_DISABLE_RULES, kmsg classification, healthy fixtures clean. */
#include "tests/unit/t.h"
#include "tests/unit/fixture.h"
#include "model/json.h"
#include "rules/rules.h"
#include "rules/kmsg_match.h"
#include "rules/rules_int.h"
#include "lib/util.h"
#include <stdlib.h>

#define FIX "tests/fixtures/rules/"

/* Severity of rule id in the findings of file path, 0 when absent, -1 on error. */
static int run_file(const char *path, const char *id, size_t *nfind)
{
	struct machine *m = t_load_machine(path);
	if (!m)
		return -1;
	correlate(m);
	struct findings fs = { 0 };
	rules_run(m, &fs);
	int sev = 0;
	for (size_t i = 0; i < fs.n; i++) {
		if (i && fs.v[i].severity > fs.v[i - 1].severity)
			sev = -2; /* not sorted */
		if (id && !strcmp(fs.v[i].id, id) && sev >= 0 && fs.v[i].severity > sev)
			sev = fs.v[i].severity;
	}
	if (nfind)
		*nfind = findings_count(&fs, SEV_WARNING);
	findings_free(&fs);
	machine_free(m);
	return sev;
}

static void test_fixture_pairs(void)
{
	FILE *tl = fopen(FIX "TESTLIST", "r");
	CHECK(tl != NULL);
	if (!tl)
		return;
	char line[256];
	int cases = 0;
	while (fgets(line, sizeof(line), tl)) {
		char dir[64], id[64], sev[16], path[256];
		if (line[0] == '#' || sscanf(line, "%63s %63s %15s", dir, id, sev) != 3)
			continue;
		cases++;
		snprintf(path, sizeof(path), FIX "%s/bad.json", dir);
		int got = run_file(path, id, NULL);
		if (got != severity_parse(sev))
			fprintf(stderr, "%s: %s in bad.json: severity %d, want %s\n", dir, id, got, sev);
		CHECK_INT(got, severity_parse(sev));
		snprintf(path, sizeof(path), FIX "%s/good.json", dir);
		got = run_file(path, id, NULL);
		if (got != 0)
			fprintf(stderr, "%s: %s in good.json: %d, want absent\n", dir, id, got);
		CHECK_INT(got, 0);
	}
	fclose(tl);
	CHECK(cases >= 18);
}

static void test_healthy_clean(void)
{
	size_t n = 99;
	CHECK_INT(run_file(FIX "healthy-local.json", NULL, &n), 0);
	CHECK_INT(n, 0);
	n = 99;
	CHECK_INT(run_file(FIX "healthy-guest.json", NULL, &n), 0);
	CHECK_INT(n, 0);
}

static void test_correlation(void)
{
	struct machine *m = t_load_machine(FIX "healthy-guest.json");
	CHECK(m != NULL);
	if (!m)
		return;
	correlate(m);
	correlate(m); /* idempotent */
	CHECK_INT(m->nguests, 1);
	struct team *t = &m->guests[0]->teams[0];
	CHECK_INT(t->members[0].host_pf_idx, 0);
	CHECK_INT(t->members[0].host_vf_idx, 0);
	CHECK_INT(t->members[1].host_pf_idx, 1);
	CHECK_INT(m->pfs[1].vfs[0].guest_idx, 0);
	CHECK_INT(m->pfs[1].vfs[0].guest_team_idx, 0);
	CHECK_INT(m->pfs[1].vfs[0].guest_member_idx, 1);
	machine_free(m);

	/* A trusted VF took the team's MAC: the host shows the team MAC on both
	 * VFs; the second member is found through the VM that holds its VF. */
	m = t_load_machine(FIX "healthy-guest.json");
	vs_set(&m->pfs[1].vfs[0].mac, "52:54:00:00:00:0a", SRC_NETLINK);
	correlate(m);
	t = &m->guests[0]->teams[0];
	CHECK_INT(t->members[0].host_pf_idx, 0);
	CHECK_INT(t->members[1].host_pf_idx, 1);
	CHECK_INT(t->members[1].host_vf_idx, 0);
	struct findings fs = { 0 };
	rules_run(m, &fs);
	CHECK_INT(findings_count(&fs, SEV_WARNING), 0);
	findings_free(&fs);
	machine_free(m);

	m = t_load_machine(FIX "healthy-local.json");
	correlate(m);
	t = &m->teams[0];
	CHECK_INT(t->members[0].host_pf_idx, 0);
	CHECK_INT(t->members[1].host_pf_idx, 1);
	CHECK_INT(t->members[1].host_vf_idx, 0);
	CHECK_INT(m->pfs[1].vfs[0].guest_member_idx, 1);
	machine_free(m);
}

static void test_disable_and_json(void)
{
	struct machine *m = t_load_machine(FIX "pf-link-hidden/bad.json");
	correlate(m);
	struct findings fs = { 0 };
	rules_run(m, &fs);
	CHECK(fs.n >= 1);
	json_t *j = findings_to_json(&fs);
	CHECK_INT(json_integer_value(json_object_get(j, "schema")), 1);
	json_t *f0 = json_array_get(json_object_get(j, "findings"), 0);
	CHECK_STR(json_string_value(json_object_get(f0, "id")), "VFS001-pf-link-hidden");
	CHECK_STR(json_string_value(json_object_get(f0, "severity")), "error");
	CHECK(json_array_size(json_object_get(f0, "evidence")) >= 3);
	CHECK(json_array_size(json_object_get(f0, "kmsg")) == 1);
	CHECK(strstr(json_string_value(json_object_get(f0, "fix")), "ip link set enp1s0f0 vf 0 state auto") != NULL);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "summary"), "error")), 1);
	json_decref(j);
	findings_free(&fs);

	setenv("VFSCOPE_DISABLE_RULES", "VFS099,VFS001", 1);
	rules_run(m, &fs);
	for (size_t i = 0; i < fs.n; i++)
		CHECK(strcmp(fs.v[i].id, "VFS001-pf-link-hidden") != 0);
	findings_free(&fs);
	setenv("VFSCOPE_DISABLE_RULES", "VFS002-vf-link-forced", 1);
	CHECK(rule_disabled("VFS002-vf-link-forced"));
	CHECK(!rule_disabled("VFS001-pf-link-hidden"));
	unsetenv("VFSCOPE_DISABLE_RULES");
	machine_free(m);
}

static void test_kmsg(void)
{
	struct kmsg_info k;
	CHECK(kmsg_classify("igb 0000:01:00.0: VF 3 attempted to override administratively set MAC address", &k) & KM_ADMIN_MAC);
	CHECK_STR(k.pci, "0000:01:00.0");
	CHECK_INT(k.vf, 3);
	CHECK(kmsg_classify("i40e 0000:3b:00.1: Unprivileged VF 2 is attempting to configure promiscuous mode", &k) & KM_PROMISC);
	CHECK_INT(k.vf, 2);
	CHECK(kmsg_classify("iavf 0000:00:05.0: PF returned error -5 (IAVF_ERR_PARAM) to our request 6", &k) & KM_PF_ERROR);
	CHECK_INT(k.vf, -1);
	CHECK(kmsg_classify("i40e 0000:3b:00.0: VF 1 failed opcode 6, retval: -5", NULL) & KM_MBX_FAIL);
	CHECK(kmsg_classify("bond0: (slave eth1): Error -99 calling set_mac_address", NULL) & KM_SET_MAC_ERR);
	CHECK(kmsg_classify("bond0: (slave eth1): link status definitely down, disabling slave", NULL) & KM_BOND_DOWN);
	CHECK(kmsg_classify("bond0: (slave eth0): making interface the new active one", NULL) & KM_BOND_ACTIVE);
	CHECK(kmsg_classify("iavf 0000:00:05.0: Reset indication received from the PF", NULL) & KM_RESET);
	CHECK(kmsg_classify("ixgbevf 0000:00:05.0: VF is not trusted, switch the VF to trusted", NULL) & KM_NOT_TRUSTED);
	CHECK(kmsg_classify("eth0: renamed from veth1", NULL) == 0);
	/* igb echoing `trust off` is not a denial */
	CHECK(!(kmsg_classify("igb 0000:01:00.0: VF 0 is not trusted", NULL) & KM_NOT_TRUSTED));
	CHECK(kmsg_mentions("bond0: (slave eth1): x", "eth1"));
	CHECK(!kmsg_mentions("bond0: (slave eth10): x", "eth1"));
}

static void ev_add(struct machine *m, int kind, uint64_t ts, const char *ifname, const char *probe, const char *text)
{
	struct vfs_event e = { .ts_real_ns = ts, .kind = kind, .cpu = -1, .vf = -1 };
	snprintf(e.ifname, sizeof(e.ifname), "%s", ifname);
	snprintf(e.probe, sizeof(e.probe), "%s", probe);
	snprintf(e.text, sizeof(e.text), "%s", text);
	machine_add_event(m, &e);
}

/* VFS001's "failover frames seen": the GARP follows the failover it
 * announces. A kernel-log line is stamped by the printk clock, seen 20 ms
 * behind the capture's in the lab VM: the failover logged just after the
 * frame is the one named ("within"), not one 29 s earlier; an rtnetlink
 * event after the frame (same clock) never is. */
static void test_failover_frames_clock(void)
{
	struct machine *m = t_load_machine(FIX "pf-link-hidden/bad.json");
	CHECK(m && m->nguests == 1 && m->guests[0]->nteams == 1);
	if (!m || m->nguests != 1 || m->guests[0]->nteams != 1) {
		machine_free(m);
		return;
	}
	struct machine *g = m->guests[0];
	const char *team = g->teams[0].name.v;
	char garp[128];
	snprintf(garp, sizeof(garp), "GARP for 192.0.2.10 from %s (request)", g->teams[0].mac.v);
	const uint64_t T = 1795757051440393000ull;
	ev_add(g, EV_FAILOVER, T - 29477000000ull, team, "kmsg", "bond0: (slave eth2): making interface the new active one");
	ev_add(g, EV_FRAME, T, team, "capture", garp);
	ev_add(g, EV_FAILOVER, T + 19930000ull, team, "kmsg", "bond0: (slave eth4): making interface the new active one");
	ev_add(g, EV_LINK, T + 100000000ull, team, "rtnetlink", "bond0 carrier 1");
	correlate(m);
	struct findings fs = { 0 };
	rules_run(m, &fs);
	const char *got = NULL;
	for (size_t i = 0; i < fs.n; i++)
		for (size_t j = 0; !strncmp(fs.v[i].id, "VFS001", 6) && j < fs.v[i].nev; j++)
			if (!strcmp(fs.v[i].ev[j].what, "failover frames seen"))
				got = fs.v[i].ev[j].value;
	CHECK(got != NULL);
	if (got && !strstr(got, "within 20 ms of failover on bond0 (kernel log clock): bond0: (slave eth4)"))
		fprintf(stderr, "failover frames seen: %s\n", got);
	CHECK(got && strstr(got, "within 20 ms of failover on bond0 (kernel log clock): bond0: (slave eth4)"));
	findings_free(&fs);
	machine_free(m);
}


/* A finding of rule id (prefix) in fs, or NULL. */
static const struct finding *find(const struct findings *fs, const char *id)
{
	for (size_t i = 0; i < fs->n; i++)
		if (!strncmp(fs->v[i].id, id, strlen(id)))
			return &fs->v[i];
	return NULL;
}

static const char *ev_of(const struct finding *f, const char *what)
{
	for (size_t i = 0; f && i < f->nev; i++)
		if (!strcmp(f->ev[i].what, what))
			return f->ev[i].value;
	return NULL;
}

/* Issue 13: unknown never equals unknown. sysfs gives "" for a blank
 * phys_port_id; whatever the collector stores, the rules take "" as unknown. */
static void test_empty_port_id(void)
{
	struct machine *m = t_load_machine(FIX "healthy-local.json");
	CHECK(m != NULL);
	if (!m)
		return;
	vs_set(&m->pfs[0].phys_port_id, "", SRC_SYSFS);
	vs_set(&m->pfs[1].phys_port_id, "", SRC_SYSFS);
	correlate(m);
	struct findings fs = { 0 };
	rules_run(m, &fs);
	CHECK(find(&fs, "VFS003") == NULL);
	CHECK_INT(findings_count(&fs, SEV_WARNING), 0);
	findings_free(&fs);
	vs_set(&m->pfs[0].phys_port_id, "aa00", SRC_SYSFS);
	vs_set(&m->pfs[1].phys_port_id, "aa00", SRC_SYSFS);
	rules_run(m, &fs);
	CHECK(find(&fs, "VFS003") != NULL);
	findings_free(&fs);
	machine_free(m);
}

static struct machine *run_on(const char *path, struct findings *fs)
{
	struct machine *m = t_load_machine(path);
	if (!m)
		return NULL;
	correlate(m);
	rules_run(m, fs);
	return m;
}

/* i40e "VF is not trusted" names no VF; the reply logged with it does
 * ("VF 8 failed opcode 10"): the fix takes VF 8 and the PF's netdev, and
 * says what is missing when the PCI address is not a PF here or the PF's
 * netdev is not known. */
static void test_i40e_vf8(void)
{
	struct findings fs = { 0 };
	struct machine *m = run_on(FIX "untrusted-i40e-vf8/bad.json", &fs);
	const struct finding *f = find(&fs, "VFS016");
	CHECK(f != NULL);
	if (f) {
		CHECK_STR(f->subject, "lab enp1s0f0 VF 8");
		CHECK(f->fix && strstr(f->fix, "ip link set enp1s0f0 vf 8 trust on"));
		CHECK(f->fix && !strstr(f->fix, "vf 0"));
		CHECK(ev_of(f, "VF number") && strstr(ev_of(f, "VF number"), "VF 8 failed opcode 10"));
	}
	findings_free(&fs);
	/* the PF's netdev not known: no PCI address where ip takes a netdev */
	vs_set(&m->pfs[0].netdev, NULL, SRC_NONE);
	rules_run(m, &fs);
	f = find(&fs, "VFS016");
	CHECK(f && f->fix && !strstr(f->fix, "ip link set 0000") && strstr(f->fix, "netdev name is not known"));
	CHECK(f && f->fix && strstr(f->fix, "VF 8 of PF 0000:01:00.0"));
	findings_free(&fs);
	machine_free(m);

	m = run_on(FIX "untrusted-i40e-not-here/bad.json", &fs);
	f = find(&fs, "VFS016");
	CHECK(f != NULL);
	if (f) {
		CHECK_STR(f->subject, "lab 0000:3b:00.1 VF 8");
		CHECK(f->fix && !strncmp(f->fix, "no command", 10) && !strstr(f->fix, "ip link set"));
		const char *d = ev_of(f, "device named by the line");
		CHECK(d && strstr(d, "not a PF or VF on this machine"));
	}
	findings_free(&fs);
	machine_free(m);
}

/* A team with one member and a spare VF, no kernel log: VFS019 (warning)
 * and VFS005 at info worded as seen; no error. */
static void test_single_member(void)
{
	struct findings fs = { 0 };
	struct machine *m = run_on(FIX "single-member/bad.json", &fs);
	const struct finding *f19 = find(&fs, "VFS019"), *f5 = find(&fs, "VFS005");
	CHECK(f19 && f19->severity == SEV_WARNING);
	CHECK(f19 && ev_of(f19, "members") && !strcmp(ev_of(f19, "members"), "enp1s0f0v0"));
	CHECK(f5 && f5->severity == SEV_INFO);
	f5 = NULL;
	for (size_t i = 0; i < fs.n; i++)
		if (!strcmp(fs.v[i].subject, "lab bond0: enp1s0f1v0 not enslaved"))
			f5 = &fs.v[i];
	CHECK(f5 && !strcmp(f5->id, "VFS005-team-member-missing"));
	CHECK(f5 && ev_of(f5, "seen") &&
	      strstr(ev_of(f5, "seen"), "VF 0 of PF enp1s0f1 is bound to igbvf on this host and in no team"));
	CHECK_INT(findings_count(&fs, SEV_ERROR), 0);
	findings_free(&fs);
	machine_free(m);
}

/* No fix in any fixture has a guess in it: "?", "<pf>", a PCI address
 * where `ip link set DEV` takes a netdev, a VF number -1. */
static void fix_audit(const char *path, int *bad)
{
	struct findings fs = { 0 };
	struct machine *m = run_on(path, &fs);
	static const char *const no[] = { "ip link set ?", " ? ", "<pf>", "ip link set 0000:", "vf -1", "vf ?",
					  "<gateway>", "=<", "<the " };
	for (size_t i = 0; i < fs.n; i++)
		for (size_t k = 0; fs.v[i].fix && k < ARRAY_SIZE(no); k++)
			if (strstr(fs.v[i].fix, no[k])) {
				fprintf(stderr, "%s: %s fix has '%s': %s\n", path, fs.v[i].id, no[k], fs.v[i].fix);
				(*bad)++;
			}
	findings_free(&fs);
	machine_free(m);
}

/* arp_ip_target in VFS010's fix: the bond's default gateway when it was
 * read, else ADDR with what it must be and why it is not filled in. */
static void test_arp_target_gateway(void)
{
	const char *path = FIX "no-failure-detection/bad.json";
	struct findings fs = { 0 };
	struct machine *m = run_on(path, &fs);
	CHECK(m != NULL);
	if (!m)
		return;
	const struct finding *f = find(&fs, "VFS010");
	CHECK(f && f->fix && strstr(f->fix, "arp_ip_target ADDR (ADDR: an address bond0 reaches"));
	findings_free(&fs);
	int i = machine_find_netdev(m, "bond0");
	CHECK(i >= 0);
	if (i >= 0) {
		vi_set(&m->netdevs[i].default_route, 1, SRC_NETLINK);
		vs_set(&m->netdevs[i].default_gw, "192.0.2.1", SRC_NETLINK);
	}
	struct findings fs2 = { 0 };
	rules_run(m, &fs2);
	f = find(&fs2, "VFS010");
	CHECK(f && f->fix && strstr(f->fix, "arp_ip_target 192.0.2.1") && !strstr(f->fix, "ADDR"));
	findings_free(&fs2);
	machine_free(m);
}

static void test_fix_audit_and_list(void)
{
	FILE *tl = fopen(FIX "TESTLIST", "r");
	CHECK(tl != NULL);
	if (!tl)
		return;
	char line[256], listed[4096] = "";
	int bad = 0;
	while (fgets(line, sizeof(line), tl)) {
		char dir[64], id[64], path[256];
		if (line[0] == '#' || sscanf(line, "%63s %63s", dir, id) != 2)
			continue;
		strncat(listed, id, sizeof(listed) - strlen(listed) - 2);
		strcat(listed, " ");
		snprintf(path, sizeof(path), FIX "%s/bad.json", dir);
		fix_audit(path, &bad);
		snprintf(path, sizeof(path), FIX "%s/good.json", dir);
		fix_audit(path, &bad);
	}
	fclose(tl);
	CHECK_INT(bad, 0);
	/* rules_list: every rule once, in ID order, each with a fixture case */
	size_t n;
	const struct rule_info *r = rules_list(&n);
	CHECK(n >= 19); /* each one must have a case below; new families add rules */
	for (size_t i = 0; i < n; i++) {
		CHECK(i == 0 || strcmp(r[i - 1].id, r[i].id) < 0);
		CHECK(r[i].title && r[i].severity >= SEV_INFO && r[i].severity <= SEV_ERROR);
		if (!strstr(listed, r[i].id))
			fprintf(stderr, "%s has no case in TESTLIST\n", r[i].id);
		CHECK(strstr(listed, r[i].id) != NULL);
	}
}

/* VFS001 on a PF that is administratively down: its carrier is unknown
 * (sysfs refuses to answer), but no IFF_UP is a read state that says the
 * link passes nothing. Admin up with carrier unknown and operstate up: no
 * finding. */
static void test_pf_admin_down(void)
{
	struct machine *m = t_load_machine(FIX "pf-link-hidden/good.json");
	CHECK(m != NULL);
	if (!m)
		return;
	struct netdev *pf = &m->netdevs[0];
	pf->carrier.src = SRC_NONE;
	vi_set(&pf->admin_up, 1, SRC_NETLINK);
	vs_set(&pf->operstate, "up", SRC_NETLINK);
	correlate(m);
	struct findings fs = { 0 };
	rules_run(m, &fs);
	CHECK(find(&fs, "VFS001") == NULL);
	findings_free(&fs);
	vi_set(&pf->admin_up, 0, SRC_NETLINK);
	rules_run(m, &fs);
	const struct finding *f = find(&fs, "VFS001");
	CHECK(f && f->severity == SEV_ERROR);
	CHECK(f && ev_of(f, "PF enp1s0f0 (0000:01:00.0) admin_up") && !strcmp(ev_of(f, "PF enp1s0f0 (0000:01:00.0) admin_up"), "0"));
	findings_free(&fs);
	machine_free(m);
}

/* A VF-only driver name is a fact; names no kernel driver registers, and
 * drivers that bind PFs and VFs alike, say nothing. */
static void test_driver_is_vf(void)
{
	static const char *const vf[] = { "igbvf", "ixgbevf", "iavf", "i40evf", "cxgb4vf", "nicvf", "rvu_nicvf" };
	static const char *const not_vf[] = { "bnxt_en_vf", "mlx5_vf", "ice_vf", "fm10kvf", "qede_vf", "enic_vf",
					      "hinic_vf", "octeontx2_vf", "ena", "mlx5_core", "bnxt_en", "ice", "igb",
					      "ixgbe", "i40e", "vfio-pci", "mlx5_vfio_pci", "" };
	for (size_t i = 0; i < ARRAY_SIZE(vf); i++)
		CHECK(driver_is_vf(vf[i]));
	for (size_t i = 0; i < ARRAY_SIZE(not_vf); i++) {
		if (driver_is_vf(not_vf[i]))
			fprintf(stderr, "%s taken for a VF-only driver\n", not_vf[i]);
		CHECK(!driver_is_vf(not_vf[i]));
	}
	CHECK(!driver_is_vf(NULL));
}

/* VFS003's fix names a PF to take the VF from: one with VFs; else an
 * SR-IOV PF with none enabled, with how to enable one from its known
 * address; else (its twin with TotalVFs 0) none. */
static const char *shared_fix(long long total, bool with_vfs, char *buf, size_t len)
{
	json_error_t je;
	json_t *j = json_load_file(FIX "shared-pf/bad.json", 0, &je);
	CHECK(j != NULL);
	if (!j)
		return NULL;
	json_t *p1 = json_array_get(json_object_get(j, "pfs"), 1);
	if (!with_vfs) {
		json_object_set_new(p1, "vfs", json_array());
		json_object_set_new(p1, "sriov_numvfs", json_integer(0));
	}
	json_object_set_new(p1, "sriov_totalvfs", json_integer(total));
	char err[256];
	struct machine *m = machine_from_json(j, 0, err, sizeof(err));
	json_decref(j);
	CHECK(m != NULL);
	if (!m)
		return NULL;
	correlate(m);
	struct findings fs = { 0 };
	rules_run(m, &fs);
	const struct finding *f = find(&fs, "VFS003");
	CHECK(f && f->fix);
	snprintf(buf, len, "%s", f && f->fix ? f->fix : "");
	findings_free(&fs);
	machine_free(m);
	return buf;
}

static void test_shared_fix_idle_pf(void)
{
	char b[1024];
	const char *s = shared_fix(7, true, b, sizeof(b));
	CHECK(s && strstr(s, "e.g. one of PF enp1s0f1 (0000:01:00.1)"));
	s = shared_fix(7, false, b, sizeof(b));
	CHECK(s && strstr(s, "PF enp1s0f1 (0000:01:00.1) has SR-IOV with 0 of 7 VFs enabled: enable one with "
			     "echo 1 > /sys/bus/pci/devices/0000:01:00.1/sriov_numvfs"));
	CHECK(s && !strstr(s, "no other SR-IOV port"));
	s = shared_fix(0, false, b, sizeof(b));
	CHECK(s && strstr(s, "no other SR-IOV port") && !strstr(s, "enp1s0f1"));
}

T_MAIN(T(test_fixture_pairs), T(test_healthy_clean), T(test_correlation), T(test_disable_and_json), T(test_kmsg), T(test_failover_frames_clock),
       T(test_empty_port_id), T(test_i40e_vf8), T(test_single_member), T(test_fix_audit_and_list), T(test_arp_target_gateway), T(test_pf_admin_down), T(test_driver_is_vf), T(test_shared_fix_idle_pf))
