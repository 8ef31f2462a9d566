#!/bin/bash
# The address and route reader (collectors/ipaddr.c) on a real veth in a
# namespace: addresses counted as ip counts them (link-local not), the
# default route and its gateway (IPv4 and IPv6) on the netdev it leaves
# through, 0 on the one no default route leaves through; the same from the
# `ip -j` files of a tree.
set -u
. "$TOP/tests/lib.sh"
need_root
n=$(mkns r)
ip -n "$n" link add va type veth peer name vb || skip "no veth"
ip -n "$n" link set va up; ip -n "$n" link set vb up
ip -n "$n" addr add 192.0.2.10/24 dev va
ip -n "$n" addr add 2001:db8::10/64 dev va nodad
ip -n "$n" route add default via 192.0.2.1 dev va
ip -n "$n" -6 route add default via 2001:db8::1 dev va
T=$(mktemp -d); trap 'rm -rf $T; cleanup_ns' EXIT
ip netns exec "$n" "$VFSCOPE" snapshot --json --no-kmsg --no-netns > "$T/s.json" || fail "snapshot"
python3 - "$T/s.json" <<'P' || fail "live addresses/routes"
import json, sys
d = json.load(open(sys.argv[1]))
nd = {n["name"]: n for n in d["netdevs"]}
va, vb = nd["va"]["ip"], nd["vb"]["ip"]
assert va["addrs"] == 2 and va["default_route"] == 1, va
assert va["gateway"] in ("192.0.2.1", "2001:db8::1"), va
assert vb["addrs"] == 0 and vb["default_route"] == 0 and vb["gateway"] is None, vb
print("live: va", va["addrs"], "addresses, default via", va["gateway"], "; vb none")
P
# The same from a tree's ip -j files (what capture-sysroot and sos hold).
mkdir -p "$T/root"
ip -n "$n" -j -d link show > "$T/root/ip-link.json"
ip -n "$n" -j addr show > "$T/root/ip-addr.json"
ip -n "$n" -j route show table main > "$T/root/ip-route.json"
ip -n "$n" -6 -j route show table main > "$T/root/ip-route6.json"
mkdir -p "$T/root/sys/class/net" "$T/root/proc" # netdevs from ip-link.json
"$VFSCOPE" snapshot --json --no-netns --sysroot "$T/root" > "$T/t.json" 2>/dev/null || true
python3 - "$T/t.json" <<'P' || fail "tree addresses/routes"
import json, sys
d = json.load(open(sys.argv[1]))
ips = {n["name"]: n.get("ip") for n in d["netdevs"]}
va = ips.get("va")
assert va and va["default_route"] == 1 and va["gateway"] == "192.0.2.1", ips
print("tree: va default via", va["gateway"])
P
