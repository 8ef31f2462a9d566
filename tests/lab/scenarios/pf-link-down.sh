# 2 PF link down: PF0's physical link goes down (QEMU monitor set_link), but
# its VF keeps carrier 1 and the bond keeps that VF active: the hidden
# link-state mismatch. The link is restored afterwards.
log pf-link-down
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
settle
mon set_link n0 off
sleep 3
capture pf-link-down
mon set_link n0 on
set -- $GM
H=$CAPDIR/host/sys/class/net G=$CAPDIR/guest/sys/class/net
expect "PF0 carrier down" 0 $H/$PF0/carrier
expect "PF0's VF keeps carrier" 1 $G/$1/carrier
expect "bond keeps PF0's VF active" "$1" $G/bond0/bonding/active_slave
