# Smallest scenario: VFs come up, vfscope runs inside and sees them.
. /lab/lib.sh
enable_vfs
vfscope --version > /out/version.txt
vfscope snapshot --json > /out/snapshot.json
for p in $PF0 $PF1; do cat /sys/class/net/$p/device/sriov_totalvfs; done > /out/totalvfs.txt
for v in $PF0VF0 $PF0VF1 $PF1VF0 $PF1VF1; do basename "$(readlink /sys/bus/pci/devices/$v/driver)"; done > /out/vfdrivers.txt
