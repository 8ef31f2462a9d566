# 3 MAC change refused: trust off and admin MACs on both VFs. The bond gives
# the second member the first one's MAC; the PF refuses it over the mailbox:
# "Error -99 calling set_mac_address", and the second VF is not enslaved.
log mac-refused
need_admin_macs off
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
settle
capture mac-refused
mkdir -p /out/mac-refused
dmesg > /out/mac-refused/enslave-dmesg.txt
set -- $GM
expect "only the first member enslaved" "$1" $CAPDIR/guest/sys/class/net/bond0/bonding/slaves
grep -q 'Error -99 calling set_mac_address' /out/mac-refused/enslave-dmesg.txt ||
	{ echo "LAB-FAIL: no Error -99 in dmesg"; echo x >> /tmp/lab.fail; }
