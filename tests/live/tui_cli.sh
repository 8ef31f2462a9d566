#!/bin/bash
# top's command line: --help, bad values (exit 2), no terminal (exit 2 with
# a hint), and a Unicode alias with a bidi override drawn as '?'.
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
echo ok
