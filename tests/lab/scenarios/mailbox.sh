# mailbox: vfscope trace's eBPF kprobes on igb's PF mailbox (issue 4).
# Under `vfscope trace --json --probe mailbox`, on PF0 VF0:
#  1 the PF admin sets the VF's MAC (igb_set_vf_mac), trust off
#  2 a VF reset (igbvf rebind): VF_RESET read from the VF, RESET|ACK + MAC
#    written back
#  3 the VF tries another MAC (`ip link set <vf> address`): the PF refuses
#    (admin MAC, trust off): SET_MAC_ADDR read, SET_MAC_ADDR|NACK written
#  4 trust on (igb sends nothing over the mailbox for it), the same MAC
#    change is accepted: SET_MAC_ADDR|ACK
# Each step starts with a line 'STEP NAME UPTIME' in steps.txt (/proc/uptime:
# boot time in 10 ms steps, equal to the events' CLOCK_MONOTONIC in a VM that
# never suspends), so the test can tie events to steps. Raw events stay in
# trace.json.
log mailbox
d=/out/mailbox; mkdir -p $d
grep -E ' (igb|igbvf|ixgbe|ixgbevf|i40e|iavf|ice)_' /proc/kallsyms | grep -E 'mbx|vf_reset|set_vf_mac|vc_' > $d/kallsyms.txt
vfscope trace --list-probes --json > $d/list.json 2> $d/list.err
vfscope trace --list-probes > $d/list.txt 2>&1
vfscope trace --json --probe mailbox --duration 40 > $d/trace.json 2> $d/trace.err &
tp=$!
sleep 4   # open, load and attach: under TCG this takes a while
VF=$(vfnet $PF0VF0)
step() { echo "STEP $1 $(cut -d' ' -f1 /proc/uptime)" >> $d/steps.txt; echo "== step $1"; }
step 1-set-mac
ip link set $PF0 vf 0 trust off
ip link set $PF0 vf 0 mac 02:00:00:00:00:c0
sleep 1
step 2-vf-reset
vf_rebind $PF0VF0
VF=$(vfnet $PF0VF0)
ip link set $VF up
sleep 2
step 3-refused
ip link set $VF address 02:00:00:00:00:d0 > $d/refused.txt 2>&1; echo "rc=$?" >> $d/refused.txt
sleep 1
step 4-trusted
ip link set $PF0 vf 0 trust on
sleep 1
ip link set $VF address 02:00:00:00:00:d1 > $d/trusted.txt 2>&1; echo "rc=$?" >> $d/trusted.txt
sleep 1
step 5-end
kill -INT $tp; wait $tp; echo "trace rc=$?" >> $d/steps.txt
ip -d link show $PF0 > $d/pf0-link.txt
dmesg | grep -iE 'igb|vf' | tail -n 40 > $d/dmesg.txt
ip link set $PF0 vf 0 trust off
grep -q '"kind":"mailbox"' $d/trace.json || { echo "LAB-FAIL: no mailbox events in trace.json"; echo x >> /tmp/lab.fail; }
