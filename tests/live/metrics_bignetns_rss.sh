#!/bin/bash
# metrics' RSS beside a big network namespace: each collection reads a
# namespace of 1,000 veth pairs (2,000 links) on a short-lived thread, whose
# link dump grows a buffer to megabytes. With glibc's sliding mmap threshold
# those buffers came from per-thread arenas that each kept ~9 MiB: RSS went
# 8 -> 37 MiB within 10 s and on to 44 MiB (cli/main.c fixes the threshold).
# Passes when, after warm-up, RSS stays under 28 MiB over 40 collections
# (the fixed build peaks at ~17 MiB here). Release builds only: ASan's
# allocator is not glibc's.
set -u
. "$TOP/tests/lib.sh"
need_root
[ -n "${SAN:-}" ] && skip "a sanitizer build has its own allocator"
ldd "$VFSCOPE" 2>/dev/null | grep -q libasan && skip "a sanitizer build has its own allocator"
d=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; cleanup_ns; rm -rf $d' EXIT
ns=$(mkns big)
for i in $(seq 0 999); do echo "link add va$i type veth peer name vb$i"; done |
	ip -n "$ns" -batch - || skip "cannot make 1,000 veth pairs"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P=$(free_port)
"$VFSCOPE" metrics --listen 127.0.0.1:$P --interval 0.1 --no-probes >/dev/null 2>$d/err &
pids+=($!); mp=$!
coll() { curl -s http://127.0.0.1:$P/metrics | awk '$1 == "vfscope_collections_total" { print $2 }'; }
for _ in $(seq 100); do [ -n "$(coll)" ] && break; sleep 0.1; done
c0=$(coll)
[ -n "$c0" ] || fail "metrics does not answer: $(cat $d/err)"
max=0 n=0
while :; do
	sleep 0.5
	kill -0 $mp 2>/dev/null || fail "metrics died: $(cat $d/err)"
	c=$(coll); r=$(awk '/^VmRSS/{print $2}' /proc/$mp/status)
	n=$((n + 1))
	[ $n -gt 4 ] && [ "$r" -gt $max ] && max=$r
	[ $((c - c0)) -ge 40 ] && [ $n -gt 8 ] && break
	[ $n -ge 240 ] && fail "metrics made $((c - c0)) collections in 120 s"
done
echo "metrics: $((c - c0)) collections beside 2,000 links in $ns, RSS after warm-up at most $max kB"
[ $max -le $((28 * 1024)) ] || fail "RSS rose to $max kB (> 28 MiB)"
kill -TERM $mp; wait $mp; rc=$?
[ $rc = 0 ] || fail "metrics exit $rc after SIGTERM"
echo ok
