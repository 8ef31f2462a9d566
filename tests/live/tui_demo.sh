#!/bin/bash
# vfscope demo: without a terminal it prints the snapshot and findings and
# exits 0 (CI, `make demo` in a pipe); on a terminal it opens the dashboard
# on the sample machine; VFSCOPE_DATADIR points it elsewhere.
set -u
. "$TOP/tests/live/tui_common.bash"
out=$TD/demo.txt
"$VFSCOPE" demo > "$out" </dev/null || fail "demo without a terminal: rc=$?"
grep -q '^vfscope demo: ' "$out" || fail "no demo header"
grep -q '^PF ' "$out" || fail "no PF in the printed snapshot"
grep -q 'findings' "$out" || fail "no findings section"
# VFSCOPE_DATADIR wins; a wrong one falls through to the built-in places.
VFSCOPE_DATADIR=$TOP/tests/fixtures/tui "$VFSCOPE" demo --print | grep -q "demo: $TOP/tests/fixtures/tui" ||
	fail "VFSCOPE_DATADIR not used"
tui_start 80 24 "$VFSCOPE" demo
wait_for "Topology"
wait_for "demo "
wait_for "UP (PF DOWN)"
quit_ok
echo ok
