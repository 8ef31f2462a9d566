#!/bin/bash
# Support bundles and the dashboard: `s` writes one of the model on screen
# (readable back with --from); `vfscope top --from BUNDLE` shows the
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
T kill-server
# `s` in top writes a bundle into the working directory.
rm -f "$TD"/vfscope-*.tar.gz
tui_start 80 24 "$VFSCOPE" top --sysroot "$FIX"
wait_for "UP (PF DOWN)"
keys s
wait_for "support bundle written:" 30
quit_ok
w=$(ls "$TD"/vfscope-*.tar.gz 2>/dev/null | head -n1)
[ -s "$w" ] || fail "no bundle file in the working directory"
"$VFSCOPE" check --from "$w" | grep -q 'VFS001' || fail "bundle written by top lacks the finding"
echo ok
