#!/bin/bash
# --web.config.file (the exporter-toolkit web configuration): TLS with a
# certificate made here (openssl, a temporary CA), basic auth with bcrypt
# hashes ($2y$ as htpasswd writes them, $2b$), client certificates
# (RequireAndVerifyClientCert), malformed files refused at start with the
# line and the reason, and a real Prometheus scraping over TLS with basic
# auth (skipped without prometheus). Loopback only; < 30 s.
set -u
. "$TOP/tests/lib.sh"
command -v curl >/dev/null || skip "curl not installed"
command -v openssl >/dev/null || skip "openssl not installed"
F=$TOP/tests/fixtures/bundle/sysroot
T=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf $T' EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
cd "$T"
key() { openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$2" -keyout $1.key -out $1.csr 2>/dev/null; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=vfscope-test-ca \
	-keyout ca.key -out ca.crt 2>/dev/null || fail "openssl CA"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=other-ca \
	-keyout other.key -out other.crt 2>/dev/null
key server 127.0.0.1; printf 'subjectAltName=IP:127.0.0.1\n' >ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile ext -out server.crt 2>/dev/null
key client scraper
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out client.crt 2>/dev/null
key rogue rogue
openssl x509 -req -in rogue.csr -CA other.crt -CAkey other.key -CAcreateserial -days 2 -out rogue.crt 2>/dev/null
[ -s client.crt ] && [ -s rogue.crt ] || fail "openssl certificates"
# bcrypt: $2y$ (htpasswd -B) from libcrypt through python, and $2b$
hash() { python3 -W ignore -c 'import crypt, sys; print(crypt.crypt(sys.argv[1], sys.argv[2] + "$05$" + "abcdefghijklmnopqrstuv"))' "$1" "$2"; }
HY=$(hash s3cret '$2y') HB=$(hash other '$2b')
case "$HY$HB" in '$2y$05$'*'$2b$05$'*) ;; *) skip "libcrypt here makes no bcrypt hashes ($HY)" ;; esac
cat >web.yml <<EOF
---
# vfscope test
tls_server_config:
  cert_file: server.crt       # relative to this file
  key_file: "$T/server.key"
basic_auth_users:
  prom: '$HY'
  "second user": $HB
EOF
port=$(freeport)
start() { # config
	"$VFSCOPE" metrics --sysroot "$F" --listen 127.0.0.1:$port --interval 0.5 --web.config.file "$1" 2>>err & pids+=($!)
	mpid=$!
	for _ in $(seq 100); do
		[ "$(curl -s -o /dev/null -w '%{http_code}' --cacert ca.crt -u prom:s3cret \
			--cert client.crt --key client.key "https://127.0.0.1:$port/metrics")" = 200 ] && return
		sleep 0.1
	done
	fail "no 200 over TLS: $(cat err)"
}
code() { curl -s -o out -w '%{http_code}' --cacert ca.crt "$@"; }
start web.yml
[ "$(code -u prom:s3cret https://127.0.0.1:$port/metrics)" = 200 ] || fail "right password"
grep -q '^vfscope_collector_success' out || fail "no metrics over TLS"
[ "$(code -u 'second user:other' https://127.0.0.1:$port/metrics)" = 200 ] || fail '$2b$ user'
[ "$(code https://127.0.0.1:$port/metrics)" = 401 ] || fail "no credentials must get 401"
[ "$(code -u prom:wrong https://127.0.0.1:$port/metrics)" = 401 ] || fail "wrong password must get 401"
[ "$(code -u nobody:s3cret https://127.0.0.1:$port/metrics)" = 401 ] || fail "unknown user must get 401"
curl -s -D hdr -o /dev/null --cacert ca.crt https://127.0.0.1:$port/metrics
grep -qi '^WWW-Authenticate: Basic realm="vfscope"' hdr || fail "no WWW-Authenticate"
c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 http://127.0.0.1:$port/metrics); [ "$c" = 200 ] && fail "plain HTTP served"
# a flood of wrong passwords: the checked password keeps answering, fast
python3 - $port <<'P' || fail "scrapes with the right password failed during a wrong-password flood"
import base64, ssl, socket, sys, threading, time
port = int(sys.argv[1]); ctx = ssl.create_default_context(cafile="ca.crt"); ctx.check_hostname = False
def get(auth):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), 3))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Basic %s\r\n\r\n" % base64.b64encode(auth))
    d = b""
    while True:
        b = s.recv(65536)
        if not b: break
        d += b
    return d[:12]
stop = time.time() + 3
def bad():
    while time.time() < stop:
        try: get(b"prom:wrong%d" % time.time_ns())
        except OSError: pass
th = [threading.Thread(target=bad) for _ in range(8)]
[t.start() for t in th]
worst = 0
while time.time() < stop:
    t0 = time.time(); r = get(b"prom:s3cret"); worst = max(worst, time.time() - t0)
    assert r == b"HTTP/1.1 200", r
    time.sleep(0.2)
[t.join() for t in th]
print("right password under a wrong-password flood: slowest %.0f ms" % (worst * 1000))
assert worst < 1.5, worst
P
curl -s --cacert ca.crt -u prom:s3cret https://127.0.0.1:$port/metrics >m.prom
grep -q 'vfscope_http_auth_total{result="throttled"} [1-9]' m.prom || fail "the flood was not throttled"
if command -v promtool >/dev/null; then promtool check metrics <m.prom >/dev/null 2>&1 || fail promtool; fi

# Prometheus itself, over TLS with basic auth, every second
if command -v prometheus >/dev/null; then
	pport=$(freeport)
	cat >prom.yml <<EOF
global: { scrape_interval: 1s, scrape_timeout: 1s }
scrape_configs:
  - job_name: vfscope
    scheme: https
    tls_config: { ca_file: $T/ca.crt, cert_file: $T/client.crt, key_file: $T/client.key }
    basic_auth: { username: prom, password: s3cret }
    static_configs: [ { targets: ["127.0.0.1:$port"] } ]
EOF
	prometheus --config.file=prom.yml --storage.tsdb.path=tsdb --web.listen-address=127.0.0.1:$pport \
		>prom.log 2>&1 & pids+=($!)
	up=
	for _ in $(seq 60); do
		up=$(curl -s "http://127.0.0.1:$pport/api/v1/query?query=up" | python3 -c \
			'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "")' 2>/dev/null)
		[ "$up" = 1 ] && break
		sleep 0.25
	done
	[ "$up" = 1 ] || fail "Prometheus could not scrape over TLS with basic auth (up=$up): $(tail -3 prom.log)"
	echo "prometheus scraped over TLS with basic auth: up=1"
else
	echo "prometheus not installed: its scrape not checked"
fi
kill $mpid; wait $mpid 2>/dev/null

# client certificates
cat >mtls.yml <<EOF
tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  min_version: TLS12
EOF
start mtls.yml
[ "$(code --cert client.crt --key client.key https://127.0.0.1:$port/metrics)" = 200 ] || fail "client certificate"
c=$(code https://127.0.0.1:$port/metrics); [ "$c" = 200 ] && fail "served without a client certificate"
c=$(code --cert rogue.crt --key rogue.key https://127.0.0.1:$port/metrics)
[ "$c" = 200 ] && fail "served a client certificate from another CA"
kill $mpid; wait $mpid 2>/dev/null

# malformed files: exit 2 and say where and why
bad() { # expected-text, then the file on stdin (not a pipe: fail must end the test)
	cat >bad.yml
	"$VFSCOPE" metrics --sysroot "$F" --listen 127.0.0.1:$port --web.config.file bad.yml 2>berr >/dev/null & local p=$!
	local rc
	( sleep 5; kill $p 2>/dev/null ) & local k=$!
	wait $p; rc=$?
	kill $k 2>/dev/null
	[ $rc = 2 ] || fail "malformed config ($1) not refused: rc=$rc"
	grep -qF "$1" berr || fail "malformed config: want '$1', got: $(cat berr)"
}
bad "needs both cert_file and key_file" < <(printf 'tls_server_config:\n  cert_file: server.crt\n')
bad "nope.key: No such file" < <(printf 'tls_server_config:\n  cert_file: server.crt\n  key_file: nope.key\n')
bad "not PEM" < <(printf 'tls_server_config:\n  cert_file: ext\n  key_file: server.key\n')
bad "line 2: tab in indentation" < <(printf 'tls_server_config:\n\tcert_file: x\n')
bad "line 1: flow style" < <(printf 'tls_server_config: {cert_file: a}\n')
bad "line 1: unknown key 'tls_srever_config'" < <(printf 'tls_srever_config:\n  cert_file: a\n')
bad "line 2: user 'prom': want a bcrypt hash" < <(printf 'basic_auth_users:\n  prom: secret\n')
bad "line 3: user 'prom' given twice" < <(printf "basic_auth_users:\n  prom: '%s'\n  prom: '%s'\n" "$HY" "$HY")
bad "without a client_auth_type" < <(printf 'tls_server_config:\n  cert_file: a\n  key_file: b\n  client_ca_file: ca.crt\n')
bad "cipher_suites is not supported" < <(printf 'tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: x\n')
bad "line 2: unterminated quoted value" < <(printf 'tls_server_config:\n  cert_file: "a\n')
bad "want a bcrypt hash" < <(printf 'basic_auth_users:\n  prom: %s\n' '$2y$05$abc')
echo ok
