#!/bin/bash
# Basic auth under attack: the exporter's one server thread never runs
# bcrypt (export/http_auth_worker.c runs it while the connection is
# suspended), so a scraper with the right password keeps every scrape
# while wrong passwords flood in (a bcrypt check each, up to the rate),
# the 64-slot table is kept full by idle and trickling connections, and
# the oldest waiting ones are shut down to make room. Before, basic auth
# ran a pool of four server threads: a connection accepted by a thread busy
# in bcrypt could outwait the guard's grace and be shut down (1 scrape in
# ~300 lost in this attack). Also: no thread pool (the thread count is the
# plain server's plus the worker), the flood is counted as failed or
# throttled, and the password is checked once (cached) for the scraper.
set -u
. "$TOP/tests/lib.sh"
command -v curl >/dev/null || skip "curl not installed"
F=$TOP/tests/fixtures/bundle/sysroot
A=$TOP/tests/live/http_attack.py
T=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf $T' EXIT
san=
{ [ -n "${SAN:-}" ] || ldd "$VFSCOPE" 2>/dev/null | grep -q libasan; } && san=1
[ -n "$san" ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
H=$(python3 -W ignore -c 'import crypt, sys; print(crypt.crypt("s3cret", "$2y$10$abcdefghijklmnopqrstuv"))')
case "$H" in '$2y$10$'*) ;; *) skip "libcrypt here makes no bcrypt hashes" ;; esac
printf 'basic_auth_users:\n  prom: %s\n' "$H" > "$T/web.yml"
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
threads() { ls /proc/$1/task | wc -l; }
start() { # port args... -> mpid
	local port=$1; shift
	"$VFSCOPE" metrics --sysroot "$F" --listen 127.0.0.1:$port --interval 0.5 --max-connections 64 "$@" 2>>"$T/err" &
	mpid=$!; pids+=($mpid)
	for _ in $(seq 100); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' -u prom:s3cret "http://127.0.0.1:$port/metrics")" = 200 ] && return
		sleep 0.1
	done
	fail "exporter did not start: $(cat "$T/err")"
}
port=$(freeport)
start $port
plain_threads=$(threads $mpid); kill $mpid; wait $mpid 2>/dev/null
port=$(freeport)
start $port --web.config.file "$T/web.yml"
auth_threads=$(threads $mpid)
[ "$auth_threads" = $((plain_threads + 1)) ] || fail "basic auth runs $auth_threads threads, plain $plain_threads: want one more (the bcrypt worker), no pool"
[ "$(curl -s -o /dev/null -w '%{http_code}' -u prom:nope "http://127.0.0.1:$port/metrics")" = 401 ] || fail "wrong password not refused"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")" = 401 ] || fail "no password not refused"
python3 "$A" attack $port 9 --idle 150 --slow 150 --badauth 6 2>"$T/attack" & ap=$!; pids+=($ap)
sleep 1.5
python3 "$A" scrape $port 7 0.1 --user prom:s3cret >"$T/scrape"; rc=$?
wait $ap
echo "$(cat "$T/scrape") ($(cat "$T/attack"))"
[ $rc = 0 ] || fail "a scrape with the right password failed under attack: $(cat "$T/scrape")"
curl -s -u prom:s3cret "http://127.0.0.1:$port/metrics" > "$T/m" || fail "scrape after"
grep -q 'vfscope_http_connections_dropped_total{reason="full"} [1-9]' "$T/m" || fail "the table never filled"
f=$(sed -n 's/^vfscope_http_auth_total{result="failed"} //p' "$T/m"); t=$(sed -n 's/^vfscope_http_auth_total{result="throttled"} //p' "$T/m")
[ "${f:-0}" -gt 0 ] && [ "${t:-0}" -gt 0 ] || fail "the wrong-password flood was not failed and throttled (failed ${f:-?}, throttled ${t:-?})"
kill -TERM $mpid; wait $mpid; rc=$?
[ $rc = 0 ] || fail "SIGTERM exit $rc"
[ -n "$san" ] && grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error' "$T/err" && fail "sanitizer report"
echo ok
