#!/bin/bash
# `vfscope metrics --once` passes `promtool check metrics`, has the families
# docs/metrics.md promises, escapes label values (a guest label with a
# quote, a backslash and a newline-free path), and reads bundles too.
set -u
. "$TOP/tests/lib.sh"
command -v promtool >/dev/null || skip "promtool not installed (Debian prometheus package)"
F=$TOP/tests/fixtures/bundle/sysroot
[ -d "$F/sys" ] || skip "no fixture sysroot"
T=$(mktemp -d); trap 'rm -rf $T' EXIT
# a guest view whose label (its file name) needs escaping
g="$T/gu\"est\\x.json"
python3 - "$g" <<'P'
import json, sys
json.dump({"schema": 1, "role": "guest", "hostname": "g1", "time_ns": 0, "sources": [], "warnings": [], "pfs": [],
           "netdevs": [{"name": "eth0", "mac": "02:00:00:00:00:00", "carrier": 1, "mtu": 1500}],
           "teams": [{"name": "bond0", "driver": "bonding", "mode": "active-backup",
                      "members": [{"name": "eth0", "state": "active", "mii_status": "down", "link_failures": 3}]}]},
          open(sys.argv[1], "w"))
P
"$VFSCOPE" metrics --once --sysroot "$F" --guest-file "$g" > "$T/m.prom" || fail "metrics --once rc=$?"
promtool check metrics < "$T/m.prom" > "$T/lint" 2>&1 || { cat "$T/lint"; fail "promtool check metrics"; }
for fam in vfscope_build_info vfscope_pf_info vfscope_pf_link_up vfscope_pf_link_speed_bytes vfscope_vf_info \
	vfscope_netdev_info vfscope_netdev_up vfscope_team_info vfscope_team_member_up vfscope_team_member_active \
	vfscope_team_member_link_failures_total vfscope_probe_up vfscope_findings vfscope_collector_duration_seconds \
	vfscope_collector_success vfscope_collection_age_seconds vfscope_collections_total; do
	grep -q "^# TYPE $fam " "$T/m.prom" || fail "family $fam missing"
	grep -q "^# HELP $fam " "$T/m.prom" || fail "HELP for $fam missing"
done
grep -q '^vfscope_pf_link_speed_bytes{pf="0000:01:00.0"} 125000000$' "$T/m.prom" || fail "PF speed in bytes/s"
grep -q '^vfscope_vf_info{pf="0000:01:00.0",vf="0",pci="0000:01:10.0",netdev="eth1",driver="igbvf",mac="02:00:00:00:00:00",vlan="0",spoofchk="1",trust="0",link_state="auto"' "$T/m.prom" ||
	fail "vf_info labels"
grep -q '^vfscope_team_member_active{machine="host",team="bond0",member="eth1"} 1$' "$T/m.prom" || fail "active member"
grep -q '^vfscope_team_member_active{machine="host",team="bond0",member="eth4"} 0$' "$T/m.prom" || fail "backup member"
# VFS004 on this tree rests on configuration only (eth4's VF has a MAC set
# and trust off; the kernel log's refusal is for eth1, which keeps its own
# MAC): info, and the rule's highest severity (error) is present at 0
grep -q '^vfscope_findings{rule="VFS004-mac-change-refused",severity="info"} 1$' "$T/m.prom" || fail "VFS004 at info"
grep -q '^vfscope_findings{rule="VFS004-mac-change-refused",severity="error"} 0$' "$T/m.prom" || fail "VFS004 error series not 0"
nr=$(grep '^vfscope_findings{' "$T/m.prom" | grep -o 'rule="[^"]*"' | sort -u | wc -l)
[ "$nr" -ge 19 ] && [ "$(grep -c '^vfscope_findings{' "$T/m.prom")" = $((nr + 1)) ] ||
	fail "findings series: one per rule plus VFS004's info pair ($nr rules)"
grep -q '^vfscope_probe_up{probe="bpf"} 0$' "$T/m.prom" || fail "probe_up 0 without probes"
grep -q 'vfscope_mailbox_messages_total' "$T/m.prom" && fail "mailbox counters without probes"
grep -qF 'machine="'"$T"'/gu\"est\\x.json"' "$T/m.prom" || fail "label escaping: $(grep -m1 'gu' "$T/m.prom")"
grep -q 'vfscope_team_member_link_failures_total{machine=".*",team="bond0",member="eth0"} 3$' "$T/m.prom" || fail "guest link failures"
grep -q '^vfscope_collector_success{source="guest:' "$T/m.prom" || fail "guest step"
# the same tree with igb's refusal line for eth4's VF (0000:02:00.0 VF 0) in
# its kernel log: a record says it, so VFS004 is an error (and no info series)
cp -a "$F" "$T/refused"
echo '4,103,8000000,-;igb 0000:02:00.0: VF 0 attempted to override administratively set MAC address 02:00:00:00:00:00' \
	>> "$T/refused/kmsg.txt"
"$VFSCOPE" metrics --once --sysroot "$T/refused" > "$T/r.prom" || fail "metrics --once (refusal) rc=$?"
promtool check metrics < "$T/r.prom" >/dev/null 2>&1 || fail "promtool on the refusal tree"
grep -q '^vfscope_findings{rule="VFS004-mac-change-refused",severity="error"} 1$' "$T/r.prom" ||
	fail "VFS004 error with a refusal record: $(grep VFS004 "$T/r.prom")"
grep -q 'VFS004-mac-change-refused",severity="info"' "$T/r.prom" && fail "VFS004 info series beside the error"
# every family has one TYPE line, samples of a family are contiguous
python3 - "$T/m.prom" <<'P' || fail "families not contiguous or duplicated"
import sys
seen, cur = set(), None
for l in open(sys.argv[1]):
    if l.startswith("# TYPE "):
        n = l.split()[2]
        assert n not in seen, n
        seen.add(n); cur = n
    elif not l.startswith("#"):
        assert l.split("{")[0].split(" ")[0] == cur, l
P
# from a bundle, the same model series
"$VFSCOPE" bundle --sysroot "$F" -o "$T/b.tar.gz" -d 0 >/dev/null || fail bundle
"$VFSCOPE" metrics --once --from "$T/b.tar.gz" > "$T/b.prom" || fail "metrics --from"
promtool check metrics < "$T/b.prom" >/dev/null 2>&1 || fail "promtool on --from output"
diff <(grep -E '^vfscope_(pf|vf|team|findings)' "$T/b.prom") <(grep -E '^vfscope_(pf|vf|team|findings)' \
	<("$VFSCOPE" metrics --once --sysroot "$F")) || fail "metrics from the bundle differ"
echo ok
