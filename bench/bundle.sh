#!/bin/bash
# Bundle cost on a synthetic 256-VF sysroot (4 PFs x 64 VFs, bond over two
# VFs): time and size of `vfscope bundle -d 0`, beside the floor of
# `tar czf` over the same tree (which reads every file, not just the ones
# the readers use). Prints numbers, asserts nothing.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
d=$(mktemp -d); trap 'rm -rf $d' EXIT
"$(dirname "$0")/gen-sysroot" "$d/root" --pfs 4 --vfs 64 --bond
n=5
t0=$(date +%s.%N)
for i in $(seq $n); do "$VFSCOPE" bundle --sysroot "$d/root" -d 0 -q -o "$d/b.tar.gz" >/dev/null 2>&1; done
t1=$(date +%s.%N)
for i in $(seq $n); do tar czf "$d/t.tar.gz" -C "$d/root" . 2>/dev/null; done
t2=$(date +%s.%N)
for i in $(seq $n); do "$VFSCOPE" bundle --sysroot "$d/root" -d 0 -q --redact -o "$d/r.tar.gz" >/dev/null 2>&1; done
t3=$(date +%s.%N)
python3 - "$t0" "$t1" "$t2" "$t3" "$n" "$(stat -c %s "$d/b.tar.gz")" "$(stat -c %s "$d/t.tar.gz")" \
	"$(stat -c %s "$d/r.tar.gz")" "$(tar tzf "$d/b.tar.gz" | wc -l)" <<'P'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5]); n = int(sys.argv[5])
b, t, r, entries = map(int, sys.argv[6:10])
vb, vt, vr = (t1 - t0) / n * 1000, (t2 - t1) / n * 1000, (t3 - t2) / n * 1000
print(f"{'256 VFs (4 PFs x 64)':28} {'ms':>10} {'bytes':>10} {'vs tar czf':>12}")
print(f"{'vfscope bundle -d 0':28} {vb:10.1f} {b:10d} {vb / vt:11.2f}x")
print(f"{'vfscope bundle --redact':28} {vr:10.1f} {r:10d} {vr / vt:11.2f}x")
print(f"{'tar czf (whole tree)':28} {vt:10.1f} {t:10d} {1:11.2f}x")
print(f"bundle entries: {entries} (files, links, dirs); size ratio bundle/tar {b / t:.2f}")
P
