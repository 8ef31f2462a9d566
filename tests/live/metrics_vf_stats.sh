#!/bin/bash
# Per-VF counters are exported only when the source gave them: a tree
# whose ip-link.json has VF 0's stats as older iproute2 printed them (no
# "dropped") has VF 0's packet and byte counters and no dropped series
# (unknown, not 0), VF 1 (every counter) has all of them, eth3's VFs (no
# stats) none; the same through a bundle (--from) and --textfile; promtool
# accepts each.
set -u
. "$TOP/tests/lib.sh"
F=$TOP/tests/fixtures/bundle/sysroot
[ -f "$F/ip-link.json" ] || skip "no fixture sysroot"
T=$(mktemp -d); trap 'rm -rf $T' EXIT
cp -a "$F" "$T/root"
python3 - "$T/root/ip-link.json" <<'P'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for l in d:
    if l["ifname"] != "eth0":
        continue
    vfs = l["vfinfo_list"]
    vfs[0]["stats"] = {"rx": {"bytes": 1000, "packets": 10, "multicast": 2, "broadcast": 3},
                       "tx": {"bytes": 2000, "packets": 20}}
    vfs[1]["stats"] = {"rx": {"bytes": 0, "packets": 0, "multicast": 0, "broadcast": 0, "dropped": 7},
                       "tx": {"bytes": 0, "packets": 0, "dropped": 0}}
json.dump(d, open(p, "w"))
P
check() { # FILE WHAT
	local f=$1 w=$2
	if command -v promtool >/dev/null; then
		promtool check metrics < "$f" > "$T/lint" 2>&1 || { cat "$T/lint"; fail "$w: promtool check metrics"; }
	fi
	grep -q '^vfscope_vf_receive_packets_total{pf="0000:01:00.0",vf="0"} 10$' "$f" || fail "$w: VF 0 rx packets"
	grep -q '^vfscope_vf_transmit_bytes_total{pf="0000:01:00.0",vf="0"} 2000$' "$f" || fail "$w: VF 0 tx bytes"
	grep -q '^vfscope_vf_receive_broadcast_packets_total{pf="0000:01:00.0",vf="0"} 3$' "$f" || fail "$w: VF 0 broadcast"
	grep -q '_dropped_packets_total{pf="0000:01:00.0",vf="0"}' "$f" && fail "$w: VF 0 dropped exported though not given"
	grep -q '^vfscope_vf_receive_dropped_packets_total{pf="0000:01:00.0",vf="1"} 7$' "$f" || fail "$w: VF 1 rx dropped"
	grep -q '^vfscope_vf_transmit_dropped_packets_total{pf="0000:01:00.0",vf="1"} 0$' "$f" || fail "$w: VF 1 tx dropped 0"
	grep -q '^vfscope_vf_receive_packets_total{pf="0000:01:00.0",vf="1"} 0$' "$f" || fail "$w: VF 1 rx packets 0"
	grep -q '^vfscope_vf_[a-z_]*_total{pf="0000:02:00.0"' "$f" && fail "$w: counters for VFs without stats"
	[ "$(grep -c '^vfscope_vf_[a-z_]*_total{' "$f")" = 14 ] || fail "$w: $(grep -c '^vfscope_vf_[a-z_]*_total{' "$f") VF counter samples, want 6 + 8"
}
"$VFSCOPE" metrics --once --sysroot "$T/root" > "$T/m.prom" || fail "metrics --once rc=$?"
check "$T/m.prom" sysroot
"$VFSCOPE" bundle --sysroot "$T/root" -o "$T/b.tar.gz" -d 0 >/dev/null || fail bundle
"$VFSCOPE" metrics --once --from "$T/b.tar.gz" > "$T/b.prom" || fail "metrics --from rc=$?"
check "$T/b.prom" bundle
"$VFSCOPE" metrics --once --sysroot "$T/root" --textfile "$T/t.prom" || fail "--once --textfile"
check "$T/t.prom" textfile
echo ok
