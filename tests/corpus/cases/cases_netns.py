"""Cases of Kubernetes nodes whose VFs are in pods' network namespaces
(issue 14), imported by cases/build (cases(build_module) -> {name:
function}): host trees in the sysroot layout of docs/netns.md
(netns/<id>/ for each namespace, proc/<pid>/cgroup, var/log/pods,
kubelet's device-manager checkpoint, the device plugin's devinfo files,
sriov-cni's cache), built with cases/build's Machine. What each tree rests
on is in the case's FACTS file. `tests/corpus/cases/build pod-lacp` writes
one; `build --check` compares them all."""
import json

Machine = None  # cases/build's Machine, set by cases()


# The pod every case puts its VFs in (names illustrative; formats real).
POD_NS, POD_NAME = "cnf", "du-0"
POD_UID = "9b2f4a4e-3c1d-4f7a-9d3e-2a7c5b1e8f01"
SANDBOX = "4f1c2a9e8b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a"
NETNS = "cni-7d3a1f52-6c0e-4b8e-9a41-3f6e2d8c1b07"
HOLDER = 4242
OTHER_UID = "c41d7e20-5b8a-4f3c-a9e6-0d2b7f4c9a13"
OTHER_SANDBOX = "8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b"
OTHER_NETNS = "cni-0b6e4d2c-9a7f-4e1d-8c3b-5a2f1e0d9c84"
OTHER_HOLDER = 5151


def cgroup_line(uid, cid):
    """/proc/PID/cgroup of a pod's sandbox under the systemd cgroup driver
    and cgroup v2: one line "0::PATH"; the slice has the UID with '_'."""
    return "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod%s.slice/cri-containerd-%s.scope" % (
        uid.replace("-", "_"), cid)


def add_netns(h, nsid, pod, name=None, pid=None, inode=None):
    """Namespace nsid of host h holding the netdevs and bonds of Machine pod
    (its ip-link.json and /proc/net/bonding, as read inside)."""
    base = "netns/%s" % nsid
    for k, v in (("name", name), ("pid", pid), ("inode", inode)):
        if v is not None:
            h.w("%s/%s" % (base, k), v)
    h.w(base + "/ip-link.json", json.dumps(pod.links_json, indent=None, separators=(",", ":")))
    for rel, val in pod.files.items():
        if rel.startswith("proc/net/bonding/"):
            h.w("%s/%s" % (base, rel), val)


def add_pod_owner(h, uid=POD_UID, ns=POD_NS, name=POD_NAME, pid=HOLDER, cid=SANDBOX, log=True):
    h.w("proc/%d/cgroup" % pid, cgroup_line(uid, cid))
    if log:  # kubelet's pod log directory: NAMESPACE_POD_UID/CONTAINER/RESTART.log
        h.w("var/log/pods/%s_%s_%s/app/0.log" % (ns, name, uid), "")


def add_checkpoint(h, entries, registered):
    """kubelet's device-manager checkpoint: entries (uid, container,
    resource, [pci...]), DeviceIDs by NUMA node (kubelet >= 1.20)."""
    data = {"Data": {"PodDeviceEntries": [{"PodUID": u, "ContainerName": c, "ResourceName": r,
                                           "DeviceIDs": {"0": list(d)}} for u, c, r, d in entries],
                     "RegisteredDevices": registered},
            "Checksum": 1804289383}
    h.w("var/lib/kubelet/device-plugins/kubelet_internal_checkpoint", json.dumps(data, separators=(",", ":")))


def add_devinfo(h, resource, pci):
    """The device plugin's devinfo file for one allocated device
    (network-attachment-definition-client getDPDeviceInfoPath)."""
    h.w("var/run/k8s.cni.cncf.io/devinfo/dp/%s-%s-device.json" % (resource.replace("/", "-"), pci),
        json.dumps({"type": "pci", "version": "1.1.0", "pci": {"pci-address": pci}}, separators=(",", ":")))


def add_sriov_cache(h, cid, ifname, pci, master, vfid, netns_path, host_ifname, mac="", trust=""):
    """sriov-cni's cache: CID-IFNAME (the NetConf it applied, for DEL) and
    pci/PCI (the namespace path the VF was given to)."""
    conf = {"cniVersion": "1.0.0", "name": "sriov-%s" % master, "type": "sriov",
            "OrigVfState": {"HostIFName": host_ifname, "SpoofChk": True, "Trust": False,
                            "AdminMAC": "00:00:00:00:00:00", "EffectiveMAC": "", "Vlan": 0, "VlanQoS": 0,
                            "VlanProto": 0, "MinTxRate": 0, "MaxTxRate": 0, "LinkState": 0, "MTU": 1500},
            "Master": master, "MAC": mac, "MTU": None, "vlan": None, "vlanQoS": None, "vlanProto": None,
            "deviceID": pci, "VFID": vfid, "min_tx_rate": None, "max_tx_rate": None}
    if trust:
        conf["trust"] = trust
    h.w("var/lib/cni/sriov/%s-%s" % (cid, ifname), json.dumps(conf, separators=(",", ":")))
    h.w("var/lib/cni/sriov/pci/%s" % pci, netns_path)


def pod_machine(members, bond=None):
    """The pod's namespace: members (ifname, vf bdf, mac, carrier), bond
    kwargs for Machine.bond (members as (name, state, mii))."""
    g = Machine("%s" % POD_NAME)
    for name, bdf, mac, carrier in members:
        g.pci(bdf, "0x8086", "0x1889", "iavf")
        g.netdev(name, mac, bdf, carrier=carrier, speed=25000)
    if bond:
        b = dict(bond)
        ms = [(n, g.netdevs[n]["perm"], st, mii, fails) for n, st, mii, fails in b.pop("members")]
        g.bond("bond0", ms, **b)
    return g


def ice_node(vf_over=None, pf0_carrier=1):
    """k8s-node1: two ice E810 NICs, PF ens1f0 (0000:17:00.0) and ens1f1
    (0000:18:00.0), 2 VFs each (iavf)."""
    h = Machine("k8s-node1")
    vf_over = vf_over or {}
    for bdf, name, mac, pfi in (("0000:17:00.0", "ens1f0", "b4:96:91:aa:10:00", 0),
                                ("0000:18:00.0", "ens1f1", "b4:96:91:aa:20:00", 1)):
        vfs = []
        for i in range(2):
            v = {"driver": "iavf", "mac": "00:00:00:00:00:00", "spoofchk": True, "trust": False,
                 "link_state": "auto"}
            v.update(vf_over.get((pfi, i), {}))
            vfs.append(v)
        h.pf(bdf, "0x8086", "0x159b", "ice", name, mac, 128, 8, 1, "1889", vfs, speed=25000, port_id="empty",
             carrier=pf0_carrier if pfi == 0 else 1)
    return h


VF = {(0, 0): "0000:17:01.0", (0, 1): "0000:17:01.1", (1, 0): "0000:18:01.0", (1, 1): "0000:18:01.1"}
PFN = {0: "ens1f0", 1: "ens1f1"}


def give(h, members, resources):
    """The allocation records of the pod's VFs: members (ifname, (pf, vf)),
    resources {(pf, vf): resource}."""
    by_res = {}
    for ifname, key in members:
        res = resources[key]
        by_res.setdefault(res, []).append(VF[key])
        add_devinfo(h, res, VF[key])
        add_sriov_cache(h, SANDBOX, ifname, VF[key], PFN[key[0]], key[1], "/var/run/netns/" + NETNS,
                        "%sv%d" % (PFN[key[0]], key[1]))
    reg = {}
    for key, res in sorted(resources.items()):
        reg.setdefault(res, []).append(VF[key])
    add_checkpoint(h, [(POD_UID, "app", r, d) for r, d in sorted(by_res.items())], reg)


ONE_PER_PF = {(0, 0): "intel.com/sriov_pf0", (0, 1): "intel.com/sriov_pf0", (1, 0): "intel.com/sriov_pf1",
              (1, 1): "intel.com/sriov_pf1"}
POOLED = {k: "intel.com/sriov_net" for k in VF}


def pod_lacp():
    """pf-status-relay's case. active: the pod's bond keeps net1 (VF 0 of
    ens1f0) active; backup: net2 (VF 0 of ens1f1) is active, net1 the
    backup. The LACPDUs come from the corpus (pcap=ens1f0=...)."""
    out = {}
    for var in ("active", "backup"):
        h = ice_node()
        a = "net1" if var == "active" else "net2"
        pod = pod_machine([("net1", VF[(0, 0)], "02:00:00:17:01:00", 1), ("net2", VF[(1, 0)], "02:00:00:18:01:00", 1)],
                          bond={"members": [("net1", "active" if a == "net1" else "backup", "up", 0),
                                            ("net2", "active" if a == "net2" else "backup", "up", 0)],
                                "active": a, "fail_over_mac": "active", "fom_num": 1})
        add_netns(h, NETNS, pod, name=NETNS, pid=HOLDER, inode=4026532711)
        add_pod_owner(h)
        give(h, [("net1", (0, 0)), ("net2", (1, 0))], ONE_PER_PF)
        out[var] = {"host": h}
    return out


def pod_same_pf():
    """bad: the pod's two VFs are both of ens1f0 (resource intel.com/sriov_net
    pools both PFs' VFs); good: one VF of each PF from one resource per PF."""
    out = {}
    for var in ("bad", "good"):
        h = ice_node()
        second = (0, 1) if var == "bad" else (1, 0)
        pod = pod_machine([("net1", VF[(0, 0)], "02:00:00:17:01:00", 1),
                           ("net2", VF[second], "02:00:00:%s:01:%02x" % ("17" if second[0] == 0 else "18", second[1]), 1)],
                          bond={"members": [("net1", "active", "up", 0), ("net2", "backup", "up", 0)],
                                "active": "net1", "fail_over_mac": "active", "fom_num": 1})
        add_netns(h, NETNS, pod, name=NETNS, pid=HOLDER, inode=4026532711)
        add_pod_owner(h)
        give(h, [("net1", (0, 0)), ("net2", second)], POOLED if var == "bad" else ONE_PER_PF)
        out[var] = {"host": h}
    return out


def pod_link_down():
    """ens1f0 lost its link (carrier 0); the pod's bond keeps net1 (its VF,
    link-state auto: iavf reports the PF link, but here the member is
    shown up as the lab's igbvf does). bad: net1 active and mii up; good:
    the bond failed over, net1 down and backup."""
    out = {}
    for var in ("bad", "good"):
        bad = var == "bad"
        h = ice_node(pf0_carrier=0)
        h.dmesg = [(1201.5, "ice 0000:17:00.0 ens1f0: NIC Link is Down")]
        pod = pod_machine([("net1", VF[(0, 0)], "02:00:00:17:01:00", 1 if bad else 0),
                           ("net2", VF[(1, 0)], "02:00:00:18:01:00", 1)],
                          bond={"members": [("net1", "active" if bad else "backup", "up" if bad else "down", 0 if bad else 1),
                                            ("net2", "backup" if bad else "active", "up", 0)],
                                "active": "net1" if bad else "net2", "fail_over_mac": "active", "fom_num": 1})
        add_netns(h, NETNS, pod, name=NETNS, pid=HOLDER, inode=4026532711)
        add_pod_owner(h)
        give(h, [("net1", (0, 0)), ("net2", (1, 0))], ONE_PER_PF)
        out[var] = {"host": h}
    return out


def pod_vf_leaked():
    """The checkpoint gives the pod VF 0 of each PF. good: both are net1/net2
    in the pod's namespace; bad: VF 0 of ens1f0 is back in the host
    namespace as ens1f0v0 (the pod's namespace has only net2); gone: no
    namespace of the pod any more (its allocation stayed), ens1f0v0 on the
    host, and the node's other namespace (pod cnf/du-1 with VF 1 of each PF)
    read with its owner; absent: the same without du-1 (no namespace read at
    all: the pod's absence is not known); dpdk: VF 0 of ens1f0 is bound to
    vfio-pci (a DPDK pod's VF has no netdev anywhere)."""
    out = {}
    for var in ("good", "bad", "gone", "absent", "dpdk"):
        over = {}
        if var in ("bad", "gone", "absent"):
            over = {(0, 0): {"netdev": "ens1f0v0", "mac": "00:00:00:00:00:00", "cur": "02:00:00:17:01:00"}}
        if var == "dpdk":
            over = {(0, 0): {"driver": "vfio-pci", "iommu_group": 70}}
        h = ice_node(vf_over=over)
        members = [("net2", VF[(1, 0)], "02:00:00:18:01:00", 1)]
        if var == "good":
            members.insert(0, ("net1", VF[(0, 0)], "02:00:00:17:01:00", 1))
        pod = pod_machine(members)
        if var not in ("gone", "absent"):
            add_netns(h, NETNS, pod, name=NETNS, pid=HOLDER, inode=4026532711)
            add_pod_owner(h)
        else:
            add_pod_owner(h, pid=HOLDER, log=True)  # the pod's log directory and cgroup file stay; no namespace
        give(h, [("net1", (0, 0)), ("net2", (1, 0))], ONE_PER_PF)
        if var == "gone":
            other = pod_machine([("net1", VF[(0, 1)], "02:00:00:17:01:01", 1), ("net2", VF[(1, 1)], "02:00:00:18:01:01", 1)])
            add_netns(h, OTHER_NETNS, other, name=OTHER_NETNS, pid=OTHER_HOLDER, inode=4026532799)
            add_pod_owner(h, uid=OTHER_UID, name="du-1", pid=OTHER_HOLDER, cid=OTHER_SANDBOX)
        out[var] = {"host": h}
    return out


def i40e_node_mac(fom, trust_pf0):
    """k8s-node2: i40e X710 PFs ens2f0 (0000:3b:00.0) and ens2f1 (0000:3b:00.1);
    sriov-cni set each pod VF's MAC (the NAD's "mac"), so the PF holds it as
    administratively set. The pod's bond0 over net1 (VF 0 of ens2f1, enslaved
    first: its MAC is the bond's) and net2 (VF 0 of ens2f0)."""
    h = Machine("k8s-node2")
    macs = {0: "02:00:00:3b:00:20", 1: "02:00:00:3b:00:10"}
    pfs = (("0000:3b:00.0", "ens2f0", "3c:fd:fe:a0:00:00", 16, 0), ("0000:3b:00.1", "ens2f1", "3c:fd:fe:a0:00:01", 79, 1))
    bdfs = {}
    for bdf, name, mac, off, pfi in pfs:
        vfs = [{"driver": "iavf", "mac": macs[pfi], "spoofchk": True, "trust": trust_pf0 if pfi == 0 else False,
                "link_state": "auto"}, {"driver": "iavf", "mac": "00:00:00:00:00:00", "spoofchk": True,
                                        "trust": False, "link_state": "auto"}]
        bdfs[pfi] = h.pf(bdf, "0x8086", "0x1572", "i40e", name, mac, 64, off, 1, "154c", vfs, speed=10000,
                         sibling_of="0000:3b:00.0" if pfi == 1 else None)
    g = Machine(POD_NAME)
    for name, pfi in (("net1", 1), ("net2", 0)):
        g.pci(bdfs[pfi][0], "0x8086", "0x154c", "iavf")
        g.netdev(name, macs[pfi], bdfs[pfi][0], speed=10000)
    g.bond("bond0", [("net1", macs[1], "active", "up", 0), ("net2", macs[0], "backup", "up", 0)], active="net1",
           fail_over_mac=fom, fom_num=0 if fom == "none" else 1)
    add_netns(h, NETNS, g, name=NETNS, pid=HOLDER, inode=4026532711)
    add_pod_owner(h)
    res = {0: "intel.com/sriov_pf0", 1: "intel.com/sriov_pf1"}
    for ifname, pfi in (("net1", 1), ("net2", 0)):
        add_devinfo(h, res[pfi], bdfs[pfi][0])
        add_sriov_cache(h, SANDBOX, ifname, bdfs[pfi][0], pfs[pfi][1], 0, "/var/run/netns/" + NETNS,
                        "%sv0" % pfs[pfi][1], mac=macs[pfi])
    add_checkpoint(h, [(POD_UID, "app", res[p], [bdfs[p][0]]) for p in (0, 1)],
                   {res[p]: list(bdfs[p]) for p in (0, 1)})
    return h


def pod_mac_bond_cni():
    """bad: bond0 with fail_over_mac none (bond-cni's default failOverMac 0):
    the bond gives net2 net1's MAC, the PF (trust off, MAC set by sriov-cni)
    refuses; good: failOverMac 1 (fail_over_mac active); trusted: none but
    VF 0 of ens2f0 trusted (the PF takes the change)."""
    return {"bad": {"host": i40e_node_mac("none", False)}, "good": {"host": i40e_node_mac("active", False)},
            "trusted": {"host": i40e_node_mac("none", True)}}


NETNS_CASES = {
    "pod-lacp": pod_lacp,
    "pod-same-pf": pod_same_pf,
    "pod-link-down": pod_link_down,
    "pod-vf-leaked": pod_vf_leaked,
    "pod-mac-bond-cni": pod_mac_bond_cni,
}


def cases(build):
    global Machine
    Machine = build.Machine
    return dict(NETNS_CASES)
