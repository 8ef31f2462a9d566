"""KVM guests with a net_failover pair whose primary is a real VF (iavf),
built for tests/corpus/cases/build (imported as cases_*.py). The layout
copies what the lab's real pair shows (tests/fixtures/lab/pair-healthy,
QEMU 10 + 6.12): master and standby under one virtioN whose driver is
virtio_net, the standby with phys_port_name "sby", both slaves with master
-> and upper_<master>, the master with lower_<slave> (the standby's a
sibling link ../ethX), no SLAVE flag on the slaves (net_failover marks them
IFF_FAILOVER_SLAVE, a private flag, not IFF_SLAVE), ip -d: parentbus virtio.
FACTS: tests/corpus/cases/failover-iavf/FACTS."""
import os

MAC = "52:54:00:6b:1e:01"


def rel(target, frm):
    return os.path.relpath(target, frm)


def guest(b, var):
    m = b.Machine("kvm-vm1")
    # the virtio-net standby device: PCI 0000:01:00.0 behind a root port, virtio0 under it
    pd = m.pci("0000:01:00.0", "0x1af4", "0x1041", "virtio-pci")
    vd = pd + "/virtio0"
    m.devpath["virtio0"] = vd
    m.w(vd + "/device", "0x0001")
    m.w(vd + "/vendor", "0x1af4")
    m.w(vd + "/features", "1100011111111111111101010000110010000000000000000000000000000000")
    m.ln(vd + "/driver", rel("sys/bus/virtio/drivers/virtio_net", vd))
    m.files.setdefault("sys/bus/virtio/drivers/virtio_net/.dir", None)
    m.ln(vd + "/subsystem", rel("sys/bus/virtio", vd))
    m.netdev("eth0", MAC, "virtio0")
    m.netdev("eth1", MAC, "virtio0", port_name="sby")
    for n in ("eth0", "eth1"):
        j = m.netdevs[n]["json"]
        j["parentbus"], j["parentdev"] = "virtio", "virtio0"
        j["qdisc"] = "noqueue" if n == "eth0" else "fq_codel"
    md, sd = m.netdevs["eth0"]["dir"], m.netdevs["eth1"]["dir"]
    slaves = ["eth1"]
    if var != "gone":
        # the VF QEMU plugs as primary: an Intel E810 VF (iavf) passed through
        m.pci("0000:02:00.0", "0x8086", "0x1889", "iavf")
        m.netdev("eth2", MAC if var != "mac" else "52:54:00:6b:1e:99", "0000:02:00.0", speed=25000)
        m.netdevs["eth2"]["json"]["qdisc"] = "mq"
        slaves.append("eth2")
    for s in slaves:
        d = m.netdevs[s]["dir"]
        m.ln(d + "/master", rel(md, d))
        m.ln(d + "/upper_eth0", rel(md, d))
        m.ln("%s/lower_%s" % (md, s), rel(d, md))
        j = m.netdevs[s]["json"]
        items = list(j.items())
        j.clear()
        for k, v in items:
            j[k] = v
            if k == "qdisc":
                j["master"] = "eth0"
    m.w("ethtool-i/eth0", "driver: net_failover\nversion: 0.1\nfirmware-version: \nexpansion-rom-version: \n"
        "bus-info: virtio0\nsupports-statistics: no\nsupports-test: no\nsupports-eeprom-access: no\n"
        "supports-register-dump: no\nsupports-priv-flags: no")
    t = 1.8
    for line in ("virtio_net virtio0 eth0: failover master:eth0 registered",
                 "virtio_net virtio0 eth0: failover standby slave:eth1 registered",
                 "iavf 0000:02:00.0: Multiqueue Enabled: Queue pair count = 4",
                 "virtio_net virtio0 eth0: failover primary slave:eth2 registered"):
        t += 0.1
        m.dmesg.append((t, line))
    if var == "gone":
        m.dmesg.append((t + 610.0, "virtio_net virtio0 eth0: failover primary slave:eth2 unregistered"))
    return m


def cases(b):
    return {"failover-iavf": lambda: {v: {"host": None, "guest": guest(b, v)} for v in ("healthy", "gone", "mac")}}
