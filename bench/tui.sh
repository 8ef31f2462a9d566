#!/bin/bash
# CPU and memory of `vfscope top` refreshing every second over a synthetic
# 256-VF sysroot (4 PFs x 64 VFs, a bond over two VFs; re-collected each
# interval with --recollect, as live mode does), beside `watch -n1 ip -d
# link` (and htop when installed) doing comparable work on this host.
# Each runs on its own 200x50 tmux terminal; CPU% is (utime+stime, children
# included) over the window from /proc/<pid>/stat, RSS from /proc/<pid>/status.
# Prints numbers, asserts nothing. Target: vfscope under 1% of a core.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
SECS=${SECS:-10}
command -v tmux >/dev/null || { echo "bench/tui: tmux not installed"; exit 0; }
d=$(mktemp -d)
sock=vfsb-tui-$$
trap 'tmux -L $sock kill-server 2>/dev/null; rm -rf $d' EXIT
"$(dirname "$0")/gen-sysroot" "$d/r" --pfs 4 --vfs 64 --bond
hz=$(getconf CLK_TCK)

ticks() { # pid -> utime+stime+cutime+cstime
	awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat"
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

measure() { # name cmd...
	local name=$1; shift
	local w="w$RANDOM"
	tmux -L "$sock" -f /dev/null new-session -d -s "$w" -x 200 -y 50 "export TERM=xterm-256color; exec $*"
	local pid
	pid=$(tmux -L "$sock" display -p -t "$w" '#{pane_pid}')
	sleep 2 # startup and first collection are not the steady state
	local t0 t1 s0 s1
	t0=$(ticks "$pid"); s0=$(date +%s.%N)
	# Children (ip under watch) are counted once reaped; sample RSS midway.
	sleep "$((SECS / 2))"
	local rss; rss=$(rss_kb "$pid")
	sleep "$((SECS - SECS / 2))"
	t1=$(ticks "$pid"); s1=$(date +%s.%N)
	python3 -c "import sys
t=(float(sys.argv[2])-float(sys.argv[1]))/float(sys.argv[5]); w=float(sys.argv[4])-float(sys.argv[3])
print(f'{sys.argv[6]:<44} {100*t/w:7.2f}% {int(sys.argv[7])/1024:9.1f} MiB')" \
		"$t0" "$t1" "$s0" "$s1" "$hz" "$name" "${rss:-0}"
	tmux -L "$sock" kill-session -t "$w"
}

printf '%-44s %8s %13s\n' "at 1 s refresh, ${SECS} s window" "CPU" "RSS"
measure "vfscope top 256 VFs, static (screen only)" "$VFSCOPE" top -d 1 --sysroot "$d/r"
measure "vfscope top 256 VFs, re-collect, cpu cap 1%" "$VFSCOPE" top -d 1 --recollect --sysroot "$d/r"
measure "vfscope top 256 VFs, re-collect every 1 s" "$VFSCOPE" top -d 1 --cpu-cap 0 --recollect --sysroot "$d/r"
measure "vfscope top (live, this host)" "$VFSCOPE" top -d 1
measure "watch -n1 ip -d link (this host)" watch -n1 ip -d link
command -v htop >/dev/null && measure "htop -d 10" htop -d 10
echo "(a sysfs collection of 256 VFs is ~5000 file opens; --cpu-cap stretches the"
echo " interval to keep it under the cap and says so in the header)"
echo "(vfscope's RSS includes the whole model; watch's excludes the ip it forks)"
