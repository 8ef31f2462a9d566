#!/bin/bash
# Rates without probes or VF stats: netdev counters, re-read each interval
# (--recollect on a copy of the fixture whose statistics files a loop keeps
# bumping). The active member shows a tx rate and a sparkline; the idle one
# shows 0 (all within 80 columns); a carrier change in the tree shows on
# the next refresh.
set -u
. "$TOP/tests/live/tui_common.bash"
r=$TD/root
cp -a "$FIX" "$r"
for n in eth1 eth4; do
	d=$(readlink -f "$r/sys/class/net/$n")
	mkdir -p "$d/statistics"
	echo 0 > "$d/statistics/rx_bytes"; echo 0 > "$d/statistics/tx_bytes"
done
d1=$(readlink -f "$r/sys/class/net/eth1")
( tx=0; while sleep 0.1; do tx=$((tx + 50000)); echo $tx > "$d1/statistics/tx_bytes.new"; mv "$d1/statistics/tx_bytes.new" "$d1/statistics/tx_bytes"; done ) &
bumper=$!
trap 'kill $bumper 2>/dev/null; tui_cleanup' EXIT
tui_start 80 24 "$VFSCOPE" top -d 0.5 --cpu-cap 0 --recollect --sysroot "$r"
wait_for "every 0.5s"
for i in $(seq 100); do screen | grep -E '\*eth1 .*tx +[0-9.]+[KM] ' >/dev/null && break; sleep 0.1; done
screen | grep -E '\*eth1 .*tx +[0-9.]+[KM] ' || { screen; fail "no tx rate on the active member"; }
screen | grep -E ' eth4 .*tx +0B ' >/dev/null || { screen; fail "idle member not at 0"; }
screen | grep -E '\*eth1 .*[▁▂▃▄▅▆▇█]' >/dev/null || { screen; fail "no sparkline"; }
# The PF comes back: the mismatch goes away on a refresh.
echo 1 > "$(readlink -f "$r/sys/class/net/eth0")/carrier"
wait_gone "UP (PF DOWN)" 5
quit_ok
echo ok
