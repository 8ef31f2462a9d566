/* The sos report reader (collectors/sos.c) on the committed real reports
 * (tests/fixtures/sos/, see SOURCES), its small text parsers (ethtool -i,
 * devlink port show) and layout detection. */
#include "tests/unit/t.h"
#include "collectors/ethtool_text.h"
#include "collectors/sos.h"
#include <stdlib.h>

static const struct source *src_of(const struct machine *m, const char *name)
{
	return machine_source(m, name);
}

static void test_detect(void)
{
	CHECK(sos_is_report("tests/fixtures/sos/dev-vm"));
	CHECK(sos_is_report("tests/fixtures/sos/lab-vm"));
	CHECK(!sos_is_report("tests/fixtures/sos"));          /* several reports and a SOURCES file */
	CHECK(!sos_is_report("tests/fixtures/lab/healthy/host")); /* a sysroot, not a report */
	CHECK(!sos_is_report("tests/fixtures/sos/SOURCES"));  /* not an archive */
	CHECK(!sos_is_report("tests/fixtures/sos/does-not-exist"));
	CHECK(sos_is_report("tests/fuzz/corpus/sos/dev-vm.tar.gz"));
}

static void test_dev_vm(void)
{
	char err[256];
	struct machine *m = sos_load("tests/fixtures/sos/dev-vm", err, sizeof(err));
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_STR(m->hostname.v, "vm");
	CHECK_STR(m->kernel.v, "6.18.44-fc-v857");
	CHECK_INT(m->kernel.src, SRC_SOS);
	CHECK_INT(m->time_ns, 0);    /* not measured: unknown */
	CHECK_INT(m->collect_ns, 0);
	CHECK_STR(m->root, "tests/fixtures/sos/dev-vm");
	CHECK_INT(m->nnetdevs, 4);
	const struct source *s = src_of(m, "sos");
	CHECK(s && s->status == SOURCE_OK);
	if (s)
		CHECK(strstr(s->detail, "ip_-s_-d_link: 4 links 0 VFs; ethtool -i: 3") != NULL);
	s = src_of(m, "netlink");
	CHECK(s && s->status == SOURCE_SKIPPED);
	s = src_of(m, "kmsg"); /* the fixture keeps no dmesg */
	CHECK(s && s->status == SOURCE_SKIPPED);
	int e = machine_find_netdev(m, "eth0");
	CHECK(e >= 0);
	if (e >= 0) {
		const struct netdev *n = &m->netdevs[e];
		CHECK_INT(n->name.src, SRC_SYSFS); /* listed by the sysfs copy */
		CHECK_STR(n->driver.v, "virtio_net");
		CHECK_INT(n->driver.src, SRC_SOS);
		CHECK_STR(n->pci.v, "0000:00:03.0"); /* ethtool -i bus-info */
		CHECK_STR(n->mac.v, "02:fc:00:00:00:01");
		CHECK_INT(n->mtu.v, 1400);
		CHECK_INT(n->mtu.src, SRC_SOS);
		CHECK(!VI_KNOWN(n->is_virtfn)); /* the copy has no physfn links either way */
	}
	int l = machine_find_netdev(m, "lo");
	CHECK(l >= 0 && !VS_KNOWN(m->netdevs[l].driver)); /* "Cannot get driver information" */
	CHECK_INT(m->npfs, 0);
	machine_free(m);
	/* the archive form of the same report */
	m = sos_load("tests/fuzz/corpus/sos/dev-vm.tar.gz", err, sizeof(err));
	CHECK(m != NULL);
	if (m) {
		CHECK_INT(m->nnetdevs, 4);
		CHECK_STR(m->root, "tests/fuzz/corpus/sos/dev-vm.tar.gz");
		machine_free(m);
	}
	m = sos_load("tests/fixtures/lab/healthy/host", err, sizeof(err));
	CHECK(m == NULL);
	CHECK(strstr(err, "not a sos report") != NULL);
}

/* The lab VM's report (igb PFs, igbvf VFs, bond1 in the host namespace,
 * bond0 in netns guest): VF addresses come from the lspci text's SR-IOV
 * capability, VF drivers from their netdevs' ethtool -i. */
static void test_lab_vm(void)
{
	char err[256];
	struct machine *m = sos_load("tests/fixtures/sos/lab-vm", err, sizeof(err));
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_STR(m->hostname.v, "vm-lab");
	CHECK_INT(m->npfs, 2);
	static const char *const vf_pci[2][2] = { { "0000:01:10.0", "0000:01:10.2" }, { "0000:02:10.0", "0000:02:10.2" } };
	static const char *const pf_pci[2] = { "0000:01:00.0", "0000:02:00.0" };
	for (int i = 0; i < 2; i++) {
		int p = machine_find_pf(m, pf_pci[i]);
		CHECK(p >= 0);
		if (p < 0)
			continue;
		const struct pf *pf = &m->pfs[p];
		CHECK_STR(pf->netdev.v, i ? "eth1" : "eth0");
		CHECK_STR(pf->driver.v, "igb");
		CHECK(pf->cap.present);
		CHECK_INT(pf->cap.src, SRC_SOS);
		CHECK_INT(pf->cap.num_vfs, 2);
		CHECK_INT(pf->nvfs, 2);
		for (size_t v = 0; v < pf->nvfs && v < 2; v++) {
			CHECK_STR(pf->vfs[v].pci.v, vf_pci[i][v]);
			CHECK_INT(pf->vfs[v].pci.src, SRC_DERIVED);
		}
		if (pf->nvfs == 2) {
			CHECK_STR(pf->vfs[1].netdev.v, i ? "eth5" : "eth3");
			CHECK_STR(pf->vfs[1].driver.v, "igbvf");
			CHECK(!VS_KNOWN(pf->vfs[0].netdev)); /* in netns guest */
			CHECK_STR(pf->vfs[0].driver.v, "igbvf"); /* lspci's "Kernel driver in use" */
			CHECK_INT(pf->vfs[0].driver.src, SRC_SOS);
		}
	}
	CHECK_INT(m->nteams, 1);
	if (m->nteams == 1) {
		const struct team *t = &m->teams[0];
		CHECK_STR(t->name.v, "bond1");
		CHECK_STR(t->active.v, "eth5");
		CHECK_INT(t->nmembers, 2);
		if (t->nmembers == 2) {
			CHECK_STR(t->members[1].perm_mac.v, "02:00:00:00:00:b1");
			CHECK_STR(t->members[1].pci.v, "0000:02:10.2");
		}
	}
	const struct source *s = src_of(m, "kmsg");
	CHECK(s && s->status == SOURCE_OK && !strncmp(s->detail, "sos_commands/kernel/dmesg", 25));
	CHECK(m->nkmsg > 0);
	s = src_of(m, "procfs");
	CHECK(s && s->status == SOURCE_OK);
	s = src_of(m, "sos");
	CHECK(s && strstr(s->detail, "VF addresses derived: 4; namespaces: 1, 4 links") != NULL);
	bool ns = false;
	for (size_t i = 0; i < m->nwarnings; i++)
		ns |= strstr(m->warnings[i], "namespace guest: 4 links (lo bond0 eth2 eth4)") != NULL;
	CHECK(ns);
	machine_free(m);
}

/* sos 4.10.2 (bookworm-backports) on the dev VM with one network
 * namespace: the namespaces/NS/ layout, devlink_port_show with no devlink. */
static void test_sos410(void)
{
	char err[256];
	CHECK(sos_is_report("tests/fixtures/sos/dev-vm-sos410"));
	struct machine *m = sos_load("tests/fixtures/sos/dev-vm-sos410", err, sizeof(err));
	CHECK(m != NULL);
	if (!m)
		return;
	CHECK_INT(m->nnetdevs, 4);
	const struct source *s = src_of(m, "sos");
	CHECK(s && s->status == SOURCE_OK);
	if (s) {
		CHECK(!strncmp(s->detail, "sos 4.10.2;", 11));
		CHECK(strstr(s->detail, "devlink ports: 0; VF addresses derived: 0; namespaces: 1, 1 links") != NULL);
	}
	bool ns = false;
	for (size_t i = 0; i < m->nwarnings; i++)
		ns |= strstr(m->warnings[i], "network namespace vfst-sos410-ns: 1 links (lo), 0 teams") != NULL;
	CHECK(ns);
	machine_free(m);
}

static void test_ethtool(void)
{
	const char t[] = "driver: igbvf\nversion: 6.12.95+deb12-amd64\nfirmware-version: \nexpansion-rom-version: \n"
			 "bus-info: 0000:01:10.0\nsupports-statistics: yes\n";
	struct ethtool_info ei;
	CHECK_INT(ethtool_info_parse(t, sizeof(t) - 1, &ei), 5);
	CHECK_STR(ei.driver, "igbvf");
	CHECK_STR(ei.bus_info, "0000:01:10.0");
	CHECK_STR(ei.firmware, "");
	const char no[] = "Cannot get driver information: Operation not supported\n";
	CHECK_INT(ethtool_info_parse(no, sizeof(no) - 1, &ei), 0);
	CHECK_STR(ei.driver, "");
	const char evil[] = "driver: a\033[2Jb\0c\nbus-info:\n";
	ethtool_info_parse(evil, sizeof(evil) - 1, &ei);
	CHECK(!strchr(ei.driver, '\033'));
	CHECK_STR(ei.bus_info, "");
}

/* devlink port show as ice prints it in switchdev mode with 4 VFs (an
 * example posted to the netdev list, 2023) and an mlx5 adjacent VF whose
 * vfnum came out as 49152 (netdev list, 2025): out of bounds, not a VF. */
static void test_devlink(void)
{
	const char t[] =
		"pci/0000:08:00.0/0: type eth netdev enp8s0f0np0 flavour physical port 0 splittable true lanes 8\n"
		"pci/0000:08:00.0/2: type eth netdev enp8s0f0npf0vf0 flavour pcivf controller 0 pfnum 0 vfnum 0 external false splittable false\n"
		"  function:\n"
		"    hw_addr 1a:33:f2:e7:64:d8\n"
		"pci/0000:08:00.0/3: type eth netdev enp8s0f0npf0vf3 flavour pcivf controller 0 pfnum 0 vfnum 3 external false splittable false\n"
		"  function:\n"
		"    hw_addr 4e:ef:ca:9e:e7:5d\n"
		"pci/0000:00:03.0/180225: type eth netdev eth0 flavour pcivf controller 0 pfnum 0 vfnum 49152 external false splittable false\n"
		"  function:\n"
		"    hw_addr 00:00:00:00:00:00\n";
	struct machine *m = machine_new("host");
	machine_add_netdev(m, "enp8s0f0np0");
	CHECK_INT(sos_devlink_ports_parse(m, t, sizeof(t) - 1, SRC_SOS), 4);
	CHECK_STR(m->netdevs[0].pci.v, "0000:08:00.0");
	CHECK_INT(m->netdevs[0].pci.src, SRC_SOS);
	int p = machine_find_pf(m, "0000:08:00.0");
	CHECK(p >= 0);
	if (p >= 0 && m->pfs[p].nvfs == 2) {
		CHECK_INT(m->pfs[p].vfs[0].index, 0);
		CHECK_STR(m->pfs[p].vfs[0].mac.v, "1a:33:f2:e7:64:d8");
		CHECK_INT(m->pfs[p].vfs[1].index, 3);
		CHECK_STR(m->pfs[p].vfs[1].mac.v, "4e:ef:ca:9e:e7:5d");
	} else {
		CHECK(!"two VFs on 0000:08:00.0");
	}
	CHECK(machine_find_pf(m, "0000:00:03.0") < 0);
	/* hw_addr before any port, garbage */
	const char g[] = "    hw_addr 02:00:00:00:00:01\npci/zz: x\npci/0000:08:00.0/9: flavour pcivf vfnum -1\n";
	sos_devlink_ports_parse(m, g, sizeof(g) - 1, SRC_SOS);
	CHECK_INT(m->pfs[p].nvfs, 2);
	machine_free(m);
}

/* lspci -nnvv: the driver of each function; a domain only when printed. */
static void test_lspci_drivers(void)
{
	const char t[] = "01:00.0 Ethernet controller [0200]: Intel Corporation 82576 Gigabit Network Connection [8086:10c9] (rev 01)\n"
			 "\tSubsystem: Intel Corporation Device [8086:0000]\n"
			 "\tKernel driver in use: igb\n"
			 "\tKernel modules: igb\n\n"
			 "01:10.0 Ethernet controller [0200]: Intel Corporation 82576 Virtual Function [8086:10ca] (rev 01)\n"
			 "\tKernel driver in use: vfio-pci\n\n"
			 "0001:01:10.2 Ethernet controller [0200]: Intel Corporation 82576 Virtual Function [8086:10ca] (rev 01)\n"
			 "\tKernel driver in use: igbvf\n"
			 "Kernel driver in use: stray\n";
	struct machine *m = machine_new("host");
	struct pf *pf = machine_add_pf(m, "0000:01:00.0");
	vs_set(&pf_add_vf(pf, 0)->pci, "0000:01:10.0", SRC_DERIVED);
	vs_set(&pf_add_vf(pf, 1)->pci, "0000:01:10.2", SRC_DERIVED);
	CHECK_INT(sos_lspci_drivers_parse(m, t, sizeof(t) - 1, SRC_SOS), 2);
	CHECK_STR(m->pfs[0].driver.v, "igb");
	CHECK_STR(m->pfs[0].vfs[0].driver.v, "vfio-pci");
	CHECK(!VS_KNOWN(m->pfs[0].vfs[1].driver)); /* 0001:01:10.2 is another function */
	machine_free(m);
}

T_MAIN(T(test_lspci_drivers), T(test_detect), T(test_dev_vm), T(test_lab_vm), T(test_sos410), T(test_ethtool), T(test_devlink))
