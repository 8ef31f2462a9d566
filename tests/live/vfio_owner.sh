#!/bin/bash
# vfio ownership and kernel log under a --sysroot: a VF bound to vfio-pci in
# iommu group 20, held open by a QEMU started by libvirt (-name guest=vm1,...)
# and a VF in group 21 held by a plain "-name vm2"; dmesg.txt lines are kept
# when they are about VFs/bonding and attached to the finding they support.
set -eu
B=${VFSCOPE:-./vfscope}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
D=$T/sys/bus/pci/devices
mkdir -p $T/sys/class/net $T/sys/kernel/iommu_groups/20 $T/sys/kernel/iommu_groups/21 $T/sys/bus/pci/drivers/vfio-pci $T/sys/bus/pci/drivers/igb
mkdir -p $D/0000:01:00.0/net/enp1s0f0 $D/0000:01:10.0 $D/0000:01:10.2
echo 7 > $D/0000:01:00.0/sriov_totalvfs; echo 2 > $D/0000:01:00.0/sriov_numvfs
ln -s ../../../bus/pci/devices/0000:01:00.0 $T/sys/class/net/enp1s0f0 2>/dev/null || true
ln -s ../0000:01:10.0 $D/0000:01:00.0/virtfn0
ln -s ../0000:01:10.2 $D/0000:01:00.0/virtfn1
ln -s ../../../../bus/pci/drivers/igb $D/0000:01:00.0/driver
for v in 0000:01:10.0:20 0000:01:10.2:21; do
	pci=${v%:*}; g=${v##*:}
	ln -s ../../../../bus/pci/drivers/vfio-pci $D/$pci/driver
	ln -s ../../../../kernel/iommu_groups/$g $D/$pci/iommu_group
done
mkdir -p $T/proc/4242/fd $T/proc/5151/fd $T/proc/1/fd
ln -s /dev/vfio/vfio $T/proc/4242/fd/16
ln -s /dev/vfio/20 $T/proc/4242/fd/17
ln -s /dev/vfio/21 $T/proc/5151/fd/9
ln -s /dev/null $T/proc/1/fd/0
printf 'qemu-system-x86_64\0-name\0guest=vm1,debug-threads=on\0-m\0512\0' > $T/proc/4242/cmdline
printf 'qemu-system-x86_64\0-name\0vm2\0' > $T/proc/5151/cmdline
cat > $T/dmesg.txt <<'K'
[    1.000000] Linux version 6.1
[   12.500000] igb 0000:01:00.0: 2 VFs allocated
[   13.000000] systemd[1]: Started something unrelated.
[   20.250000] igb 0000:01:00.0: VF 1 attempted to override administratively set MAC address
[   21.000000] igb 0000:01:00.0: Unprivileged VF 1 is attempting to configure promiscuous mode
[   30.000000] bond0: (slave enp1s0f0v0): link status definitely down, disabling slave
[   30.000100] bond0: (slave enp1s0f1v0): making interface the new active one
K
out=$("$B" snapshot --json --sysroot "$T")
echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
vfs = d["pfs"][0]["vfs"]
assert vfs[0]["owner_name"] == "vm1" and vfs[0]["owner_pid"] == 4242, vfs[0]
assert vfs[1]["owner_name"] == "vm2" and vfs[1]["owner_pid"] == 5151, vfs[1]
assert vfs[0]["src"]["owner_name"] == "procfs"
k = [l["text"] for l in d["kmsg"]]
assert len(k) == 5 and not any("unrelated" in l for l in k), k
ev = d["events"]
assert [e["kind"] for e in ev] == ["link", "failover"] and ev[0]["ifname"] == "bond0", ev
assert d["kmsg"][1]["ts_us"] == 20250000, d["kmsg"][1]
print("ok: owners", vfs[0]["owner_name"], vfs[1]["owner_name"], "kmsg", len(k))
'
rc=0; "$B" check --json --sysroot "$T" > $T/check.json || rc=$?
[ $rc = 1 ] || { echo "check rc=$rc, want 1"; exit 1; }
python3 - $T/check.json <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
ids = {f["id"] for f in d["findings"]}
assert "VFS016-untrusted-vf-denied" in ids, ids
f = [f for f in d["findings"] if f["id"] == "VFS016-untrusted-vf-denied"][0]
assert f["kmsg"] and "21.000000" in f["kmsg"][0], f
assert "VFS014-vf-unused" not in ids, ids
print("ok:", sorted(ids))
P
