# mailbox: vfscope trace's eBPF mailbox probes (issue 4).
# Two traces run side by side over the same steps: the default (fentry/fexit
# where the module has BTF, as on this 6.12 kernel) and `--attach kprobe`
# (the kprobe/kretprobe fallback, forced). Under each, on PF0 VF0:
#  1 the PF admin sets the VF's MAC (igb_set_vf_mac), trust off
#  2 a VF reset (igbvf rebind): VF_RESET read from the VF, RESET|ACK + MAC
#    written back
#  3 the VF tries another MAC (`ip link set <vf> address`): the PF refuses
#    (admin MAC, trust off): SET_MAC_ADDR read, SET_MAC_ADDR|NACK written
#  4 trust on (igb sends nothing over the mailbox for it), the same MAC
#    change is accepted: SET_MAC_ADDR|ACK
# Then the other Intel drivers are loaded without hardware (ixgbe, ixgbevf,
# i40e, iavf, ice; the host test copies their modules to /out/mods) and
# --list-probes must show their probes attached (before: "not loaded").
# Each step starts with a line 'STEP NAME UPTIME' in steps.txt (/proc/uptime:
# boot time in 10 ms steps, equal to the events' CLOCK_MONOTONIC in a VM that
# never suspends), so the test can tie events to steps. Raw events stay in
# trace.json / trace-kprobe.json.
log mailbox
d=/out/mailbox; mkdir -p $d
echo "$PF0" > $d/pf0.txt
grep -E ' (igb|igbvf|ixgbe|ixgbevf|i40e|iavf|ice)_' /proc/kallsyms | grep -E 'mbx|vf_reset|set_vf_mac|vc_' > $d/kallsyms.txt
vfscope trace --list-probes --json > $d/list.json 2> $d/list.err
vfscope trace --list-probes > $d/list.txt 2>&1
vfscope trace --list-probes --json --attach kprobe > $d/list-kprobe.json 2>> $d/list.err
vfscope trace --json --probe mailbox --duration 60 > $d/trace.json 2> $d/trace.err &
tp=$!
vfscope trace --json --probe mailbox --attach kprobe --duration 60 > $d/trace-kprobe.json 2> $d/trace-kprobe.err &
tk=$!
# open, load and attach: under TCG this takes a while (two loaders at once)
i=0; while [ $i -lt 40 ] && ! { grep -q 'probes attached' $d/trace.err && grep -q 'probes attached' $d/trace-kprobe.err; }; do
	sleep 0.5; i=$((i + 1)); done
sleep 1
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
echo "$VF" > $d/vf0.txt
ip link set $VF address 02:00:00:00:00:d0 > $d/refused.txt 2>&1; echo "rc=$?" >> $d/refused.txt
sleep 1
step 4-trusted
ip link set $PF0 vf 0 trust on
sleep 1
ip link set $VF address 02:00:00:00:00:d1 > $d/trusted.txt 2>&1; echo "rc=$?" >> $d/trusted.txt
sleep 1
step 5-end
kill -INT $tp $tk; wait $tp; echo "trace rc=$?" >> $d/steps.txt; wait $tk; echo "trace-kprobe rc=$?" >> $d/steps.txt
ip -d link show $PF0 > $d/pf0-link.txt
dmesg | grep -iE 'igb|vf' | tail -n 40 > $d/dmesg.txt
ip link set $PF0 vf 0 trust off
# The other drivers, no hardware needed: their functions (and BTF) appear.
if [ -s /out/mods/order ]; then
	while read -r m; do
		[ -d /sys/module/${m%.ko} ] && continue   # dca: igb's already
		insmod /out/mods/$m >> $d/insmod.txt 2>&1 || echo "insmod $m failed" >> $d/insmod.txt
	done < /out/mods/order
	ls /sys/kernel/btf > $d/btf-after.txt
	vfscope trace --list-probes --json > $d/list-after.json 2>> $d/list.err
	vfscope trace --list-probes --json --attach kprobe > $d/list-after-kprobe.json 2>> $d/list.err
	vfscope trace --list-probes > $d/list-after.txt 2>&1
fi
grep -q '"kind":"mailbox"' $d/trace.json || { echo "LAB-FAIL: no mailbox events in trace.json"; echo x >> /tmp/lab.fail; }
