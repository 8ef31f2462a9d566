#!/bin/bash
# vfscope top on the hand-made fixture (80x24): the "UP (PF DOWN)" member,
# a finding with its evidence and fix, the help screen, the filter, pause,
# the replay cursor through recorded events, the bundle key, and q.
set -u
. "$TOP/tests/live/tui_common.bash"
tui_start 80 24 "$VFSCOPE" top --sysroot "$FIX"
wait_for "Topology"
wait_for "team bond0 UP (PF DOWN)"
wait_for "eth1     UP (PF DOWN)"        # teams panel, backing PF shown down
wait_for "vf0 PF eth0 DOWN"
wait_for "probes:unavailable"
# A finding title when the rules produce one.
title=$("$VFSCOPE" check --sysroot "$FIX" 2>/dev/null | sed -n 's/^error *[^:]*: //p' | head -n1)
if [ -n "$title" ]; then
	wait_for "${title:0:40}"
	keys Tab Tab Enter
	wait_for "Evidence"
	wait_for "Fix"
	wait_for "carrier = 0"
	keys Escape
	wait_gone "Evidence"
else
	echo "rules produced no finding on the fixture; finding assertions skipped"
fi
# Help.
keys '?'
wait_for "Help"
wait_for "write a support bundle"
keys Escape
wait_gone "write a support bundle"
# Filter: only lines with eth4 stay.
keys / e t h 4
wait_for "filter: eth4_"
keys Enter
wait_for "filter: eth4"
wait_gone "eth2 UP"
wait_for "eth4"
keys Escape
wait_for "eth2 UP"
# Replay cursor through the fixture's recorded events ([ and ]): three
# bonding lines and igb's "NIC Link is Down" of the PF (marked PF).
wait_for "4 events"
wait_for "link     eth0       PF igb 0000:01:00.0 eth0: igb: eth0 NIC Link"
keys '['
wait_for "replay 4/4"
keys '[' '[' '['
wait_for "replay 1/4"
wait_gone "making interface"
keys ']'
wait_for "making interface"
# Pause shows in the header.
keys p
wait_for "PAUSED"
keys p
wait_gone "PAUSED"
# Bundle key answers on the footer one way or the other.
keys s
wait_for "support bundle"
quit_ok
echo ok
