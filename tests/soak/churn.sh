#!/bin/bash
# Soak with churn (issue 19): `metrics`, `agent` and `top` on this live host
# for CYCLES refresh cycles each (default 10000) while network namespaces,
# veth pairs and their links come and go, as fast as `ip` makes them.
# All three refresh every SOAK_PERIOD seconds (default 0.25: metrics
# --interval, top -d; the agent is queried every SOAK_QUERY_GAP s, default
# 0.02, and shares one collection among the replies of 250 ms, so it
# collects about every 0.25 s + a collection). 10,000 cycles take ~45 min.
# Each process's cycles are counted exactly:
#  - metrics: its own vfscope_collections_total, read from the scrapes;
#  - agent: distinct collections (time_ns) in its answers;
#  - top: calls of top_collect (the tui feed's collect callback) counted by
#    a uprobe (tests/soak/lib.sh): top shows no counter of its own.
# The run goes on until each reached CYCLES (or SOAK_MAX_S, default
# CYCLES * 0.4 + 300 s, passed, or the file SOAK_STOP_FILE appeared: then
# it is evaluated as it stands and fails for the cycles missing). Twice a second the RSS and the
# open fds of each process are sampled; after warm-up both must stay flat
# (tests/soak/flat.py: the lowest of the last fifth of the samples at most
# 20% + 2 MiB and 2 fds above the lowest of the first fifth); every scrape
# and agent query must be answered, every process still alive at the end,
# and a SAN binary must report nothing (its stderr is checked).
#
#   tests/soak/churn.sh [CYCLES]        VFSCOPE=build-san/vfscope SAN=1 ...
#   make soak [SOAK_CYCLES=N] [SOAK_PERIOD=S]
# Runs as root (namespaces, tracefs); documentation addresses only; nothing
# leaves the namespaces it makes. Not part of make check
# (tests/live/long_run.sh is its short form there); docs/reliability.md
# records a run. The lab form (VFs and bonds coming and going) is
# tests/soak/lab.sh (`make soak-lab`).
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TOP/tests/lib.sh"
. "$TOP/tests/soak/lib.sh"
need_root
CYCLES=${1:-${SOAK_CYCLES:-10000}}
P=${SOAK_PERIOD:-0.25}
GAP=${SOAK_QUERY_GAP:-0.02}
MAX_S=${SOAK_MAX_S:-$((CYCLES * 4 / 10 + 300))}
BIN=$(readlink -f "$VFSCOPE")
UP=vfsoak$$
d=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; tmux -L vfst-soak$$ kill-server 2>/dev/null; soak_uprobe_del $UP; cleanup_ns; rm -rf $d' EXIT
[ -n "${SAN:-}" ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
rss() { awk '/^VmRSS/{print $2}' /proc/$1/status 2>/dev/null; }
fds() { ls /proc/$1/fd 2>/dev/null | wc -l; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
command -v tmux >/dev/null || fail "tmux not installed (top runs on a tmux terminal)"
off=$(soak_sym_offset "$BIN" top_collect) || fail "no symbol top_collect in $BIN (stripped?): top's collections cannot be counted"
soak_uprobe_add $UP "$BIN" "$off" || fail "no uprobe on $BIN:$off ($SOAK_TRACEFS/uprobe_events): top's collections cannot be counted"

# --- churn: namespaces with veth pairs made, flapped and deleted in a loop
churn() {
	local i=0 n
	while :; do
		i=$((i + 1)); n=${NS_PREFIX}c$((i % 4))
		ip netns add "$n" 2>/dev/null
		ip link add "vc$((i % 4))a" type veth peer name "vc$((i % 4))b" netns "$n" 2>/dev/null
		ip link set "vc$((i % 4))a" up 2>/dev/null
		ip -n "$n" link set "vc$((i % 4))b" up 2>/dev/null
		ip -n "$n" addr add 192.0.2.$((i % 200 + 10))/24 dev "vc$((i % 4))b" 2>/dev/null
		ip link set "vc$((i % 4))a" down 2>/dev/null
		ip link del "vc$((i % 4))a" 2>/dev/null
		[ $((i % 3)) = 0 ] && ip netns del "$n" 2>/dev/null
		echo $i > $d/churned
		sleep 0.05
	done
}
churn & pids+=($!)

MP=$(free_port)
"$BIN" metrics --listen 127.0.0.1:$MP --interval "$P" >/dev/null 2>$d/metrics.err &
pids+=($!); mp=$!
AP=$(free_port)
"$BIN" agent --listen tcp:127.0.0.1:$AP >/dev/null 2>$d/agent.err &
pids+=($!); ap=$!
tmux -L vfst-soak$$ new-session -d -x 120 -y 40 "$BIN top -d $P --recollect --cpu-cap 0 2>$d/top.err; echo \$? > $d/top.rc"
sleep 2
tp=$(pgrep -n -f "^$BIN top -d $P --recollect")
[ -n "$tp" ] || fail "top did not start: $(cat $d/top.err)"
echo "soak: $CYCLES cycles each, period $P s, at most $MAX_S s; $BIN; load $(cut -d' ' -f1-3 /proc/loadavg)"

# --- the agent, queried in a loop; "ok bad collections" written each second
python3 - "$AP" "$GAP" "$d/agent.count" "$d/stop" <<'PY' &
import os, re, socket, sys, time
port, gap, out, stop = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3], sys.argv[4]
ok = bad = 0
views = set()  # distinct collections: the agent answers several queries from one
last = 0
while not os.path.exists(stop):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET snapshot v1\n")
        got = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
        s.close()
        m = re.search(rb'"time_ns":([0-9]+)', got[:4096])
        if got.lstrip().startswith(b"{") and m:
            ok += 1
            views.add(m.group(1))
        else:
            bad += 1
    except OSError:
        bad += 1
    if time.time() - last >= 1:
        last = time.time()
        with open(out + ".tmp", "w") as f:
            f.write("%d %d %d\n" % (ok, bad, len(views)))
        os.rename(out + ".tmp", out)
    time.sleep(gap)
with open(out, "w") as f:
    f.write("%d %d %d\n" % (ok, bad, len(views)))
PY
qp=$!; pids+=($qp)

t0=$(date +%s) scrapes=0 sbad=0 mc=0 merr=0 tc=0 ok=0 bad=0 views=0 n=0
: > $d/samples
while :; do
	if curl -sf -m 5 -o $d/scrape http://127.0.0.1:$MP/metrics; then
		scrapes=$((scrapes + 1))
		mc=$(awk '$1 == "vfscope_collections_total" { print $2 }' $d/scrape)
		merr=$(awk '$1 == "vfscope_collection_errors_total" { print $2 }' $d/scrape)
	else
		echo "$(date +%T) curl exit $?" >> $d/scrape.fail; sbad=$((sbad + 1))
	fi
	tc=$(soak_uprobe_hits $UP)
	[ -s $d/agent.count ] && read ok bad views < $d/agent.count
	echo "$(date +%s) m $(rss $mp) $(fds $mp) a $(rss $ap) $(fds $ap) t $(rss $tp) $(fds $tp)" >> $d/samples
	now=$(date +%s); n=$((n + 1))
	[ $((n % 120)) = 0 ] && echo "  $((now - t0)) s: metrics ${mc:-0}, agent ${views:-0}, top ${tc:-0} cycles; load $(cut -d' ' -f1-3 /proc/loadavg)"
	[ "${mc:-0}" -ge "$CYCLES" ] && [ "${tc:-0}" -ge "$CYCLES" ] && [ "${views:-0}" -ge "$CYCLES" ] && break
	[ $((now - t0)) -ge "$MAX_S" ] && break
	[ -n "${SOAK_STOP_FILE:-}" ] && [ -e "$SOAK_STOP_FILE" ] && break
	for p in $mp $ap $tp; do kill -0 $p 2>/dev/null || break 2; done
	sleep 0.5
done
touch $d/stop; wait $qp
read ok bad views < $d/agent.count
secs=$(( $(date +%s) - t0 ))
echo "in $secs s, load $(cut -d' ' -f1-3 /proc/loadavg):"
echo "  metrics: ${mc:-0} collections (${merr:-?} failed), $scrapes scrapes answered, $sbad failed"
echo "  agent:   $views collections, $ok queries answered, $bad failed"
echo "  top:     ${tc:-0} collections"
echo "  metrics' last collection: $(awk -F'[{}" ]+' '$1 == "vfscope_collector_duration_seconds" { printf "%s %.3f s  ", $3, $4 }' $d/scrape)"
echo "  churn:   $(cat $d/churned) namespace cycles"
python3 "$TOP/tests/soak/flat.py" $d/samples; flat=$?
# Every check is made and reported, then the processes are stopped the way
# a user stops them and their exit (code, seconds, LeakSanitizer at exit
# for a SAN build) is checked too, whatever failed before.
bad_=()
for p in $mp $ap $tp; do kill -0 $p 2>/dev/null || bad_+=("pid $p died: $(cat $d/*.err | tail -20)"); done
[ "${mc:-0}" -ge "$CYCLES" ] || bad_+=("metrics made ${mc:-0} of $CYCLES collections in $secs s")
[ "$views" -ge "$CYCLES" ] || bad_+=("agent made $views of $CYCLES collections in $secs s")
[ "${tc:-0}" -ge "$CYCLES" ] || bad_+=("top made ${tc:-0} of $CYCLES collections in $secs s")
[ "$bad" = 0 ] || bad_+=("$bad agent queries failed")
[ "$sbad" = 0 ] || bad_+=("$sbad scrapes failed: $(head -5 $d/scrape.fail)")
curl -sf -m 5 http://127.0.0.1:$MP/metrics | grep -q '^vfscope_build_info' || bad_+=("metrics does not answer at the end")
tmux -L vfst-soak$$ capture-pane -p > $d/screen
grep -q "^vfscope " $d/screen || { cat $d/screen; bad_+=("top's screen has no header at the end"); }
[ $flat = 0 ] || bad_+=("RSS or fds grew")
# SIGTERM: each must exit 0 within 30 s (a SAN build runs LeakSanitizer then)
stop_one() { # NAME PID
	local t=$(date +%s%N) i rc
	kill -TERM $2 2>/dev/null
	for i in $(seq 300); do kill -0 $2 2>/dev/null || break; sleep 0.1; done
	if kill -0 $2 2>/dev/null; then
		bad_+=("$1 still running 30 s after SIGTERM: $(cat /proc/$2/task/*/wchan 2>/dev/null | tr '\0' ' ')")
		command -v gdb >/dev/null && timeout 60 gdb -p $2 -batch -ex 'thread apply all bt' > $d/$1.stuck 2>&1 &&
			sed -n '1,80p' $d/$1.stuck
		kill -KILL $2 2>/dev/null
		return
	fi
	wait $2; rc=$?
	echo "  $1: exit $rc $(( ($(date +%s%N) - t) / 1000000 )) ms after SIGTERM"
	[ $rc = 0 ] || bad_+=("$1 exit $rc after SIGTERM")
}
stop_one metrics $mp
stop_one agent $ap
tmux -L vfst-soak$$ send-keys q
for i in $(seq 100); do [ -e $d/top.rc ] && break; sleep 0.1; done
if [ -e $d/top.rc ]; then
	echo "  top: exit $(cat $d/top.rc) on q"
	[ "$(cat $d/top.rc)" = 0 ] || bad_+=("top exit $(cat $d/top.rc) on q")
else
	bad_+=("top did not quit 10 s after q")
fi
for f in metrics agent top; do
	[ -s $d/$f.err ] && grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error' $d/$f.err && bad_+=("$f: sanitizer report")
done
[ -n "${SOAK_KEEP:-}" ] && mkdir -p "$SOAK_KEEP" && cp $d/samples $d/*.err $d/screen "$SOAK_KEEP"/ 2>/dev/null
[ ${#bad_[@]} = 0 ] || fail "$(printf '%s; ' "${bad_[@]}")"
echo ok
