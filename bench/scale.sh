#!/bin/bash
# check and metrics at 4096 VFs (16 PFs x 256) with 64 Kubernetes pods'
# network namespaces (bench/gen-sysroot --netns 64: each pod an
# active-backup bond over two VFs of two PFs, in the sysroot layout of
# docs/netns.md): whole process wall time (median of 3, interleaved),
# peak RSS (/usr/bin/time), syscalls (perf stat's raw_syscalls tracepoint,
# exact whatever the load), the number of findings and of metric series,
# and a served scrape; beside the syscall floor of the same reads
# (bench/floor). Goals (issue 17): check under 100 ms, one metrics scrape
# under 5 ms, RSS under 32 MiB, series bounded.
# Knobs: ROUNDS (3), SCRAPES (50), NETNS (64), SCALE_TREE.
# Prints numbers, asserts nothing.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
NETNS=${NETNS:-64} ROUNDS=${ROUNDS:-3} SCRAPES=${SCRAPES:-50}
FLOOR=${FLOOR:-${O:-build}/bench/floor}
d=$(mktemp -d); spid=
trap '[ -n "$spid" ] && kill $spid 2>/dev/null; wait 2>/dev/null; rm -rf $d' EXIT
# SCALE_TREE: a tree made before by the same gen-sysroot command (reused)
if [ -d "${SCALE_TREE:-}" ]; then ln -s "$SCALE_TREE" "$d/r"
else "$(dirname "$0")/gen-sysroot" "$d/r" --pfs 16 --vfs 256 --bond --netns "$NETNS"; fi
med() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # cmd... -> "wall_us rss_kib cpu_ms" (CPU: user + system, what load inflates least)
	local t0 t1 rss u s
	/usr/bin/time -f '%M %U %S' -o "$d/rss" "$@" > "$d/out" 2>/dev/null
	t0=$EPOCHREALTIME; "$@" >/dev/null 2>&1; t1=$EPOCHREALTIME
	read -r rss u s < "$d/rss"
	echo "$(( ${t1/./} - ${t0/./} )) $rss $(python3 -c "print(round(1000 * ($u + $s)))")"
}
sc() { # cmd... -> syscalls of the whole run, or ?
	perf stat -e raw_syscalls:sys_enter -x, -o "$d/sc" "$@" >/dev/null 2>&1 &&
		awk -F, '/raw_syscalls/ { print $1; f = 1 } END { if (!f) print "?" }' "$d/sc" || echo "?"
}
C=(check --sysroot "$d/r" --no-kmsg) M=(metrics --once --sysroot "$d/r" --no-kmsg)
"$VFSCOPE" "${C[@]}" >/dev/null 2>&1 # warm the dentry cache
cms= mms= fms= crss= mrss= ccpu= mcpu= fcpu=
for _ in $(seq "$ROUNDS"); do
	read t r u <<<"$(run "$VFSCOPE" "${C[@]}")"; cms="$cms $t"; crss=$r ccpu="$ccpu $u"
	read t r u <<<"$(run "$VFSCOPE" "${M[@]}")"; mms="$mms $t"; mrss=$r mcpu="$mcpu $u"
	if [ -x "$FLOOR" ]; then
		read t r u <<<"$(run "$FLOOR" "$d/r" 1)"; fcpu="$fcpu $u"
		fms="$fms $(sed -n 's/^collect_ms=\([0-9.]*\).*/\1/p' "$d/out")"
	fi
done
findings=$("$VFSCOPE" check --json --sysroot "$d/r" --no-kmsg 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); f=d.get("findings", d) if isinstance(d, dict) else d; print(len(f))' 2>/dev/null || echo "?")
series=$("$VFSCOPE" "${M[@]}" 2>/dev/null | grep -vc '^#')
read vfs ns used <<<"$("$VFSCOPE" snapshot --json --sysroot "$d/r" --no-kmsg 2>/dev/null | python3 -c '
import json, sys
d = json.load(sys.stdin)
vfs = [v for p in d["pfs"] for v in p["vfs"]]
print(len(vfs), sum(1 for g in d.get("guests", []) if g.get("role") == "netns"),
      sum(1 for v in vfs if v.get("used_by")))' 2>/dev/null || echo "? ? ?")"
csc=$(sc "$VFSCOPE" "${C[@]}") msc=$(sc "$VFSCOPE" "${M[@]}") fsc="?"
[ -x "$FLOOR" ] && fsc=$(sc "$FLOOR" "$d/r" 1)
# One served scrape: the exporter collects on its own interval and a
# scrape copies the cached text (bench/metrics.sh at 256 VFs).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$VFSCOPE" metrics --sysroot "$d/r" --no-kmsg --listen 127.0.0.1:$port --interval 3600 >/dev/null 2>&1 & spid=$!
scrape=$(python3 - "$port" "$SCRAPES" <<'P'
import sys, time, urllib.request
port, n = sys.argv[1], int(sys.argv[2])
url = f"http://127.0.0.1:{port}/metrics"
deadline = time.time() + 60
while True:  # up once a collection has been rendered (it has series)
    try:
        if b"vfscope_vf_info" in urllib.request.urlopen(url, timeout=5).read():
            break
    except Exception:
        pass
    if time.time() > deadline:
        print("? ? ? ?")
        sys.exit(0)
    time.sleep(0.2)
out = []
for enc in ("identity", "gzip"):  # Prometheus asks for gzip
    ts, size = [], 0
    for _ in range(n):
        t0 = time.perf_counter()
        rq = urllib.request.Request(url, headers={"Accept-Encoding": enc})
        size = len(urllib.request.urlopen(rq, timeout=5).read())
        ts.append(time.perf_counter() - t0)
    ts.sort()
    out.append(f"{1000 * ts[len(ts) // 2]:.2f} {size}")
print(" ".join(out))
P
)
srss=$(awk '/VmHWM/ { print $2 }' /proc/$spid/status 2>/dev/null || echo 0)
kill $spid 2>/dev/null; wait $spid 2>/dev/null; spid=
printf '%-38s %8s %7s %7s %7s %9s %9s\n' "4096 VFs (16 PFs x 256), $NETNS netns" "ms" "CPU ms" "goal" "RSS MiB" "count" "syscalls"
python3 - "$(echo $cms | med)" "$(echo $mms | med)" "$crss" "$mrss" "$findings" "$series" \
	"$(echo $fms | med)" "$csc" "$msc" "$fsc" "${srss:-0}" "$(echo $ccpu | med)" "$(echo $mcpu | med)" \
	"$(echo $fcpu | med)" $scrape <<'P'
import sys
a = sys.argv
c, m = int(a[1]) / 1000, int(a[2]) / 1000
cr, mr = int(a[3]) / 1024, int(a[4]) / 1024
f = float(a[7]) if a[7] else None
csc, msc, fsc = a[8], a[9], a[10]
cc, mc, fc = a[12], a[13], a[14] or "-"
s_plain, s_plain_b, s_gz, s_gz_b = (a[15:19] + ["?"] * 4)[:4]
print(f"{'check (findings)':38} {c:8.1f} {cc:>7} {100:7d} {cr:7.1f} {a[5]:>9} {csc:>9}")
print(f"{'metrics --once (series)':38} {m:8.1f} {mc:>7} {'-':>7} {mr:7.1f} {a[6]:>9} {msc:>9}")
print(f"{'metrics, a served scrape (bytes)':38} {s_plain:>8} {'':>7} {5:7d} {int(a[11]) / 1024:7.1f} {s_plain_b:>9}")
print(f"{'  same, gzip (as Prometheus asks)':38} {s_gz:>8} {'':>7} {5:7d} {'':>7} {s_gz_b:>9}")
if f is not None:
    print(f"{'syscall floor of the same reads':38} {f:8.1f} {fc:>7} {'-':>7} {'':>7} {'':>9} {fsc:>9}")
    ratio = lambda x, y: f"{x / y:.2f}x" if y else "n/a"
    scr = f"{int(csc) / int(fsc):.2f}x" if csc.isdigit() and fsc.isdigit() and int(fsc) else "n/a"
    print(f"check / floor: {ratio(c, f)} in time, {scr} in syscalls; "
          + ("the 100 ms goal is met" if c < 100 else
             f"the 100 ms goal is missed by {c - 100:.0f} ms" +
             (f", and the floor alone ({f:.0f} ms) is over it: sysfs files bound it" if f >= 100 else "")))
P
echo "(vfscope saw $vfs of 4096 VFs, $ns of $NETNS namespaces, $used of $((2 * NETNS)) pod VFs linked to their pod;"
echo " times are whole processes; the floor's is in-process, one collection: bench/floor)"
