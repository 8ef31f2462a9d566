# 5b balance-rr over VF0 of each PF.
log balance-rr
need_admin_macs on
guest_team balance-rr "$PF0VF0 $PF1VF0" miimon 100
settle
capture balance-rr
expect "mode" "balance-rr 0" $CAPDIR/guest/sys/class/net/bond0/bonding/mode
