#!/bin/bash
# top's command line: --help, bad values (exit 2), no terminal (exit 2 with
# a hint), a Unicode alias with a bidi override drawn as '?', Ctrl-C.
set -u
. "$TOP/tests/live/tui_common.bash"
"$VFSCOPE" top --help | grep -q 'usage: vfscope top' || fail "--help"
"$VFSCOPE" top -d 0 --sysroot "$FIX" </dev/null >/dev/null 2>&1; [ $? = 2 ] || fail "-d 0 not a usage error"
"$VFSCOPE" top --cpu-cap x --sysroot "$FIX" </dev/null >/dev/null 2>&1; [ $? = 2 ] || fail "bad --cpu-cap"
"$VFSCOPE" top --bogus </dev/null >/dev/null 2>&1; [ $? = 2 ] || fail "unknown option"
out=$("$VFSCOPE" top --sysroot "$FIX" </dev/null 2>&1 >/dev/null); rc=$?
[ $rc = 2 ] || fail "no terminal: rc $rc"
echo "$out" | grep -q 'needs a terminal' || fail "no terminal: no hint ($out)"
# A right-to-left override (U+202E) in an alias is not drawn as such.
r=$TD/root
cp -a "$FIX" "$r"
printf 'evil\xe2\x80\xaeeno\n' > "$(readlink -f "$r/sys/class/net/eth0")/ifalias"
tui_start 100 24 "$VFSCOPE" top --sysroot "$r"
wait_for 'alias "evil?eno"'
quit_ok
T kill-server
# Ctrl-C quits like q: exit 0, terminal restored (echo and canonical mode back).
tui_start 80 24 bash -c '"$0" top --sysroot "$1"; rc=$?; stty -a | grep -q " icanon" && stty -a | grep -q " echo " || rc=99; exit $rc' "$VFSCOPE" "$FIX"
wait_for "UP (PF DOWN)"
keys C-c
for i in $(seq 50); do [ -s "$TD/rc" ] && break; sleep 0.1; done
[ "$(cat "$TD/rc" 2>/dev/null)" = 0 ] || fail "Ctrl-C: rc $(cat "$TD/rc" 2>/dev/null) (99: terminal not restored)"
echo ok
