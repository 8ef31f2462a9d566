#!/bin/bash
# Collection cost as VFs grow, beside its syscall floor; and a live
# snapshot (whole process) beside `ip -d -j link show`.
# Prints numbers, asserts nothing.
#
# Sysroot rows: bench/gen-sysroot trees of 8 .. 4096 VFs (4 PFs, and 16 PFs
# x 256 for 4096). bench/floor does exactly the opens, reads, readlinks,
# "is there" tests and listings whose results the model uses, the plainest
# way; bench/collect_loop runs vfscope's sysfs reader (collectors/sysfs.c)
# over the same tree. Both in-process, ROUNDS collections a run, the two
# runs interleaved 3 times (median): the machine is shared, pairs measured
# minutes apart are not comparable. Syscalls counted with perf stat (the
# raw_syscalls tracepoint) or strace -c: one collection's, start-up subtracted.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
O=${O:-build}
FLOOR=${FLOOR:-$O/bench/floor} LOOP=${LOOP:-$O/bench/collect_loop}
d=$(mktemp -d); trap 'rm -rf $d' EXIT
med() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
sc() { # cmd... -> syscalls of the whole run (perf's tracepoint count; strace -c where perf cannot)
	if perf stat -e raw_syscalls:sys_enter -x, -o "$d/sc" "$@" >/dev/null 2>&1 && grep -q '^[0-9]' "$d/sc"; then
		awk -F, '/raw_syscalls/ { print $1 }' "$d/sc"
	else
		strace -f -c -o "$d/sc" "$@" >/dev/null 2>&1
		awk '$NF != "total" && $1 ~ /^[0-9.]+$/ && NF >= 5 { s += $4 } END { print s + 0 }' "$d/sc"
	fi
}
if [ -x "$FLOOR" ] && [ -x "$LOOP" ]; then
	printf '%-22s %9s %9s %7s %11s %11s %7s %9s\n' "sysfs collection" "floor ms" "vfscope" "ratio" \
		"floor sc/VF" "vfscope" "ratio" "us/VF"
	for spec in 8:4 64:4 256:4 1024:4 4096:16; do
		vfs=${spec%:*} pfs=${spec#*:}
		rm -rf "$d/r"
		if [ "$vfs" = 4096 ] && [ -d "${BENCH_TREE_4096:-}" ]; then ln -s "$BENCH_TREE_4096" "$d/r"
		else "$(dirname "$0")/gen-sysroot" "$d/r" --pfs "$pfs" --vfs $((vfs / pfs)) --bond; fi
		rounds=$((vfs >= 2048 ? 1 : 2048 / vfs))
		"$LOOP" "$d/r" 1 sysfs >/dev/null # warm the dentry cache
		fl= vl= seen=
		for _ in 1 2 3; do
			fl="$fl $("$FLOOR" "$d/r" $rounds | sed -n 's/^collect_ms=\([0-9.]*\).*/\1/p')"
			o=$("$LOOP" "$d/r" $rounds sysfs)
			vl="$vl $(echo "$o" | sed -n 's/^sysfs_ms=\([0-9.]*\).*/\1/p')"
			seen=$(echo "$o" | sed -n 's/.* vfs=\([0-9]*\).*/\1/p')
		done
		f=$(echo $fl | med) v=$(echo $vl | med)
		if command -v perf >/dev/null || command -v strace >/dev/null; then
			fs=$(($(sc "$FLOOR" "$d/r" 1) - $(sc "$FLOOR" "$d/r" 0)))
			vs=$(($(sc "$LOOP" "$d/r" 1 sysfs) - $(sc "$LOOP" "$d/r" 0 sysfs)))
		else
			fs=0 vs=0
		fi
		python3 - "$vfs" "$pfs" "$f" "$v" "$fs" "$vs" "$seen" <<'P'
import sys
vfs, pfs = int(sys.argv[1]), int(sys.argv[2]); f, v = float(sys.argv[3]), float(sys.argv[4])
fs, vs, seen = int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
sr = f"{vs / fs:6.2f}x" if fs else "    n/a"
print(f"{f'{vfs} VFs ({pfs} PFs)':22} {f:9.2f} {v:9.2f} {v / f:6.2f}x {fs / vfs:11.1f} {vs / vfs:11.1f} {sr} {1000 * v / vfs:9.1f}"
      + ("" if seen == str(vfs) else f"  (vfscope saw {seen} VFs)"))
P
	done
	echo "(floor: plain paths, links not confined to the tree; vfscope resolves them inside it, openat2 RESOLVE_IN_ROOT)"
else
	echo "sysfs collection: $FLOOR or $LOOP not built (make bench builds them)"
fi
echo
printf '%-28s %12s %12s %8s\n' "live, whole process" "vfscope ms" "ip ms" "ratio"
# Round-robin: one run of each command a round, 30 rounds, so that other
# work on the machine falls on all of them alike. Microseconds from bash's
# EPOCHREALTIME (no fork around the timed command).
# ip sees only its own namespace; vfscope reads every other one too (pods,
# ip netns): the --no-netns row compares like with like on a host that has
# other namespaces (counted below). LIVE_ROUNDS (default 30).
cmds=("$VFSCOPE snapshot --json" "ip -d -j link show" "$VFSCOPE --version" "ip -V"
      "$VFSCOPE snapshot --json --no-kmsg" "$VFSCOPE snapshot --json --no-netns"
      "$VFSCOPE snapshot --json --no-netns --no-kmsg")
tot=(0 0 0 0 0 0 0) rounds=${LIVE_ROUNDS:-30}
for _ in $(seq $rounds); do
	for i in "${!cmds[@]}"; do
		t0=$EPOCHREALTIME; ${cmds[$i]} >/dev/null 2>&1; t1=$EPOCHREALTIME
		tot[$i]=$((tot[$i] + ${t1/./} - ${t0/./}))
	done
done
row() { python3 -c 'import sys; a, b, n = (float(x) for x in sys.argv[2:5]); print(f"{sys.argv[1]:<28} {a/n/1000:12.2f} {b/n/1000:12.2f} {a/b:7.2f}x")' "$@"; }
row "snapshot --json / ip -d -j" "${tot[0]}" "${tot[1]}" $rounds
row "  without the kernel log" "${tot[4]}" "${tot[1]}" $rounds
row "  without other namespaces" "${tot[5]}" "${tot[1]}" $rounds
row "  without both" "${tot[6]}" "${tot[1]}" $rounds
row "--version / ip -V" "${tot[2]}" "${tot[3]}" $rounds
nsn=$(stat -L -c %i /proc/[0-9]*/ns/net /run/netns/* 2>/dev/null | sort -u | wc -l)
echo "(this host: $(ls /sys/class/net | wc -l) netdevs, $((nsn > 0 ? nsn - 1 : 0)) other network namespaces, $(dmesg 2>/dev/null | wc -l) kernel log records; shared objects at start: vfscope $(ldd "$VFSCOPE" | wc -l), ip $(ldd "$(command -v ip)" | wc -l))"
for o in "" --no-netlink --no-kmsg; do
	c=$(for _ in $(seq 10); do "$VFSCOPE" snapshot --json $o; done 2>/dev/null |
		python3 -c 'import sys, re; v=[float(x) for x in re.findall(r"\"collect_ms\": *([0-9.]+)", sys.stdin.read())]; print(f"{sum(v)/len(v):.2f}" if v else "?")')
	printf '%-28s %12s\n' "collect_ms${o:+ $o}" "$c"
done
# CPU beside the wall time: the kernel log is read in a thread while the rest
# is collected (collectors/kmsg.c), which the wall time hides and the CPU
# time does not. perf stat's task-clock (all threads), 20 runs each.
if command -v perf >/dev/null; then
	cpu() { perf stat -r 20 -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ { printf "%.2f", $1 }'; }
	printf '%-28s %12s %12s\n' "CPU ms (task-clock)" "vfscope" "ip"
	printf '%-28s %12s %12s\n' "snapshot --json / ip -d -j" "$(cpu $VFSCOPE snapshot --json)" "$(cpu ip -d -j link show)"
	printf '%-28s %12s\n' "  without the kernel log" "$(cpu $VFSCOPE snapshot --json --no-kmsg)"
	printf '%-28s %12s\n' "  without other namespaces" "$(cpu $VFSCOPE snapshot --json --no-netns)"
	printf '%-28s %12s\n' "  without both" "$(cpu $VFSCOPE snapshot --json --no-netns --no-kmsg)"
	printf '%-28s %12s %12s\n' "--version / ip -V" "$(cpu $VFSCOPE --version)" "$(cpu ip -V)"
fi
echo "(the kernel log is read from /dev/kmsg, one read() a record: the kernel formats each; in a thread beside sysfs and netlink)"
echo "(the lab's 2 PFs x 7 VFs comparison: the lab_netlink section)"
