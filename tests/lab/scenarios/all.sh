# Every lab scenario in one boot (TCG boots cost ~25 s). Each writes
# /out/<name>/{host,guest} sysroots, vfscope's live JSON and findings.
. /lab/lib.sh
set +e
enable_vfs
log "VFs: $(for v in $PF0VF0 $PF0VF1 $PF1VF0 $PF1VF1; do printf '%s=%s ' $v $(vfnet $v); done)"

admin_macs() { # trust on|off
	$IP link set $PF0 vf 0 mac 02:00:00:00:00:a0
	$IP link set $PF0 vf 1 mac 02:00:00:00:00:a1
	$IP link set $PF1 vf 0 mac 02:00:00:00:00:b0
	$IP link set $PF1 vf 1 mac 02:00:00:00:00:b1
	for p in $PF0 $PF1; do for v in 0 1; do $IP link set $p vf $v trust $1; done; done
	# A new admin MAC reaches the VF driver only after a reset: rebind.
	for v in $PF0VF0 $PF0VF1 $PF1VF0 $PF1VF1; do
		echo $v > /sys/bus/pci/drivers/igbvf/unbind; echo $v > /sys/bus/pci/drivers/igbvf/bind
	done
	for v in $PF0VF0 $PF0VF1 $PF1VF0 $PF1VF1; do wait_net $v; done
}

log healthy
admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
sleep 3
capture healthy
teardown

log pf-link-down
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
sleep 3
mon set_link n0 off
sleep 4
capture pf-link-down
mon set_link n0 on
sleep 2
teardown

log same-pf
guest_team active-backup "$PF0VF0 $PF0VF1" miimon 100
sleep 3
capture same-pf
teardown

log lacp
guest_team 802.3ad "$PF0VF0 $PF1VF0" miimon 100 lacp_rate fast
set -- $GM
$IP netns exec guest tcpdump.full -i $1 -w /out/lacp.pcap -c 6 ether proto 0x8809 2>/dev/null &
TP=$!
sleep 5
kill $TP 2>/dev/null
capture lacp
teardown

log balance-rr
guest_team balance-rr "$PF0VF0 $PF1VF0" miimon 100
sleep 3
capture balance-rr
teardown

log failover
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100 num_grat_arp 2 num_unsol_na 2
$IP -n guest addr add 192.0.2.10/24 dev bond0
$IP -n guest addr add 2001:db8::10/64 dev bond0 nodad
sleep 3
set -- $GM
$IP netns exec guest tcpdump.full -i $2 -w /out/failover.pcap 'arp or (icmp6 and ip6[40] == 136)' 2>/dev/null &
TP=$!
sleep 1
$IP -n guest link set $1 down
sleep 4
kill $TP 2>/dev/null
capture failover
teardown

log mac-refused
admin_macs off
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
sleep 3
capture mac-refused
teardown

log vf-reset
# The mailbox as seen by vfscope's probes while a VF MAC is set, trust
# changes, the VF driver rebinds (VF reset) and an untrusted VF asks for a
# new MAC (the PF refuses: NACK).
mkdir -p /out/vf-reset
vfscope trace --list-probes > /out/vf-reset/probes.txt 2>&1
vfscope trace --json --duration 14 > /out/vf-reset/trace.jsonl 2>/out/vf-reset/trace.err &
TR=$!
sleep 4
$IP link set $PF0 vf 0 trust on
$IP link set $PF0 vf 0 mac 02:00:00:00:00:c0
echo $PF0VF0 > /sys/bus/pci/drivers/igbvf/unbind; echo $PF0VF0 > /sys/bus/pci/drivers/igbvf/bind
wait_net $PF0VF0
$IP link set $PF0 vf 0 trust off
$IP link set $(vfnet $PF0VF0) up
$IP link set $(vfnet $PF0VF0) address 02:00:00:00:00:99 2>/out/vf-reset/refused.txt
echo "set address rc=$?" >> /out/vf-reset/refused.txt
wait $TR
dmesg | tail -40 > /out/vf-reset/dmesg-tail.txt
grep -E 'igb_(read|write)_mbx|igb_vf_reset|igb_set_vf_mac|igb_rcv_msg' /proc/kallsyms | awk '{print $3, $4}' > /out/kallsyms-igb.txt
ls /sys/kernel/btf > /out/btf.txt
log done
exit 0
