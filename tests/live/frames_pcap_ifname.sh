#!/bin/bash
# --pcap IF=FILE on a tree whose PF names its netdev only through its
# device (node_exporter's fixture: 0000:45:00.0's device/net/ens10f0, no
# class/net/ens10f0): the LLDP is applied to that PF and no warning says
# otherwise; a name the machine does not have is warned about and its LLDP
# names no PF. LLDP_and_CDP.pcap (tcpdump's test capture) has two switches
# taking turns on the port: one warning with the count, not one per change;
# a single change (two files) keeps the plain two-chassis warning.
set -u
. "$TOP/tests/lib.sh"
R=$TOP/tests/corpus/sysfs-node_exporter/node_exporter P=$TOP/tests/corpus/pcap
[ -d "$R/sys" ] || skip "no node_exporter fixture"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$VFSCOPE" snapshot --json --sysroot "$R" --pcap "ens10f0=$P/LLDP_and_CDP.pcap" > "$T/a.json" 2> "$T/a.err" ||
	fail "snapshot rc=$? $(cat "$T/a.err")"
python3 - "$T/a.json" <<'P' || fail "ens10f0 LLDP"
import json, sys
d = json.load(open(sys.argv[1]))
pf = [p for p in d["pfs"] if p["pci"] == "0000:45:00.0"][0]
assert pf["lldp_chassis"] == "00:18:ba:98:68:8f", pf.get("lldp_chassis")
assert pf["lldp_port"] == "Fa0/13", pf.get("lldp_port")
w = d["warnings"]
assert not [x for x in w if "not a netdev" in x], w
lw = [x for x in w if "LLDP" in x]
assert len(lw) == 1, lw
assert lw[0].startswith("PF ens10f0: LLDP from 2 chassis (00:19:2f:a7:b2:8d, 00:18:ba:98:68:8f): the neighbour "
                        "changed 7 times between 2010-10-02T03:00:42.629Z and 2010-10-02T03:02:11.900Z; keeping the "
                        "latest, 00:18:ba:98:68:8f"), lw
P
# the text output says the same once
"$VFSCOPE" snapshot --sysroot "$R" --pcap "ens10f0=$P/LLDP_and_CDP.pcap" > "$T/a.txt" 2>&1 || fail "snapshot text"
[ "$(grep -c 'LLDP' "$T/a.txt")" = 1 ] || fail "text warnings: $(grep LLDP "$T/a.txt")"
grep -q 'switch: chassis 00:18:ba:98:68:8f port Fa0/13' "$T/a.txt" || fail "PF switch line"
# a name this machine does not have: warned, and no PF takes its LLDP
"$VFSCOPE" snapshot --json --sysroot "$R" --pcap "nosuch0=$P/LLDP_and_CDP.pcap" > "$T/b.json" 2>/dev/null ||
	fail "snapshot nosuch0"
python3 - "$T/b.json" <<'P' || fail "nosuch0"
import json, sys
d = json.load(open(sys.argv[1]))
assert not [p for p in d["pfs"] if p.get("lldp_chassis")], d["pfs"]
w = d["warnings"]
assert [x for x in w if "nosuch0 is not a netdev of this machine; its frames are kept as events only" in x], w
assert not [x for x in w if "LLDP from" in x], w
assert [e for e in d.get("events", []) if e.get("ifname") == "nosuch0" and e.get("text", "").startswith("LLDP")], \
    "LLDP events on nosuch0"
P
# one change: two files, each with one neighbour
"$VFSCOPE" snapshot --json --sysroot "$R" --pcap "ens10f0=$P/lldp_mudurl.pcap" \
	--pcap "ens10f0=$P/lldp-app-priority.pcap" > "$T/c.json" 2>/dev/null || fail "snapshot two files"
python3 - "$T/c.json" <<'P' || fail "one change"
import json, sys
d = json.load(open(sys.argv[1]))
lw = [x for x in d["warnings"] if "LLDP" in x]
assert len(lw) == 1 and lw[0].startswith("PF ens10f0: LLDP from two chassis, 00:23:54:c2:57:02 and then "
                                         "00:00:00:02:00:02 (at "), lw
pf = [p for p in d["pfs"] if p["pci"] == "0000:45:00.0"][0]
assert pf["lldp_chassis"] == "00:00:00:02:00:02", pf.get("lldp_chassis")
P
echo ok
