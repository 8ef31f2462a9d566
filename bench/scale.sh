#!/bin/bash
# check and metrics at 4096 VFs (16 PFs x 256, bench/gen-sysroot): whole
# process wall time (median of 3, interleaved), peak RSS (/usr/bin/time
# -v, or the kernel's VmHWM), the number of findings and of metric series.
# Goals (issue 17): check under 100 ms, one metrics scrape under 5 ms (a
# scrape serves cached text: see bench/metrics.sh; --once here collects
# and renders), RSS under 32 MiB, series bounded.
# Prints numbers, asserts nothing. The tree has no guests or namespaces
# (gen-sysroot makes none): the row says so.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
d=$(mktemp -d); trap 'rm -rf $d' EXIT
# bench/run makes the 4096-VF tree once for every script (BENCH_TREE_4096).
if [ -d "${BENCH_TREE_4096:-}" ]; then ln -s "$BENCH_TREE_4096" "$d/r"
else "$(dirname "$0")/gen-sysroot" "$d/r" --pfs 16 --vfs 256 --bond; fi
med() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # cmd... -> "us rss_kib"
	local t0 t1
	/usr/bin/time -f '%M' -o "$d/rss" "$@" > "$d/out" 2>/dev/null
	t0=$EPOCHREALTIME; "$@" >/dev/null 2>&1; t1=$EPOCHREALTIME
	echo "$(( ${t1/./} - ${t0/./} )) $(cat "$d/rss")"
}
cms= mms= crss= mrss=
for _ in 1 2 3; do
	read t r <<<"$(run "$VFSCOPE" check --sysroot "$d/r" --no-kmsg)"; cms="$cms $t"; crss=$r
	read t r <<<"$(run "$VFSCOPE" metrics --once --sysroot "$d/r" --no-kmsg)"; mms="$mms $t"; mrss=$r
done
findings=$("$VFSCOPE" check --json --sysroot "$d/r" --no-kmsg 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); f=d.get("findings", d) if isinstance(d, dict) else d; print(len(f))' 2>/dev/null || echo "?")
series=$("$VFSCOPE" metrics --once --sysroot "$d/r" --no-kmsg 2>/dev/null | grep -vc '^#')
vfs=$("$VFSCOPE" snapshot --json --sysroot "$d/r" --no-kmsg 2>/dev/null | python3 -c 'import json,sys; print(sum(len(p["vfs"]) for p in json.load(sys.stdin)["pfs"]))')
printf '%-34s %9s %9s %8s %10s\n' "4096 VFs (16 PFs x 256), sysroot" "ms" "goal ms" "RSS MiB" "count"
python3 - "$(echo $cms | med)" "$(echo $mms | med)" "$crss" "$mrss" "$findings" "$series" <<'P'
import sys
c, m = int(sys.argv[1]) / 1000, int(sys.argv[2]) / 1000
cr, mr = int(sys.argv[3]) / 1024, int(sys.argv[4]) / 1024
print(f"{'check (findings)':34} {c:9.1f} {100:9d} {cr:8.1f} {sys.argv[5]:>10}")
print(f"{'metrics --once (series)':34} {m:9.1f} {'-':>9} {mr:8.1f} {sys.argv[6]:>10}")
P
FLOOR=${FLOOR:-${O:-build}/bench/floor}
[ -x "$FLOOR" ] && printf '%-34s %9s\n' "syscall floor of its sysfs reads" \
	"$("$FLOOR" "$d/r" 1 | sed -n 's/^collect_ms=\([0-9.]*\).*/\1/p')"
echo "(vfscope saw $vfs of 4096 VFs; no guests or namespaces in this tree; a served scrape copies cached text: bench/metrics.sh)"
