#!/bin/bash
# Bounded: SIGINT during the event window finishes the archive with what is
# there and marks the manifest partial (exit 1); the size cap leaves raw
# files out and says so.
set -u
. "$TOP/tests/lib.sh"
F=$TOP/tests/fixtures/bundle/sysroot
[ -d "$F/sys" ] || skip "no fixture sysroot"
T=$(mktemp -d); trap 'rm -rf $T; cleanup_ns' EXIT
"$VFSCOPE" bundle --sysroot "$F" -o "$T/i.tar.gz" -d 60 >/dev/null 2>"$T/err" & pid=$!
sleep 1
kill -INT $pid
t0=$SECONDS
wait $pid; rc=$?
[ $((SECONDS - t0)) -le 5 ] || fail "SIGINT did not stop the window promptly"
[ $rc = 1 ] || fail "interrupted bundle should exit 1, got $rc ($(cat "$T/err"))"
mkdir "$T/x" && tar xzf "$T/i.tar.gz" -C "$T/x" || fail "interrupted bundle is not a valid tar.gz"
[ "$(json_get "$T/x/manifest.json" "d['partial']")" = True ] || fail "manifest not partial"
json_get "$T/x/manifest.json" "d['partial_reasons'][0]" | grep -q interrupted || fail "reason"
"$VFSCOPE" snapshot --from "$T/i.tar.gz" >/dev/null || fail "partial bundle unreadable"
# size cap: 1 MiB is enough for the fixture; a synthetic 64-VF tree is not (files are tiny, so use many)
"$TOP/bench/gen-sysroot" "$T/big" --pfs 4 --vfs 64 >/dev/null
head -c 1200000 /dev/urandom | base64 > "$T/big/proc/version"
"$VFSCOPE" bundle --sysroot "$T/big" -o "$T/c.tar.gz" -d 0 --max-size 1 >/dev/null 2>&1; rc=$?
[ $rc = 1 ] || fail "capped bundle should exit 1, got $rc"
tar xzf "$T/c.tar.gz" -C "$T" manifest.json || fail "capped bundle manifest"
json_get "$T/manifest.json" "d['partial_reasons']" | grep -q 'size cap' || fail "cap reason"
# live, with the control-frame capture running (it has its own signal
# handlers): SIGINT still ends the whole bundle early, marked partial.
if [ "$(id -u)" = 0 ]; then
	ns=$(mkns s)
	ip -n "$ns" link add va0 type veth peer name vb0
	ip -n "$ns" link set va0 up; ip -n "$ns" link set vb0 up
	ip netns exec "$ns" "$VFSCOPE" bundle -o "$T/l.tar.gz" -d 60 >/dev/null 2>&1 & pid=$!
	sleep 4
	kill -INT $pid
	t0=$SECONDS
	wait $pid; rc=$?
	[ $((SECONDS - t0)) -lt 20 ] || fail "live bundle kept running after SIGINT"
	[ $rc = 1 ] || fail "interrupted live bundle should exit 1, got $rc"
	tar xzf "$T/l.tar.gz" -C "$T" manifest.json || fail "interrupted live bundle manifest"
	[ "$(json_get "$T/manifest.json" "d['partial']")" = True ] || fail "interrupted live bundle not marked partial"
fi
echo ok
