# 1 healthy: active-backup (miimon 100) over VF0 of PF0 and VF0 of PF1,
# trust on, VF MACs set by the PF admin.
log healthy
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
settle
capture healthy
set -- $GM
G=$CAPDIR/guest/sys/class/net
expect "first member active" "$1" $G/bond0/bonding/active_slave
expect "both members enslaved" "$1 $2" $G/bond0/bonding/slaves
