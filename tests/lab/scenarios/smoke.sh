# The smallest scenario (tests/lab/scenario_smoke.sh): the VFs are there,
# vfscope runs inside and sees them, and vm-run's --flap-pf0-after works.
for p in $PF0 $PF1; do cat /sys/class/net/$p/device/sriov_totalvfs; done > /out/totalvfs.txt
for v in $ALLVFS; do basename "$(readlink /sys/bus/pci/devices/$v/driver)"; done > /out/vfdrivers.txt
vfscope --version > /out/version.txt
vfscope snapshot --json > /out/snapshot.json
sleep 3  # PF0 carrier up
echo SMOKE-FLAP
i=0; while [ "$(cat /sys/class/net/$PF0/carrier)" = 1 ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
cat /sys/class/net/$PF0/carrier > /out/pf0-carrier-after-flap.txt
