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
# ROUNDS rounds (default 3) of detached / vfscope / bpftrace, interleaved so
# that a change in the machine's load hits all three alike; prints each rate,
# the medians' ratios attached/detached and vfscope/bpftrace, and the load
# average. Numbers only, nothing asserted. Needs root; skips a run it cannot do.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
SECS=${SECS:-5}
ROUNDS=${ROUNDS:-3}
[ "$(id -u)" = 0 ] || { echo "bench/probes: needs root"; exit 0; }
A=vfsbpA$$ B=vfsbpB$$
# SIGINT, then SIGKILL if it has not exited within 20 s (bpftrace printing
# its maps, or a detach, can hang on a loaded machine)
stop_bg() {
	[ -n "${bg:-}" ] || return 0
	kill -INT "$bg" 2>/dev/null
	for _ in $(seq 200); do kill -0 "$bg" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$bg" 2>/dev/null
	wait "$bg" 2>/dev/null; bg=
}
cleanup() { stop_bg; [ -n "${rx:-}" ] && kill "$rx" 2>/dev/null; rm -f "/tmp/vfsbp$$.bt" "/tmp/vfsbp$$.err"; ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; }
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

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]}'; }
bases= vfs= bts=
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Programs already on these tracepoints (another vfscope trace, top or agent
# on the machine) run in every round, "detached" included: say so.
others=$(bpftool prog show 2>/dev/null | grep -cE 'name tp_(net_dev_xmit|netif_receive_skb) ')
[ "${others:-0}" -gt 0 ] && echo "note: $others datapath programs of other processes are attached in every round (detached is not clean)"
for r in $(seq "$ROUNDS"); do
	b=$(rate); bases="$bases $b"; echo "round $r detached:          $b pps"

	bg=
	"$VFSCOPE" trace --probe datapath --duration $((SECS + 30)) >/dev/null 2>"/tmp/vfsbp$$.err" & bg=$!
	for _ in $(seq 300); do grep -q 'probes attached' "/tmp/vfsbp$$.err" 2>/dev/null && break; sleep 0.1; done
	if grep -q 'net_dev_xmit: unavailable' "/tmp/vfsbp$$.err"; then
		echo "vfscope trace: datapath probes unavailable: $(grep net_dev_xmit "/tmp/vfsbp$$.err")"
	else
		v=$(rate); vfs="$vfs $v"; echo "round $r vfscope datapath:  $v pps"
	fi
	stop_bg
	rm -f "/tmp/vfsbp$$.err"

	if command -v bpftrace >/dev/null; then
		unshare -m sh -c 'mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; ulimit -l unlimited 2>/dev/null
		exec bpftrace -e "tracepoint:net:net_dev_xmit { @tx[str(args->name)] = count(); @txb[str(args->name)] = sum(args->len); }
		  tracepoint:net:netif_receive_skb { @rx[str(args->name)] = count(); @rxb[str(args->name)] = sum(args->len); }"' \
			>"/tmp/vfsbp$$.bt" 2>&1 & bg=$!
		# measured once it has attached (compiling takes seconds on a
		# loaded machine), not after a fixed sleep
		for _ in $(seq 300); do grep -q '^Attaching' "/tmp/vfsbp$$.bt" 2>/dev/null && break
			kill -0 $bg 2>/dev/null || break; sleep 0.1; done
		if grep -q '^Attaching' "/tmp/vfsbp$$.bt" && kill -0 $bg 2>/dev/null; then
			t=$(rate); bts="$bts $t"; echo "round $r bpftrace same tps: $t pps"
		else
			echo "bpftrace: did not attach: $(grep -m1 -i error "/tmp/vfsbp$$.bt")"
		fi
		stop_bg
		rm -f "/tmp/vfsbp$$.bt"
	else
		echo "bpftrace: not installed"
	fi
done
# The programs' own cost per packet, steadier than the rates on a shared
# machine: one more vfscope run and one more bpftrace run with
# kernel.bpf_stats_enabled (run_time_ns / run_cnt of the programs each
# process holds; the stats add a little themselves).
if command -v bpftool >/dev/null && [ -w /proc/sys/kernel/bpf_stats_enabled ]; then
	"$VFSCOPE" trace --probe datapath --duration $((SECS + 30)) >/dev/null 2>"/tmp/vfsbp$$.err" & bg=$!
	for _ in $(seq 300); do grep -q 'probes attached' "/tmp/vfsbp$$.err" 2>/dev/null && break; sleep 0.1; done
	old=$(cat /proc/sys/kernel/bpf_stats_enabled); echo 1 > /proc/sys/kernel/bpf_stats_enabled
	rate >/dev/null
	# only this run's programs: the ids of the BPF fds it holds (other
	# vfscope processes on the machine load programs of the same names)
	ids=$(grep -h '^prog_id:' /proc/$bg/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u | tr '\n' ' ')
	bpftool prog show 2>/dev/null | awk -v ids=" $ids" '/name tp_(net_dev_xmit|netif_receive_skb) / {
		id = $1; sub(":", "", id); if (index(ids, " " id " ") == 0) next
		for (i = 1; i <= NF; i++) { if ($i == "name") n = $(i+1); if ($i == "run_time_ns") t = $(i+1); if ($i == "run_cnt") c = $(i+1) }
		if (c) printf "per run: %-22s %.0f ns (%d runs)\n", n, t / c, c }'
	stop_bg; rm -f "/tmp/vfsbp$$.err"
	# the same for bpftrace's two programs
	if command -v bpftrace >/dev/null; then
		unshare -m sh -c 'mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null; ulimit -l unlimited 2>/dev/null
		exec bpftrace -e "tracepoint:net:net_dev_xmit { @tx[str(args->name)] = count(); @txb[str(args->name)] = sum(args->len); }
		  tracepoint:net:netif_receive_skb { @rx[str(args->name)] = count(); @rxb[str(args->name)] = sum(args->len); }"' \
			>"/tmp/vfsbp$$.bt" 2>&1 & bg=$!
		for _ in $(seq 300); do grep -q '^Attaching' "/tmp/vfsbp$$.bt" 2>/dev/null && break
			kill -0 $bg 2>/dev/null || break; sleep 0.1; done
		if grep -q '^Attaching' "/tmp/vfsbp$$.bt"; then
			rate >/dev/null
			ids=$(grep -h '^prog_id:' /proc/$bg/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u | tr '\n' ' ')
			bpftool prog show 2>/dev/null | awk -v ids=" $ids" '/^[0-9]+:/ {
				id = $1; sub(":", "", id); if (index(ids, " " id " ") == 0) next
				n = t = c = ""
				for (i = 1; i <= NF; i++) { if ($i == "name") n = $(i+1); if ($i == "run_time_ns") t = $(i+1); if ($i == "run_cnt") c = $(i+1) }
				if (c) printf "per run: %-22s %.0f ns (%d runs)\n", "bpftrace " n, t / c, c }'
		fi
		stop_bg; rm -f "/tmp/vfsbp$$.bt"
	fi
	echo "$old" > /proc/sys/kernel/bpf_stats_enabled
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
base=$(echo $bases | median) vf=$(echo $vfs | median) bt=$(echo $bts | median)
echo "median detached $base, vfscope ${vf:-n/a}, bpftrace ${bt:-n/a} pps ($ROUNDS rounds of ${SECS}s)"
kill $rx 2>/dev/null
python3 - "$base" "${vf:-0}" "${bt:-0}" <<'PY'
import sys
b, v, t = (float(x) for x in sys.argv[1:])
if v: print(f"ratio vfscope attached/detached: {v / b:.3f} ({100 * (1 - v / b):+.1f}% cost)")
if v and t: print(f"ratio vfscope/bpftrace:          {v / t:.3f} (>1: vfscope costs less)")
PY
