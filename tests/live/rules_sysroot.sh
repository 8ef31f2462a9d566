#!/bin/bash
# vfscope check end to end on a synthetic sysroot (bench/gen-sysroot: two igb
# PFs, VFs on igbvf, bond0 over VF 0 of each): exit codes, --fail-on, text
# and JSON output, VFSCOPE_DISABLE_RULES, the hidden PF link (VFS001) and a
# same-PF team (VFS003), and the same tree given again as a guest file.
set -u
B=${VFSCOPE:-./vfscope}
G=${TOP:-.}/bench/gen-sysroot
[ -x "$G" ] || { echo "bench/gen-sysroot missing"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0
ck() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
python3 "$G" "$T/r" --pfs 2 --vfs 2 --bond >/dev/null

"$B" check --sysroot "$T/r" > "$T/out"; rc=$?
ck "healthy tree: exit 0" '[ $rc = 0 ]'
ck "healthy tree: summary line" 'grep -q "^0 findings" "$T/out"'
"$B" check --fail-on bogus --sysroot "$T/r" 2>/dev/null; rc=$?
ck "bad --fail-on: exit 2" '[ $rc = 2 ]'
"$B" check --sysroot "$T/nonexistent" 2>/dev/null; rc=$?
ck "missing sysroot: exit 2" '[ $rc = 2 ]'

# PF 0 loses its link; bond0 still has eth1 (VF 0 of PF 0) up and active.
pf0=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["pfs"][0]["netdev"])' < <("$B" snapshot --json --sysroot "$T/r"))
echo 0 > "$T/r/sys/class/net/$pf0/carrier"; echo down > "$T/r/sys/class/net/$pf0/operstate"
"$B" check --sysroot "$T/r" > "$T/out"; rc=$?
ck "PF link down: exit 1" '[ $rc = 1 ]'
ck "PF link down: text names VFS001 and $pf0" 'grep -q "^error   VFS001-pf-link-hidden" "$T/out" && grep -q "PF $pf0 .* carrier = 0 (sysfs)" "$T/out"'
ck "PF link down: fix line" 'grep -q "^  fix: " "$T/out"'
"$B" check --json --sysroot "$T/r" > "$T/j"; rc=$?
ck "PF link down: JSON" 'python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
assert d[\"schema\"]==1 and d[\"summary\"][\"error\"]>=1
f=d[\"findings\"][0]; assert f[\"id\"]==\"VFS001-pf-link-hidden\" and f[\"severity\"]==\"error\"
assert any(e[\"source\"]==\"sysfs\" for e in f[\"evidence\"])" "$T/j"'
VFSCOPE_DISABLE_RULES=VFS001-pf-link-hidden "$B" check --sysroot "$T/r" > "$T/out"; rc=$?
ck "VFSCOPE_DISABLE_RULES=VFS001: exit 0" '[ $rc = 0 ] && ! grep -q VFS001 "$T/out"'
"$B" check --fail-on error --sysroot "$T/r" >/dev/null; rc=$?
ck "--fail-on error with an error: exit 1" '[ $rc = 1 ]'

# The same tree given again as a guest view: the guest's bond members are
# correlated to the host VFs by PCI address, and the rule fires for both.
"$B" snapshot --json --sysroot "$T/r" > "$T/guest.json"
"$B" check --json --sysroot "$T/r" --guest-file "$T/guest.json" > "$T/j"; rc=$?
ck "guest file: correlated, VFS001 on host and guest" 'python3 -c "
import json,sys; d=json.load(open(sys.argv[1]))
s=[f[\"subject\"] for f in d[\"findings\"] if f[\"id\"]==\"VFS001-pf-link-hidden\"]
assert len(s)==2, s" "$T/j"'
"$B" check --sysroot "$T/r" --guest-file "$T/nope.json" > "$T/out"; rc=$?
ck "missing guest file: host still checked (exit 1), source error shown" '[ $rc = 1 ] && grep -q "source guest-file failed" "$T/out"'
exit $fail
