#!/bin/bash
# --ascii --no-color: no UTF-8 line drawing and no colour escapes; a C
# locale falls back to ASCII by itself; --once draws one screen and exits 0.
set -u
. "$TOP/tests/live/tui_common.bash"
tui_start 80 24 "$VFSCOPE" top --ascii --no-color --sysroot "$FIX"
wait_for "|-vf0"
wait_for "UP (PF DOWN)"
screen | LC_ALL=C grep -q $'[\x80-\xff]' && fail "non-ASCII bytes with --ascii"
T capture-pane -p -e | grep -Eq $'\e\\[(3[0-8]|4[0-8])(;|m)' && fail "colour escapes with --no-color"
quit_ok
T kill-server
tui_start 80 24 env LC_ALL=C LANG=C "$VFSCOPE" top --sysroot "$FIX"
wait_for "UP (PF DOWN)"
wait_for "|-vf0"
quit_ok
T kill-server
tui_start 80 24 "$VFSCOPE" top --once --sysroot "$FIX"
for i in $(seq 50); do [ -s "$TD/rc" ] && break; sleep 0.1; done
[ "$(cat "$TD/rc" 2>/dev/null)" = 0 ] || fail "--once did not exit 0"
echo ok
