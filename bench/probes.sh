#!/bin/bash
# Cost of the datapath probes: UDP packet rate over a veth pair between two
# network namespaces (192.0.2.1 -> 192.0.2.2, one Python sender pinned to
# CPU 0, SECS seconds each) with
#   1 nothing attached,
#   2 `vfscope trace --probe datapath` (raw tracepoints net_dev_xmit,
#     netif_receive_skb, kfree_skb ...: per-CPU hash per ifindex),
#   3 bpftrace counting the same two tracepoints per interface
#     (tracepoint:net:net_dev_xmit/netif_receive_skb, @[ifname] = count(),
#     sum(len)) -- in a private mount namespace with tracefs mounted.
# Prints each rate and the ratios attached/detached and vfscope/bpftrace.
# Numbers only, nothing asserted. Needs root; skips a run it cannot do.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
SECS=${SECS:-5}
[ "$(id -u)" = 0 ] || { echo "bench/probes: needs root"; exit 0; }
A=vfsbpA$$ B=vfsbpB$$
cleanup() { [ -n "${bg:-}" ] && kill -INT "$bg" 2>/dev/null && wait "$bg" 2>/dev/null; ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; }
trap cleanup EXIT
ip netns add $A && ip netns add $B || { echo "bench/probes: no netns"; exit 0; }
ip -n $A link add va type veth peer name vb netns $B
ip -n $A addr add 192.0.2.1/24 dev va; ip -n $B addr add 192.0.2.2/24 dev vb
ip -n $A link set va up; ip -n $B link set vb up; ip -n $A link set lo up; ip -n $B link set lo up
# A listener that drains the socket, so the receiver is not a drop path.
ip netns exec $B python3 -c '
import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("192.0.2.2", 9999))
while True: s.recv(2048)' &
rx=$!
sleep 0.5

rate() { # -> packets per second
	ip netns exec $A taskset -c 0 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); d = ("192.0.2.2", 9999); m = b"x" * 64
n = 0; end = time.monotonic() + float(sys.argv[1])
while time.monotonic() < end:
    for _ in range(1000): s.sendto(m, d)
    n += 1000
print(int(n / float(sys.argv[1])))' "$SECS"
}

base=$(rate)
echo "detached:            $base pps"

bg=
"$VFSCOPE" trace --probe datapath --duration $((SECS + 30)) >/dev/null 2>"/tmp/vfsbp$$.err" & bg=$!
sleep 2
if grep -q 'net_dev_xmit: unavailable' "/tmp/vfsbp$$.err"; then
	echo "vfscope trace:       datapath probes unavailable: $(grep net_dev_xmit "/tmp/vfsbp$$.err")"; vf=
else
	vf=$(rate); echo "vfscope datapath:    $vf pps"
fi
kill -INT $bg; wait $bg 2>/dev/null; bg=
rm -f "/tmp/vfsbp$$.err"

bt=
if command -v bpftrace >/dev/null; then
	unshare -m sh -c 'mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; ulimit -l unlimited 2>/dev/null
	exec bpftrace -e "tracepoint:net:net_dev_xmit { @tx[str(args->name)] = count(); @txb[str(args->name)] = sum(args->len); }
	  tracepoint:net:netif_receive_skb { @rx[str(args->name)] = count(); @rxb[str(args->name)] = sum(args->len); }"' \
		>/dev/null 2>&1 & bg=$!
	sleep 4
	if kill -0 $bg 2>/dev/null; then bt=$(rate); echo "bpftrace same tps:  $bt pps"; else echo "bpftrace: did not start"; fi
	kill -INT $bg 2>/dev/null; wait $bg 2>/dev/null; bg=
else
	echo "bpftrace: not installed"
fi
kill $rx 2>/dev/null
python3 - "$base" "${vf:-0}" "${bt:-0}" <<'PY'
import sys
b, v, t = (float(x) for x in sys.argv[1:])
if v: print(f"ratio vfscope attached/detached: {v / b:.3f} ({100 * (1 - v / b):+.1f}% cost)")
if v and t: print(f"ratio vfscope/bpftrace:          {v / t:.3f} (>1: vfscope costs less)")
PY
