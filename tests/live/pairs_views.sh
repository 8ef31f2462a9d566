#!/bin/bash
# The views of paravirtual failover pairs (docs/pairs.md) on the lab's real
# net_failover captures (tests/fixtures/lab/pair-*: QEMU 10 virtio-net
# failover=on + e1000e failover_pair_id, 6.12 guest; names.txt says which
# netdev is which): snapshot text and JSON (and the JSON read back), a
# bundle read back, metrics --once, and top's Teams panel under tmux.
set -u
. "$TOP/tests/lib.sh"
L=$TOP/tests/fixtures/lab
[ -d "$L/pair-bond/host/sys" ] || skip "no lab pair captures"
T=$(mktemp -d); trap 'rm -rf $T; T kill-server 2>/dev/null' EXIT
. "$L/pair-bond/names.txt"   # M0 S0 P0 M1 S1 P1; in pair-bond pair 0 has lost its primary

# snapshot text: both levels of the bond over pairs, roles, data paths
"$VFSCOPE" snapshot --sysroot "$L/pair-bond/host" > "$T/s.txt" || fail "snapshot rc=$?"
grep -q "^pair $M0 (net_failover) .* data path standby $S0 \[derived: " "$T/s.txt" || fail "pair 0 on the standby: $(grep ^pair "$T/s.txt")"
grep -q "^pair $M1 (net_failover) .* data path primary $P1 \[derived: " "$T/s.txt" || fail "pair 1 on the primary"
grep -q "^  (no primary)" "$T/s.txt" || fail "pair 0 has no primary"
grep -q -- "-> pair $M1 (net_failover) data path primary $P1" "$T/s.txt" || fail "bond member -> pair"
grep -qE "^  primary +$P1 " "$T/s.txt" && grep -qE "^  standby +$S1 " "$T/s.txt" || fail "member roles"

# JSON, and the same read back (--guest-file takes a snapshot document)
"$VFSCOPE" snapshot --json --sysroot "$L/pair-bond/host" > "$T/s.json" || fail "snapshot --json"
check_json() {
	python3 - "$1" "$M0" "$S0" "$M1" "$P1" <<'P' || fail "JSON $1"
import json, sys
d = json.load(open(sys.argv[1])); m0, s0, m1, p1 = sys.argv[2:]
if d.get("role") == "host" and d.get("guests"):
    d = d["guests"][0]
t = {x["name"]: x for x in d["teams"]}
assert t["bond0"]["driver"] == "bonding" and "pair" not in t["bond0"], t["bond0"]
assert all("role" not in mb for mb in t["bond0"]["members"])
a, b = t[m0], t[m1]
assert a["driver"] == b["driver"] == "net_failover"
assert a["pair"]["datapath"] == "standby" and a["pair"]["datapath_member"] == s0, a["pair"]
assert a["pair"]["src"]["datapath"] in ("derived", "guest", "bundle")  # a guest file or bundle says where it came from
assert b["pair"]["datapath"] == "primary" and b["pair"]["datapath_member"] == p1
assert {mb["name"]: mb["role"] for mb in b["members"]}[p1] == "primary"
assert [mb["role"] for mb in a["members"]] == ["standby"]
assert isinstance(a["pair"]["datapath_switches"], int) and a["pair"]["src"]["datapath_switches"] in ("kmsg", "guest", "bundle")
P
}
check_json "$T/s.json"
"$VFSCOPE" snapshot --json --guest-file "$T/s.json" --sysroot "$L/pair-healthy/host" > "$T/g.json" || fail "guest file"
check_json "$T/g.json"

# vfscope live inside the lab VM (tests/fixtures/lab/pair-live: sysfs, netlink,
# kmsg and ethtool of a real pair) read back as guest views
. "$L/pair-live/names.txt"
for st in healthy gone; do
	"$VFSCOPE" snapshot --json --guest-file "$L/pair-live/live-$st.json" --sysroot "$L/pair-healthy/host" > "$T/l.json" ||
		fail "live-$st read back"
	python3 - "$T/l.json" "$st" "$M0" "$S0" "$P0" <<'P' || fail "live-$st"
import json, sys
d = json.load(open(sys.argv[1]))["guests"][0]; st, m0, s0, p0 = sys.argv[2:]
t = {x["name"]: x for x in d["teams"]}[m0]
roles = {mb["name"]: mb.get("role") for mb in t["members"]}
assert t["driver"] == "net_failover", t["driver"]
if st == "healthy":
    assert roles == {s0: "standby", p0: "primary"}, roles
    assert t["pair"]["datapath"] == "primary" and t["pair"]["datapath_member"] == p0, t["pair"]
else:
    assert roles == {s0: "standby"}, roles
    assert t["pair"]["datapath"] == "standby" and t["pair"]["datapath_switches"] == 2, t["pair"]
P
done
. "$L/pair-bond/names.txt"

# a bundle of the tree read back keeps the pairs
"$VFSCOPE" bundle --sysroot "$L/pair-bond/host" -o "$T/b.tar.gz" -d 0 > /dev/null || fail "bundle rc=$?"
"$VFSCOPE" snapshot --json --from "$T/b.tar.gz" > "$T/b.json" || fail "snapshot --from bundle"
check_json "$T/b.json"

# metrics: the data path per pair, 1 for the carrying path and 0 for the other
"$VFSCOPE" metrics --once --sysroot "$L/pair-bond/host" > "$T/m.txt" || fail "metrics rc=$?"
for want in "vfscope_pair_datapath{machine=\"host\",team=\"$M0\",path=\"standby\"} 1" \
	"vfscope_pair_datapath{machine=\"host\",team=\"$M0\",path=\"primary\"} 0" \
	"vfscope_pair_datapath{machine=\"host\",team=\"$M1\",path=\"primary\"} 1" \
	"vfscope_team_info{machine=\"host\",team=\"$M1\",driver=\"net_failover\""; do
	grep -qF "$want" "$T/m.txt" || fail "metrics lack: $want"
done
grep -q "^vfscope_pair_datapath_switches{machine=\"host\",team=\"$M0\"} [0-9]" "$T/m.txt" || fail "switches"
if command -v promtool >/dev/null; then promtool check metrics < "$T/m.txt" || fail "promtool check metrics"; fi

# top: the Teams panel names the pairs, their paths and roles
command -v tmux >/dev/null || { echo "tmux missing: top not checked"; exit 0; }
S=vfst-pairs-$$
T() { tmux -L "$S" "$@"; }
T -f /dev/null new-session -d -x 120 -y 40 "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 VFSCOPE_NO_PROBES=1 $(printf %q "$VFSCOPE") top --sysroot $(printf %q "$L/pair-bond/host"); sleep 600" || fail "tmux"
for i in $(seq 50); do T capture-pane -p | grep -q "Events" && break; sleep 0.2; done
sleep 1
T capture-pane -p > "$T/top.txt"
T send-keys q
grep -q "$M1 @host net_failover via primary" "$T/top.txt" || fail "top: pair 1 line: $(grep net_failover "$T/top.txt")"
grep -q "$M0 @host net_failover via standby" "$T/top.txt" || fail "top: pair 0 line"
grep -qE "$M1 +UP +pair via primary" "$T/top.txt" || fail "top: bond member shows its pair's path"
grep -qE "$P1 +UP +primary e1000e" "$T/top.txt" || fail "top: member role"
echo "pairs: snapshot, JSON (+ read back), bundle, metrics, top"
