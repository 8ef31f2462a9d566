#!/bin/bash
# Real kernel objects: veth pairs in a namespace, read back over sysfs and
# rtnetlink by `vfscope snapshot --json`; carrier follows `ip link set down`.
set -u
. "$TOP/tests/lib.sh"
need_root
ns=$(mkns a)
ip -n "$ns" link add va0 address 02:00:5e:10:00:01 type veth peer name vb0 address 02:00:5e:10:00:02 || skip "no veth"
ip -n "$ns" link set va0 up
ip -n "$ns" link set vb0 up
ip -n "$ns" link set va0 alias 'uplink to 192.0.2.1'
out=$(mktemp); trap 'rm -f $out; cleanup_ns' EXIT
ip netns exec "$ns" "$VFSCOPE" snapshot --json > "$out" || fail "snapshot rc=$?"
[ "$(json_get "$out" "[n['mac'] for n in d['netdevs'] if n['name']=='va0'][0]")" = 02:00:5e:10:00:01 ] || fail "va0 mac"
[ "$(json_get "$out" "[n['src']['mac'] for n in d['netdevs'] if n['name']=='va0'][0]")" = netlink ] || fail "va0 mac source"
[ "$(json_get "$out" "[n['carrier'] for n in d['netdevs'] if n['name']=='vb0'][0]")" = 1 ] || fail "vb0 carrier up"
[ "$(json_get "$out" "[n['ifalias'] for n in d['netdevs'] if n['name']=='va0'][0]")" = 'uplink to 192.0.2.1' ] || fail "alias"
[ "$(json_get "$out" "[s['status'] for s in d['sources'] if s['name']=='netlink'][0]")" = ok ] || fail "netlink source"
ip -n "$ns" link set vb0 down
ip netns exec "$ns" "$VFSCOPE" snapshot --json > "$out" || fail "snapshot rc=$?"
[ "$(json_get "$out" "[n['carrier'] for n in d['netdevs'] if n['name']=='va0'][0]")" = 0 ] || fail "va0 carrier after peer down"
[ "$(json_get "$out" "[n['operstate'] for n in d['netdevs'] if n['name']=='vb0'][0]")" = down ] || fail "vb0 operstate"
# Admin state as ip shows it: vb0 is not up, so its carrier is unknown
# (IFLA_CARRIER is not taken then); va0 is up without a peer: carrier 0.
[ "$(json_get "$out" "[n['admin_up'] for n in d['netdevs'] if n['name']=='vb0'][0]")" = False ] || fail "vb0 admin_up"
[ "$(json_get "$out" "[n['src']['admin_up'] for n in d['netdevs'] if n['name']=='vb0'][0]")" = netlink ] || fail "vb0 admin_up source"
[ "$(json_get "$out" "[n['carrier'] for n in d['netdevs'] if n['name']=='vb0'][0]")" = None ] || fail "vb0 carrier of a device that is not up"
[ "$(json_get "$out" "[n['admin_up'] for n in d['netdevs'] if n['name']=='va0'][0]")" = True ] || fail "va0 admin_up"
[ "$(json_get "$out" "type(d['collect_ms']).__name__")" = float ] || fail "live collect_ms not measured"
ip -n "$ns" -j link show > "$out.ip"
python3 - "$out" "$out.ip" <<'P' || fail "admin state differs from ip -j link"
import json, sys
snap = {n["name"]: n for n in json.load(open(sys.argv[1]))["netdevs"]}
ip = json.load(open(sys.argv[2]))
assert len(ip) == len(snap), (sorted(snap), [l["ifname"] for l in ip])
for l in ip:
    n = snap[l["ifname"]]
    up = "UP" in l["flags"]
    assert n["admin_up"] is up, (l["ifname"], n["admin_up"], l["flags"])
    if not up:
        assert n["carrier"] is None, (l["ifname"], n["carrier"])
    else:
        assert n["carrier"] == ("LOWER_UP" in l["flags"]), (l["ifname"], n["carrier"], l["flags"])
P
# sysfs alone says the same: flags bit 0, carrier refused (EINVAL).
ip netns exec "$ns" "$VFSCOPE" snapshot --json --no-netlink > "$out" || fail "snapshot --no-netlink rc=$?"
[ "$(json_get "$out" "[(n['admin_up'], n['src']['admin_up'], n['carrier']) for n in d['netdevs'] if n['name']=='vb0'][0]")" = "(False, 'sysfs', None)" ] || fail "vb0 admin state from sysfs"
[ "$(json_get "$out" "[(n['admin_up'], n['carrier']) for n in d['netdevs'] if n['name']=='va0'][0]")" = "(True, 0)" ] || fail "va0 admin state from sysfs"
rm -f "$out.ip"
# Text output names both.
ip netns exec "$ns" "$VFSCOPE" snapshot | grep -q 'sources: sysfs=ok netlink=ok' || fail "text sources line"
echo ok
