# Helpers for the pod scenarios (pod.sh, pod-same-pf.sh; tests/lab/scenario_pod.sh),
# sourced by them: not a scenario. A "pod" here is what kubelet, the SR-IOV
# device plugin, sriov-cni and bond-cni leave on a node (docs/netns.md): a
# named network namespace cni-<uuid> held by a sandbox process whose cgroup
# (cgroup v2, systemd driver) names the pod UID, /var/log/pods/NS_POD_UID/,
# kubelet's device-manager checkpoint, the device plugin's devinfo files and
# sriov-cni's cache, with the VFs moved in as net1, net2 and bonded there.

POD_SANDBOX=4f1c2a9e8b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a
# The device plugin's resource of a VF: one per PF (PF0 -> lab.io/sriov_pf0).
pod_resource() { case $1 in 0000:01:*) echo lab.io/sriov_pf0 ;; *) echo lab.io/sriov_pf1 ;; esac; }
pod_pfname() { case $1 in 0000:01:*) echo $PF0 ;; *) echo $PF1 ;; esac; }

# pod_up NS POD UID NETNS "PCI PCI": the pod's namespace and its holder, its
# files, its VFs moved in as net1, net2... Sets POD_NS (the netns) and
# POD_PID (the holder).
pod_up() {
	_ns=$1 _pod=$2 _uid=$3 POD_NS=$4 _vfs=$5
	ip netns add $POD_NS
	ip -n $POD_NS link set lo up
	grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts || mount -t cgroup2 cgroup2 /sys/fs/cgroup
	_cg=/sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod$(echo $_uid | tr - _).slice/cri-containerd-$POD_SANDBOX.scope
	mkdir -p $_cg
	# The sandbox: joins the pod's cgroup, then the namespace (ip netns exec execs sleep).
	sh -c "echo \$\$ > $_cg/cgroup.procs; exec /sbin/ip netns exec $POD_NS /bin/sleep 100000" < /dev/null > /dev/null 2>&1 &
	POD_PID=$!
	mkdir -p /var/log/pods/${_ns}_${_pod}_${_uid}/app /var/run/k8s.cni.cncf.io/devinfo/dp /var/lib/cni/sriov/pci \
		/var/lib/kubelet/device-plugins
	: > /var/log/pods/${_ns}_${_pod}_${_uid}/app/0.log  # the container's log (kubelet: RESTART.log)
	_i=1 _entries=
	for _v in $_vfs; do
		_n=$(vfnet $_v) _r=$(pod_resource $_v) _p=$(pod_pfname $_v)
		_vf=-1
		for _l in /sys/bus/pci/devices/$_v/physfn/virtfn*; do
			[ "$(basename "$(readlink $_l)")" = $_v ] && _vf=${_l##*virtfn}
		done
		ip link set "$_n" netns $POD_NS
		ip -n $POD_NS link set "$_n" name net$_i
		echo "net$_i $_n" >> /tmp/pod-$POD_NS.names  # its host name, for pod_down
		printf '{"type":"pci","version":"1.1.0","pci":{"pci-address":"%s"}}' $_v \
			> /var/run/k8s.cni.cncf.io/devinfo/dp/$(echo $_r | tr / -)-$_v-device.json
		printf '{"cniVersion":"1.0.0","name":"sriov-%s","type":"sriov","Master":"%s","deviceID":"%s","VFID":%s}' \
			$_p $_p $_v $_vf > /var/lib/cni/sriov/$POD_SANDBOX-net$_i
		printf '/var/run/netns/%s' $POD_NS > /var/lib/cni/sriov/pci/$_v
		_entries="$_entries${_entries:+,}{\"PodUID\":\"$_uid\",\"ContainerName\":\"app\",\"ResourceName\":\"$_r\",\"DeviceIDs\":{\"0\":[\"$_v\"]}}"
		_i=$((_i + 1))
	done
	printf '{"Data":{"PodDeviceEntries":[%s],"RegisteredDevices":{}},"Checksum":0}' "$_entries" \
		> /var/lib/kubelet/device-plugins/kubelet_internal_checkpoint
	echo "LAB: pod $_ns/$_pod uid $_uid netns $POD_NS holder $POD_PID: $(ip -n $POD_NS -br link | tr '\n' ' ')"
}

# pod_bond [bond options]: bond0 (active-backup, miimon 100, bond-cni's
# failOverMac 1) over net1, net2 in the pod; net1 made active.
pod_bond() {
	ip -n $POD_NS link add bond0 type bond mode active-backup miimon 100 fail_over_mac active "$@"
	for _n in net1 net2; do
		ip -n $POD_NS link set $_n down
		ip -n $POD_NS link set $_n master bond0 || echo "LAB: enslaving $_n failed"
	done
	ip -n $POD_NS link set bond0 up
	_i=0
	while [ $_i -lt 20 ]; do
		ip netns exec $POD_NS cat /proc/net/bonding/bond0 > /tmp/bond.txt 2>/dev/null
		grep -q '^MII Status: up' /tmp/bond.txt && ! grep -q '^MII Status: down' /tmp/bond.txt && break
		sleep 0.5; _i=$((_i + 1))
	done
	ip -n $POD_NS link set bond0 type bond active_slave net1 || echo "LAB: cannot make net1 active"
	sleep 1
}

# pod_capture DIR: DIR/host, a sysroot of the host in the layout of
# docs/netns.md: capture-sysroot's tree plus netns/<netns>/ (name, inode,
# pid, ip-link.json, proc/net/bonding), proc/<pid>/cgroup and the
# kubelet/device plugin/sriov-cni files.
pod_capture() {
	_d=$1/host
	sh /lab/capture-sysroot $_d host
	_n=$_d/netns/$POD_NS
	mkdir -p $_n/proc/net/bonding $_d/proc/$POD_PID
	echo $POD_NS > $_n/name
	echo $POD_PID > $_n/pid
	stat -L -c %i /run/netns/$POD_NS > $_n/inode
	ip netns exec $POD_NS /sbin/ip -d -j link show > $_n/ip-link.json
	for _b in $(ip netns exec $POD_NS sh -c 'ls /proc/net/bonding 2>/dev/null'); do
		ip netns exec $POD_NS cat /proc/net/bonding/$_b > $_n/proc/net/bonding/$_b
	done
	cat /proc/$POD_PID/cgroup > $_d/proc/$POD_PID/cgroup
	for _f in var/log/pods var/run/k8s.cni.cncf.io var/lib/cni var/lib/kubelet; do
		mkdir -p $_d/$(dirname $_f); cp -a /$_f $_d/$_f
	done
}

# pod_down: bond deleted, the VFs back in the host namespace under their
# host names again, holder and namespace gone, files removed.
pod_down() {
	ip -n $POD_NS link del bond0 2>/dev/null
	while read -r _p _h; do
		ip -n $POD_NS link set "$_p" name "$_h" && ip -n $POD_NS link set "$_h" netns 1
	done < /tmp/pod-$POD_NS.names
	rm -f /tmp/pod-$POD_NS.names
	kill $POD_PID 2>/dev/null; wait $POD_PID 2>/dev/null
	ip netns del $POD_NS
	rm -rf /var/log/pods /var/run/k8s.cni.cncf.io /var/lib/cni /var/lib/kubelet
	lab_wait_vfs
}
