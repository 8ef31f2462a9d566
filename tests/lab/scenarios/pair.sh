# lab: failover 2
# KVM failover pairs, for real (tests/lab/scenario_pair.sh). vm-run gives
# the VM two pairs: virtio-net STANDBY (QEMU failover=on) + e1000e primary
# (failover_pair_id), one MAC each (02:00:00:00:fa:00 / :01). The guest
# kernel builds net_failover's three devices (master, standby "sby",
# primary) once virtio_net negotiates STANDBY. One boot, three captures
# (host sysroot with dmesg, ethtool and ip -j text):
# 1 pair-healthy:      pair 0 up with 192.0.2.20/24 on its master: the
#                      primary carries the data path.
# 2 pair-primary-gone: QEMU's monitor unplugs primary0 (device_del, what a
#                      migration does): the master has only its standby.
# 3 pair-bond:         bond0 (active-backup, miimon 100) over pair 1's
#                      master (primary present) and pair 0's (primary gone).
log pair
lab_failover_up 2 || exit 1
# pair_capture NAME: host sysroot (dmesg included); ethtool -i / -S text of
# every failover netdev and bond (ethtool-i/DEV, ethtool-S/DEV, a second
# -S reading 200 ms later as ethtool-S/DEV.2, ethtool-S/interval_ms);
# ip -j addr / route (ip-addr.json, ip-route.json, ip-route6.json);
# one tar to /out (vm-run unpacks it).
pair_capture() {
	d=/tmp/cap/$1; rm -rf $d; mkdir -p $d
	sh /lab/capture-sysroot $d/host host
	h=$d/host; mkdir -p $h/ethtool-i $h/ethtool-S
	devs=
	for n in $(ls /sys/class/net); do
		[ -L /sys/class/net/$n ] || continue
		case $(basename "$(readlink -f /sys/class/net/$n/device/driver 2>/dev/null)") in
		e1000e|virtio_net) devs="$devs $n" ;;
		*) [ -d /sys/class/net/$n/bonding ] && devs="$devs $n" ;;
		esac
	done
	for n in $devs; do ethtool -i $n > $h/ethtool-i/$n 2>&1; ethtool -S $n > $h/ethtool-S/$n 2>&1; done
	sleep 0.2
	for n in $devs; do ethtool -S $n > $h/ethtool-S/$n.2 2>&1; done
	echo 200 > $h/ethtool-S/interval_ms
	ip -j addr show > $h/ip-addr.json
	ip -j route show table main > $h/ip-route.json
	ip -j -6 route show table main > $h/ip-route6.json
	# vfscope itself runs on the host over these trees (scenario_pair.sh):
	# under TCG a snapshot in the VM costs ~10 s per capture.
	echo "M0=$FOM0 S0=$FOS0 P0=$FOP0 M1=$FOM1 S1=$FOS1 P1=$FOP1" > $d/names.txt
	tar -C /tmp/cap -cf /out/$1.tar $1
	log "captured $1"
}
# carrier_wait DEV: until DEV has carrier (~5 s)
carrier_wait() {
	i=0; while [ "$(cat /sys/class/net/$1/carrier 2>/dev/null)" != 1 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

# 1 healthy pair 0
ip link set $FOM0 up
ip addr add 192.0.2.20/24 dev $FOM0
carrier_wait $FOP0; carrier_wait $FOM0
basename "$(readlink /sys/class/net/$FOS0/master)" > /tmp/fo.m; expect "standby's master" "$FOM0" /tmp/fo.m
basename "$(readlink /sys/class/net/$FOP0/master)" > /tmp/fo.m; expect "primary's master" "$FOM0" /tmp/fo.m
pair_capture pair-healthy

# 2 primary unplugged from the monitor
mon device_del primary0
fo_wait_gone 0 || echo "LAB-FAIL: primary of pair 0 still there" >> /tmp/lab.fail
sleep 0.5
pair_capture pair-primary-gone

# 3 bond over the two pairs, pair 0 without its primary
ip link set $FOM0 down; ip addr flush dev $FOM0
ip link add bond0 type bond mode active-backup miimon 100
ip link set $FOM1 master bond0
ip link set $FOM0 master bond0
ip link set bond0 up
ip addr add 192.0.2.21/24 dev bond0
carrier_wait $FOP1; sleep 2
pair_capture pair-bond
grep -E 'failover|virtio_net|e1000e|bond0' /tmp/cap/pair-bond/host/dmesg.txt | tail -30
lab_result
