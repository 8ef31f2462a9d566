# lab: failover 1
# vfscope live inside the VM over a real net_failover pair (helper pair's
# recognition evidence): snapshot --json with the primary present, then after
# QEMU's device_del of the primary.
log pair_live
lab_failover_up 1 || exit 1
ip link set $FOM0 up
i=0; while [ "$(cat /sys/class/net/$FOP0/carrier 2>/dev/null)" != 1 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
echo "M0=$FOM0 S0=$FOS0 P0=$FOP0" > /out/names.txt
vfscope snapshot --json > /out/live-healthy.json 2> /out/live-healthy.err
vfscope snapshot > /out/live-healthy.txt 2>&1
mon device_del primary0
i=0; while [ -e /sys/class/net/$FOP0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
vfscope snapshot --json > /out/live-gone.json 2> /out/live-gone.err
vfscope snapshot > /out/live-gone.txt 2>&1
log done
