# Devices vanishing under vfscope (tests/lab/scenario_fault.sh): a loop
# writes 0 and then FAULT_VFS (4) to each PF's sriov_numvfs, so VFs, their
# PCI functions and their netdevs disappear and come back, while
# `vfscope snapshot --json` and `vfscope check --json` run again and again.
# Each run's exit code, stdout and stderr go to /out/fault/; the host checks
# the codes and the JSON. The churn is bounded (FAULT_CYCLES) and stops
# when the runs are done; at the end both PFs get their 2 VFs back.
log fault
D=/tmp/cap/fault; rm -rf $D; mkdir -p $D
N=4 RUNS=12 CYCLES=60
PFPCI0=/sys/bus/pci/devices/0000:01:00.0 PFPCI1=/sys/bus/pci/devices/0000:02:00.0
churn() {
	c=0
	while [ ! -e /tmp/fault.stop ] && [ $c -lt $CYCLES ]; do
		for p in $PFPCI0 $PFPCI1; do
			echo 0 > $p/sriov_numvfs 2>> $D/churn.err
			echo $N > $p/sriov_numvfs 2>> $D/churn.err
		done
		c=$((c + 1)); echo $c > $D/churn.cycles
	done
}
rm -f /tmp/fault.stop
churn & CH=$!
i=1
while [ $i -le $RUNS ]; do
	timeout 60 vfscope snapshot --json > $D/snapshot-$i.json 2> $D/snapshot-$i.err
	echo "snapshot $i $?" >> $D/rc.txt
	timeout 60 vfscope check --json > $D/check-$i.json 2> $D/check-$i.err
	echo "check $i $?" >> $D/rc.txt
	# Text output too: it must not fall over either.
	timeout 60 vfscope snapshot > $D/text-$i.txt 2>&1
	echo "text $i $?" >> $D/rc.txt
	i=$((i + 1))
done
touch /tmp/fault.stop
wait $CH
echo "churn cycles: $(cat $D/churn.cycles 2>/dev/null)"
# Leave the lab as /init made it: 2 VFs a PF.
for p in $PFPCI0 $PFPCI1; do echo 0 > $p/sriov_numvfs; echo 2 > $p/sriov_numvfs; done
lab_wait_vfs
# And once more on a quiet system: everything back, nothing partial.
vfscope snapshot --json > $D/quiet.json 2> $D/quiet.err; echo "quiet 0 $?" >> $D/rc.txt
cat $D/rc.txt
tar -C /tmp/cap -cf /out/fault.tar fault
log "fault done"
