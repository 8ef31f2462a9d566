#!/bin/bash
# vfscope snapshot on sysroots captured from the real lab kernel, checked
# field by field against what those sources say: iproute2's own JSON
# (ip -d -j link show, captured beside each tree), the sysfs files, and
# /proc/net/bonding as the bonding driver printed it.
set -u
. "$TOP/tests/lib.sh"
L=$TOP/tests/fixtures/lab
ls "$L"/*/host >/dev/null 2>&1 || skip "no lab fixtures under tests/fixtures/lab"
d=$(mktemp -d); trap 'rm -rf $d' EXIT
n=0
for dir in "$L"/*/; do
	sc=$(basename "$dir")
	for side in host guest; do
		root=$dir$side
		[ -d "$root/sys" ] || continue
		"$VFSCOPE" snapshot --json --sysroot "$root" > "$d/s.json" || fail "$sc/$side: exit $?"
		python3 - "$d/s.json" "$root" "$sc/$side" <<'P' || exit 1
import json, os, re, sys
snap = json.load(open(sys.argv[1])); root = sys.argv[2]; name = sys.argv[3]
ip = json.load(open(os.path.join(root, "ip-link.json")))
bad = []
def eq(what, got, want):
    if got != want:
        bad.append(f"{what}: vfscope {got!r}, source {want!r}")
nd = {n["name"]: n for n in snap["netdevs"]}
def sysfs(ifname, attr):
    try:
        return open(os.path.join(root, "sys/class/net", ifname, attr)).read().strip()
    except OSError:
        return None
for l in ip:
    n = nd.get(l["ifname"])
    if n is None:
        bad.append(f"netdev {l['ifname']} missing"); continue
    if l.get("link_type") == "ether":
        eq(f"{l['ifname']} mac", n["mac"], l["address"])
    eq(f"{l['ifname']} mtu", n["mtu"], l["mtu"])
    c = sysfs(l["ifname"], "carrier")
    if c is not None:
        eq(f"{l['ifname']} carrier", n["carrier"], int(c))
    eq(f"{l['ifname']} operstate", n["operstate"], l["operstate"].lower())
    if l.get("master"):
        eq(f"{l['ifname']} master", n["master"], l["master"])
# PFs and VFs: sysfs counts and links, iproute2's VF settings.
pfs = {p["pci"]: p for p in snap["pfs"]}
for l in ip:
    if "vfinfo_list" not in l:
        continue
    p = pfs.get(l.get("parentdev"))
    if p is None:
        bad.append(f"PF {l.get('parentdev')} missing"); continue
    eq(f"PF {p['pci']} netdev", p["netdev"], l["ifname"])
    dev = os.path.join(root, "sys/bus/pci/devices", p["pci"])
    eq(f"PF {p['pci']} numvfs", p["sriov_numvfs"], int(open(dev + "/sriov_numvfs").read()))
    eq(f"PF {p['pci']} totalvfs", p["sriov_totalvfs"], int(open(dev + "/sriov_totalvfs").read()))
    eq(f"PF {p['pci']} driver", p["driver"], os.path.basename(os.readlink(dev + "/driver")))
    vfs = {v["index"]: v for v in p["vfs"]}
    for vi in l["vfinfo_list"]:
        v = vfs.get(vi["vf"])
        if v is None:
            bad.append(f"PF {p['pci']} VF {vi['vf']} missing"); continue
        w = f"PF {p['pci']} VF {vi['vf']}"
        eq(w + " mac", v["mac"], vi["address"])
        eq(w + " spoofchk", v["spoofchk"], int(vi["spoofchk"]))
        eq(w + " trust", v["trust"], int(vi["trust"]))
        eq(w + " link_state", v["link_state_name"], vi["link_state"])
        eq(w + " pci", v["pci"], os.path.basename(os.readlink(f"{dev}/virtfn{vi['vf']}")))
# Teams: /proc/net/bonding as the driver printed it.
teams = {t["name"]: t for t in snap["teams"]}
bdir = os.path.join(root, "proc/net/bonding")
for b in (os.listdir(bdir) if os.path.isdir(bdir) else []):
    txt = open(os.path.join(bdir, b)).read()
    t = teams.get(b)
    if t is None:
        bad.append(f"team {b} missing"); continue
    # bonding's bond_mode_names (drivers/net/bonding/bond_procfs.c prints these)
    names = {"load balancing (round-robin)": "balance-rr", "fault-tolerance (active-backup)": "active-backup",
             "load balancing (xor)": "balance-xor", "fault-tolerance (broadcast)": "broadcast",
             "IEEE 802.3ad Dynamic link aggregation": "802.3ad", "transmit load balancing": "balance-tlb",
             "adaptive load balancing": "balance-alb"}
    m = re.search(r"Bonding Mode: (.*)", txt).group(1).strip()
    eq(f"team {b} mode", t["mode"], names.get(m, m))
    act = re.search(r"Currently Active Slave: (\S+)", txt)
    if act and act.group(1) != "None":
        eq(f"team {b} active", t["active"], act.group(1))
    mi = re.search(r"MII Polling Interval \(ms\): (\d+)", txt)
    eq(f"team {b} miimon", t["miimon"], int(mi.group(1)))
    mem = {x["name"]: x for x in t["members"]}
    for blk in txt.split("Slave Interface: ")[1:]:
        s = blk.split("\n")[0].strip()
        x = mem.get(s)
        if x is None:
            bad.append(f"member {s} missing"); continue
        eq(f"member {s} mii", x["mii_status"], re.search(r"MII Status: (\S+)", blk).group(1))
        eq(f"member {s} perm", x["perm_mac"], re.search(r"Permanent HW addr: (\S+)", blk).group(1))
        eq(f"member {s} failures", x["link_failures"], int(re.search(r"Link Failure Count: (\d+)", blk).group(1)))
    eq(f"team {b} member count", len(t["members"]), txt.count("Slave Interface: "))
if bad:
    print(name + ":\n  " + "\n  ".join(bad)); sys.exit(1)
print(f"{name}: {len(ip)} links, {sum(len(p['vfs']) for p in snap['pfs'])} VFs, {len(teams)} teams match their sources")
P
		n=$((n + 1))
	done
done
[ $n -gt 0 ] || fail "no trees checked"
# The sample machine has the mismatch the demo is about: PF0 carrier 0.
[ "$(cat "$L/pf-link-down/host/sys/class/net/$(basename "$(ls -d "$L"/pf-link-down/host/sys/bus/pci/devices/0000:01:00.0/net/* | head -1)")/carrier")" = 0 ] || fail "pf-link-down fixture: PF0 carrier is not 0"
echo "$n trees match"
