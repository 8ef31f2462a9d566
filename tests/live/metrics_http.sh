#!/bin/bash
# The HTTP endpoint on 127.0.0.1 (a free port): scraped with curl, passes
# promtool, 404 elsewhere, and a scrape never waits for a slow guest (a
# guest agent that never answers, 3 s timeout: scrapes stay fast and the
# exported age says how old the data is).
set -u
. "$TOP/tests/lib.sh"
command -v curl >/dev/null || skip "curl not installed"
F=$TOP/tests/fixtures/bundle/sysroot
T=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; rm -rf $T' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 "$TOP/tests/live/fake_agent.py" silent "$T/gport" & pids+=($!)
for _ in $(seq 50); do [ -s "$T/gport" ] && break; sleep 0.1; done
"$VFSCOPE" metrics --sysroot "$F" --listen 127.0.0.1:$port --interval 0.2 --guest tcp:127.0.0.1:$(cat "$T/gport") \
	--guest-timeout 3000 2>"$T/err" & pids+=($!)
mpid=${pids[1]}
code=
for _ in $(seq 100); do
	code=$(curl -s -o "$T/s" -w '%{http_code}' "http://127.0.0.1:$port/metrics") && [ "$code" = 200 ] && break
	sleep 0.1
done
[ "$code" = 200 ] || fail "no 200 from /metrics (last $code, $(cat "$T/err"))"
curl -sS -D "$T/h" -o "$T/m.prom" "http://127.0.0.1:$port/metrics" || fail curl
grep -qi '^Content-Type: text/plain; version=0.0.4' "$T/h" || fail "content type"
if command -v promtool >/dev/null; then promtool check metrics < "$T/m.prom" >/dev/null 2>&1 || fail promtool; fi
grep -q '^vfscope_collector_success{source="guest:tcp:127.0.0.1:[0-9]*"} 0$' "$T/m.prom" || fail "silent guest should fail"
# the collector is now stuck up to 3 s in the silent guest; scrapes stay fast
for i in 1 2 3 4 5; do
	t=$(curl -s -o "$T/m$i" -w '%{time_total}' "http://127.0.0.1:$port/metrics")
	python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 0.5 else 1)" "$t" || fail "scrape took $t s"
	sleep 0.3
done
# The age is a sawtooth (each hung collection still ends after 3 s): over
# these 1.5 s of scrapes it must have grown past 0.5 s at least once.
age=$(cat "$T"/m[1-5] | awk '/^vfscope_collection_age_seconds /{if ($2 > m) m = $2} END {print m + 0}')
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) > 0.5 else 1)" "$age" || fail "age should grow while a collection hangs (max $age)"
# keep-alive: a scraper's second request goes on its first connection
# (Prometheus reuses it: no new connection to queue behind others'), and
# HEAD too; a client that asks for close gets it
n=$(curl -s -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects}\n' "http://127.0.0.1:$port/metrics" \
	"http://127.0.0.1:$port/metrics" "http://127.0.0.1:$port/metrics" | paste -sd' ')
[ "$n" = "1 0 0" ] || fail "keep-alive: new connections per request: $n (want 1 0 0)"
n=$(curl -s -I -o /dev/null -o /dev/null -w '%{num_connects}\n' "http://127.0.0.1:$port/metrics" \
	"http://127.0.0.1:$port/metrics" | paste -sd' ')
[ "$n" = "1 0" ] || fail "keep-alive for HEAD: $n"
# and stays open between scrapes longer apart than the 3 s a new
# connection has for its first request
python3 - $port <<'P' || fail "kept-alive connection closed between two requests 3.5 s apart"
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 3)
for i in range(2):
    if i:
        time.sleep(3.5)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    h = b""
    while b"\r\n\r\n" not in h:
        b = s.recv(65536)
        assert b, "closed before answer %d" % (i + 1)
        h += b
    head, body = h.split(b"\r\n\r\n", 1)
    n = int([l.split(b":")[1] for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0])
    while len(body) < n:
        b = s.recv(65536)
        assert b, "closed in answer %d" % (i + 1)
        body += b
P
curl -s -D "$T/hc" -o /dev/null -H 'Connection: close' "http://127.0.0.1:$port/metrics"
grep -qi '^Connection: close' "$T/hc" || fail "Connection: close not honoured"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/nope")" = 404 ] || fail "404"
[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/metrics")" = 405 ] || fail "405"
kill -TERM $mpid; wait $mpid; rc=$?
[ $rc = 0 ] || fail "SIGTERM exit $rc"
echo ok
