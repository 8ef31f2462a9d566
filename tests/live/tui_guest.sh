#!/bin/bash
# A host with a guest view (the rules' pf-link-hidden pair, opened as an
# extracted bundle directory): the whole path PF -> VF -> VM -> guest team
# member, "UP (PF DOWN)" on the guest's member, both findings in order.
set -u
. "$TOP/tests/live/tui_common.bash"
mkdir -p "$TD/b"
cp "$TOP/tests/fixtures/rules/pf-link-hidden/bad.json" "$TD/b/snapshot.json"
"$VFSCOPE" snapshot --from "$TD/b" >/dev/null 2>&1 || skip "bundle reader cannot open a directory"
tui_start 120 30 "$VFSCOPE" top --from "$TD/b"
wait_for "guests:1"
wait_for "→ VM vm1 (pid 4242) → guest vm1 bond0/eth0 UP (PF DOWN)"
wait_for "bond0 @vm1 bonding active-backup"
wait_for "*eth0     UP (PF DOWN)  vf0 PF enp1s0f0 DOWN"
# Findings sorted by severity: the error above the warning.
e=$(screen | grep -n '^ *error ' | head -n1 | cut -d: -f1)
w=$(screen | grep -n '^ *warning ' | head -n1 | cut -d: -f1)
[ -n "$e" ] && [ -n "$w" ] && [ "$e" -lt "$w" ] || { screen; fail "findings not sorted by severity"; }
# Member details say why it matters.
keys Tab Down Enter
wait_for "will not fail over"
keys Escape
quit_ok
echo ok
