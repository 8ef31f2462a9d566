#!/bin/bash
# Scrape latency and memory of `vfscope metrics` serving a synthetic 256-VF
# sysroot, beside prometheus-node-exporter (--path.sysfs on the same tree)
# on 127.0.0.1, both on free ports, scraped the same number of times.
# vfscope serves cached text (collection runs in its own thread), so its
# scrape cost is the copy; node_exporter collects on every scrape.
# Prints numbers and ratios, asserts nothing.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
NE=$(command -v prometheus-node-exporter || command -v node_exporter || true)
d=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf $d' EXIT
"$(dirname "$0")/gen-sysroot" "$d/root" --pfs 4 --vfs 64 --bond
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pv=$(free_port)
"$VFSCOPE" metrics --sysroot "$d/root" --listen 127.0.0.1:$pv --interval 1 2>/dev/null & pids+=($!); vpid=$!
if [ -n "$NE" ]; then
	pn=$(free_port)
	"$NE" --web.listen-address=127.0.0.1:$pn --path.sysfs="$d/root/sys" --collector.textfile.directory="$d" \
		>/dev/null 2>&1 & pids+=($!); npid=$!
fi
wait_up() { for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$1/metrics" && return 0; sleep 0.1; done; return 1; }
wait_up $pv || { echo "vfscope metrics did not come up"; exit 0; }
[ -n "$NE" ] && { wait_up $pn || NE=; }
scrape() { # port n -> mean seconds, bytes
	python3 - "$1" "$2" <<'P'
import sys, time, urllib.request
port, n = sys.argv[1], int(sys.argv[2])
ts, size = [], 0
for _ in range(n):
    t = time.perf_counter()
    size = len(urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read())
    ts.append(time.perf_counter() - t)
ts.sort()
print(f"{sum(ts) / n:.6f} {ts[int(n * 0.99) - 1]:.6f} {size}")
P
}
rss() { awk '/^VmRSS/{print $2}' /proc/$1/status; }
read va vp vs <<<"$(scrape $pv 200)"
vr=$(rss $vpid)
series_v=$(curl -s "http://127.0.0.1:$pv/metrics" | grep -vc '^#')
printf '%-26s %10s %10s %10s %9s %8s\n' "256 VFs, 200 scrapes" "mean ms" "p99 ms" "bytes" "series" "RSS MiB"
printf '%-26s %10.2f %10.2f %10d %9d %8.1f\n' "vfscope metrics" "$(python3 -c "print($va*1000)")" \
	"$(python3 -c "print($vp*1000)")" "$vs" "$series_v" "$(python3 -c "print($vr/1024)")"
if [ -n "$NE" ]; then
	read na np ns <<<"$(scrape $pn 200)"
	nr=$(rss $npid)
	series_n=$(curl -s "http://127.0.0.1:$pn/metrics" | grep -vc '^#')
	printf '%-26s %10.2f %10.2f %10d %9d %8.1f\n' "node_exporter" "$(python3 -c "print($na*1000)")" \
		"$(python3 -c "print($np*1000)")" "$ns" "$series_n" "$(python3 -c "print($nr/1024)")"
	python3 -c "print(f'ratio vfscope/node_exporter: latency {$va/$na:.2f}x, p99 {$vp/$np:.2f}x, RSS {$vr/$nr:.2f}x')"
else
	echo "prometheus-node-exporter not installed: no comparison"
fi
t0=$(date +%s.%N); "$VFSCOPE" metrics --once --sysroot "$d/root" >/dev/null; t1=$(date +%s.%N)
python3 -c "print(f'one collection + render (--once): {($t1-$t0)*1000:.1f} ms')"
