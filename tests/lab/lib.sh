# Scenario helpers (busybox sh, inside the lab VM), sourced by /init before
# the scenario. /init has exported PF0 and PF1 (the PF netdevs, mapped by
# PCI address), enabled 2 VFs per PF and made the netns "guest".

# VF PCI addresses: VF offset 128, stride 2 (the SR-IOV capability says so).
PF0VF0=0000:01:10.0 PF0VF1=0000:01:10.2 PF1VF0=0000:02:10.0 PF1VF1=0000:02:10.2
ALLVFS="$PF0VF0 $PF0VF1 $PF1VF0 $PF1VF1"

# Debian's busybox-static prefers its applets to $PATH; its ip knows no VFs.
ip() { /sbin/ip "$@"; }
log() { echo "== $*"; }
# vfnet PCI: the netdev of a PCI function in the current namespace.
vfnet() { basename "$(ls -d /sys/bus/pci/devices/$1/net/* 2>/dev/null | head -1)"; }
# wait_net PCI: until the function has a netdev here (about 10 s at most).
wait_net() {
	i=0; while [ -z "$(vfnet $1)" ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
	[ -n "$(vfnet $1)" ]
}
lab_wait_vfs() { for v in $ALLVFS; do wait_net $v || echo "LAB: no netdev for VF $v"; done; }
# enable_vfs: (again) 2 VFs per PF, PFs up; /init did it already.
enable_vfs() {
	for p in $PF0 $PF1; do
		[ "$(cat /sys/class/net/$p/device/sriov_numvfs)" = 2 ] || echo 2 > /sys/class/net/$p/device/sriov_numvfs
		ip link set $p up
	done
	lab_wait_vfs
}
IP=/sbin/ip  # older scenarios call $IP

# mon CMD...: run a QEMU monitor command on the host (e.g. "set_link n0 off":
# PF0's physical link down) and print its answer. vm-run sees the console
# line, runs the command and writes the answer to /out/.mon/<n>.
# The request number lives in a file: scenarios run in subshells.
mon() {
	n=$(( $(cat /tmp/mon.n 2>/dev/null || echo 0) + 1 )); echo $n > /tmp/mon.n
	echo "@@MON $n $*"
	i=0; while [ ! -e /out/.mon/$n ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	cat /out/.mon/$n 2>/dev/null || { echo "LAB: no answer to monitor command $*"; return 1; }
}

# expect WHAT VALUE FILE: note (and count in /tmp/lab.fail) a file whose
# content is not VALUE. The scenario's result is `lab_result`.
expect() {
	got=$(cat "$3" 2>/dev/null)
	[ "$got" = "$2" ] && { echo "ok: $1 ($3 = $2)"; return 0; }
	echo "LAB-FAIL: $1: $3 is '$got', expected '$2'"; echo x >> /tmp/lab.fail
	return 1
}
lab_result() { [ ! -s /tmp/lab.fail ]; }

# admin_macs on|off: the PF admin sets every VF's MAC and trust, then the VF
# driver is rebound (a new admin MAC reaches igbvf only on a VF reset).
admin_macs() {
	ip link set $PF0 vf 0 mac 02:00:00:00:00:a0
	ip link set $PF0 vf 1 mac 02:00:00:00:00:a1
	ip link set $PF1 vf 0 mac 02:00:00:00:00:b0
	ip link set $PF1 vf 1 mac 02:00:00:00:00:b1
	for p in $PF0 $PF1; do for v in 0 1; do ip link set $p vf $v trust $1; done; done
	vf_rebind $ALLVFS
	echo $1 > /tmp/admin-macs
}
# need_admin_macs on|off: admin_macs unless that is the state already.
need_admin_macs() { [ "$(cat /tmp/admin-macs 2>/dev/null)" = $1 ] || admin_macs $1; }
# vf_rebind PCI...: unbind and bind igbvf (a VF reset over the mailbox).
vf_rebind() {
	for v in "$@"; do
		echo $v > /sys/bus/pci/drivers/igbvf/unbind
		echo $v > /sys/bus/pci/drivers/igbvf/bind
	done
	for v in "$@"; do wait_net $v; done
}

# guest_team MODE "PCI PCI..." [bond options...]: move the VFs' netdevs into
# netns guest and build bond0 there over them, in that order. Sets GM to the
# member names. Enslaving errors are printed, not fatal (mac-refused).
guest_team() {
	mode=$1 vfs=$2; shift 2
	GM=
	for v in $vfs; do
		n=$(vfnet $v); GM="$GM $n"
		ip link set "$n" netns guest
	done
	ip -n guest link add bond0 type bond mode $mode "$@"
	for n in $GM; do
		ip -n guest link set "$n" down
		ip -n guest link set "$n" master bond0 || echo "LAB: enslaving $n failed"
	done
	ip -n guest link set bond0 up
}
# settle: wait until bond0 and every member report MII up (max ~10 s),
# then 1 s more.
settle() {
	i=0
	while [ $i -lt 20 ]; do
		ip netns exec guest cat /proc/net/bonding/bond0 > /tmp/bond.txt 2>/dev/null
		grep -q '^MII Status: up' /tmp/bond.txt && ! grep -q '^MII Status: down' /tmp/bond.txt && break
		sleep 0.5; i=$((i + 1))
	done
	sleep 1
}
# teardown: delete the bond and hand the VFs back to the host namespace.
teardown() {
	ip -n guest link del bond0 2>/dev/null
	for n in $(ip netns exec guest ls /sys/class/net); do
		case $n in lo|bonding_masters) ;; *) ip -n guest link set "$n" netns 1 ;; esac
	done
	lab_wait_vfs
	for v in $ALLVFS; do ip link set "$(vfnet $v)" down; done
}

# capture NAME: /out/NAME/host and /out/NAME/guest sysroots (each with
# ip-link.json, ip-link.txt, proc/net/bonding; host with dmesg.txt), and
# vfscope's live view from inside: host-snapshot.json, guest-snapshot.json,
# check.json (host + the guest view) with its exit code in check.rc.
# Everything is written to the VM's tmpfs first ($CAPDIR, kept for the
# scenario's checks) and goes to /out as one tar, which vm-run unpacks:
# many small files over 9p under TCG cost ~0.4 s each.
capture() {
	local d=/tmp/cap/$1
	CAPDIR=$d; rm -rf $d; mkdir -p $d
	# LAB_ARGS=lab.capture=0 (vm-run): vfscope's outputs only, no sysroots.
	if ! grep -qw lab.capture=0 /proc/cmdline; then
		sh /lab/capture-sysroot $d/host host
		ip netns exec guest sh /lab/capture-sysroot $d/guest guest
	fi
	vfscope snapshot --json > $d/host-snapshot.json 2> $d/vfscope.err
	ip netns exec guest vfscope snapshot --json > $d/guest-snapshot.json 2>> $d/vfscope.err
	vfscope check --json --guest-file $d/guest-snapshot.json > $d/check.json 2>> $d/vfscope.err
	echo $? > $d/check.rc
	[ -s $d/vfscope.err ] || rm -f $d/vfscope.err
	tar -C /tmp/cap -cf /out/$1.tar $1
	log "captured $1"
}
