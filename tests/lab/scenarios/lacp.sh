# 5a 802.3ad (lacp_rate fast) over VF0 of each PF; tcpdump records the real
# LACPDUs the first member sends (and any it receives) for ~6 s.
log lacp
need_admin_macs on
guest_team 802.3ad "$PF0VF0 $PF1VF0" miimon 100 lacp_rate fast
set -- $GM
mkdir -p /out/lacp
ip netns exec guest tcpdump -U -n -i $1 -w /out/lacp/lacp.pcap ether proto 0x8809 2> /out/lacp/tcpdump.err &
TP=$!
settle
sleep 5
kill $TP; wait $TP
capture lacp
expect "mode" "802.3ad 4" $CAPDIR/guest/sys/class/net/bond0/bonding/mode
[ -s /out/lacp/lacp.pcap ] || { echo "LAB-FAIL: no LACPDUs captured"; echo x >> /tmp/lab.fail; }
