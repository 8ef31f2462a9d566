#!/bin/bash
# Real lldpd as "the switch": netns S runs lldpd on sw0 and sw1 (one
# chassis, two ports); netns H has eth0 <-> sw0 and eth1 <-> sw1, named like
# the lab fixture's PF netdevs (both bridge ports, so they count as team
# members for --capture). Then:
#  1. `vfscope capture` on eth0,eth1 writes pcapng whose interface names put
#     each LLDPDU on its PF: `check --pcap FILE` against the lab fixture
#     (healthy: bond0 over PF0 VF0 + PF1 VF0) fills pf->lldp_* (source lldp)
#     and reports VFS003 "same switch chassis (LLDP)" with the switch in the
#     path; a classic pcap (tcpdump) needs and honours IF=.
#  2. A directory bundle with that capture as control.pcap gets the switch
#     when read (--from).
#  3. `snapshot --capture 3` live in H: LLDP and a gratuitous ARP (arping -U
#     in S) arrive as EV_FRAME events, source "capture".
set -u
. "$TOP/tests/lib.sh"
need_root
for t in lldpd lldpcli arping tcpdump; do command -v $t >/dev/null || skip "$t not installed (scripts/setup)"; done
# mkns runs in $(...): delete the namespaces by name here
S=$(mkns s) H=$(mkns h)
NSES=("$S" "$H")
T=$(mktemp -d /run/vfst-lldp.XXXXXX)
chmod 755 "$T" # lldpd drops to _lldpd and must reach its socket
lp=
cleanup() { [ -n "$lp" ] && kill "$lp" 2>/dev/null; sleep 0.3; rm -rf "$T"; cleanup_ns; }
trap cleanup EXIT
ip link add sw0 netns "$S" address 02:00:00:00:5a:00 type veth peer name eth0 netns "$H" address 02:00:00:00:5b:00 || skip "no veth"
ip link add sw1 netns "$S" address 02:00:00:00:5a:01 type veth peer name eth1 netns "$H" address 02:00:00:00:5b:01
ip -n "$H" link add br0 type bridge || skip "no bridge"
for l in eth0 eth1; do ip -n "$H" link set $l master br0; ip -n "$H" link set $l up; done
ip -n "$H" link set br0 up
for l in sw0 sw1 lo; do ip -n "$S" link set $l up; done
ip -n "$S" addr add 198.51.100.1/24 dev sw0
ip -n "$S" addr add 2001:db8:5a::1/64 dev sw0 nodad
# lldpd with a private socket; its system name is the namespace's own UTS name
ip netns exec "$S" unshare --uts sh -c "hostname vfst-switch; exec lldpd -d -u $T/lldpd.sock -p $T/lldpd.pid -I sw0,sw1 -S 'vfscope test switch'" >"$T/lldpd.log" 2>&1 &
lp=$!
for i in $(seq 50); do [ -S "$T/lldpd.sock" ] && break; sleep 0.1; done
ip netns exec "$S" lldpcli -u "$T/lldpd.sock" configure lldp tx-interval 1 >/dev/null 2>&1 || true

F=$TOP/tests/fixtures/lab/healthy
ip netns exec "$H" "$VFSCOPE" capture -i eth0,eth1 -w "$T/c.pcapng" --duration 4 2>"$T/cap.err" &
cp=$!
ip netns exec "$H" tcpdump -i eth1 -U -w "$T/classic.pcap" 'ether proto 0x88cc' 2>/dev/null &
tp=$!
wait $cp || fail "capture: $(cat "$T/cap.err")"
kill -INT $tp; wait $tp
"$VFSCOPE" decode --pcap "$T/c.pcapng" > "$T/decode.txt" || fail decode
grep -q ' eth0 .*LLDP chassis mac .*name "vfst-switch"' "$T/decode.txt" || fail "no LLDP on eth0: $(cat "$T/lldpd.log" "$T/decode.txt")"
grep -q ' eth1 .*LLDP chassis mac .*port mac 02:00:00:00:5a:01' "$T/decode.txt" || fail "no LLDP on eth1: $(cat "$T/decode.txt")"

# 1. pcapng names -> PFs eth0/eth1 of the fixture
"$VFSCOPE" snapshot --json --sysroot "$F/host" --pcap "$T/c.pcapng" > "$T/snap.json" || fail "snapshot --pcap"
python3 - "$T/snap.json" <<'P' || fail "snapshot: switch identity"
import json, sys
d = json.load(open(sys.argv[1]))
pf = {p['netdev']: p for p in d['pfs']}
c0, c1 = pf['eth0']['lldp_chassis'], pf['eth1']['lldp_chassis']
assert c0 and c0 == c1, (c0, c1)
assert pf['eth0']['lldp_port'] == '02:00:00:00:5a:00', pf['eth0']['lldp_port']
assert pf['eth1']['lldp_port'] == '02:00:00:00:5a:01', pf['eth1']['lldp_port']
assert pf['eth0']['lldp_sysname'] == 'vfst-switch'
for k in ('lldp_chassis', 'lldp_port', 'lldp_sysname'):
    assert pf['eth0']['src'][k] == 'lldp', pf['eth0']['src']
src = [s for s in d['sources'] if s['name'] == 'pcap']
assert src and src[0]['status'] == 'ok' and 'eth0,eth1' in src[0]['detail'], src
ev = [e for e in d['events'] if e['kind'] == 'frame' and e['text'].startswith('LLDP')]
assert {e['ifname'] for e in ev} == {'eth0', 'eth1'}, ev
assert all(e['probe'] == 'pcap' and e['ts_real_ns'] > 0 for e in ev)
P
"$VFSCOPE" check --json --sysroot "$F/host" --guest-file "$F/guest-snapshot.json" --pcap "$T/c.pcapng" > "$T/check.json"
python3 - "$T/check.json" <<'P' || fail "check: same-switch finding"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d['findings'] if x['id'] == 'VFS003-shared-pf']
assert len(f) == 1 and f[0]['severity'] == 'info', [(x['id'], x['subject']) for x in d['findings']]
ev = {(e['what'], e['value'], e['source']) for e in f[0]['evidence']}
assert ('shared', 'same switch chassis (LLDP)', 'derived') in ev, ev
assert any(w == 'LLDP chassis' and s == 'lldp' for w, v, s in ev), ev
paths = [v for w, v, s in ev if w == 'path']
assert any('-> switch vfst-switch port 02:00:00:00:5a:00' in p for p in paths), paths
assert any('-> switch vfst-switch port 02:00:00:00:5a:01' in p for p in paths), paths
P
# without the capture the fixture has no such finding
"$VFSCOPE" check --json --sysroot "$F/host" --guest-file "$F/guest-snapshot.json" > "$T/check0.json"
json_get "$T/check0.json" "[x['id'] for x in d['findings']]" | grep -q VFS003 && fail "VFS003 without LLDP"
# classic pcap: no interface names; IF,IF= puts its frames on both PFs
[ -s "$T/classic.pcap" ] || fail "tcpdump wrote nothing"
"$VFSCOPE" snapshot --json --sysroot "$F/host" --pcap "$T/classic.pcap" > "$T/nc.json"
json_get "$T/nc.json" "[p['lldp_chassis'] for p in d['pfs']]" | grep -q "\[None, None\]" || fail "classic pcap without IF= named a switch"
json_get "$T/nc.json" "[s['detail'] for s in d['sources'] if s['name']=='pcap'][0]" | grep -q "IF=" || fail "no IF= hint"
"$VFSCOPE" check --sysroot "$F/host" --guest-file "$F/guest-snapshot.json" --pcap "eth0,eth1=$T/classic.pcap" > "$T/check1.txt"
grep -q 'shared = same switch chassis (LLDP)' "$T/check1.txt" || fail "IF= mapping: $(cat "$T/check1.txt")"
"$VFSCOPE" check --pcap "eth0=$T/nonexistent.pcap" --sysroot "$F/host" >/dev/null 2>"$T/e"; rc=$?
[ $rc = 2 ] && grep -q nonexistent "$T/e" || fail "missing pcap: rc=$rc $(cat "$T/e")"

# 2. a bundle's control.pcap is applied when the bundle is read
mkdir "$T/b"
"$VFSCOPE" snapshot --json --sysroot "$F/host" > "$T/b/snapshot.json"
cp "$T/c.pcapng" "$T/b/control.pcap"
"$VFSCOPE" snapshot --json --from "$T/b" > "$T/fb.json" || fail "snapshot --from"
json_get "$T/fb.json" "sorted({p['lldp_sysname'] for p in d['pfs']}), [s['status'] for s in d['sources'] if s['name']=='capture']" \
	| grep -qF "['vfst-switch'] ['ok']" || fail "bundle control.pcap not applied: $(json_get "$T/fb.json" "d['sources']")"

# 3. live: --capture listens on the bridge ports (they have a master)
( sleep 1.5; ip netns exec "$S" arping -q -U -c 2 -I sw0 198.51.100.1 ) &
ap=$!
ip netns exec "$H" "$VFSCOPE" snapshot --json --no-kmsg --capture 3 > "$T/live.json" 2>"$T/live.err" || fail "snapshot --capture: $(cat "$T/live.err")"
wait $ap
python3 - "$T/live.json" <<'P' || fail "--capture events"
import json, sys
d = json.load(open(sys.argv[1]))
src = [s for s in d['sources'] if s['name'] == 'capture']
assert src and src[0]['status'] == 'ok' and 'eth0' in src[0]['detail'], src
ev = [e for e in d.get('events', []) if e['kind'] == 'frame']
assert any(e['text'].startswith('LLDP') and 'vfst-switch' in e['text'] for e in ev), ev
g = [e for e in ev if e['text'].startswith('GARP for 198.51.100.1 from 02:00:00:00:5a:00')]
# received on eth0 (and forwarded by br0 out of eth1: captured there too)
assert any(e['ifname'] == 'eth0' for e in g), ev
assert all(e['probe'] == 'capture' and e['ts_real_ns'] > 0 and e['ts_mono_ns'] > 0 for e in g), ev
P
"$VFSCOPE" snapshot --sysroot "$F/host" --capture 1 --json > "$T/sr.json" 2>/dev/null
json_get "$T/sr.json" "[s['status'] for s in d['sources'] if s['name']=='capture']" | grep -q skipped || fail "--capture under --sysroot not skipped"
echo ok
