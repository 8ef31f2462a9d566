#!/bin/bash
# --capture and `vfscope capture` with an interface that is not up (found in
# the lab: a spare VF left down in the host namespace made every
# `check --capture` fail with "That device is not up"). A down netdev
# receives nothing: it is skipped and named, the others are listened on;
# only when none is up is it an error.
# netns H: bridge br0 with ports eth0 (up, peer sw0 in S) and eth1 (down);
# both have a master, so --capture picks both.
set -u
. "$TOP/tests/lib.sh"
need_root
command -v arping >/dev/null || skip "arping not installed (scripts/setup)"
S=$(mkns s) H=$(mkns h)
NSES=("$S" "$H")
T=$(mktemp -d); trap 'rm -rf "$T"; cleanup_ns' EXIT
ip link add sw0 netns "$S" address 02:00:00:00:5a:00 type veth peer name eth0 netns "$H" || skip "no veth"
ip link add sw1 netns "$S" type veth peer name eth1 netns "$H"
ip -n "$H" link add br0 type bridge || skip "no bridge"
for l in eth0 eth1; do ip -n "$H" link set $l master br0; done
ip -n "$H" link set eth0 up
ip -n "$H" link set br0 up
ip -n "$S" link set sw0 up
ip -n "$S" addr add 198.51.100.1/24 dev sw0
( sleep 1.5; ip netns exec "$S" arping -q -U -c 2 -I sw0 198.51.100.1 ) &
ap=$!
ip netns exec "$H" "$VFSCOPE" snapshot --json --no-kmsg --capture 3 > "$T/s.json" 2>"$T/s.err" || fail "snapshot --capture: $(cat "$T/s.err")"
wait $ap
grep -q 'not up' "$T/s.err" && fail "stderr: $(cat "$T/s.err")"
python3 - "$T/s.json" <<'P' || fail "--capture with a down interface"
import json, sys
d = json.load(open(sys.argv[1]))
src = [s for s in d['sources'] if s['name'] == 'capture']
assert src and src[0]['status'] == 'ok', src
det = src[0]['detail']
assert 'not up (skipped): eth1' in det and 'on 1 interfaces (eth0)' in det, det
g = [e for e in d.get('events', []) if e['kind'] == 'frame' and e['text'].startswith('GARP for 198.51.100.1')]
assert any(e['ifname'] == 'eth0' for e in g), d.get('events')
P
# vfscope capture: skipped and said so; all down is an error
ip netns exec "$H" "$VFSCOPE" capture -i eth0,eth1 -w "$T/c.pcapng" --duration 1 2>"$T/c.err" || fail "capture: $(cat "$T/c.err")"
grep -q 'not up, skipped: eth1' "$T/c.err" || fail "no skip note: $(cat "$T/c.err")"
ip netns exec "$H" "$VFSCOPE" capture -i eth1 -w "$T/d.pcapng" --duration 1 2>"$T/d.err"; rc=$?
[ $rc = 2 ] && grep -q 'no interface is up (eth1)' "$T/d.err" || fail "all down: rc=$rc $(cat "$T/d.err")"
[ -e "$T/d.pcapng" ] && fail "file left behind"
echo ok
