#!/bin/bash
# Soak with churn (issue 19): `metrics`, `agent` and `top` on this live host
# for CYCLES refresh cycles each (default 10000) while network namespaces,
# veth pairs and their links come and go, as fast as `ip` makes them.
# (top refreshes every 0.1 s, its minimum). Every second the RSS and the open file descriptors of each process are
# sampled; after warm-up (the first 10% of the run) both must stay flat
# (the lowest RSS and fd count of the last fifth of the samples at most 20%
# + 2 MiB and 2 fds above those of the first fifth), every process must still answer at
# the end, and a SAN binary must report nothing (its stderr is checked).
#
#   tests/soak/churn.sh [CYCLES]        VFSCOPE=build-san/vfscope SAN=1 ...
#   make soak [SOAK_CYCLES=N]
# Runs as root (namespaces); documentation addresses only; nothing leaves
# the namespaces it makes. Not part of make check (tests/live/long_run.sh is
# its short form there); docs/reliability.md records a run.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TOP/tests/lib.sh"
need_root
CYCLES=${1:-${SOAK_CYCLES:-10000}}
d=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; tmux -L vfst-soak$$ kill-server 2>/dev/null; cleanup_ns; rm -rf $d' EXIT
[ -n "${SAN:-}" ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
rss() { awk '/^VmRSS/{print $2}' /proc/$1/status 2>/dev/null; }
fds() { ls /proc/$1/fd 2>/dev/null | wc -l; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

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
"$VFSCOPE" metrics --listen 127.0.0.1:$MP --interval 0.01 >/dev/null 2>$d/metrics.err &
pids+=($!); mp=$!
AP=$(free_port)
"$VFSCOPE" agent --listen tcp:127.0.0.1:$AP >/dev/null 2>$d/agent.err &
pids+=($!); ap=$!
tp=
if command -v tmux >/dev/null; then
	tmux -L vfst-soak$$ new-session -d -x 120 -y 40 "$VFSCOPE top -d 0.1 --recollect --cpu-cap 0 2>$d/top.err; echo \$? > $d/top.rc"
	sleep 1
	tp=$(pgrep -n -f "top -d 0.1 --recollect")
fi
sleep 1

# The agent's cycles are counted exactly: distinct collections (time_ns) in
# its answers. The others run for as long as that takes (each refreshes
# every 10 ms, so at least as many cycles when a collection takes < 10 ms).
t0=$(date +%s)
samples=$d/samples; : > $samples
( while :; do
	echo "$(date +%s) m $(rss $mp) $(fds $mp) a $(rss $ap) $(fds $ap) t $( [ -n "$tp" ] && rss $tp) $( [ -n "$tp" ] && fds $tp)" >> $samples
	sleep 1
  done ) & pids+=($!)
ok=0 bad=0
python3 - "$AP" "$CYCLES" "${SOAK_MAX_S:-1800}" > $d/agent.count <<'P' &
import re, socket, sys, time
port, n, limit = int(sys.argv[1]), int(sys.argv[2]), time.time() + int(sys.argv[3])
ok = bad = 0
views = set()  # distinct collections: an agent may answer several queries from one
while (len(views) < n or ok < n) and time.time() < limit:
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
print(ok, bad, len(views))
P
qp=$!
scrapes=0 sbad=0
while kill -0 $qp 2>/dev/null; do
	if curl -sf -m 5 -o /dev/null http://127.0.0.1:$MP/metrics; then scrapes=$((scrapes + 1)); else sbad=$((sbad + 1)); fi
	sleep 0.2
done
wait $qp
read ok bad views < $d/agent.count
secs=$(( $(date +%s) - t0 ))
echo "agent: $ok queries answered ($views collections), $bad failed, in $secs s; metrics: $scrapes scrapes answered, $sbad failed; churn: $(cat $d/churned) namespace cycles"
[ "$views" -ge "$CYCLES" ] || fail "agent made $views of $CYCLES collections in ${SOAK_MAX_S:-1800} s"
[ "$bad" = 0 ] || fail "$bad agent queries failed"
[ "$sbad" = 0 ] || fail "$sbad scrapes failed"
for p in $mp $ap $tp; do kill -0 $p 2>/dev/null || fail "pid $p died"; done
curl -sf -m 5 http://127.0.0.1:$MP/metrics | grep -q '^vfscope_build_info' || fail "metrics does not answer at the end"

python3 - $samples <<'P' || fail "RSS or fds grew"
import sys
rows = [l.split() for l in open(sys.argv[1]) if len(l.split()) >= 7]
bad = 0
warm = rows[max(1, len(rows) // 10):]
for name, ri, fi in (("metrics", 2, 3), ("agent", 5, 6), ("top", 8, 9)):
    col = [(int(r[ri]), int(r[fi])) for r in warm if len(r) > fi and r[ri].isdigit() and r[fi].isdigit()]
    if len(col) < 3:
        continue
    # in-flight connections and a collection's sockets come and go: compare
    # the quietest moments (minimum) of the first and the last fifth
    k = max(1, len(col) // 5)
    r0, r1 = min(c[0] for c in col[:k]), min(c[0] for c in col[-k:])
    f0, f1 = min(c[1] for c in col[:k]), min(c[1] for c in col[-k:])
    rmax, fmax = max(c[0] for c in col), max(c[1] for c in col)
    print("%-8s RSS %d -> %d kB (max %d), fds %d -> %d (max %d), %d samples" % (name, r0, r1, rmax, f0, f1, fmax, len(col)))
    if r1 > r0 * 1.2 + 2048 or f1 - f0 > 2:
        print("  grew"); bad = 1
sys.exit(bad)
P
kill -TERM $mp $ap; wait $mp $ap 2>/dev/null
[ -n "$tp" ] && tmux -L vfst-soak$$ send-keys q && sleep 1
for f in metrics agent top; do
	[ -s $d/$f.err ] && grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error' $d/$f.err && fail "$f: sanitizer report"
done
echo ok
