#!/usr/bin/env python3
"""Compare vfscope's view of a machine read from a sos report (snapshot --json
--from REPORT) with a live `vfscope snapshot --json` of the same machine taken
at the same time. Used by tests/live/sos_report.sh and tests/lab/scenario_sos.sh.

  sos_compare.py [--vfs] [--team NAME]... FROM_SOS.json LIVE.json

Checked, for every netdev of the live view: the same name, MAC, MTU, admin
state and operstate in the sos view (each known there when known live); the
host name and kernel; every team (name, mode, members, active member) and,
with --vfs, every PF's VFs (index, MAC, spoof check, trust, link-state, VLAN,
QoS; the VF's PCI address and driver when the sos view has them). --team NAME: that team
must be there. Exit 1 with one line per difference."""
import json
import sys

args = sys.argv[1:]
want_vfs = False
teams_needed = []
while args and args[0].startswith("--"):
    a = args.pop(0)
    if a == "--vfs":
        want_vfs = True
    elif a == "--team":
        teams_needed.append(args.pop(0))
    else:
        sys.exit("unknown option " + a)
if len(args) != 2:
    sys.exit(__doc__)
sos, live = (json.load(open(p)) for p in args)
diffs = []


def same(what, a, b):
    if a != b:
        diffs.append("%s: sos %r, live %r" % (what, a, b))


def fields(what, x, y, keys):
    for k in keys:
        if y.get(k) is None:
            continue  # unknown live: nothing to compare
        same("%s %s" % (what, k), x.get(k), y.get(k))


same("hostname", sos.get("hostname"), live.get("hostname"))
same("kernel", sos.get("kernel"), live.get("kernel"))
sn = {n["name"]: n for n in sos.get("netdevs", [])}
ln = {n["name"]: n for n in live.get("netdevs", [])}
same("netdev names", sorted(sn), sorted(ln))
for name, y in ln.items():
    if name in sn:
        fields("netdev " + name, sn[name], y, ["mac", "mtu", "admin_up", "operstate", "master"])

st = {t["name"]: t for t in sos.get("teams", [])}
lt = {t["name"]: t for t in live.get("teams", [])}
same("team names", sorted(st), sorted(lt))
for name in teams_needed:
    if name not in lt:
        diffs.append("team %s: not in the live view" % name)
for name, y in lt.items():
    x = st.get(name)
    if not x:
        continue
    fields("team " + name, x, y, ["mode", "active", "miimon"])
    same("team %s members" % name, sorted(m["name"] for m in x.get("members", [])),
         sorted(m["name"] for m in y.get("members", [])))
    xm = {m["name"]: m for m in x.get("members", [])}
    for m in y.get("members", []):
        if m["name"] in xm:
            fields("team %s member %s" % (name, m["name"]), xm[m["name"]], m,
                   ["state", "mii_status", "perm_mac"])

if want_vfs:
    sp = {p["pci"]: p for p in sos.get("pfs", [])}
    lp = {p["pci"]: p for p in live.get("pfs", [])}
    same("PFs", sorted(sp), sorted(lp))
    for pci, y in lp.items():
        x = sp.get(pci)
        if not x:
            continue
        same("PF %s netdev" % pci, x.get("netdev"), y.get("netdev"))
        xv = {v["index"]: v for v in x.get("vfs", [])}
        yv = {v["index"]: v for v in y.get("vfs", [])}
        same("PF %s VF indexes" % pci, sorted(xv), sorted(yv))
        for i, v in yv.items():
            u = xv.get(i)
            if not u:
                continue
            fields("PF %s VF %d" % (pci, i), u, v,
                   ["mac", "spoofchk", "trust", "link_state", "vlan", "qos"])
            for k in ("pci", "driver"):  # when the report says it
                if u.get(k) is not None:
                    same("PF %s VF %d %s" % (pci, i, k), u.get(k), v.get(k))

for d in diffs:
    print("DIFF " + d)
print("compared %d netdevs, %d teams, %d PFs: %d differences" % (
    len(ln), len(lt), len(live.get("pfs", [])) if want_vfs else 0, len(diffs)))
sys.exit(1 if diffs else 0)
