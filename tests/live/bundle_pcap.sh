#!/bin/bash
# A live bundle captures control frames over the window into control.pcap
# (a bridge port counts as a team member here: it has a master), which
# tshark opens; --redact leaves the pcap out and says why.
set -u
. "$TOP/tests/lib.sh"
need_root
ns=$(mkns p)
ip -n "$ns" link add va0 type veth peer name vb0 || skip "no veth"
ip -n "$ns" link add br0 type bridge || skip "no bridge"
ip -n "$ns" link set va0 master br0
for l in va0 vb0 br0; do ip -n "$ns" link set $l up; done
ip -n "$ns" addr add 192.0.2.5/24 dev vb0
T=$(mktemp -d); trap 'rm -rf $T; cleanup_ns' EXIT
( sleep 0.7; ip netns exec "$ns" ping -c1 -W1 192.0.2.6 >/dev/null 2>&1 ) &
ip netns exec "$ns" "$VFSCOPE" bundle -d 2 --no-kmsg -o "$T/c.tar.gz" >/dev/null 2>"$T/err" || fail "bundle rc=$? $(cat "$T/err")"
wait
mkdir "$T/x" && tar xzf "$T/c.tar.gz" -C "$T/x" || fail extract
[ -s "$T/x/control.pcap" ] || fail "no control.pcap: $(json_get "$T/x/manifest.json" "[f for f in d['files'] if f['name']=='control.pcap']")"
if command -v tshark >/dev/null; then
	tshark -r "$T/x/control.pcap" 2>/dev/null | grep -q 'ARP' || fail "tshark does not see the ARP request"
fi
ip netns exec "$ns" "$VFSCOPE" bundle -d 1 --no-kmsg --redact -o "$T/r.tar.gz" >/dev/null 2>&1 || fail "redacted bundle"
tar tzf "$T/r.tar.gz" | grep -q control.pcap && fail "pcap kept under --redact"
tar xzOf "$T/r.tar.gz" manifest.json > "$T/m.json"
json_get "$T/m.json" "[f['error'] for f in d['failed'] if f['name']=='control.pcap'][0]" | grep -q redact || fail "no note"
echo ok
