#!/bin/bash
# A bundle of the live host, inside a network namespace with veth pairs
# for predictable content: --from gives the same snapshot as a live
# snapshot taken right after; a link change during the window shows in
# events.jsonl and in the bundle's model; drvinfo/ip-link are there.
set -u
. "$TOP/tests/lib.sh"
need_root
ns=$(mkns b)
ip -n "$ns" link add va0 address 02:00:5e:10:00:01 type veth peer name vb0 address 02:00:5e:10:00:02 || skip "no veth"
ip -n "$ns" link set va0 up; ip -n "$ns" link set vb0 up
T=$(mktemp -d); trap 'rm -rf $T; cleanup_ns' EXIT
norm() { python3 - "$1" <<'P'
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in ("time", "time_ns", "collect_ms", "root")}
    if isinstance(o, list):
        return [strip(x) for x in o]
    return o
print(json.dumps(strip(json.load(open(sys.argv[1]))), indent=1, sort_keys=True))
P
}
( sleep 0.7; ip -n "$ns" link set vb0 down ) &
ip netns exec "$ns" "$VFSCOPE" bundle --no-kmsg --no-netns -d 2 -o "$T/l.tar.gz" >/dev/null 2>"$T/err" || fail "bundle rc=$? $(cat "$T/err")"
wait
ip netns exec "$ns" "$VFSCOPE" snapshot --json --no-kmsg --no-netns > "$T/live.json" || fail snapshot
"$VFSCOPE" snapshot --json --from "$T/l.tar.gz" > "$T/from.json" || fail "snapshot --from"
# the bundle was taken before vb0 went down: compare with its own snapshot.json,
# and the live one after bringing vb0 back
mkdir "$T/x" && tar xzf "$T/l.tar.gz" -C "$T/x" || fail extract
diff <(norm "$T/x/snapshot.json") <(norm "$T/from.json") || fail "--from differs from snapshot.json"
ip -n "$ns" link set vb0 up; sleep 0.3
ip netns exec "$ns" "$VFSCOPE" snapshot --json --no-kmsg --no-netns > "$T/live.json" || fail snapshot
python3 - "$T/from.json" "$T/from-noev.json" <<'P'
import json, sys
d = json.load(open(sys.argv[1])); d.pop("events", None); json.dump(d, open(sys.argv[2], "w"))
P
# (and the route count of the ipaddr source: vb0's IPv6 routes come back
# only after its link does, some time after 'up')
diff <(norm "$T/live.json" | grep -v '"operstate"\|"carrier"\|"detail": "[0-9]* addresses, [0-9]* routes"') \
     <(norm "$T/from-noev.json" | grep -v '"operstate"\|"carrier"\|"detail": "[0-9]* addresses, [0-9]* routes"') ||
	fail "live snapshot differs from the bundle"
# the window's link change is in the bundle's model too (findings, replay)
json_get "$T/from.json" "[e for e in d.get('events', []) if e.get('ifname') == 'vb0' and e.get('probe') == 'rtnetlink']" |
	grep -q vb0 || fail "vb0's link change not in the bundle's model: $(json_get "$T/from.json" "d.get('events')")"
grep -q '"vb0"' "$T/x/events.jsonl" || fail "no link event for vb0 in events.jsonl: $(head -c 300 "$T/x/events.jsonl")"
[ -s "$T/x/ip-link.json" ] || fail "ip-link.json"
[ -e "$T/x/drvinfo.json" ] || fail "drvinfo.json"
[ -L "$T/x/sys/class/net/va0" ] || fail "sys/class/net/va0 link"
[ "$(cat "$T/x/sys/class/net/va0/address")" = 02:00:5e:10:00:01 ] || fail "va0 address file"
echo ok
