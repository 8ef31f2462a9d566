"""Hyper-V / Azure guests (hv_netvsc with its accelerated-networking VF),
built for tests/corpus/cases/build (which imports every cases_*.py beside
it and calls cases(build) -> {name: function}). No Hyper-V runs here: the
trees follow the kernel's own semantics, listed in each case's FACTS file
(tests/corpus/cases/netvsc-*/FACTS):

- hv_netvsc's netdev hangs under its VMBus device
  (sys/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0004:00/VMBUS:00/<instance GUID>,
  driver -> bus/vmbus/drivers/hv_netvsc, class_id the synthetic NIC's
  {f8615163-df3e-46c5-913f-f2d2f965ed0e}); ip -d shows parentbus vmbus.
- The VF comes through pci-hyperv: its own VMBus device (driver hv_pci),
  under it the host bridge pci<domain>:00 and the function <domain>:00:02.0;
  the PCI domain is the instance GUID's second group.
- netvsc_vf_join(): netdev_master_upper_dev_link(vf, ndev) and IFF_SLAVE on
  the VF (sysfs master/upper_<ndev> on the VF, lower_<vf> on ndev; ip link
  "master eth0" and SLAVE, no linkinfo kind), "joined to %s" on the VF.
- Log lines (netdev_info(ndev, ...): "hv_netvsc <GUID> eth0: ..."):
  "VF slot %u %s" (added|removed, netvsc.c netvsc_send_vf), "VF registering:
  %s", "VF unregistering: %s", "Data path switched %s VF: %s" (to|from).
- ethtool -S of the netvsc device: tx_scattered ... vlan_error, then
  vf_rx_packets, vf_rx_bytes, vf_tx_packets, vf_tx_bytes, vf_tx_dropped,
  then per queue and per CPU counters (netvsc_stats[], vf_stats[],
  pcpu_stats[] in netvsc_drv.c); ethtool -i driver hv_netvsc, mlx5_core
  (KBUILD_MODNAME in mlx5e_ethtool_get_drvinfo), mana.
Trees also carry ethtool-i/<dev>, ethtool-S/<dev> (+ .2 a second reading and
ethtool-S/interval_ms) and ip-addr.json / ip-route.json (ip -j addr / route)
as the lab's pair captures do (tests/lab/scenarios/pair.sh)."""
import json
import os

VMBUS = "sys/devices/LNXSYSTM:00/LNXSYBUS:00/ACPI0004:00/VMBUS:00"
HV_NIC = "{f8615163-df3e-46c5-913f-f2d2f965ed0e}"
HV_PCI = "{44c4f61d-4444-4400-9d52-802e27ede19f}"
KERNEL = "6.8.0-1021-azure"
NETVSC_STATS = ("tx_scattered", "tx_no_memory", "tx_no_space", "tx_too_big", "tx_busy", "tx_send_full",
                "rx_comp_busy", "rx_no_memory", "stop_queue", "wake_queue", "vlan_error")
VF_STATS = ("vf_rx_packets", "vf_rx_bytes", "vf_tx_packets", "vf_tx_bytes", "vf_tx_dropped")
QUEUE_STATS = ("tx_queue_%u_packets", "tx_queue_%u_bytes", "tx_queue_%u_xdp_xmit", "rx_queue_%u_packets",
               "rx_queue_%u_bytes", "rx_queue_%u_xdp_drop", "rx_queue_%u_xdp_redirect", "rx_queue_%u_xdp_tx")
PCPU_STATS = ("cpu%u_rx_packets", "cpu%u_rx_bytes", "cpu%u_tx_packets", "cpu%u_tx_bytes", "cpu%u_vf_rx_packets",
              "cpu%u_vf_rx_bytes", "cpu%u_vf_tx_packets", "cpu%u_vf_tx_bytes")
# VF kinds: (vendor, device, PCI driver, ethtool driver, version, firmware)
VF_KINDS = {
    "mlx5": ("0x15b3", "0x1016", "mlx5_core", "mlx5_core", KERNEL, "14.30.1224 (MSF0010110035)"),
    "mana": ("0x1414", "0x00ba", "mana", "mana", KERNEL, ""),
}


def rel(target, frm):
    return os.path.relpath(target, frm)


class Guest:
    """An Azure guest on build's Machine: netvsc NICs, their VFs, a kernel log."""

    def __init__(self, b, hostname):
        self.b = b
        self.m = b.Machine(hostname)
        self.m.files["proc/sys/kernel/osrelease"] = KERNEL
        self.m.files["proc/version"] = "Linux version %s (buildd@lcy02-amd64-017) #21-Ubuntu SMP" % KERNEL
        self.t = 2.0
        self.addrs = {}     # name -> [(family, local, prefixlen)]
        self.routes = []    # ip -j route entries
        self.stats = {}     # name -> (first dict, second dict)
        self.drvinfo = {}   # name -> ethtool -i text

    def log(self, line, dt=0.013):
        self.t += dt
        self.m.dmesg.append((self.t, line))

    def vmbus(self, guid, driver, class_id):
        d = "%s/%s" % (VMBUS, guid)
        self.m.w(d + "/class_id", class_id)
        self.m.w(d + "/device_id", "{%s}" % guid)
        self.m.ln(d + "/driver", rel("sys/bus/vmbus/drivers/" + driver, d))
        self.m.files.setdefault("sys/bus/vmbus/drivers/%s/.dir" % driver, None)
        self.m.ln(d + "/subsystem", rel("sys/bus/vmbus", d))
        self.m.ln("sys/bus/vmbus/devices/" + guid, rel(d, "sys/bus/vmbus/devices"))
        return d

    def synthetic(self, name, guid, mac, up=True):
        """hv_netvsc netdev NAME on VMBus device GUID."""
        self.m.devpath[guid] = self.vmbus(guid, "hv_netvsc", HV_NIC)
        self.m.netdev(name, mac, guid, admin_up=up, speed=50000)
        j = self.m.netdevs[name]["json"]
        j["parentbus"] = "vmbus"
        j["qdisc"] = "mq"
        self.drvinfo[name] = ("driver: hv_netvsc\nversion: %s\nfirmware-version: N/A\nexpansion-rom-version: \n"
                              "bus-info: %s\nsupports-statistics: yes\nsupports-test: no\n"
                              "supports-eeprom-access: no\nsupports-register-dump: no\nsupports-priv-flags: no"
                              % (KERNEL, guid))

    def vf(self, name, kind, vf_guid, mac, master=None, carrier=1):
        """A VF (kind mlx5 or mana) through pci-hyperv; joined to MASTER (a
        netvsc netdev) as netvsc_vf_join() does, or standing alone."""
        vendor, device, driver, edrv, ver, fw = VF_KINDS[kind]
        dom = vf_guid.split("-")[1]
        bdf = "%s:00:02.0" % dom
        vb = self.vmbus(vf_guid, "hv_pci", HV_PCI)
        d = "%s/pci%s:00/%s" % (vb, dom, bdf)
        self.m.devpath[bdf] = d
        for k, v in (("vendor", vendor), ("device", device), ("class", "0x020000")):
            self.m.w("%s/%s" % (d, k), v)
        self.m.ln(d + "/driver", rel("sys/bus/pci/drivers/" + driver, d))
        self.m.files.setdefault("sys/bus/pci/drivers/%s/.dir" % driver, None)
        self.m.ln("sys/bus/pci/devices/" + bdf, rel(d, "sys/bus/pci/devices"))
        self.m.netdev(name, mac, bdf, carrier=carrier, speed=50000)
        nd = self.m.netdevs[name]
        if master:
            md = self.m.netdevs[master]["dir"]
            self.m.w(nd["dir"] + "/flags", "0x1803")  # IFF_UP|BROADCAST|SLAVE|MULTICAST
            self.m.ln(nd["dir"] + "/master", rel(md, nd["dir"]))
            self.m.ln(nd["dir"] + "/upper_" + master, rel(md, nd["dir"]))
            self.m.ln("%s/lower_%s" % (md, name), rel(nd["dir"], md))
            j = nd["json"]
            j["flags"] = ["BROADCAST", "MULTICAST", "SLAVE", "UP"] + (["LOWER_UP"] if carrier else [])
            # "master" sits where ip -j prints it: after qdisc
            items = list(j.items())
            j.clear()
            for k, v in items:
                j[k] = v
                if k == "qdisc":
                    j["master"] = master
        self.drvinfo[name] = ("driver: %s\nversion: %s\nfirmware-version: %s\nexpansion-rom-version: \n"
                              "bus-info: %s\nsupports-statistics: yes\nsupports-test: no\n"
                              "supports-eeprom-access: no\nsupports-register-dump: no\nsupports-priv-flags: yes"
                              % (edrv, ver, fw, bdf))
        return bdf

    def netvsc_stats(self, name, vf1, vf2, queues=2, cpus=2):
        """ethtool -S of a netvsc device twice: vf* = (rx_packets, tx_packets)
        at the first and the second reading."""
        def one(vf):
            s = {k: 0 for k in NETVSC_STATS}
            s.update({"vf_rx_packets": vf[0], "vf_rx_bytes": vf[0] * 800, "vf_tx_packets": vf[1],
                      "vf_tx_bytes": vf[1] * 400, "vf_tx_dropped": 0})
            for q in range(queues):
                for k in QUEUE_STATS:
                    s[k % q] = 0
                s["tx_queue_%u_packets" % q] = 120 + q
                s["tx_queue_%u_bytes" % q] = (120 + q) * 90
                s["rx_queue_%u_packets" % q] = 300 + q
                s["rx_queue_%u_bytes" % q] = (300 + q) * 110
            for c in range(cpus):
                for k in PCPU_STATS:
                    s[k % c] = 0
                s["cpu%u_vf_rx_packets" % c] = vf[0] // cpus
                s["cpu%u_vf_tx_packets" % c] = vf[1] // cpus
            return s
        self.stats[name] = (one(vf1), one(vf2))

    def addr(self, name, local, prefix, family="inet"):
        self.addrs.setdefault(name, []).append((family, local, prefix))

    def finish(self):
        m = self.m
        for n, txt in self.drvinfo.items():
            m.w("ethtool-i/" + n, txt)
        for n, (a, b2) in self.stats.items():
            for suffix, s in (("", a), (".2", b2)):
                m.w("ethtool-S/" + n + suffix, "NIC statistics:\n" + "\n".join("     %s: %d" % kv for kv in s.items()))
        if self.stats:
            m.w("ethtool-S/interval_ms", 200)
        out = []
        for j in m.links_json:
            e = {"ifindex": j["ifindex"], "ifname": j["ifname"], "flags": j["flags"], "mtu": j["mtu"],
                 "qdisc": j.get("qdisc", "noqueue")}
            if j.get("master"):
                e["master"] = j["master"]
            e.update({"operstate": j.get("operstate", "UNKNOWN"), "group": "default", "txqlen": 1000,
                      "link_type": j.get("link_type", "ether"), "address": j.get("address", ""),
                      "broadcast": j.get("broadcast", "")})
            ai = []
            if j["ifname"] == "lo":
                ai.append({"family": "inet", "local": "127.0.0.1", "prefixlen": 8, "scope": "host", "label": "lo",
                           "valid_life_time": 4294967295, "preferred_life_time": 4294967295})
            for fam, local, prefix in self.addrs.get(j["ifname"], []):
                a = {"family": fam, "local": local, "prefixlen": prefix}
                if fam == "inet":
                    a["broadcast"] = "192.0.2.255" if local.startswith("192.0.2.") else "198.51.100.255"
                a.update({"scope": "global", "dynamic": True, "label": j["ifname"]} if fam == "inet" else
                         {"scope": "global"})
                a.update({"valid_life_time": 86400, "preferred_life_time": 86400})
                ai.append(a)
            e["addr_info"] = ai
            out.append(e)
        m.w("ip-addr.json", json.dumps(out, separators=(",", ":")))
        m.w("ip-route.json", json.dumps(self.routes, separators=(",", ":")))
        m.w("ip-route6.json", "[]")
        return m


GUID0 = "000d3a6e-4a1b-000d-3a6e-4a1b000d3a6e"   # synthetic NIC 0 (illustrative)
GUID1 = "000d3a6e-4a1c-000d-3a6e-4a1c000d3a6e"   # synthetic NIC 1
VFG0 = "6d33b1f0-6d33-4c1e-9a1e-7a2b6d33b1f0"    # the VFs' VMBus devices: domain 6d33 / 7e44
VFG1 = "7e44c2a1-7e44-4d2f-8b2f-8b3c7e44c2a1"
MAC0, MAC1 = "00:0d:3a:6e:4a:1b", "00:0d:3a:6e:4a:1c"


def boot_lines(g, syn, slot, vf, kind, vf_guid):
    """The kernel's lines when a VF arrives and joins SYN."""
    dom = vf_guid.split("-")[1]
    g.log("hv_netvsc %s %s: VF slot %d added" % (GUID0 if syn == "eth0" else GUID1, syn, slot))
    g.log("hv_pci %s: PCI VMBus probing: Using version 0x10004" % vf_guid)
    g.log("%s %s:00:02.0: enabling device (0000 -> 0002)" % ("mlx5_core" if kind == "mlx5" else "mana", dom))
    g.log("hv_netvsc %s %s: VF registering: %s" % (GUID0 if syn == "eth0" else GUID1, syn, vf))
    g.log("%s %s:00:02.0 %s: joined to %s" % ("mlx5_core" if kind == "mlx5" else "mana", dom, vf, syn))
    g.log("hv_netvsc %s %s: Data path switched to VF: %s" % (GUID0 if syn == "eth0" else GUID1, syn, vf), 0.1)


def removal_lines(g, syn, slot, vf):
    guid = GUID0 if syn == "eth0" else GUID1
    g.log("hv_netvsc %s %s: Data path switched from VF: %s" % (guid, syn, vf), 30.0)
    g.log("hv_netvsc %s %s: VF unregistering: %s" % (guid, syn, vf))
    g.log("hv_netvsc %s %s: VF slot %d removed" % (guid, syn, slot))


def cases(b):
    def team(kind1="mlx5"):
        """Two vNICs (eth0, eth1: hv_netvsc) teamed in bond0; eth2/eth3
        their VFs. Variants: both VFs there (active-backup), eth1's VF
        removed by the host (active-backup, primary eth0 = the accelerated
        one: the right shape; and with no primary; and balance-xor)."""
        out = {}
        for var in ("both", "one-vf-gone", "one-vf-gone-noprimary", "one-vf-gone-xor", "sibling"):
            g = Guest(b, "az-vm1")
            g.synthetic("eth0", GUID0, MAC0)
            g.synthetic("eth1", GUID1, MAC1)
            g.vf("eth2", "mlx5", VFG0, MAC0, master="eth0")
            boot_lines(g, "eth0", 1, "eth2", "mlx5", VFG0)
            if var != "sibling":  # sibling: eth1's NIC never had accelerated networking (no VF, no VF slot line)
                g.vf("eth3", kind1, VFG1, MAC1, master="eth1")
                boot_lines(g, "eth1", 2, "eth3", kind1, VFG1)
            gone = var != "both"
            if gone and var != "sibling":
                # the VF's netdev and PCI function are gone with it
                removal_lines(g, "eth1", 2, "eth3")
                drop_netdev(g.m, "eth3", "eth1")
            g.netvsc_stats("eth0", (50000, 42000), (50310, 42250))
            g.netvsc_stats("eth1", (900, 700) if gone else (61000, 40000), (900, 700) if gone else (61100, 40090))
            mode, num = ("balance-xor", 2) if var.endswith("xor") else ("active-backup", 1)
            primary = "eth0" if var in ("both", "one-vf-gone", "sibling") else None
            g.m.bond("bond0", [("eth0", MAC0, "active", "up", 0), ("eth1", MAC1, "backup" if num == 1 else "active",
                                                                    "up", 0)],
                     mode=mode, mode_num=num, fail_over_mac="active", fom_num=1, active="eth0" if num == 1 else None,
                     primary=primary)
            g.addr("bond0", "192.0.2.40", 24)
            g.routes = [{"dst": "default", "gateway": "192.0.2.1", "dev": "bond0", "protocol": "dhcp",
                         "prefsrc": "192.0.2.40", "metric": 100, "flags": []},
                        {"dst": "192.0.2.0/24", "dev": "bond0", "protocol": "kernel", "scope": "link",
                         "prefsrc": "192.0.2.40", "flags": []}]
            out[var] = {"host": None, "guest": g.finish()}
        return out

    def single(var_setup):
        """One vNIC eth0 with its VF eth1 (azure's default single-NIC VM)."""
        out = {}
        for var, fn in var_setup:
            g = Guest(b, "az-vm2")
            g.synthetic("eth0", GUID0, MAC0)
            fn(g)
            out[var] = {"host": None, "guest": g.finish()}
        return out

    def plain(g, kind="mlx5", vf_mac=MAC0):
        g.vf("eth1", kind, VFG0, vf_mac, master="eth0")
        boot_lines(g, "eth0", 1, "eth1", kind, VFG0)
        g.netvsc_stats("eth0", (50000, 42000), (50310, 42250))
        g.addr("eth0", "192.0.2.41", 24)
        g.routes = [{"dst": "default", "gateway": "192.0.2.1", "dev": "eth0", "protocol": "dhcp",
                     "prefsrc": "192.0.2.41", "metric": 100, "flags": []},
                    {"dst": "192.0.2.0/24", "dev": "eth0", "protocol": "kernel", "scope": "link",
                     "prefsrc": "192.0.2.41", "flags": []}]

    def flap(g, n):
        plain(g)
        for i in range(n):
            g.log("hv_netvsc %s eth0: Data path switched from VF: eth1" % GUID0, 7.0)
            g.log("hv_netvsc %s eth0: Data path switched to VF: eth1" % GUID0, 0.4)

    def vf_ip(g, where):
        plain(g)
        if where == "vf":  # what networkd/ifupdown do when told to DHCP every NIC
            g.addr("eth1", "192.0.2.42", 24)
            g.routes.insert(1, {"dst": "default", "gateway": "192.0.2.1", "dev": "eth1", "protocol": "dhcp",
                                "prefsrc": "192.0.2.42", "metric": 1024, "flags": []})

    def mana_gone(g):
        g.vf("eth1", "mana", VFG0, MAC0, master="eth0")
        boot_lines(g, "eth0", 1, "eth1", "mana", VFG0)
        removal_lines(g, "eth0", 1, "eth1")
        drop_netdev(g.m, "eth1", "eth0")
        g.netvsc_stats("eth0", (70000, 61000), (70000, 61000))
        g.addr("eth0", "192.0.2.41", 24)

    def never_joined(g):
        # the host offered VF slot 1; its PCI device never probed (no VF driver in the image)
        g.log("hv_netvsc %s eth0: VF slot 1 added" % GUID0)
        g.log("hv_pci %s: PCI VMBus probing: Using version 0x10004" % VFG0)
        g.netvsc_stats("eth0", (0, 0), (0, 0))
        g.addr("eth0", "192.0.2.41", 24)

    return {
        "netvsc-team": team,
        "netvsc-team-mana": lambda: {k: v for k, v in team("mana").items() if k in ("both", "one-vf-gone-xor")},
        "netvsc-flap": lambda: single([("flap", lambda g: flap(g, 12)), ("calm", lambda g: flap(g, 1))]),
        "netvsc-vf-ip": lambda: single([("vf-ip", lambda g: vf_ip(g, "vf")), ("syn-ip", lambda g: vf_ip(g, "eth0"))]),
        "netvsc-mana": lambda: single([("present", lambda g: plain(g, "mana")), ("gone", mana_gone),
                                       ("never-joined", never_joined)]),
        "netvsc-mac": lambda: single([("differs", lambda g: plain(g, vf_mac="00:0d:3a:6e:4a:99")),
                                      ("same", lambda g: plain(g))]),
    }


def drop_netdev(m, name, master):
    """Remove a VF that was hot-removed: its netdev, its PCI function, the
    links to it, its ip-link entry (the log lines stay)."""
    nd = m.netdevs.pop(name)
    d = nd["dir"]
    pci = os.path.dirname(os.path.dirname(d))
    vmb = os.path.dirname(os.path.dirname(pci))
    for k in [k for k in m.files if k.startswith(vmb + "/") or k == vmb]:
        del m.files[k]
    for k in [k for k in m.links if k.startswith(vmb + "/") or k == "sys/class/net/" + name or
              m.links[k].endswith("/" + os.path.basename(pci)) or m.links[k].endswith("/" + os.path.basename(vmb))
              or k.endswith("/lower_" + name)]:
        del m.links[k]
    m.links_json[:] = [j for j in m.links_json if j["ifname"] != name]
