# lab: tmux
# A Kubernetes pod's bond over real VFs (tests/lab/scenario_pod.sh): pod
# lab/web-0 gets PF0 VF0 and PF1 VF0 (scenarios/pod-lib.sh: its namespace,
# sandbox cgroup, /var/log/pods, devinfo, sriov-cni cache, kubelet's
# checkpoint), bond0 there (active-backup, miimon 100, failOverMac 1), net1
# (PF0's VF) active. `vfscope top` runs on a tmux terminal in the host
# namespace. Then PF0's wire goes off (set_link n0 off): igbvf keeps carrier,
# the pod's bond keeps net1. Asserted (host side): top shows the pod's member
# "UP (PF DOWN)" and VFS001; check names the pod's bond and its member on
# PF0 (VFS001); snapshot shows net1 inside the pod. Output in /out/pod/.
# Then scenarios/pod-same-pf.sh in the same boot.
log pod
. /lab/scenarios/pod-lib.sh
D=/tmp/cap/pod; rm -rf $D; mkdir -p $D
need_admin_macs on
pod_up lab web-0 5d2c7e1a-8f3b-4c6d-9e0a-1b2c3d4e5f60 cni-2b7f9c1e-4d3a-4e8b-a6f5-0c9d8e7f6a5b "$PF0VF0 $PF1VF0"
pod_bond
echo "PF0=$PF0 PF1=$PF1" > $D/names.txt
vfscope snapshot > $D/before.txt 2>&1

mkdir -p /dev/pts; mount -t devpts devpts /dev/pts 2>/dev/null
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color
T() { tmux -L lab -f /dev/null "$@"; }
scr() { T capture-pane -p -t top; }
up() { cut -d' ' -f1 /proc/uptime; }
T new-session -d -s top -x 160 -y 45 \
	"export VFSCOPE_NO_PROBES=1; vfscope top -d 1 --cpu-cap 0 2> $D/top.err; echo \$? > $D/top.rc; sleep 600" \
	> /dev/null 2>&1 < /dev/null || { echo "LAB-FAIL: tmux new-session"; echo x >> /tmp/lab.fail; }
T set -g window-size manual > /dev/null 2>&1
# wait_screen NAME SECONDS TEXT: as in top.sh
wait_screen() {
	n=$1 end=$(( $(cut -d. -f1 /proc/uptime) + $2 )); shift 2
	while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
		if scr > /tmp/scr.txt 2>/dev/null && grep -qF -- "$*" /tmp/scr.txt; then
			echo "$n $(up)" >> $D/times.txt; cp /tmp/scr.txt $D/$n.txt
			echo "ok: screen shows '$*' ($n)"
			return 0
		fi
		sleep 0.3
	done
	scr > $D/$n.txt 2>/dev/null
	echo "LAB-FAIL: screen never showed '$*' ($n)"; echo x >> /tmp/lab.fail
	echo "--- screen"; cat $D/$n.txt; echo "--- top.err"; cat $D/top.err 2>/dev/null; echo "---"
	return 1
}
wait_screen start 120 "pod lab/web-0 bond0/net1"

mon set_link n0 off
echo "off $(up)" >> $D/times.txt
wait_screen pfdown 60 "UP (PF DOWN)"
wait_screen vfs001 60 "VFS001-pf-link-hidden"
scr > $D/hidden.txt
T send-keys -t top q
i=0; while [ ! -s $D/top.rc ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
T kill-server > /dev/null 2>&1
expect "top exits 0 on q" 0 $D/top.rc

vfscope snapshot --json > $D/snapshot.json 2> $D/vfscope.err
vfscope snapshot > $D/snapshot.txt 2>> $D/vfscope.err
vfscope check --json > $D/check.json 2>> $D/vfscope.err; echo $? > $D/check.rc
pod_capture $D
mon set_link n0 on
expect "PF0 carrier down" 0 $D/host/sys/class/net/$PF0/carrier
ip netns exec $POD_NS cat /sys/class/net/bond0/bonding/active_slave > $D/active.txt
expect "the pod's bond keeps net1" net1 $D/active.txt
pod_down
tar -C /tmp/cap -cf /out/pod.tar pod
log "pod done"
. /lab/scenarios/pod-same-pf.sh
