# Scenario helpers (busybox sh, inside the lab VM). PF0/PF1 and IP come from /init.
# vfnet PCI: the netdev of a PCI function in the current namespace.
vfnet() { basename "$(ls -d /sys/bus/pci/devices/$1/net/* 2>/dev/null | head -1)"; }
# VF PCI addresses: offset 128, stride 2 (the capability says so).
PF0VF0=0000:01:10.0; PF0VF1=0000:01:10.2; PF1VF0=0000:02:10.0; PF1VF1=0000:02:10.2
mon() { echo "@@MON $*"; sleep 2; }
log() { echo "== $*"; }
wait_net() { # wait until the PCI function has a netdev here
	i=0; while [ -z "$(vfnet $1)" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
}
enable_vfs() {
	for p in $PF0 $PF1; do
		[ "$(cat /sys/class/net/$p/device/sriov_numvfs)" = 2 ] || echo 2 > /sys/class/net/$p/device/sriov_numvfs
		$IP link set $p up
	done
	for v in $PF0VF0 $PF0VF1 $PF1VF0 $PF1VF1; do wait_net $v; done
}
# guest_team NAME MODE "PCI PCI..." [bond options...]: move the VFs into the
# guest namespace and build the bond there.
guest_team() {
	mode=$1; vfs=$2; shift 2
	$IP netns add guest
	GM=""
	for v in $vfs; do
		n=$(vfnet $v); GM="$GM $n"
		$IP link set "$n" netns guest
	done
	$IP -n guest link set lo up
	$IP -n guest link add bond0 type bond mode $mode "$@"
	for n in $GM; do
		$IP -n guest link set "$n" down
		$IP -n guest link set "$n" master bond0 || echo "enslave $n failed"
	done
	$IP -n guest link set bond0 up
	export GM
}
teardown() {
	$IP netns del guest 2>/dev/null
	sleep 1
	for v in $PF0VF0 $PF0VF1 $PF1VF0 $PF1VF1; do wait_net $v; done
}
# capture NAME: host and guest sysroots, vfscope's live views and findings.
# Everything is written to the VM's tmpfs first and goes to /out as one tar:
# many small files over 9p under TCG cost ~0.4 s each. vm-run unpacks it.
capture() {
	d=/tmp/cap/$1; rm -rf $d; mkdir -p $d
	sh /lab/capture-sysroot $d/host host
	$IP netns exec guest sh /lab/capture-sysroot $d/guest guest
	vfscope snapshot --json > $d/host-live.json 2>$d/host-live.err
	$IP netns exec guest vfscope snapshot --json > $d/guest-live.json 2>$d/guest-live.err
	vfscope check --json --guest-file $d/guest-live.json > $d/check-live.json 2>$d/check-live.err
	echo $? > $d/check-live.rc
	cat /proc/net/bonding/* > /dev/null 2>&1
	$IP netns exec guest cat /proc/net/bonding/bond0 > $d/bonding.txt 2>&1
	dmesg | tail -60 > $d/dmesg-tail.txt
	tar -C /tmp/cap -cf /out/$1.tar $1 && rm -rf $d
}
