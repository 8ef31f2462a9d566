#!/bin/bash
# The demo on the lab's real capture (tests/fixtures/lab/pf-link-down): the
# guest's team member over the VF of the PF whose link went down is shown
# "UP (PF DOWN)", the rules' error finding is on screen, and the
# recorded events replay with [ and Left.
set -u
. "$TOP/tests/live/tui_common.bash"
L=$TOP/tests/fixtures/lab/pf-link-down
[ -d "$L/host" ] || skip "no lab capture at tests/fixtures/lab/pf-link-down yet"
out=$TD/demo.txt
VFSCOPE_DATADIR=$TOP/tests/fixtures/lab "$VFSCOPE" demo --print > "$out" || fail "demo --print rc=$?"
grep -q "demo: $L" "$out" || fail "demo did not use the lab capture"
tui_start 120 40 env VFSCOPE_DATADIR="$TOP/tests/fixtures/lab" "$VFSCOPE" demo
wait_for "Topology"
[ -d "$L/guest" ] && wait_for "guests:1"
wait_for "UP (PF DOWN)"
title=$(sed -n 's/^error *[^:]*: //p' "$out" | head -n1)
[ -n "$title" ] && wait_for "${title:0:40}"
# The recorded bonding history replays along the timeline.
n=$(screen | sed -n 's/.* Events  \([0-9][0-9]*\) events.*/\1/p')
if [ -n "$n" ] && [ "$n" -gt 1 ]; then
	keys '['
	wait_for "replay $n/$n"
	keys Left
	wait_for "replay $((n - 1))/$n"
fi
quit_ok
echo ok
