# vfscope check inside the lab VM, one setup per scenario (busybox sh,
# sourced after lib.sh). Writes /out/rules/<scenario>/{guest.json,check.json,
# rc,check.txt}; for pf-link-down also check-disabled.json/rc-disabled with
# VFSCOPE_DISABLE_RULES=VFS001; for healthy also the guest read over vsock
# from an agent in netns guest (vsock_loopback). tests/lab/scenario_rules.sh
# asserts on them on the host.
R=/out/rules
mkdir -p $R

check_scn() { # NAME
	d=$R/$1; mkdir -p $d
	ip netns exec guest vfscope snapshot --json > $d/guest.json 2> $d/guest.err
	vfscope check --json --no-netns --guest-file $d/guest.json > $d/check.json 2> $d/check.err
	echo $? > $d/rc
	vfscope check --no-netns --guest-file $d/guest.json > $d/check.txt 2>&1
	dmesg > $d/dmesg.txt
	log "$1: rc $(cat $d/rc): $(grep -o '"id": "[^"]*"' $d/check.json | sort -u | tr '\n' ' ')"
}

log healthy
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
settle
check_scn healthy
if [ -d /sys/module/vsock_loopback ]; then
	ip netns exec guest vfscope agent --listen vsock:7477 --once --timeout 20000 2> $R/healthy/agent.err &
	AG=$!
	sleep 1
	vfscope check --json --no-netns --guest vsock:1:7477 --guest-timeout 15000 > $R/healthy/check-vsock.json 2> $R/healthy/check-vsock.err
	echo $? > $R/healthy/rc-vsock
	kill $AG 2>/dev/null
else
	echo "vsock_loopback is not loaded in the lab VM (not in tests/lab/vm-run MODS)" > $R/healthy/vsock-skip
fi
teardown

log pf-link-down
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
settle
mon set_link n0 off
sleep 3
check_scn pf-link-down
VFSCOPE_DISABLE_RULES=VFS001-pf-link-hidden vfscope check --json --no-netns --guest-file $R/pf-link-down/guest.json \
	> $R/pf-link-down/check-disabled.json 2> $R/pf-link-down/check-disabled.err
echo $? > $R/pf-link-down/rc-disabled
mon set_link n0 on
teardown

log same-pf
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF0VF1" miimon 100
settle
check_scn same-pf
teardown

log lacp
need_admin_macs on
guest_team 802.3ad "$PF0VF0 $PF1VF0" miimon 100 lacp_rate fast
sleep 4
check_scn lacp
teardown

log balance-rr
need_admin_macs on
guest_team balance-rr "$PF0VF0 $PF1VF0" miimon 100
settle
check_scn balance-rr
teardown

log mac-refused
need_admin_macs off
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
settle
check_scn mac-refused
teardown
log done
