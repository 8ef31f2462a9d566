#!/bin/bash
# Usage and runtime errors: one line, exit 2; partial sources: exit 0.
set -u
. "$TOP/tests/lib.sh"
"$VFSCOPE" snapshot --sysroot /nonexistent/x 2>err; rc=$?
[ $rc = 2 ] || fail "missing sysroot rc=$rc"
[ "$(wc -l < err)" = 1 ] || fail "one-line error"
"$VFSCOPE" snapshot --bogus 2>/dev/null; [ $? = 2 ] || fail "bad option"
"$VFSCOPE" nosuchcmd 2>/dev/null; [ $? = 2 ] || fail "bad command"
"$VFSCOPE" pci --pci-dump /nonexistent 2>/dev/null; [ $? = 2 ] || fail "missing dump"
d=$(mktemp -d); trap 'rm -rf $d err' EXIT
# An empty tree is a valid (empty) machine with sysfs failed, not a crash.
"$VFSCOPE" snapshot --json --sysroot "$d" > "$d/out.json"; rc=$?
[ $rc = 0 ] || fail "empty sysroot rc=$rc"
[ "$(json_get "$d/out.json" "[s['status'] for s in d['sources'] if s['name']=='sysfs'][0]")" = failed ] || fail "sysfs failed in empty tree"
for c in snapshot check trace decode capture pci agent top bundle metrics demo; do
	"$VFSCOPE" $c --help >/dev/null 2>&1 || fail "$c --help"
done
echo ok
