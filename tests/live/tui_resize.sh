#!/bin/bash
# Resizing (SIGWINCH -> KEY_RESIZE): the layout draws at 80x24, at 200x50
# (two columns: Topology beside Teams), says so when too small, and comes
# back; q still exits 0.
set -u
. "$TOP/tests/live/tui_common.bash"
tui_start 80 24 "$VFSCOPE" top --sysroot "$FIX"
wait_for "UP (PF DOWN)"
[ "$(screen | wc -l)" -eq 24 ] || fail "not 24 rows"
screen | grep -q '^ *Teams' || fail "80x24: Teams panel below Topology"
resize 200 50
wait_for "Teams  1 teams"
# Two columns: the Topology and Teams titles share the first panel row.
for i in $(seq 50); do screen | sed -n 3p | grep -q 'Topology.*Teams' && break; sleep 0.1; done
screen | sed -n 3p | grep -q 'Topology.*Teams' || { screen; fail "200x50: no two-column layout"; }
[ "$(screen | head -n1 | wc -L)" -gt 100 ] || fail "200x50: header not widened"
wait_for "eth1     UP (PF DOWN)"
resize 30 8
wait_for "too small"
resize 80 24
wait_gone "too small"
wait_for "team bond0 UP (PF DOWN)"
screen | grep -q '^ *Teams' || fail "back at 80x24: Teams panel missing"
[ "$(screen | head -n1 | wc -L)" -le 80 ] || fail "80x24: header wider than the screen"
quit_ok
echo ok
