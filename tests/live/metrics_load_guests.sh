#!/bin/bash
# The exporter keeps scraping while its guests are hostile
# (tests/live/fake_agent.py): one answers a byte every 0.5 s (up to the
# deadline), one streams forever, one answers a well-formed document of
# just under the 8 MiB cap, one never answers. Every scrape (every 0.2 s,
# 2 s timeout) is answered; the slow, endless and silent guests fail within
# --guest-timeout, the big one loads; RSS stays bounded. About 15 s.
set -u
. "$TOP/tests/lib.sh"
F=$TOP/tests/fixtures/bundle/sysroot
# A sanitizer build: no quarantine (it would hold freed memory by design),
# and the shadow memory allows more RSS.
san=
{ [ -n "${SAN:-}" ] || ldd "$VFSCOPE" 2>/dev/null | grep -q libasan; } && san=1
[ -n "$san" ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
T=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf $T' EXIT
args=()
for m in slow endless maxsize silent; do
	python3 "$TOP/tests/live/fake_agent.py" $m "$T/$m.port" & pids+=($!)
done
for m in slow endless maxsize silent; do
	for _ in $(seq 50); do [ -s "$T/$m.port" ] && break; sleep 0.1; done
	args+=(--guest tcp:127.0.0.1:$(cat "$T/$m.port"))
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$VFSCOPE" metrics --sysroot "$F" --listen 127.0.0.1:$port --interval 0.5 --guest-timeout 1500 "${args[@]}" \
	2>"$T/err" & pids+=($!)
mpid=$!
for _ in $(seq 200); do
	[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")" = 200 ] && break
	sleep 0.1
done
python3 "$TOP/tests/live/http_attack.py" scrape $port 5 0.2 >"$T/scrape" || fail "a scrape failed: $(cat "$T/scrape")"
echo "while the guests are hostile: $(cat "$T/scrape")"
python3 - "$T/scrape" <<'P' || fail "scrapes slowed down: $(cat "$T/scrape")"
import sys
w = open(sys.argv[1]).read().split()
sys.exit(0 if float(w[w.index("p99_ms") + 1]) < 500 else 1)
P
curl -s "http://127.0.0.1:$port/metrics" >"$T/m.prom"
ok() { awk -v s="guest:tcp:127.0.0.1:$(cat "$T/$1.port")" '$1 == "vfscope_collector_success{source=\"" s "\"}" {print $2}' "$T/m.prom"; }
[ "$(ok slow)" = 0 ] || fail "slow guest: success $(ok slow)"
[ "$(ok endless)" = 0 ] || fail "endless guest: success $(ok endless)"
[ "$(ok silent)" = 0 ] || fail "silent guest: success $(ok silent)"
[ "$(ok maxsize)" = 1 ] || fail "the guest at the size cap should load: success $(ok maxsize) $(grep -i maxsize "$T/err" | head -2)"
for m in slow endless silent maxsize; do
	d=$(awk -v s="guest:tcp:127.0.0.1:$(cat "$T/$m.port")" '$1 == "vfscope_collector_duration_seconds{source=\"" s "\"}" {print $2}' "$T/m.prom")
	python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 2.5 else 1)" "$d" || fail "$m guest took $d s (timeout 1.5 s)"
done
rss=$(awk '/^VmRSS/{print $2}' /proc/$mpid/status)
echo "RSS ${rss} kB"
most=150000
[ -n "$san" ] && most=400000
[ $rss -lt $most ] || fail "RSS $rss kB"
echo ok
