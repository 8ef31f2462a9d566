#!/bin/bash
# vfscope capture on two veth peers in a netns: gratuitous ARP and a kernel
# unsolicited NA arrive, ordinary traffic (ICMP echo) does not; the pcap
# decodes; --duration stops it, and SIGINT stops it early and cleanly.
set -u
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 77; }
command -v arping >/dev/null || { echo "arping not installed (scripts/setup)"; exit 77; }
V=$VFSCOPE
A=vfst-c2a B=vfst-c2b
work=$(mktemp -d)
cleanup() { ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ip netns add $A && ip netns add $B || exit 1
ip link add vc2a netns $A type veth peer name vc2b netns $B
ip link add vc2c netns $A type veth peer name vc2d netns $B
for l in vc2a vc2c; do ip -n $A link set $l up; done
for l in vc2b vc2d; do ip -n $B link set $l up; done
ip -n $A addr add 192.0.2.1/24 dev vc2a
ip -n $A addr add 198.51.100.1/24 dev vc2c
ip -n $B addr add 192.0.2.2/24 dev vc2b
ip -n $A addr add 2001:db8::1/64 dev vc2a nodad
ip netns exec $A sysctl -qw net.ipv6.conf.vc2a.ndisc_notify=1
ip netns exec $B "$V" capture -i vc2b,vc2d -w "$work/c.pcap" --duration 4 2>"$work/err" &
cp=$!
sleep 1
ip netns exec $A ping -c 2 -i 0.2 -q 192.0.2.2 >/dev/null
ip netns exec $A arping -q -U -c 1 -I vc2a 192.0.2.1
ip netns exec $A arping -q -U -c 1 -I vc2c 198.51.100.1
ip -n $A link set vc2a address 02:00:00:00:c2:0a
t0=$SECONDS
wait $cp; rc=$?
cat "$work/err"
[ $rc = 0 ] || { echo "capture failed rc=$rc"; exit 1; }
[ $((SECONDS - t0)) -le 5 ] || { echo "duration not honoured"; exit 1; }
"$V" decode --pcap "$work/c.pcap" | tee "$work/out"
grep -q 'ARP gratuitous request 192.0.2.1' "$work/out" || { echo "GARP on vc2b missing"; exit 1; }
grep -q 'ARP gratuitous request 198.51.100.1' "$work/out" || { echo "GARP on second interface missing"; exit 1; }
grep -q 'NA unsolicited 2001:db8::1' "$work/out" || { echo "NA missing"; exit 1; }
grep -q 'ethertype 0x0800' "$work/out" && { echo "filter let IPv4 through"; exit 1; }
# SIGINT: stops within a second and leaves a readable pcap.
ip netns exec $B "$V" capture -i vc2b -w "$work/i.pcap" 2>"$work/err2" &
cp=$!
sleep 1
kill -INT $cp
t0=$SECONDS
wait $cp; rc=$?
[ $rc = 0 ] && [ $((SECONDS - t0)) -le 2 ] || { echo "SIGINT stop failed rc=$rc"; cat "$work/err2"; exit 1; }
"$V" decode --pcap "$work/i.pcap" >/dev/null || { echo "pcap after SIGINT unreadable"; exit 1; }
# Errors: unknown interface is a clean message.
"$V" capture -i vfst-nonexistent0 -w "$work/x.pcap" --duration 1 2>&1 | grep -q 'vfst-nonexistent0' || { echo "bad-interface message"; exit 1; }
echo ok
