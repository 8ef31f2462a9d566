#!/bin/bash
# `vfscope top -d 1` (default --cpu-cap) live in a network namespace of
# its own with NETDEVS veth ends (default: one row for 256, one for 4096),
# while a stream of link changes (CHANGES, default 60: one link down, then
# up, every 0.5 s) runs: how many of the changes the screen showed within
# 300 ms, top's CPU over the window (utime+stime from /proc/<pid>/stat) and
# the load average beside it. The dev kernel has no SR-IOV, so the links
# are veths, not VFs; the changes reach top through rtnetlink notifications
# (collectors/nl_monitor.c) and its per-link refresh (cli/top_refresh.c).
# Prints numbers, asserts nothing. Needs root, tmux and netns.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
ROWS=${NETDEVS:-256 4096} CHANGES=${CHANGES:-60}
[ "$(id -u)" = 0 ] && command -v tmux >/dev/null || { echo "top_links: needs root and tmux"; exit 0; }
N=vfsbtl$$ sock=vfsbtl$$
cleanup() { tmux -L $sock kill-server 2>/dev/null; ip netns del $N 2>/dev/null; }
trap cleanup EXIT
ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
shows() { # state -> 0 when the a0 line shows it within 300 ms
	for _ in 1 2 3 4 5 6; do
		tmux -L $sock capture-pane -p -t t | grep -E '(^|[ │])a0 ' | grep -q "$1" && return 0
		sleep 0.05
	done
	return 1
}
row() { # NETDEVS
	local netdevs=$1 i c pid t0 t1 s0 s1 seen=0 settle=$(( $1 > 1000 ? 8 : 3 ))
	ip netns add $N || { echo "top_links: no netns"; return; }
	for i in $(seq 0 $((netdevs / 2 - 1))); do echo "link add a$i type veth peer name b$i"; done | ip -n $N -batch -
	for i in $(seq 0 $((netdevs / 2 - 1))); do echo "link set a$i up"; echo "link set b$i up"; done | ip -n $N -batch -
	tmux -L $sock -f /dev/null new-session -d -s t -x 200 -y 60 \
		"exec ip netns exec $N env TERM=xterm-256color $VFSCOPE top -d 1 --no-kmsg"
	sleep $settle
	pid=$(tmux -L $sock display -p -t t '#{pane_pid}') # ip netns exec and env exec: vfscope itself
	if [ -z "$pid" ]; then echo "top_links: top did not start"; cleanup; return; fi
	t0=$(ticks "$pid"); s0=$EPOCHREALTIME
	for c in $(seq "$CHANGES"); do
		if [ $((c % 2)) = 1 ]; then ip -n $N link set a0 down; shows DOWN && seen=$((seen + 1))
		else ip -n $N link set a0 up; shows UP && seen=$((seen + 1)); fi
		sleep 0.5
	done
	t1=$(ticks "$pid"); s1=$EPOCHREALTIME
	python3 - "$t0" "$t1" "$s0" "$s1" "$hz" "$netdevs" "$seen" "$CHANGES" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'P'
import sys
t0, t1, s0, s1, hz = (float(x) for x in sys.argv[1:6])
n, seen, ch, load = sys.argv[6:10]
print(f"{'top -d 1 live, ' + n + ' netdevs (veth)':40} CPU {100 * (t1 - t0) / hz / (s1 - s0):5.2f}%  changes on screen within 300 ms: {seen} of {ch}  (load {load})")
P
	cleanup
}
for n in $ROWS; do row "$n"; done
