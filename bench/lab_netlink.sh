#!/bin/bash
# Live netlink collection on the lab's 2 PFs x 7 VFs (a QEMU VM, TCG: see
# tests/lab/README.md) beside `ip -d -j link show`, timed inside the VM.
# Prints numbers, asserts nothing; prints why when the lab cannot run here.
# LAB_ITERS (default 40) runs of each command.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
export TOP VFSCOPE=${VFSCOPE:-$TOP/vfscope}
out=$(mktemp -d); trap 'rm -rf $out' EXIT
LAB_ARGS="lab.iters=${LAB_ITERS:-40}" "$TOP/tests/lab/vm-run" --timeout 900 \
	"$TOP/bench/lab-netlink.vm.sh" "$out" > "$out/vm-run.log" 2>&1
rc=$?
if [ ! -s "$out/lab-netlink.txt" ]; then
	if [ $rc = 77 ]; then echo "lab netlink: skipped: $(tail -n1 "$out/vm-run.log")"
	else echo "lab netlink: vm-run failed (rc=$rc): $(tail -n3 "$out/vm-run.log" | tr '\n' ' ')"; fi
	exit 0
fi
python3 - "$out/lab-netlink.txt" "$out/lab-snapshot.json" <<'PY'
import json, sys
v = dict(l.strip().split("=", 1) for l in open(sys.argv[1]) if "=" in l)
ms = lambda k: int(v[k]) / 1000.0
try:
    snap = json.load(open(sys.argv[2]))
    seen = sum(len(p["vfs"]) for p in snap["pfs"])
    nl = [s["status"] for s in snap["sources"] if s["name"] == "netlink"][0]
except Exception as e:
    seen, nl = "?", "unreadable snapshot (%s)" % e
title = "lab (2 PFs x 7 VFs, %s netdevs)" % v["netdevs"]
print("%-40s %12s %12s %8s" % (title, "vfscope ms", "ip -d -j ms", "ratio"))
row = lambda name, a, b: print("%-40s %12.1f %12.1f %7.2fx" % (name, a, b, a / b if b else float("nan")))
row("whole run (snapshot --json / ip)", ms("vfscope_snapshot"), ms("ip_link"))
row("process start (--version / ip -V)", ms("vfscope_start"), ms("ip_start"))
row("minus start", ms("vfscope_snapshot") - ms("vfscope_start"), ms("ip_link") - ms("ip_start"))
print("%-40s %12.1f" % ("snapshot --no-kmsg", ms("vfscope_no_kmsg")))
print("%-40s %12.1f" % ("snapshot --no-netlink", ms("vfscope_no_netlink")))
print("%-40s %12.1f" % ("snapshot --no-netlink --no-kmsg", ms("vfscope_no_netlink_kmsg")))
print("%-40s %12.2f  (in-process, collect_ms)" % ("collection, all sources", int(v["collect_us"]) / 1000.0))
print("%-40s %12.2f" % ("collection without netlink", int(v["collect_us_no_netlink"]) / 1000.0))
print("(%s rounds, each command once a round, TCG one vCPU, /proc/uptime ticks; vfscope saw %s of %s VFs, netlink %s; %s kernel log lines)"
      % (v["iters"], seen, v["vfs"], nl, v.get("kmsg_records", "?")))
PY
