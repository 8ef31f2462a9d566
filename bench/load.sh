#!/bin/bash
# Serving under attack (docs/reliability.md): a real Prometheus scrapes,
# every second, `vfscope metrics` on a synthetic 256-VF sysroot and
# prometheus-node-exporter (--path.sysfs on the same tree), while each in
# turn is attacked for LOAD_SECONDS (default 60) by tests/live/http_attack.py:
# 500 connections trickling header bytes, 200 clients hammering /metrics
# and 8 sending junk (oversized headers, a 1 MiB request line, garbage,
# unknown methods, a huge POST). Each target is attacked once per address
# of LOAD_FROM (default "127.0.0.1 127.0.0.2"): from 127.0.0.1, the
# address Prometheus scrapes from (the worst case: nothing tells the
# attacker from the scraper by address), and from 127.0.0.2 (an attacker
# on another host). Per row: scrapes Prometheus made and how many
# answered (up), its scrape duration p50/p99 (scrape_duration_seconds),
# RSS and open descriptors (peak and after), a scrape's time right after,
# the 1-minute load average at the end of the attack (other jobs on the
# machine move these numbers), and ctl_p99: in the same window, the p99 of
# a second vfscope on the same sysroot that nobody attacks (the floor the
# machine's CPU contention alone gives a scrape). VFSCOPE_OLD=BINARY adds a row for
# another vfscope build (e.g. one before the connection guard).
# Loopback only; numbers only, asserts nothing.
set -u
cd "$(dirname "$0")/.."
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
SECS=${LOAD_SECONDS:-60}
A=$PWD/tests/live/http_attack.py
NE=$(command -v prometheus-node-exporter || command -v node_exporter || true)
PROM=$(command -v prometheus || true)
[ -n "$PROM" ] || { echo "prometheus not installed: skipped"; exit 0; }
d=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf $d' EXIT
bench/gen-sysroot "$d/root" --pfs 4 --vfs 64 --bond
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
names=() ports=() tpids=()
add() { names+=("$1"); ports+=("$2"); tpids+=("$3"); }
p=$(free_port)
"$VFSCOPE" metrics --sysroot "$d/root" --listen 127.0.0.1:$p --interval 15 2>/dev/null & pids+=($!)
add vfscope $p $!
pc=$(free_port) # the control: scraped, never attacked
"$VFSCOPE" metrics --sysroot "$d/root" --listen 127.0.0.1:$pc --interval 15 2>/dev/null & pids+=($!)
if [ -n "${VFSCOPE_OLD:-}" ]; then
	p=$(free_port)
	"$VFSCOPE_OLD" metrics --sysroot "$d/root" --listen 127.0.0.1:$p --interval 15 2>/dev/null & pids+=($!)
	add vfscope-old $p $!
fi
if [ -n "$NE" ]; then
	p=$(free_port)
	"$NE" --web.listen-address=127.0.0.1:$p --path.sysfs="$d/root/sys" --collector.textfile.directory="$d" \
		>/dev/null 2>&1 & pids+=($!)
	add node_exporter $p $!
fi
pp=$(free_port)
{
	echo "global: { scrape_interval: 1s, scrape_timeout: 1s }"
	echo "scrape_configs:"
	for i in "${!names[@]}"; do
		echo "  - { job_name: ${names[$i]}, static_configs: [ { targets: [\"127.0.0.1:${ports[$i]}\"] } ] }"
	done
	echo "  - { job_name: control, static_configs: [ { targets: [\"127.0.0.1:$pc\"] } ] }"
} >"$d/prom.yml"
"$PROM" --config.file="$d/prom.yml" --storage.tsdb.path="$d/tsdb" --web.listen-address=127.0.0.1:$pp \
	>"$d/prom.log" 2>&1 & pids+=($!)
q() { # promql at unix time -> value
	curl -s --get "http://127.0.0.1:$pp/api/v1/query" --data-urlencode "query=$1" --data-urlencode "time=$2" |
		python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1] if r else "nan")' 2>/dev/null
}
for _ in $(seq 120); do
	[ "$(q 'count(up == 1)' "$(date +%s)")" = "$((${#names[@]} + 1))" ] && break
	sleep 0.5
done
FROM=${LOAD_FROM:-127.0.0.1 127.0.0.2}
echo "Prometheus $("$PROM" --version 2>&1 | awk 'NR==1{print $3}'), scraping every 1 s from 127.0.0.1; attack ${SECS} s per row: 500 slow, 200 hammering, 8 junk"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-14s %-10s %8s %8s %8s %8s %9s %9s %7s %7s %9s %5s %8s\n' target attack_from scrapes answered p50_ms p99_ms rss_kB rss_peak fds fds_pk after_ms load ctl_p99
for i in "${!names[@]}"; do
for src in $FROM; do
	n=${names[$i]} port=${ports[$i]} pid=${tpids[$i]}
	t0=$(date +%s)
	python3 "$A" attack $port $SECS --slow 500 --hammer 200 --junk 8 --src $src 2>"$d/attack.$n" &
	ap=$!
	rpk=0 fpk=0
	while kill -0 $ap 2>/dev/null; do
		r=$(awk '/^VmRSS/{print $2}' /proc/$pid/status 2>/dev/null || echo 0)
		f=$(ls /proc/$pid/fd 2>/dev/null | wc -l)
		[ "$r" -gt $rpk ] && rpk=$r
		[ "$f" -gt $fpk ] && fpk=$f
		sleep 1
	done
	t1=$(date +%s) la=$(cut -d' ' -f1 /proc/loadavg)
	after=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/metrics" | awk '{printf "%.1f", $1 * 1000}')
	sleep 6 # the slow connections reach their deadlines; Prometheus writes the last samples
	r=$(awk '/^VmRSS/{print $2}' /proc/$pid/status) f=$(ls /proc/$pid/fd | wc -l)
	w=$((t1 - t0))
	total=$(q "count_over_time(up{job=\"$n\"}[${w}s])" $t1)
	ok=$(q "sum_over_time(up{job=\"$n\"}[${w}s])" $t1)
	p50=$(q "quantile_over_time(0.5, scrape_duration_seconds{job=\"$n\"}[${w}s]) * 1000" $t1)
	p99=$(q "quantile_over_time(0.99, scrape_duration_seconds{job=\"$n\"}[${w}s]) * 1000" $t1)
	c99=$(q "quantile_over_time(0.99, scrape_duration_seconds{job=\"control\"}[${w}s]) * 1000" $t1)
	printf '%-14s %-10s %8s %8s %8.1f %8.1f %9s %9s %7s %7s %9s %5s %8.1f\n' $n $src ${total%.*} ${ok%.*} $p50 $p99 $r $rpk $f $fpk $after $la $c99
	echo "               ($(cat "$d/attack.$n"))"
done
done
