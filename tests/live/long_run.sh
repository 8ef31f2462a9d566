#!/bin/bash
# Long runs: metrics, agent and top each go through many collection cycles
# (and, for metrics and agent, many requests); RSS sampled along the way must
# stay flat after warm-up. Leaks themselves are caught by LeakSanitizer when
# the suite runs under `make check SAN=1` (each process exits cleanly here).
set -u
. "$TOP/tests/lib.sh"
d=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; tmux -L vfst-long$$ kill-server 2>/dev/null; rm -rf $d' EXIT
"$TOP/bench/gen-sysroot" "$d/root" --pfs 2 --vfs 32 --bond
# Under ASan, freed blocks wait in a quarantine of up to 256 MiB before
# reuse, so RSS climbs for a long time without any leak. Keep the
# quarantine empty here: RSS then measures the program, and LeakSanitizer
# still reports any block that is never freed.
[ -n "${SAN:-}" ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
rss() { awk '/^VmRSS/{print $2}' /proc/$1/status 2>/dev/null; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
flat() { # name pid: sample RSS for ~12 s while $load runs; growth after warm-up < 20% + 2 MiB
	local name=$1 pid=$2 first="" last="" i
	for i in $(seq 1 12); do
		eval "$load" >/dev/null 2>&1
		sleep 1
		kill -0 "$pid" 2>/dev/null || fail "$name died"
		[ $i = 3 ] && first=$(rss "$pid")
		last=$(rss "$pid")
	done
	echo "$name: RSS after warm-up ${first} kB, at the end ${last} kB"
	[ "$last" -le $((first * 12 / 10 + 2048)) ] || fail "$name RSS grew from $first to $last kB"
}
# metrics: a collection every 0.2 s, scraped 20 times a second.
P=$(free_port)
"$VFSCOPE" metrics --sysroot "$d/root" --listen 127.0.0.1:$P --interval 0.2 >/dev/null 2>&1 &
pids+=($!); mp=$!
sleep 1
load="for _ in \$(seq 20); do curl -s -o /dev/null http://127.0.0.1:$P/metrics; done"
flat metrics $mp
kill -TERM $mp; wait $mp; rc=$?
[ $rc = 0 ] || fail "metrics exit $rc after SIGTERM"
# agent: 5 guest reads a second, by the host side of vfscope itself.
P=$(free_port)
"$VFSCOPE" agent --sysroot "$d/root" --listen tcp:127.0.0.1:$P >/dev/null 2>&1 &
pids+=($!); ap=$!
sleep 1
load="for _ in 1 2 3 4 5; do \"$VFSCOPE\" snapshot --json --sysroot $d/root --guest tcp:127.0.0.1:$P; done"
flat agent $ap
kill -TERM $ap; wait $ap; rc=$?
[ $rc = 0 ] || fail "agent exit $rc after SIGTERM"
# top: re-collecting the tree every 0.1 s on a terminal.
if command -v tmux >/dev/null; then
	tmux -L vfst-long$$ new-session -d -x 100 -y 30 "$VFSCOPE top --sysroot $d/root --recollect -d 0.1 --cpu-cap 0; echo \$? > $d/top.rc"
	sleep 2
	tp=$(pgrep -n -f "top --sysroot $d/root")
	[ -n "$tp" ] || fail "top did not start"
	load=":"
	flat top $tp
	tmux -L vfst-long$$ send-keys q
	sleep 1
	[ "$(cat $d/top.rc 2>/dev/null)" = 0 ] || fail "top did not quit cleanly"
fi
echo ok
