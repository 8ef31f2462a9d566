#!/bin/bash
# Regenerate the committed captures in tests/decoders/captures/ from real
# implementations in two network namespaces joined by a veth pair (root):
#   lldp-lldpd.pcap      LLDPDUs sent by lldpd
#   garp-arping.pcap     gratuitous ARP (arping -U), untagged and on VLAN 100
#   na-kernel.pcap       unsolicited neighbour advertisements the kernel sends
#                        on a MAC change with ndisc_notify=1 (what a bond's
#                        failover does; Debian's ndisc6 ships no ndsend)
# Without --update (as tests/run runs it) the captures go to a scratch dir
# and the test checks that each tool still produced frames vfscope decodes
# as the expected kind; --update rewrites the committed captures.
# Addresses come only from the documentation ranges (192.0.2.0/24,
# 2001:db8::/32); MACs are locally administered. Run by hand, then commit the
# captures and regenerate the goldens (UPDATE_GOLDEN=1 golden.sh).
set -eu
cd "$(dirname "$0")"
update=0
[ "${1:-}" = --update ] && update=1
V=${VFSCOPE:-../../vfscope}
A=vfst-d2a B=vfst-d2b
for t in ip tcpdump lldpd arping; do
	command -v $t >/dev/null || { echo "$t not installed (scripts/setup)"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)"; exit 77; }
run=$(mktemp -d /run/vfst-d2.XXXXXX)
chmod 755 "$run" # lldpd drops to _lldpd and must reach its socket
if [ $update = 1 ]; then out=captures; else out=$run/out; mkdir -p "$out"; fi
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	sleep 0.3
	ip netns del $A 2>/dev/null || true
	ip netns del $B 2>/dev/null || true
	rm -rf "$run"
}
trap cleanup EXIT
ip netns add $A
ip netns add $B
ip link add vd2a netns $A address 02:00:00:00:d2:0a type veth peer name vd2b netns $B address 02:00:00:00:d2:0b
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set vd2a up
ip -n $B link set vd2b up
ip -n $A addr add 192.0.2.1/24 dev vd2a
ip -n $A addr add 2001:db8::1/64 dev vd2a nodad
# A VLAN variant when the kernel has 8021q (the test VMs' kernels may not).
vlan=0
if ip -n $A link add link vd2a name vd2a.100 type vlan id 100 2>/dev/null; then
	vlan=1
	ip -n $A link set vd2a.100 up
	ip -n $A addr add 198.51.100.1/24 dev vd2a.100
fi

cap() { # file filter seconds -- command...
	local f=$1 filt=$2 secs=$3; shift 4
	ip netns exec $B tcpdump -i vd2b -U -s 0 -w "$run/cap.pcap" "$filt" 2>"$run/tcpdump.log" &
	local tp=$!
	pids+=($tp)
	sleep 1
	"$@"
	sleep "$secs"
	kill -INT $tp; wait $tp || true
	cp "$run/cap.pcap" "$out/$f"
	echo "$f: $(tcpdump -r "$out/$f" 2>/dev/null | wc -l) frames"
}

# lldpd: private control socket and pidfile; the system name comes from the
# namespace's own UTS name, so the host's name never enters the capture.
lldp() {
	ip netns exec $A unshare --uts sh -c "hostname vfst-lldp; exec lldpd -d -u $run/lldpd.sock -p $run/lldpd.pid -I vd2a -S 'vfscope test LLDP agent'" >"$run/lldpd.log" 2>&1 &
	pids+=($!)
	sleep 3
	kill $! 2>/dev/null || true
}
cap lldp-lldpd.pcap "ether proto 0x88cc" 1 -- lldp
[ "$(tcpdump -r $out/lldp-lldpd.pcap 2>/dev/null | wc -l)" -gt 0 ] || cat "$run/lldpd.log"
cap garp-arping.pcap 'arp or (vlan and arp)' 1 -- sh -c "ip netns exec $A arping -q -U -c 3 -w 3 -I vd2a 192.0.2.1; [ $vlan = 0 ] || ip netns exec $A arping -q -U -c 2 -w 2 -I vd2a.100 198.51.100.1; true"
ip netns exec $A sysctl -qw net.ipv6.conf.vd2a.ndisc_notify=1
cap na-kernel.pcap 'icmp6 and ip6[40] == 136' 1 -- ip -n $A link set vd2a address 02:00:00:00:d2:1a

[ $update = 1 ] && exit 0
# Test mode: each capture has frames of the expected kind.
rc=0
for pair in lldp-lldpd:lldp garp-arping:arp na-kernel:na; do
	f=${pair%%:*} k=${pair##*:}
	n=$("$V" decode --json --pcap "$out/$f.pcap" | grep -c "\"kind\":\"$k\"")
	echo "$f: $n $k frames decoded"
	[ "$n" -gt 0 ] || rc=1
done
exit $rc
