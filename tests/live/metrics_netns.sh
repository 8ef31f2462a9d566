#!/bin/bash
# In a network namespace with veth pairs, metrics show the netdevs, their
# carrier and MTU; a peer going down shows as vfscope_netdev_up 0.
set -u
. "$TOP/tests/lib.sh"
need_root
ns=$(mkns m)
ip -n "$ns" link add va0 type veth peer name vb0 || skip "no veth"
ip -n "$ns" link add vc0 mtu 9000 type veth peer name vd0
for l in va0 vb0 vc0 vd0; do ip -n "$ns" link set $l up; done
T=$(mktemp -d); trap 'rm -rf $T; cleanup_ns' EXIT
ip netns exec "$ns" "$VFSCOPE" metrics --once --no-kmsg > "$T/m" || fail "metrics rc=$?"
for l in va0 vb0 vc0 vd0; do
	grep -q "^vfscope_netdev_info{machine=\"host\",netdev=\"$l\",kind=\"veth\"" "$T/m" || fail "no netdev_info for $l"
	grep -q "^vfscope_netdev_up{machine=\"host\",netdev=\"$l\"} 1$" "$T/m" || fail "$l not up"
done
grep -q '^vfscope_netdev_mtu_bytes{machine="host",netdev="vc0"} 9000$' "$T/m" || fail "mtu"
grep -q '^vfscope_collector_success{source="host"} 1$' "$T/m" || fail "host step"
ip -n "$ns" link set vb0 down
ip netns exec "$ns" "$VFSCOPE" metrics --once --no-kmsg > "$T/m" || fail "metrics rc=$?"
grep -q '^vfscope_netdev_up{machine="host",netdev="va0"} 0$' "$T/m" || fail "va0 should be down after its peer"
if command -v promtool >/dev/null; then promtool check metrics < "$T/m" >/dev/null 2>&1 || fail promtool; fi
echo ok
