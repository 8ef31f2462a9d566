# lab: switch
# Frames decoded live become model facts (tests/lab/scenario_switch.sh).
# vm-run adds a third NIC on the hub; lab_switch_up moves it into netns
# "switch" (sw0, 192.0.2.1) where real lldpd runs. The team is the healthy
# one (active-backup, miimon 100, over PF0 VF0 + PF1 VF0) with addresses.
# 1 lldp:     host `check --capture 6`, lldpd started inside the window:
#             both PFs get the switch's chassis/port/name, VFS003 same switch.
# 2 no-lldp:  lldpd stopped, a fresh run: no switch identity.
# 3 hidden:   guest `snapshot --capture 6` (bond0 + members); PF0's wire goes
#             off inside the window (set_link n0 off): the VF hides it, the
#             team does not fail over and announces nothing.
# 4 failover: PF0 still off; inside the window the admin takes the active
#             member down: the team fails over and sends GARP/NA.
# 3 and 4: the host's `check --guest-file` of that guest snapshot (PF0 off:
# VFS001) is what the host asserts on; a host-side capture on the PFs runs
# alongside (does the PF see its VF's frames?), recorded only.
# Background jobs write to files only: one holding the console pipe would
# keep /init from finishing.
log switch
lab_switch_up || exit 1
D=/tmp/cap/switch; rm -rf $D; mkdir -p $D
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100 num_grat_arp 3 num_unsol_na 3
ip -n guest addr add 192.0.2.10/24 dev bond0
ip -n guest addr add 2001:db8::10/64 dev bond0 nodad
settle
set -- $GM; M0=$1 M1=$2
echo "PF0=$PF0 PF1=$PF1 M0=$M0 M1=$M1" > $D/names.txt
ip netns exec guest vfscope snapshot --json > $D/guest0.json 2> $D/guest0.err
# bg NAME CMD...: run CMD in the background, stdout NAME.json, stderr
# NAME.err, exit code NAME.rc
bg() { n=$1; shift; ( "$@" > $D/$n.json 2> $D/$n.err < /dev/null; echo $? > $D/$n.rc ) > /dev/null 2>&1 & }
now() { date +%s > $D/$1.time; }

# 1 lldp
tcpdump -p -n -i $PF0 -U -w $D/pf0-lldp.pcap ether proto 0x88cc > /dev/null 2>&1 & TP=$!
ip netns exec switch tcpdump -p -n -i sw0 -U -w $D/sw0-lldp.pcap ether proto 0x88cc > /dev/null 2>&1 & TS=$!
bg lldp vfscope check --json --no-netns --capture 6 --guest-file $D/guest0.json; P=$!
sleep 2
now lldpd-start
lldpd_start vfst-lab-switch
wait $P
kill $TP $TS; wait $TP $TS
cp /tmp/lldpd.log $D/lldpd.log
# diagnostic only: the same with the PFs in allmulticast (does the NIC's
# multicast filter drop LLDP for a non-promiscuous capture?)
lldpd_stop
for p in $PF0 $PF1; do ip link set $p allmulticast on; done
bg lldp-allmulti vfscope check --json --no-netns --capture 5 --guest-file $D/guest0.json; P=$!
sleep 2; lldpd_start vfst-lab-switch; wait $P
for p in $PF0 $PF1; do ip link set $p allmulticast off; done
# 2 no-lldp
lldpd_stop
sleep 1
vfscope check --json --no-netns --capture 4 --guest-file $D/guest0.json > $D/nolldp.json 2> $D/nolldp.err
echo $? > $D/nolldp.rc

# 3 hidden: PF0's link goes off inside the window. Which member bonding
# made active first depends on which VF came up first (and the LLDP steps
# toggled the PFs): make PF0's VF the active one, the case this step is about.
ip -n guest link set bond0 type bond active_slave $M0 || echo "LAB: cannot make $M0 active"
sleep 1
ip netns exec guest cat /sys/class/net/bond0/bonding/active_slave > $D/active-before.txt
bg hidden-guest ip netns exec guest vfscope snapshot --json --capture 6; P=$!
bg hidden-host vfscope snapshot --json --capture 6; PH=$!
sleep 2
now linkoff
mon set_link n0 off
wait $P $PH
sleep 1
cat /sys/class/net/$PF0/carrier > $D/pf0-carrier.txt
ip netns exec guest cat /sys/class/net/bond0/bonding/active_slave > $D/active-hidden.txt
vfscope check --json --no-netns --guest-file $D/hidden-guest.json > $D/hidden.json 2> $D/hidden.err

# 4 failover: the active member is taken down inside the window
bg failover-guest ip netns exec guest vfscope snapshot --json --capture 6; P=$!
bg failover-host vfscope snapshot --json --capture 6; PH=$!
sleep 2
now memberdown
ip -n guest link set $M0 down
wait $P $PH
ip netns exec guest cat /sys/class/net/bond0/bonding/active_slave > $D/active-failover.txt
vfscope check --json --no-netns --guest-file $D/failover-guest.json > $D/failover.json 2> $D/failover.err
mon set_link n0 on
ip -n guest link set $M0 up
expect "PF0 carrier off" 0 $D/pf0-carrier.txt
expect "before: PF0's VF is active" "$M0" $D/active-before.txt
expect "hidden: the team keeps PF0's VF" "$M0" $D/active-hidden.txt
expect "failed over to PF1's VF" "$M1" $D/active-failover.txt
tar -C /tmp/cap -cf /out/switch.tar switch
log "switch done"
