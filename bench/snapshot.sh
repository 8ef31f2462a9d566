#!/bin/bash
# Snapshot cost as VFs grow, beside the floor of just reading the same files
# with cat; and live netlink collection beside `ip -d -j link show`.
# Prints numbers, asserts nothing.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
d=$(mktemp -d); trap 'rm -rf $d' EXIT
ms() { python3 -c 'import sys; print(f"{float(sys.argv[1])*1000:.1f}")' "$1"; }
timeit() { # runs cmd N times, prints seconds per run
	local n=$1; shift
	local t0=$(date +%s.%N)
	for _ in $(seq "$n"); do "$@" >/dev/null 2>&1; done
	python3 -c "import sys; print((float(sys.argv[2])-float(sys.argv[1]))/int(sys.argv[3]))" "$t0" "$(date +%s.%N)" "$n"
}
printf '%-28s %12s %12s %8s\n' "snapshot --sysroot" "vfscope ms" "cat ms" "ratio"
for vfs in 8 64 256 1024; do
	pfs=4; per=$((vfs / pfs))
	"$(dirname "$0")/gen-sysroot" "$d/r$vfs" --pfs $pfs --vfs $per --bond
	n=$((vfs >= 256 ? 5 : 20))
	a=$(timeit $n "$VFSCOPE" snapshot --json --sysroot "$d/r$vfs")
	# The floor: read every regular file of the tree once (what any reader must do).
	b=$(timeit $n sh -c "find '$d/r$vfs' -type f -print0 2>/dev/null | xargs -0 cat")
	printf '%-28s %12s %12s %8s\n' "$vfs VFs ($pfs PFs)" "$(ms "$a")" "$(ms "$b")" \
		"$(python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}x')" "$a" "$b")"
done
echo
printf '%-28s %12s %12s %8s\n' "live netlink" "vfscope ms" "ip -d -j ms" "ratio"
# Round-robin: one run of each command a round, 30 rounds, so that other
# work on the machine falls on all of them alike. Microseconds from bash's
# EPOCHREALTIME (no fork around the timed command).
cmds=("$VFSCOPE snapshot --json" "ip -d -j link show" "$VFSCOPE --version" "ip -V")
tot=(0 0 0 0) rounds=30
for _ in $(seq $rounds); do
	for i in "${!cmds[@]}"; do
		t0=$EPOCHREALTIME; ${cmds[$i]} >/dev/null 2>&1; t1=$EPOCHREALTIME
		tot[$i]=$((tot[$i] + ${t1/./} - ${t0/./}))
	done
done
row() { python3 -c 'import sys; a, b, n = (float(x) for x in sys.argv[2:5]); print(f"{sys.argv[1]:<28} {a/n/1000:12.1f} {b/n/1000:12.1f} {a/b:7.2f}x")' "$@"; }
row "this host ($(ls /sys/class/net | wc -l) netdevs)" "${tot[0]}" "${tot[1]}" $rounds
# Where the time goes: process start (loading and initialising every shared
# object ldd lists: counted in the row) and the collection itself
# (collect_ms, measured inside vfscope).
row "start, $(ldd "$VFSCOPE" | wc -l)/$(ldd "$(command -v ip)" | wc -l) objects" "${tot[2]}" "${tot[3]}" $rounds
for o in "" --no-netlink; do
	c=$(for _ in $(seq 10); do "$VFSCOPE" snapshot --json $o; done 2>/dev/null |
		python3 -c 'import sys, re; v=[float(x) for x in re.findall(r"\"collect_ms\": *([0-9.]+)", sys.stdin.read())]; print(f"{sum(v)/len(v):.2f}")')
	printf '%-28s %12s\n' "collect_ms${o:+ $o}" "$c"
done
echo "(the lab's 2 PFs x 7 VFs comparison: the lab_netlink section)"
