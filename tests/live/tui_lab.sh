#!/bin/bash
# The demo on the lab's real capture (tests/fixtures/lab/pf-link-down): the
# guest's team member over the VF of the PF whose link went down is shown
# "UP (PF DOWN)", and the rules' error finding is on screen.
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
quit_ok
echo ok
