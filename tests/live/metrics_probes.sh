#!/bin/bash
# Serving the live host attaches the eBPF probes (bpf/probes.h): one
# vfscope_probe_up per probe, 1 where it attached; --no-probes gives the
# single {probe="bpf"} 0; mailbox counters only appear with probes.
set -u
. "$TOP/tests/lib.sh"
need_root
command -v curl >/dev/null || skip "curl not installed"
T=$(mktemp -d)
mp=
trap '[ -n "$mp" ] && kill $mp 2>/dev/null; rm -rf $T' EXIT
scrape() { # args... -> $T/m
	local port
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	"$VFSCOPE" metrics --no-kmsg --listen 127.0.0.1:$port --interval 0.5 "$@" 2>"$T/err" & mp=$!
	for _ in $(seq 100); do curl -sf -o "$T/m" "http://127.0.0.1:$port/metrics" && break; sleep 0.1; done
	kill $mp; wait $mp; mp=
	[ -s "$T/m" ] || fail "no scrape ($(cat "$T/err"))"
}
scrape
if grep -q '^vfscope_probe_up{probe="bpf"} 0$' "$T/m"; then
	skip "probes could not open here: $(grep probes: "$T/err")"
fi
n=$(grep -c '^vfscope_probe_up{probe="[a-z0-9_]*"} [01]$' "$T/m")
[ "$n" -ge 2 ] || fail "expected one vfscope_probe_up per probe, got $n"
grep -q '^vfscope_probe_up{probe="[a-z0-9_]*"} 1$' "$T/m" || skip "no probe attached on this kernel"
if command -v promtool >/dev/null; then promtool check metrics < "$T/m" >/dev/null 2>&1 || fail promtool; fi
scrape --no-probes
grep -q '^vfscope_probe_up{probe="bpf"} 0$' "$T/m" || fail "--no-probes should report bpf 0"
grep -q vfscope_mailbox_messages_total "$T/m" && fail "mailbox counters without probes"
echo ok
