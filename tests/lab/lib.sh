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
# lab_modules: load what the scenario's "# lab: modules NAME..." lines
# brought (vm-run puts them in /lab/modules, dependencies first).
lab_modules() {
	[ -f /lab/modules/order ] || { echo "LAB: no /lab/modules (scenario lacks '# lab: modules ...')"; return 1; }
	while read -r m; do
		insmod /lab/modules/$m 2>/dev/null || grep -q "^${m%.ko} " /proc/modules || echo "LAB: insmod $m failed"
	done < /lab/modules/order
}

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
	vfscope check --json --no-netns --guest-file $d/guest-snapshot.json > $d/check.json 2>> $d/vfscope.err
	echo $? > $d/check.rc
	[ -s $d/vfscope.err ] || rm -f $d/vfscope.err
	tar -C /tmp/cap -cf /out/$1.tar $1
	log "captured $1"
}

# --- the "switch" (scenarios with a line "# lab: switch": vm-run adds a
# virtio-net NIC on the hub, PCI 0000:03:00.0, and /lab/switch/ with the
# virtio_net modules; lldpd is in /usr/sbin).
# lab_switch_up: load virtio_net, move that NIC into netns "switch" as sw0
# (up, 192.0.2.1/24 and 2001:db8::1/64), prepare lldpd's user and chroot.
SWPCI=0000:03:00.0
lab_switch_up() {
	[ -f /lab/switch/order ] || { echo "LAB: no /lab/switch (scenario lacks '# lab: switch')"; return 1; }
	while read -r m; do insmod /lab/switch/$m || echo "LAB: insmod $m failed"; done < /lab/switch/order
	# virtio: the netdev hangs under the virtio device, not the PCI function
	i=0; while ! ls -d /sys/bus/pci/devices/$SWPCI/virtio*/net/* >/dev/null 2>&1 && [ $i -lt 50 ]; do
		sleep 0.2; i=$((i + 1))
	done
	n=$(basename "$(ls -d /sys/bus/pci/devices/$SWPCI/virtio*/net/* 2>/dev/null | head -1)")
	[ -n "$n" ] || { echo "LAB: no netdev for the switch NIC $SWPCI"; return 1; }
	ip netns add switch
	ip link set "$n" netns switch
	ip -n switch link set "$n" name sw0
	ip -n switch link set lo up
	ip -n switch link set sw0 up
	ip -n switch addr add 192.0.2.1/24 dev sw0
	ip -n switch addr add 2001:db8::1/64 dev sw0 nodad
	grep -q '^_lldpd:' /etc/passwd || echo '_lldpd:x:104:112::/run/lldpd:/bin/false' >> /etc/passwd
	grep -q '^_lldpd:' /etc/group || echo '_lldpd:x:112:' >> /etc/group
	mkdir -p /run/lldpd
	# lldpd looks its host name up (getaddrinfo): files only, no DNS
	echo 'hosts: files' > /etc/nsswitch.conf
	grep -q vfst-lab-switch /etc/hosts 2>/dev/null || echo '127.0.1.1 vfst-lab-switch' >> /etc/hosts
}
# lldpd_start NAME: lldpd on sw0 in netns switch with system name NAME (its
# own UTS namespace). Without lldpcli (-L ''), so the 30 s default
# tx-interval: it sends its first LLDPDU at once, so start it inside the
# capture window. Log in /tmp/lldpd.log.
lldpd_start() {
	ip netns exec switch unshare -u sh -c "hostname $1; exec /usr/sbin/lldpd -d -L '' -I sw0 -S 'vfscope lab switch'" \
		> /tmp/lldpd.log 2>&1 &
	echo $! > /tmp/lldpd.shpid
}
# lldpd_stop: SIGTERM (lldpd sends a shutdown LLDPDU, TTL 0), wait for it.
lldpd_stop() {
	p=$(cat /tmp/lldpd.shpid 2>/dev/null) || return 0
	kill $p 2>/dev/null
	i=0; while kill -0 $p 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	rm -f /tmp/lldpd.shpid
}

# --- KVM failover pairs (scenarios with a line "# lab: failover [N]": vm-run
# adds pair i = virtio-net standby + e1000e primary, MAC 02:00:00:00:fa:0i,
# and /lab/failover/ with e1000e, virtio_net, net_failover, failover).
# lab_failover_up [N]: load them (the NIC driver before virtio_net), wait
# until each pair has its master, standby and primary (~10 s at most) and
# set FOM<i> FOS<i> FOP<i> (master, standby, primary netdev; empty if absent).
fo_mac() { echo 02:00:00:00:fa:0$1; }
# fo_names I: master, standby and primary netdev of pair I, as seen now.
# Master and standby hang under the same virtio device; the standby has
# phys_port_name "sby"; the primary is the e1000e netdev with the pair's MAC.
fo_names() {
	FOM_= FOS_= FOP_=
	for n in /sys/class/net/*; do
		[ -L "$n" ] || continue
		[ "$(cat $n/address 2>/dev/null)" = "$(fo_mac $1)" ] || continue
		d=$(basename "$(readlink -f $n/device/driver 2>/dev/null)")
		case $d in
		e1000e) FOP_=${n##*/} ;;
		virtio_net) [ "$(cat $n/phys_port_name 2>/dev/null)" = sby ] && FOS_=${n##*/} || FOM_=${n##*/} ;;
		esac
	done
}
lab_failover_up() {
	[ -f /lab/failover/order ] || { echo "LAB: no /lab/failover (scenario lacks '# lab: failover')"; return 1; }
	while read -r m; do insmod /lab/failover/$m 2>/dev/null || grep -q "^${m%.ko} " /proc/modules || echo "LAB: insmod $m failed"; done < /lab/failover/order
	for p in $(seq 0 $((${1:-1} - 1))); do
		i=0; fo_names $p
		while { [ -z "$FOM_" ] || [ -z "$FOS_" ] || [ -z "$FOP_" ]; } && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); fo_names $p; done
		eval "FOM$p=$FOM_ FOS$p=$FOS_ FOP$p=$FOP_"
		echo "LAB: failover pair $p: master ${FOM_:-?} standby ${FOS_:-?} primary ${FOP_:-?}"
		[ -n "$FOM_" ] && [ -n "$FOS_" ] && [ -n "$FOP_" ] || return 1
	done
}
# fo_wait_gone I: wait until pair I has no primary netdev (~5 s).
fo_wait_gone() {
	i=0; fo_names $1
	while [ -n "$FOP_" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); fo_names $1; done
	[ -z "$FOP_" ]
}
