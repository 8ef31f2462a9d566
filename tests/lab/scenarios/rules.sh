# vfscope check inside the lab VM, one setup per scenario (busybox sh).
# Writes /out/rules/<scenario>/{guest.json,check.json,rc}; for pf-link-down
# also check-disabled.json/rc-disabled with VFSCOPE_DISABLE_RULES=VFS001;
# for healthy also the guest read over vsock from an agent in the guest
# namespace (vsock_loopback). tests/lab/scenario_rules.sh asserts on them.
. /lab/lib.sh
set +e
enable_vfs
R=/out/rules
mkdir -p $R

admin_macs() { # trust on|off
	$IP link set $PF0 vf 0 mac 02:00:00:00:00:a0
	$IP link set $PF0 vf 1 mac 02:00:00:00:00:a1
	$IP link set $PF1 vf 0 mac 02:00:00:00:00:b0
	$IP link set $PF1 vf 1 mac 02:00:00:00:00:b1
	for p in $PF0 $PF1; do for v in 0 1; do $IP link set $p vf $v trust $1; done; done
	for v in $PF0VF0 $PF0VF1 $PF1VF0 $PF1VF1; do
		echo $v > /sys/bus/pci/drivers/igbvf/unbind; echo $v > /sys/bus/pci/drivers/igbvf/bind
	done
	for v in $PF0VF0 $PF0VF1 $PF1VF0 $PF1VF1; do wait_net $v; done
}

check_scn() { # NAME [extra env assignment for a second run]
	d=$R/$1; mkdir -p $d
	$IP netns exec guest vfscope snapshot --json > $d/guest.json 2> $d/guest.err
	vfscope check --json --guest-file $d/guest.json > $d/check.json 2> $d/check.err
	echo $? > $d/rc
	vfscope check --guest-file $d/guest.json > $d/check.txt 2>&1
	log "$1: rc $(cat $d/rc): $(grep -o '"id": "[^"]*"' $d/check.json | sort -u | tr '\n' ' ')"
}

log healthy
admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
sleep 3
check_scn healthy
$IP netns exec guest vfscope agent --listen vsock:7477 --once --timeout 20000 2> $R/healthy/agent.err &
AG=$!
sleep 1
vfscope check --json --guest vsock:1:7477 --guest-timeout 15000 > $R/healthy/check-vsock.json 2> $R/healthy/check-vsock.err
echo $? > $R/healthy/rc-vsock
kill $AG 2>/dev/null
teardown

log pf-link-down
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
sleep 3
mon set_link n0 off
sleep 4
check_scn pf-link-down
VFSCOPE_DISABLE_RULES=VFS001-pf-link-hidden vfscope check --json --guest-file $R/pf-link-down/guest.json \
	> $R/pf-link-down/check-disabled.json 2>&1
echo $? > $R/pf-link-down/rc-disabled
mon set_link n0 on
sleep 2
teardown

log same-pf
guest_team active-backup "$PF0VF0 $PF0VF1" miimon 100
sleep 3
check_scn same-pf
teardown

log lacp
guest_team 802.3ad "$PF0VF0 $PF1VF0" miimon 100 lacp_rate fast
sleep 4
check_scn lacp
teardown

log balance-rr
guest_team balance-rr "$PF0VF0 $PF1VF0" miimon 100
sleep 3
check_scn balance-rr
teardown

log mac-refused
admin_macs off
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
sleep 3
check_scn mac-refused
teardown
log done
exit 0
