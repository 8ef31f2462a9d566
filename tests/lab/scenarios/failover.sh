# failover: active-backup with addresses; the active VF goes down in the
# guest and bonding announces the new active member with gratuitous ARPs and
# unsolicited IPv6 NAs, which tcpdump records on bond0 (-p: no promiscuous
# mode, which igbvf would ask the PF for over the mailbox).
log failover
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100 num_grat_arp 3 num_unsol_na 3
ip -n guest addr add 192.0.2.10/24 dev bond0
ip -n guest addr add 2001:db8::10/64 dev bond0 nodad
settle
set -- $GM
A=$(ip netns exec guest cat /sys/class/net/bond0/bonding/active_slave)
B=$1; [ "$A" = "$1" ] && B=$2
mkdir -p /out/failover
echo "active $A, failing over to $B" > /out/failover/failover.txt
ip netns exec guest tcpdump -p -U -n -i bond0 -w /out/failover/failover.pcap \
	'arp or (icmp6 and ip6[40] == 136)' 2> /out/failover/tcpdump.err &
TP=$!
sleep 2
ip -n guest link set $A down
sleep 5
kill $TP; wait $TP
capture failover
expect "failed over to the other member" "$B" $CAPDIR/guest/sys/class/net/bond0/bonding/active_slave
[ -s /out/failover/failover.pcap ] && [ "$(wc -c < /out/failover/failover.pcap)" -gt 24 ] ||
	{ echo "LAB-FAIL: no GARP/NA captured"; echo x >> /tmp/lab.fail; }
