/* Network namespaces and their Kubernetes owners (issue 14, docs/netns.md):
 * the pure parsers of collectors/k8s_owner.c on the formats kubelet, the
 * device plugin and sriov-cni write (cgroup paths of both cgroup drivers,
 * /var/log/pods names, the device-manager checkpoint in its list and NUMA
 * map forms, devinfo files, sriov-cni's cache), a netdev's parent device
 * from an RTM_NEWLINK message, the netns fields through JSON both ways, and
 * correlation by PCI address (never by MAC) into a namespace's bond. */
#include "tests/unit/t.h"
#include "collectors/k8s_owner.h"
#include "collectors/netlink.h"
#include "collectors/netns.h"
#include "model/json.h"
#include "rules/rules.h"
#include <errno.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/if_arp.h>
#include <libmnl/libmnl.h>

#define UID "1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901"
#define CID "abababababababababababababababababababababababababababababababab"

static void test_cgroup_systemd(void)
{
	const char *t = "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1b2c3d4e_5f60_7182_93a4_b5c6d7e8f901.slice/cri-containerd-" CID ".scope\n";
	char uid[K8S_UID_LEN + 1], cid[K8S_CID_LEN + 1];
	CHECK_INT(k8s_cgroup_parse(t, strlen(t), uid, cid), 0);
	CHECK_STR(uid, UID);
	CHECK_STR(cid, CID);
}

static void test_cgroup_cgroupfs_v1(void)
{
	/* cgroup v1, cgroupfs driver, guaranteed QoS: no QoS level in the path */
	const char *t = "12:pids:/kubepods/pod1B2C3D4E-5F60-7182-93A4-B5C6D7E8F901/" CID "\n"
			"11:memory:/kubepods/pod1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901/" CID "\n";
	char uid[K8S_UID_LEN + 1], cid[K8S_CID_LEN + 1];
	CHECK_INT(k8s_cgroup_parse(t, strlen(t), uid, cid), 0);
	CHECK_STR(uid, UID); /* lower case */
	CHECK_STR(cid, CID);
}

static void test_cgroup_not_a_pod(void)
{
	char uid[K8S_UID_LEN + 1], cid[K8S_CID_LEN + 1];
	const char *a = "0::/user.slice/user-0.slice/session-3.scope\n";
	CHECK_INT(k8s_cgroup_parse(a, strlen(a), uid, cid), -ENOENT);
	/* "pod" and a UID, but not under kubepods */
	const char *b = "0::/system.slice/pod1b2c3d4e_5f60_7182_93a4_b5c6d7e8f901.scope\n";
	CHECK_INT(k8s_cgroup_parse(b, strlen(b), uid, cid), -ENOENT);
	/* a UID one digit short, or one digit long */
	const char *c = "0::/kubepods/pod1b2c3d4e-5f60-7182-93a4-b5c6d7e8f90/x\n";
	CHECK_INT(k8s_cgroup_parse(c, strlen(c), uid, cid), -ENOENT);
	const char *d = "0::/kubepods/pod1b2c3d4e-5f60-7182-93a4-b5c6d7e8f9011/x\n";
	CHECK_INT(k8s_cgroup_parse(d, strlen(d), uid, cid), -ENOENT);
	CHECK_INT(k8s_cgroup_parse("", 0, uid, cid), -ENOENT);
	/* a pod's cgroup without a container id: the UID alone */
	const char *e = "0::/kubepods/besteffort/pod" UID "\n";
	CHECK_INT(k8s_cgroup_parse(e, strlen(e), uid, cid), 0);
	CHECK_STR(uid, UID);
	CHECK_STR(cid, "");
}

static void test_pod_log_dir(void)
{
	char ns[64], pod[64], uid[K8S_UID_LEN + 1];
	CHECK_INT(k8s_pod_log_dir_parse("telco_cnf-a-7d9f_" UID, ns, sizeof(ns), pod, sizeof(pod), uid), 0);
	CHECK_STR(ns, "telco");
	CHECK_STR(pod, "cnf-a-7d9f");
	CHECK_STR(uid, UID);
	CHECK_INT(k8s_pod_log_dir_parse("kube-system_etcd.node1_" UID, ns, sizeof(ns), pod, sizeof(pod), uid), 0);
	CHECK_STR(pod, "etcd.node1");
	/* refused: no namespace part, a bad UID, upper case, an escape */
	CHECK_INT(k8s_pod_log_dir_parse("cnf_" UID, ns, sizeof(ns), pod, sizeof(pod), uid), -EINVAL);
	CHECK_INT(k8s_pod_log_dir_parse("a_b_1234", ns, sizeof(ns), pod, sizeof(pod), uid), -EINVAL);
	CHECK_INT(k8s_pod_log_dir_parse("Telco_cnf_" UID, ns, sizeof(ns), pod, sizeof(pod), uid), -EINVAL);
	CHECK_INT(k8s_pod_log_dir_parse("te\033[31m_cnf_" UID, ns, sizeof(ns), pod, sizeof(pod), uid), -EINVAL);
	/* too long for the caller's buffer */
	CHECK_INT(k8s_pod_log_dir_parse("telco_cnf-a-7d9f_" UID, ns, 4, pod, sizeof(pod), uid), -EINVAL);
}

struct got { int n; char uid[8][64], res[8][64], pci[8][64]; };
static void on_alloc(void *ctx, const char *uid, const char *res, const char *pci)
{
	struct got *g = ctx;
	if (g->n >= 8)
		return;
	snprintf(g->uid[g->n], 64, "%s", uid);
	snprintf(g->res[g->n], 64, "%s", res);
	snprintf(g->pci[g->n], 64, "%s", pci);
	g->n++;
}

static void test_checkpoint(void)
{
	/* kubelet 1.20+: DeviceIDs is NUMA node -> IDs */
	const char *a = "{\"Data\":{\"PodDeviceEntries\":[{\"PodUID\":\"" UID "\",\"ContainerName\":\"cnf\","
			"\"ResourceName\":\"intel.com/sriov_a\",\"DeviceIDs\":{\"0\":[\"0000:01:10.3\"],\"1\":[\"0000:02:10.1\"]},"
			"\"AllocResp\":\"AA==\"}],\"RegisteredDevices\":{\"intel.com/sriov_a\":[\"0000:01:10.3\"]}},\"Checksum\":1}";
	struct got g = { 0 };
	CHECK_INT(k8s_checkpoint_parse(a, strlen(a), on_alloc, &g), 2);
	CHECK_STR(g.uid[0], UID);
	CHECK_STR(g.res[0], "intel.com/sriov_a");
	CHECK_STR(g.pci[0], "0000:01:10.3");
	CHECK_STR(g.pci[1], "0000:02:10.1");
	/* before 1.20: a plain list */
	const char *b = "{\"Data\":{\"PodDeviceEntries\":[{\"PodUID\":\"p\",\"ResourceName\":\"r/x\",\"DeviceIDs\":[\"0000:03:00.2\"]}]}}";
	memset(&g, 0, sizeof(g));
	CHECK_INT(k8s_checkpoint_parse(b, strlen(b), on_alloc, &g), 1);
	CHECK_STR(g.pci[0], "0000:03:00.2");
	/* not a checkpoint: refused, nothing called */
	memset(&g, 0, sizeof(g));
	CHECK_INT(k8s_checkpoint_parse("{\"Data\":{}}", 11, on_alloc, &g), -EBADMSG);
	CHECK_INT(k8s_checkpoint_parse("[1,", 3, on_alloc, &g), -EBADMSG);
	CHECK_INT(g.n, 0);
}

static void test_devinfo(void)
{
	char res[128], pci[64];
	const char *j = "{\"type\":\"pci\",\"version\":\"1.1.0\",\"pci\":{\"pci-address\":\"0000:01:10.7\"}}";
	CHECK_INT(k8s_devinfo_parse("intel.com-sriov_a-0000:01:10.7-device.json", j, strlen(j), res, sizeof(res), pci,
				    sizeof(pci)), 0);
	CHECK_STR(res, "intel.com-sriov_a");
	CHECK_STR(pci, "0000:01:10.7");
	/* the name's address must be the content's */
	CHECK_INT(k8s_devinfo_parse("intel.com-sriov_a-0000:01:10.5-device.json", j, strlen(j), res, sizeof(res), pci,
				    sizeof(pci)), -EBADMSG);
	CHECK_INT(k8s_devinfo_parse("x.json", j, strlen(j), res, sizeof(res), pci, sizeof(pci)), -EBADMSG);
	const char *v = "{\"type\":\"vhost-user\",\"vhost-user\":{}}";
	CHECK_INT(k8s_devinfo_parse("r-0000:01:10.7-device.json", v, strlen(v), res, sizeof(res), pci, sizeof(pci)), -EBADMSG);
}

static void test_sriov_cache(void)
{
	char cid[K8S_CID_LEN + 1], ifn[32], pci[64];
	const char *j = "{\"cniVersion\":\"0.4.0\",\"name\":\"sriov-a\",\"type\":\"sriov\",\"deviceID\":\"0000:01:10.1\","
			"\"OrigVfState\":{\"HostIFName\":\"sriov0v0\"}}";
	CHECK_INT(k8s_sriov_cache_parse(CID "-net1", j, strlen(j), cid, ifn, sizeof(ifn), pci, sizeof(pci)), 0);
	CHECK_STR(cid, CID);
	CHECK_STR(ifn, "net1");
	CHECK_STR(pci, "0000:01:10.1");
	CHECK_INT(k8s_sriov_cache_parse("short-net1", j, strlen(j), cid, ifn, sizeof(ifn), pci, sizeof(pci)), -EBADMSG);
	CHECK_INT(k8s_sriov_cache_parse(CID "-net1", "{}", 2, cid, ifn, sizeof(ifn), pci, sizeof(pci)), -EBADMSG);
}

static void test_parent_dev(void)
{
	char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_type = ARPHRD_ETHER;
	ifi->ifi_index = 7;
	ifi->ifi_flags = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "net1");
	uint8_t perm[6] = { 0x52, 0x52, 0, 0x4e, 0x11, 0x7a };
	mnl_attr_put(nlh, IFLA_PERM_ADDRESS, 6, perm);
	mnl_attr_put_strz(nlh, IFLA_PARENT_DEV_NAME, "0000:01:10.5");
	mnl_attr_put_strz(nlh, IFLA_PARENT_DEV_BUS_NAME, "pci");
	struct machine *m = machine_new("netns");
	CHECK_INT(netlink_parse_link(m, buf, nlh->nlmsg_len), 0);
	CHECK_STR(m->netdevs[0].pci.v, "0000:01:10.5");
	CHECK_INT(m->netdevs[0].pci.src, SRC_NETLINK);
	CHECK_STR(m->netdevs[0].perm_mac.v, "52:52:00:4e:11:7a");
	machine_free(m);
	/* another bus: not a PCI address */
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_type = ARPHRD_ETHER;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, "eth0");
	mnl_attr_put_strz(nlh, IFLA_PARENT_DEV_NAME, "virtio3");
	mnl_attr_put_strz(nlh, IFLA_PARENT_DEV_BUS_NAME, "virtio");
	m = machine_new("netns");
	CHECK_INT(netlink_parse_link(m, buf, nlh->nlmsg_len), 0);
	CHECK(!VS_KNOWN(m->netdevs[0].pci));
	machine_free(m);
}

/* A host with one PF and two VFs; a pod namespace with net1 (VF 1) in bond0
 * and net2 (VF 0) alone, and a guest team member whose MAC equals VF 0's. */
static struct machine *pod_host(void)
{
	struct machine *h = machine_new("host");
	struct pf *pf = machine_add_pf(h, "0000:01:00.0");
	vs_set(&pf->netdev, "enp1s0", SRC_SYSFS);
	for (int i = 0; i < 2; i++) {
		struct vf *v = pf_add_vf(pf, i);
		vs_set(&v->pci, i ? "0000:01:10.1" : "0000:01:10.0", SRC_SYSFS);
		vs_set(&v->mac, i ? "02:00:00:00:00:01" : "02:00:00:00:00:02", SRC_NETLINK);
	}
	struct machine *ns = machine_new("netns");
	vs_set(&ns->pod_namespace, "telco", SRC_KUBELET);
	vs_set(&ns->pod_name, "cnf-a", SRC_KUBELET);
	vi_set(&ns->netns_inode, 4026532999, SRC_PROCFS);
	netns_label(ns, NULL);
	struct netdev *n = machine_add_netdev(ns, "net1");
	vs_set(&n->pci, "0000:01:10.1", SRC_NETLINK);
	vs_set(&n->mac, "02:00:00:00:00:09", SRC_NETLINK); /* the bond's MAC: no MAC match possible */
	n = machine_add_netdev(ns, "net2");
	vs_set(&n->pci, "0000:01:10.0", SRC_NETLINK);
	machine_add_netdev(ns, "bond0");
	struct team *t = machine_add_team(ns, "bond0");
	t->driver = TEAM_BONDING;
	team_add_member(t, "net1");
	machine_add_guest(h, ns);
	return h;
}

static void test_correlate_by_pci(void)
{
	struct machine *h = pod_host();
	correlate(h);
	const struct vf *v1 = &h->pfs[0].vfs[1], *v0 = &h->pfs[0].vfs[0];
	CHECK_STR(h->guests[0]->label, "pod telco/cnf-a");
	CHECK_INT(v1->guest_idx, 0);
	CHECK_INT(v1->guest_team_idx, 0);
	CHECK_INT(v1->guest_member_idx, 0);
	CHECK_STR(v1->netns.v, "pod telco/cnf-a");
	CHECK_INT(v1->netns.src, SRC_DERIVED);
	CHECK_INT(h->guests[0]->teams[0].members[0].host_pf_idx, 0);
	CHECK_INT(h->guests[0]->teams[0].members[0].host_vf_idx, 1);
	/* net2: in the namespace, in no team */
	CHECK_INT(v0->guest_idx, 0);
	CHECK_INT(v0->guest_team_idx, -1);
	CHECK_STR(v0->netns.v, "pod telco/cnf-a");
	/* again: the same answer (nothing kept from the first run) */
	correlate(h);
	CHECK_INT(v1->guest_member_idx, 0);
	machine_free(h);

	/* the same namespace without the parent device: no link, even though a
	 * member's permanent MAC equals VF 0's (namespaces never match by MAC) */
	h = pod_host();
	struct machine *ns = h->guests[0];
	for (size_t i = 0; i < ns->nnetdevs; i++)
		vs_free(&ns->netdevs[i].pci);
	vs_set(&ns->teams[0].members[0].perm_mac, "02:00:00:00:00:02", SRC_NETLINK);
	correlate(h);
	CHECK_INT(h->pfs[0].vfs[0].guest_idx, -1);
	CHECK_INT(h->pfs[0].vfs[1].guest_idx, -1);
	CHECK(!VS_KNOWN(h->pfs[0].vfs[0].netns));
	CHECK_INT(ns->teams[0].members[0].host_pf_idx, -1);
	machine_free(h);
}

static void test_labels(void)
{
	struct machine *m = machine_new("netns");
	netns_label(m, "dir1");
	CHECK_STR(m->label, "netns dir1");
	vi_set(&m->netns_inode, 42, SRC_PROCFS);
	netns_label(m, NULL);
	CHECK_STR(m->label, "netns ino:42");
	vs_set(&m->netns_name, "cni-1234", SRC_PROCFS);
	netns_label(m, NULL);
	CHECK_STR(m->label, "netns cni-1234");
	vs_set(&m->pod_namespace, "telco", SRC_KUBELET); /* the pod's name unknown: not a pod label yet */
	netns_label(m, NULL);
	CHECK_STR(m->label, "netns cni-1234");
	vs_set(&m->pod_name, "cnf", SRC_KUBELET);
	netns_label(m, NULL);
	CHECK_STR(m->label, "pod telco/cnf");
	/* control characters never reach a label */
	vs_free(&m->pod_name);
	vs_set(&m->netns_name, "x\033[31m\a", SRC_PROCFS);
	netns_label(m, NULL);
	for (const char *p = m->label; *p; p++)
		CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
	machine_free(m);
}

static void test_json_roundtrip(void)
{
	struct machine *h = pod_host();
	struct machine *ns = h->guests[0];
	vs_set(&ns->netns_name, "cni-1234", SRC_PROCFS);
	vi_set(&ns->netns_pid, 4242, SRC_PROCFS);
	vs_set(&ns->pod_uid, UID, SRC_PROCFS);
	struct vf *v = &h->pfs[0].vfs[1];
	vs_set(&v->alloc_pod_uid, UID, SRC_KUBELET);
	vs_set(&v->alloc_pod, "telco/cnf-a", SRC_KUBELET);
	vs_set(&v->alloc_resource, "intel.com/sriov_a", SRC_KUBELET);
	correlate(h);
	json_t *j = machine_to_json(h);
	/* a VF with nothing known of an allocation has no "allocation" */
	CHECK(json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(j, "pfs"), 0), "vfs"), 0),
			      "allocation") != NULL); /* VF 0: its netns is known */
	char err[200] = "";
	struct machine *b = machine_from_json(j, 0, err, sizeof(err));
	json_decref(j);
	CHECK(b != NULL);
	if (!b) {
		machine_free(h);
		return;
	}
	CHECK_INT(b->nguests, 1);
	const struct machine *g = b->guests[0];
	CHECK_STR(g->role, "netns");
	CHECK_STR(g->label, "pod telco/cnf-a");
	CHECK_STR(g->netns_name.v, "cni-1234");
	CHECK_INT(g->netns_inode.v, 4026532999);
	CHECK_INT(g->netns_pid.v, 4242);
	CHECK_STR(g->pod_uid.v, UID);
	CHECK_INT(g->pod_uid.src, SRC_PROCFS);
	CHECK_STR(g->pod_namespace.v, "telco");
	CHECK_INT(g->pod_namespace.src, SRC_KUBELET);
	CHECK_STR(b->pfs[0].vfs[1].alloc_pod.v, "telco/cnf-a");
	CHECK_STR(b->pfs[0].vfs[1].alloc_resource.v, "intel.com/sriov_a");
	CHECK_INT(b->pfs[0].vfs[1].alloc_resource.src, SRC_KUBELET);
	CHECK_STR(b->pfs[0].vfs[1].netns.v, "pod telco/cnf-a");
	CHECK_STR(g->netdevs[0].pci.v, "0000:01:10.1");
	correlate(b);
	CHECK_INT(b->pfs[0].vfs[1].guest_team_idx, 0);
	machine_free(b);
	/* a host VF without any of it: no "allocation" written */
	struct machine *p = machine_new("host");
	struct pf *pf = machine_add_pf(p, "0000:02:00.0");
	vs_set(&pf_add_vf(pf, 0)->pci, "0000:02:10.0", SRC_SYSFS);
	j = machine_to_json(p);
	CHECK(json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(j, "pfs"), 0), "vfs"), 0),
			      "allocation") == NULL);
	CHECK(json_object_get(j, "netns") == NULL);
	json_decref(j);
	machine_free(p);
	machine_free(h);
}

T_MAIN(T(test_cgroup_systemd), T(test_cgroup_cgroupfs_v1), T(test_cgroup_not_a_pod), T(test_pod_log_dir),
       T(test_checkpoint), T(test_devinfo), T(test_sriov_cache), T(test_parent_dev), T(test_correlate_by_pci),
       T(test_labels), T(test_json_roundtrip))
