# failover: active-backup with addresses; the active VF goes down in the
# guest and bonding announces the new active member with gratuitous ARPs and
# unsolicited IPv6 NAs, which tcpdump records on the new active member.
log failover
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100 num_grat_arp 3 num_unsol_na 3
ip -n guest addr add 192.0.2.10/24 dev bond0
ip -n guest addr add 2001:db8::10/64 dev bond0 nodad
settle
set -- $GM
mkdir -p /out/failover
ip netns exec guest tcpdump -U -n -i $2 -w /out/failover/failover.pcap \
	'arp or (icmp6 and ip6[40] == 136)' 2> /out/failover/tcpdump.err &
TP=$!
sleep 2
ip -n guest link set $1 down
sleep 5
kill $TP; wait $TP
capture failover
expect "second member active" "$2" $CAPDIR/guest/sys/class/net/bond0/bonding/active_slave
[ -s /out/failover/failover.pcap ] || { echo "LAB-FAIL: no GARP/NA captured"; echo x >> /tmp/lab.fail; }
