#!/bin/sh
# The lab VM's /init (busybox sh): mount, load the drivers, enable 2 VFs on
# each PF, make the network namespace "guest" that stands for the VM's guest
# OS, then source the scenario (/lab/scenario.sh). Its output goes to the
# console and /out/scenario.log, its exit code to /out/rc; then power off.
export PATH=/bin:/sbin
# Debian's busybox-static runs its own applets ahead of $PATH; its ip knows
# no VFs or netns exec: call iproute2's by path (lib.sh does the same).
ip() { /sbin/ip "$@"; }
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mkdir -p /run/netns /out /tmp
# Modules in dependency order; no default bond0 in the host namespace.
while read -r m; do
	case $m in bonding.ko) insmod /lib/modules/$m max_bonds=0 ;; *) insmod /lib/modules/$m ;; esac
done < /lib/modules/order
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 out /out || echo "LAB: 9p mount failed"
hostname vm-lab
ip link set lo up
# PFs by PCI address, not ethN order: PF0 (QEMU netdev n0) is the igb at
# 0000:01:00.0, PF1 (n1) the one at 0000:02:00.0.
pf_of() { basename "$(ls -d /sys/bus/pci/devices/$1/net/* 2>/dev/null | head -1)"; }
PF0=$(pf_of 0000:01:00.0) PF1=$(pf_of 0000:02:00.0)
export PF0 PF1
echo "LAB: PF0=$PF0 PF1=$PF1 kernel $(uname -r)"
# PFs up (and their link) before the VFs exist: igbvf probing under a PF
# still in reset logs "PF still in reset state", which reads as VF resets.
for p in $PF0 $PF1; do ip link set $p up; done
i=0; while [ "$(cat /sys/class/net/$PF0/carrier /sys/class/net/$PF1/carrier 2>/dev/null)" != "$(printf '1\n1')" ] && [ $i -lt 50 ]; do
	sleep 0.2; i=$((i + 1))
done
for p in $PF0 $PF1; do echo 2 > /sys/class/net/$p/device/sriov_numvfs; done
ip netns add guest
ip -n guest link set lo up
# The scenario runs in a subshell of its own so that its `exit` ends only
# it; a failed `expect` (lib.sh) fails it too.
(
	( cd /lab && . ./lib.sh && lab_wait_vfs && . ./scenario.sh ); rc=$?
	[ $rc = 0 ] && [ -s /tmp/lab.fail ] && rc=1
	echo $rc > /out/rc
) 2>&1 | tee /out/scenario.log
echo "LAB: scenario rc=$(cat /out/rc 2>/dev/null)"
sync
umount /out
poweroff -f
