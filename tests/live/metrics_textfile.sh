#!/bin/bash
# --textfile is written atomically: a reader loop checks that every file
# it observes ends with a complete last line (the age sample) while the
# writer rewrites it every 20 ms; node_exporter's textfile format passes
# promtool.
set -u
. "$TOP/tests/lib.sh"
F=$TOP/tests/fixtures/bundle/sysroot
T=$(mktemp -d)
trap '[ -n "${wp:-}" ] && kill $wp 2>/dev/null; rm -rf $T' EXIT
out=$T/vfscope.prom
"$VFSCOPE" metrics --sysroot "$F" --textfile "$out" --interval 0.02 2>"$T/err" & wp=$!
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.05; done
[ -s "$out" ] || fail "textfile not written ($(cat "$T/err"))"
python3 - "$out" <<'P' || fail "a half-written textfile was observed"
import sys, time
p = sys.argv[1]
n = seen = 0
inodes = set()
t_end = time.time() + 3
while time.time() < t_end:
    try:
        with open(p, "rb") as f:
            import os
            b = f.read()
    except FileNotFoundError:
        print("file vanished"); sys.exit(1)
    n += 1
    if not b.endswith(b"\n") or not b.rstrip(b"\n").split(b"\n")[-1].startswith(b"vfscope_collection_age_seconds "):
        print("incomplete:", b[-80:]); sys.exit(1)
    for l in b.split(b"\n"):
        if l.startswith(b"vfscope_collections_total "):
            inodes.add(l)
    if not b.startswith(b"# HELP vfscope_build_info"):
        print("bad start"); sys.exit(1)
print(n, "reads,", len(inodes), "versions")
if len(inodes) < 20:
    print("writer did not rewrite the file"); sys.exit(1)
P
if command -v promtool >/dev/null; then promtool check metrics < "$out" >/dev/null 2>&1 || fail promtool; fi
ls "$T" | grep -q '\.tmp\.' && sleep 0.1
kill -TERM $wp; wait $wp; wp=
ls "$T" | grep -q '\.tmp\.' && fail "temporary file left behind"
# --once --textfile writes once and exits
rm -f "$out"
"$VFSCOPE" metrics --once --sysroot "$F" --textfile "$out" || fail "--once --textfile"
[ -s "$out" ] || fail "--once --textfile wrote nothing"
echo ok
