# sos: Debian's sosreport run inside the lab VM over its real igb PFs, igbvf
# VFs and a bond in the host namespace, then vfscope's live view right after
# (tests/lab/scenario_sos.sh reads the report back on the host and compares).
# The VM has no Python: /out/hostroot holds the host's /usr, /etc and /var,
# bound read-only by the test, and sos runs chrooted there with the VM's
# own /proc, /sys, /dev and /run and a tmpfs for /tmp and /var/tmp.
# Also `ip -s -d link` with VF settings in every clause ip prints, kept as a
# fixture of the ip text parser (tests/fixtures/sos/lab/).
log sos
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
# A team in the host namespace (where sos looks): bond1 over both PFs' VF 1.
A=$(vfnet $PF0VF1) B=$(vfnet $PF1VF1)
ip link add bond1 type bond mode active-backup miimon 100
for n in $A $B; do ip link set "$n" down; ip link set "$n" master bond1 || echo "LAB: enslaving $n failed"; done
ip link set bond1 up
# VF settings (the PF admin's): PF0 VF 0 VLAN 100 QoS 3, rate 400 Mb/s,
# spoof check off; PF1 VF 1 trust off. (igb has no VF link-state control:
# `ip link set PF vf N state ...` is refused, link-state stays auto.)
ip link set $PF0 vf 0 vlan 100 qos 3 || echo "LAB: vlan failed"
ip link set $PF0 vf 0 max_tx_rate 400 || echo "LAB: max_tx_rate failed"
ip link set $PF0 vf 0 spoofchk off || echo "LAB: spoofchk failed"
ip link set $PF1 vf 1 trust off || echo "LAB: trust failed"
settle
sleep 2
mkdir -p /out/sos
ip -s -d link > /out/sos/ip_-s_-d_link
ip -s -d -j link > /out/sos/ip_-s_-d_-j_link
ip -d address > /out/sos/ip_-d_address

H=/mnt/host
mkdir -p $H
if [ -d /out/hostroot/usr/bin ]; then
	mount -o bind /out/hostroot $H
	mount -t proc proc $H/proc
	mount -o bind /sys $H/sys
	mount -o bind /dev $H/dev
	mount -o rbind /run $H/run      # /run/netns/guest: sos runs ip netns exec
	mount -t tmpfs tmpfs $H/tmp
	mount -t tmpfs tmpfs $H/var/tmp
	mkdir -p $H/tmp/sos
	t0=$(date +%s)
	chroot $H /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp LANG=C.UTF-8 \
		/usr/bin/sos report --batch --only-plugins networking,pci,kernel --tmp-dir /tmp/sos \
		> /out/sos/sos.log 2>&1
	echo "sos rc=$? in $(( $(date +%s) - t0 )) s" | tee -a /out/sos/sos.log
	cp $H/tmp/sos/sosreport-*.tar.xz /out/sos/ || echo "LAB: no sos report"
	vfscope snapshot --json > /out/sos/live.json 2> /out/sos/vfscope.err
	umount $H/var/tmp $H/tmp
	umount -l $H/run
	umount $H/dev $H/sys $H/proc $H
else
	echo "LAB: no /out/hostroot/usr (the host did not bind its /usr): no sos report"
	vfscope snapshot --json > /out/sos/live.json 2> /out/sos/vfscope.err
fi
log "sos done"
