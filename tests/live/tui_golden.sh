#!/bin/bash
# Golden screens of the dashboard (tmux capture-pane, text without colour)
# at 80x24 and 120x40: the hand-made fixture and the lab capture
# pf-link-down with its guest (whose VFS001 finding once showed as
# "VFS001-pf-"). The clock and the paths are masked. Besides the diff, every
# rule ID on screen must be whole (one from rules/*.c).
# UPDATE_GOLDEN=1 rewrites tests/fixtures/tui/golden/*.txt (on purpose only).
set -u
. "$TOP/tests/live/tui_common.bash"
GOLD=$TOP/tests/fixtures/tui/golden
L=$TOP/tests/fixtures/lab/pf-link-down
[ -d "$L/host" ] || skip "no lab capture at tests/fixtures/lab/pf-link-down"
# The guest file by a relative name (the pane starts in $TD): its label is
# on screen, so it must not depend on where the test runs.
"$VFSCOPE" snapshot --json --sysroot "$L/guest" > "$TD/guest.json" || fail "guest snapshot"
# shot NAME COLS ROWS CMD...: the settled screen, masked, into $TD/NAME.txt
shot() {
	local n=$1 c=$2 r=$3 a b i; shift 3
	tui_start "$c" "$r" env LANG=C.UTF-8 LC_ALL=C.UTF-8 VFSCOPE_NO_PROBES=1 "$@"
	wait_for "Events" 10
	b=
	for i in $(seq 30); do
		sleep 0.2; a=$(screen)
		[ "$a" = "$b" ] && break
		b=$a
	done
	# Line 1: the clock, and the source's path (cut to the width).
	screen | sed -e "1s/[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9][0-9][0-9] *$/HH:MM:SS.mmm/" \
		-e "1s#sysroot.* HH:MM#sysroot PATH HH:MM#" > "$TD/$n.txt"
	quit_ok
	# A fresh server for the next screen: wait until this one is gone.
	T kill-server 2>/dev/null
	for i in $(seq 50); do T list-sessions >/dev/null 2>&1 || break; sleep 0.1; done
	sleep 0.2
}
shot fixture-80x24 80 24 "$VFSCOPE" top --sysroot "$FIX"
shot fixture-120x40 120 40 "$VFSCOPE" top --sysroot "$FIX"
shot lab-80x24 80 24 "$VFSCOPE" top --sysroot "$L/host" --guest-file guest.json
shot lab-120x40 120 40 "$VFSCOPE" top --sysroot "$L/host" --guest-file guest.json
# The same kernel log seen by the host and by a "guest" (the fixture as its
# own guest, as netns guests in the lab share the host's log): each event
# is listed once.
"$VFSCOPE" snapshot --json --sysroot "$FIX" > "$TD/self.json" || fail "fixture snapshot"
tui_start 120 40 env VFSCOPE_NO_PROBES=1 "$VFSCOPE" top --sysroot "$FIX" --guest-file self.json
wait_for "guests:1" 10
wait_for "Events  4 events"
quit_ok
T kill-server 2>/dev/null
for i in $(seq 50); do T list-sessions >/dev/null 2>&1 || break; sleep 0.1; done
ids=$(grep -rhoE '"VFS0[0-9]{2}-[a-z-]+"' "$TOP"/rules/*.c | tr -d '"' | sort -u)
[ -n "$ids" ] || fail "no rule IDs in rules/*.c"
rc=0
for f in "$TD"/*-*x*.txt; do
	n=$(basename "$f")
	for id in $(grep -oE 'VFS0[0-9]{2}-[a-z-]*' "$f"); do
		grep -qxF -- "$id" <<< "$ids" || { echo "$n: rule ID cut or unknown: $id"; rc=1; }
	done
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		mkdir -p "$GOLD" && cp "$f" "$GOLD/$n" && echo "updated $GOLD/$n"
	elif ! diff -u "$GOLD/$n" "$f"; then
		echo "$n differs from the golden screen (UPDATE_GOLDEN=1 after checking it)"; rc=1
	fi
done
grep -q "VFS001-pf-link-hidden" "$TD/lab-120x40.txt" || { echo "lab-120x40: no VFS001-pf-link-hidden"; rc=1; }
grep -q "VFS001-pf-link-hidden" "$TD/lab-80x24.txt" || { echo "lab-80x24: no VFS001-pf-link-hidden"; rc=1; }
[ $rc = 0 ] || fail "golden screens"
echo ok
