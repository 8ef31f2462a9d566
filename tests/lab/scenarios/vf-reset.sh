# 6 VF reset: the VF driver of the active member (PF0 VF0) is unbound and
# bound again (a VF reset over the mailbox, as after an FLR or hot-unplug):
# its netdev leaves the guest and the bond fails over. The PF's mailbox
# functions are traced with tracefs kprobes meanwhile; kallsyms and BTF
# listings for the eBPF probes are saved too.
log vf-reset
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
settle
d=/out/vf-reset; mkdir -p $d
T=/sys/kernel/tracing
grep -E 'igb_(read|write)_mbx|igb_vf_reset|igb_set_vf_mac|igb_rcv_msg' /proc/kallsyms > $d/kallsyms-igb.txt
ls /sys/kernel/btf > $d/btf.txt
for f in igb_read_mbx_pf igb_write_mbx_pf igb_vf_reset igb_set_vf_mac; do
	echo "p:$f $f" >> $T/kprobe_events 2>/dev/null || echo "kprobe $f: not attachable" >> $d/kprobe.err
done
echo 1 > $T/events/kprobes/enable; : > $T/trace
vf_rebind $PF0VF0
ip link set "$(vfnet $PF0VF0)" up
sleep 3
echo 0 > $T/events/kprobes/enable
grep -v '^#' $T/trace > $d/mbx-trace.txt
echo > $T/kprobe_events
capture vf-reset
set -- $GM
expect "bond failed over to PF1's VF" "$2" $CAPDIR/guest/sys/class/net/bond0/bonding/active_slave
[ -s /out/vf-reset/mbx-trace.txt ] || { echo "LAB-FAIL: no mailbox kprobe hits"; echo x >> /tmp/lab.fail; }
