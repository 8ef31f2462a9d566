#!/bin/bash
# The exporter keeps answering a legitimate scraper while hostile clients on
# the same loopback address attack it (tests/live/http_attack.py): 500
# connections trickling header bytes, 100 clients hammering /metrics, junk
# (oversized headers, a 1 MiB request line, garbage, unknown methods, a
# huge POST); then, with --max-connections 64, 300 idle/slow connections
# that fill the table (the oldest waiting ones must be shut down to let the
# scraper in). Every scrape must answer 200 within 2 s; afterwards a scrape
# answers at once and descriptors and RSS are back where they were.
# Before the guard, 40 slow clients blocked every scrape. Bounded: < 30 s.
set -u
. "$TOP/tests/lib.sh"
F=$TOP/tests/fixtures/bundle/sysroot
A=$TOP/tests/live/http_attack.py
# A sanitizer build: no quarantine (it would hold freed memory by design),
# and the shadow memory allows more RSS.
san=
{ [ -n "${SAN:-}" ] || ldd "$VFSCOPE" 2>/dev/null | grep -q libasan; } && san=1
[ -n "$san" ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
T=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf $T' EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
fds() { ls /proc/$1/fd | wc -l; }
rss() { awk '/^VmRSS/ {print $2}' /proc/$1/status; }
start() { # port args...
	local port=$1; shift
	"$VFSCOPE" metrics --sysroot "$F" --listen 127.0.0.1:$port --interval 0.5 "$@" 2>>"$T/err" & pids+=($!)
	mpid=$!
	for _ in $(seq 100); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")" = 200 ] && return
		sleep 0.1
	done
	fail "exporter did not start: $(cat "$T/err")"
}
scrape_under() { # port seconds attack-args...
	local port=$1 secs=$2; shift 2
	python3 "$A" attack $port $((secs + 2)) "$@" 2>"$T/attack" & local ap=$!
	pids+=($ap)
	sleep 1.5 # let the attackers connect
	peak_fds=$(fds $mpid)
	python3 "$A" scrape $port $secs 0.2 >"$T/scrape"
	local rc=$?
	peak_fds=$(( $(fds $mpid) > peak_fds ? $(fds $mpid) : peak_fds ))
	wait $ap
	echo "attack $*: $(cat "$T/scrape") ($(cat "$T/attack")) fds during ${peak_fds}"
	[ $rc = 0 ] || fail "a legitimate scrape failed under attack ($*): $(cat "$T/scrape")"
}
after_ok() { # port
	local t
	t=$(curl -s -o "$T/after.prom" -w '%{time_total}' "http://127.0.0.1:$1/metrics") || fail "scrape after the attack"
	python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 0.5 else 1)" "$t" || fail "scrape after the attack took $t s"
	if command -v promtool >/dev/null; then promtool check metrics <"$T/after.prom" >/dev/null 2>&1 || fail promtool; fi
}
counter() { awk -v k="$1" '$1 == k {print $2}' "$T/after.prom"; }

# 1: default limits, the mixed attack
port=$(freeport)
start $port
fd0=$(fds $mpid) rss0=$(rss $mpid)
for round in 1 2; do
	scrape_under $port 3 --slow 500 --hammer 100 --junk 8
	# round 2: the slow clients' last connections reach their header deadline
	[ $round = 2 ] && sleep 3.3
	after_ok $port
	fd1=$(fds $mpid) rss1=$(rss $mpid)
	echo "round $round: fds $fd0 -> $fd1, rss ${rss0} -> ${rss1} kB"
	[ $round = 1 ] || [ $fd1 -le $((fd0 + 4)) ] || fail "descriptors grew: $fd0 -> $fd1"
	# the first round sets the high-water mark of the allocator; the
	# second must not add to it
	[ $round = 1 ] && rss_hw=$rss1
done
slack=4000 most=40000
[ -n "$san" ] && slack=16000 most=120000
[ $rss1 -le $((rss_hw + slack)) ] || fail "RSS grew by more than $slack kB from round 1 to 2: $rss_hw -> $rss1 kB"
[ $rss_hw -le $((rss0 + most)) ] || fail "RSS grew by more than $most kB: $rss0 -> $rss_hw kB"
[ "$(counter 'vfscope_http_connections_dropped_total{reason="header_timeout"}')" -gt 0 ] ||
	fail "no slow client was cut off at its header deadline"
# the guard counts itself in the exposition
[ "$(counter vfscope_http_connections_max)" = 1024 ] || fail "vfscope_http_connections_max"
kill $mpid; wait $mpid 2>/dev/null

# 2: a full table: the oldest waiting connections make room for the scraper
port=$(freeport)
start $port --max-connections 64
scrape_under $port 3 --idle 150 --slow 150
after_ok $port
full=$(counter 'vfscope_http_connections_dropped_total{reason="full"}')
[ "${full:-0}" -gt 0 ] || fail "the table never filled (dropped full = ${full:-none})"
echo "dropped to make room: $full"
kill -TERM $mpid; wait $mpid; rc=$?
[ $rc = 0 ] || fail "SIGTERM exit $rc"
echo ok
