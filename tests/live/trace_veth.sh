#!/bin/bash
# vfscope trace on a real veth pair between two namespaces: the datapath
# probes' tx/rx counters for the traced veth equal the ICMP packets ping
# sent and received (IPv6 off, neighbours permanent: nothing else moves),
# and taking the peer down/up gives carrier EV_LINK events in that order.
set -u
. "$TOP/tests/lib.sh"
need_root
a=$(mkns a)
b=$(mkns b)
ip link add tva netns "$a" type veth peer name tvb netns "$b" || skip "no veth"
for n in "$a:tva" "$b:tvb"; do
	ns=${n%%:*} dev=${n#*:}
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.$dev.disable_ipv6=1 2>/dev/null
done
ip -n "$a" addr add 192.0.2.1/24 dev tva
ip -n "$b" addr add 192.0.2.2/24 dev tvb
ip -n "$a" link set tva up
ip -n "$b" link set tvb up
maca=$(ip -n "$a" -br link show tva | awk '{print $3}')
macb=$(ip -n "$b" -br link show tvb | awk '{print $3}')
ip -n "$a" neigh add 192.0.2.2 lladdr "$macb" dev tva nud permanent
ip -n "$b" neigh add 192.0.2.1 lladdr "$maca" dev tvb nud permanent
ifx=$(ip netns exec "$a" cat /sys/class/net/tva/ifindex)

tmp=$(mktemp -d); trap 'rm -rf $tmp; cleanup_ns' EXIT
wait_attached() { # file: until the trace says it is attached
	for _ in $(seq 100); do grep -q 'probes attached' "$1" 2>/dev/null && return 0; sleep 0.1; done
	return 1
}

# 1. exact packet counts.
ip netns exec "$a" "$VFSCOPE" trace --json --duration 4 --probe datapath -i tva >"$tmp/out" 2>"$tmp/err" &
pid=$!
wait_attached "$tmp/err" || { cat "$tmp/err"; fail "trace did not attach"; }
grep -q 'net_dev_xmit: unavailable' "$tmp/err" && skip "datapath probes unavailable: $(grep net_dev_xmit "$tmp/err")"
ip netns exec "$a" ping -q -c 50 -i 0.01 -W 1 192.0.2.2 >"$tmp/ping" || fail "ping: $(cat "$tmp/ping")"
wait $pid || fail "trace rc=$?"
sent=$(awk '/packets transmitted/ {print $1}' "$tmp/ping")
recv=$(awk '/packets transmitted/ {print $4}' "$tmp/ping")
tail -n1 "$tmp/out" > "$tmp/sum"
get() { json_get "$tmp/sum" "[i['$1'] for i in d['summary']['interfaces'] if i['ifindex']==$ifx and i['local']][0]"; }
echo "ping sent $sent received $recv; trace tx $(get tx_packets) rx $(get rx_packets)"
[ "$(get tx_packets)" = "$sent" ] || fail "tx_packets $(get tx_packets) != sent $sent"
[ "$(get rx_packets)" = "$recv" ] || fail "rx_packets $(get rx_packets) != received $recv"
[ "$(get tx_bytes)" = "$((sent * 98))" ] || fail "tx_bytes $(get tx_bytes) != $((sent * 98))"
# Only the traced veth is counted.
[ "$(json_get "$tmp/sum" "len(d['summary']['interfaces'])")" = 1 ] || fail "other interfaces counted"
[ "$(json_get "$tmp/sum" "[p['state'] for p in d['summary']['probes'] if p['name']=='net_dev_xmit'][0]")" = attached ] || fail "state"
[ "$(json_get "$tmp/sum" "d['summary']['lost']")" = 0 ] || fail "lost events"

# 2. carrier down then up, in order, from rtnetlink.
ip netns exec "$a" "$VFSCOPE" trace --json --duration 3 -i tva >"$tmp/out2" 2>"$tmp/err2" &
pid=$!
wait_attached "$tmp/err2" || fail "trace did not start"
ip -n "$b" link set tvb down
sleep 0.3
ip -n "$b" link set tvb up
wait $pid || fail "trace rc=$?"
seq=$(python3 - "$tmp/out2" <<'PY'
import json, sys
out = []
for line in open(sys.argv[1]):
    d = json.loads(line)
    if d.get('kind') == 'link' and d.get('ifname') == 'tva' and d.get('text', '').startswith('carrier'):
        out.append(d['text'].split(',')[0].split()[1])
print(' '.join(out))
PY
)
echo "carrier events: $seq"
[ "$seq" = "down up" ] || fail "carrier events '$seq', want 'down up'"

# 3. A neighbour's new MAC (what a failover's gratuitous ARP does) is an EV_NEIGH.
ip netns exec "$a" "$VFSCOPE" trace --json --duration 2 --probe neigh_update -i tva >"$tmp/out3" 2>"$tmp/err3" &
pid=$!
wait_attached "$tmp/err3" || fail "trace did not start"
ip -n "$a" neigh replace 192.0.2.2 lladdr 02:00:5e:00:53:99 dev tva nud permanent
wait $pid || fail "trace rc=$?"
grep '"kind":"neigh"' "$tmp/out3" | grep '"ifname":"tva"' | grep -q '192.0.2.2 lladdr 02:00:5e:00:53:99' ||
	fail "no neigh event: $(cat "$tmp/out3")"
echo ok
