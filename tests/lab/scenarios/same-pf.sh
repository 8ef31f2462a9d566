# 4 same-PF team: both members are VFs of PF0 (VF0 and VF1): one PF, one
# cable, no redundancy.
log same-pf
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF0VF1" miimon 100
settle
capture same-pf
set -- $GM
expect "both members enslaved" "$1 $2" $CAPDIR/guest/sys/class/net/bond0/bonding/slaves
