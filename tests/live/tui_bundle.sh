#!/bin/bash
# A support bundle opened offline: `vfscope top --from BUNDLE` shows the
# recorded machine (the fixture's "UP (PF DOWN)") and replays its events.
set -u
. "$TOP/tests/live/tui_common.bash"
b=$TD/fx.tar.gz
"$VFSCOPE" bundle --help >/dev/null 2>&1 || skip "vfscope bundle not built yet"
"$VFSCOPE" bundle --sysroot "$FIX" -o "$b" >/dev/null 2>&1 || skip "vfscope bundle cannot write from a sysroot yet"
"$VFSCOPE" snapshot --from "$b" >/dev/null 2>&1 || skip "bundle reader not built yet"
tui_start 80 24 "$VFSCOPE" top --from "$b"
wait_for "bundle "
wait_for "UP (PF DOWN)"
wait_for "static"
if "$VFSCOPE" snapshot --json --from "$b" | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin).get("events") else 1)'; then
	keys Tab Tab Tab '['
	wait_for "replay"
	keys Left Left
	keys Right
	wait_for "replay"
fi
quit_ok
echo ok
