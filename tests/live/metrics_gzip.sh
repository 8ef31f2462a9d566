#!/bin/bash
# Compressed scrapes (Accept-Encoding: gzip, which Prometheus always sends):
# the exposition is gzipped once per collection and each response appends
# its own tail (age, connection counters) as a stored block. The stream
# must be valid gzip (gzip -t checks the CRC and the size), decompress to
# exactly what a plain scrape of the same collection says, be refused when
# the client refuses gzip, and a real Prometheus must scrape it.
set -u
. "$TOP/tests/lib.sh"
command -v curl >/dev/null || skip "curl not installed"
F=$TOP/tests/fixtures/bundle/sysroot
T=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf $T' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
"$VFSCOPE" metrics --sysroot "$F" --listen 127.0.0.1:$port --interval 3600 2>"$T/err" & pids+=($!)
U=http://127.0.0.1:$port/metrics
for _ in $(seq 100); do [ "$(curl -s -o /dev/null -w '%{http_code}' $U)" = 200 ] && break; sleep 0.1; done
curl -sS -D "$T/hp" -o "$T/plain" $U || fail "plain scrape"
grep -qi '^Content-Encoding' "$T/hp" && fail "plain scrape came compressed"
grep -qi '^Vary: Accept-Encoding' "$T/hp" || fail "no Vary: Accept-Encoding"
curl -sS -D "$T/hg" -o "$T/gz" -H 'Accept-Encoding: gzip' $U || fail "gzip scrape"
grep -qi '^Content-Encoding: gzip' "$T/hg" || fail "no Content-Encoding: gzip ($(cat "$T/hg"))"
gzip -t "$T/gz" 2>"$T/gzt" || fail "not valid gzip: $(cat "$T/gzt")"
zcat "$T/gz" > "$T/unz"
# one collection (interval 3600 s): everything but the per-scrape lines is equal
strip() { grep -vE '^vfscope_(collection_age_seconds|http_)' "$1"; }
diff <(strip "$T/plain") <(strip "$T/unz") >"$T/d" || fail "gzip body differs from plain: $(head -5 "$T/d")"
grep -q '^vfscope_collection_age_seconds ' "$T/unz" || fail "the tail (age) is missing from the gzip stream"
grep -q '^vfscope_http_connections_accepted_total ' "$T/unz" || fail "the tail (connection counters) is missing"
[ "$(tail -c 1 "$T/unz" | od -An -c | tr -d ' ')" = '\n' ] || fail "decompressed text does not end with a newline"
gs=$(stat -c %s "$T/gz"); ps=$(stat -c %s "$T/plain")
[ "$gs" -lt $((ps / 3)) ] || fail "gzip $gs bytes for $ps plain: not compressed"
python3 - "$T/gz" "$T/unz" <<'P' || fail "python's gzip disagrees"
import gzip, sys
assert gzip.decompress(open(sys.argv[1], 'rb').read()) == open(sys.argv[2], 'rb').read()
P
for ae in 'gzip;q=0' identity 'deflate, br' ''; do
	curl -sS -D "$T/hx" -o "$T/x" -H "Accept-Encoding: $ae" $U || fail "scrape with '$ae'"
	grep -qi '^Content-Encoding' "$T/hx" && fail "'Accept-Encoding: $ae' got a compressed body"
	grep -q '^vfscope_build_info' "$T/x" || fail "'Accept-Encoding: $ae': not plain text"
done
curl -sS --compressed -o "$T/c" $U && grep -q '^vfscope_build_info' "$T/c" || fail "curl --compressed"
[ "$(curl -s -I -H 'Accept-Encoding: gzip' -o /dev/null -w '%{http_code}' $U)" = 200 ] || fail "HEAD"
# a real Prometheus (Go's gzip reader) scrapes it
PROM=$(command -v prometheus || true)
if [ -n "$PROM" ]; then
	pp=$(free_port)
	printf 'global: { scrape_interval: 1s, scrape_timeout: 1s }\nscrape_configs:\n  - { job_name: v, static_configs: [ { targets: ["127.0.0.1:%s"] } ] }\n' $port > "$T/p.yml"
	"$PROM" --config.file="$T/p.yml" --storage.tsdb.path="$T/tsdb" --web.listen-address=127.0.0.1:$pp >"$T/prom.log" 2>&1 & pids+=($!)
	ok=
	for _ in $(seq 150); do
		r=$(curl -s "http://127.0.0.1:$pp/api/v1/query?query=vfscope_build_info" 2>/dev/null)
		case $r in *'"result":[{'*) ok=1; break ;; esac
		sleep 0.2
	done
	[ -n "$ok" ] || fail "Prometheus never stored a sample from the gzip scrape ($(curl -s "http://127.0.0.1:$pp/api/v1/targets" | head -c 400))"
fi
echo ok
