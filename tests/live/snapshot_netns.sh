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
# Text output names both.
ip netns exec "$ns" "$VFSCOPE" snapshot | grep -q 'sources: sysfs=ok netlink=ok' || fail "text sources line"
echo ok
