#!/bin/bash
# The mailbox probes' event capacity in the lab VM (QEMU TCG, real igb PFs
# and igbvf VFs: tests/lab/README.md), beside bpftrace on the same
# functions: a VF reset storm (MAC changes, VF down/up) at rising rates,
# counted by tracefs kprobes (the ground truth), by each tracer's output and
# loss counter, and by bpf_stats. See bench/lab-mailbox.vm.sh for the storm.
# Prints numbers, asserts nothing; says why when the lab cannot run here.
# LAB_SECS (default 6) seconds a level; LAB_LEVELS, LAB_TOOLS (comma
# lists, see the .vm.sh) narrow it. LAB_KEEP=DIR keeps the VM's output.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
export TOP VFSCOPE=${VFSCOPE:-$TOP/vfscope}
out=${LAB_KEEP:-$(mktemp -d)}; mkdir -p "$out"
[ -n "${LAB_KEEP:-}" ] || trap 'rm -rf $out' EXIT
args="lab.secs=${LAB_SECS:-6}"
[ -n "${LAB_LEVELS:-}" ] && args="$args lab.levels=$LAB_LEVELS"
[ -n "${LAB_TOOLS:-}" ] && args="$args lab.tools=$LAB_TOOLS"
LAB_ARGS="$args" "$TOP/tests/lab/vm-run" --timeout "${LAB_TIMEOUT:-1200}" \
	"$TOP/bench/lab-mailbox.vm.sh" "$out" > "$out/vm-run.log" 2>&1
rc=$?
if [ ! -s "$out/lab-mailbox/steps.txt" ]; then
	if [ $rc = 77 ]; then echo "lab mailbox: skipped: $(tail -n1 "$out/vm-run.log")"
	else echo "lab mailbox: vm-run failed (rc=$rc): $(tail -n3 "$out/vm-run.log" | tr '\n' ' ')"; fi
	exit 0
fi
python3 - "$out/lab-mailbox" <<'PY'
import json, os, re, sys
d = sys.argv[1]
params = dict(l.strip().split("=", 1) for l in open(f"{d}/params.txt") if "=" in l)
steps, order, members = {}, [], {}
for l in open(f"{d}/steps.txt"):
    f = l.split()
    if f and f[0] == "members":
        members[f[1]] = f[2:]; order.append(f[1])
    elif len(f) == 6:
        steps.setdefault(f[0], []).append((int(f[1]), f[2], float(f[3]), float(f[4]), float(f[5])))

def truth(path):
    """Messages the tracers emit: every write, reads that returned 0, set_vf_mac."""
    n, ev = 0, None
    for l in open(path):
        m = re.match(r"== (\S+)", l)
        if m: ev = m.group(1); continue
        if ev in ("w_pf", "w_vf", "smac"):
            m = re.match(r"\s+Hits: (\d+)", l)
            if m: n += int(m.group(1))
        else:
            m = re.match(r"\{ ret:\s+0 \} hitcount:\s+(\d+)", l)
            if m: n += int(m.group(1))
    return n

def progs(path):
    """{id: (type name, run_time_ns, run_cnt)} of every program."""
    r = {}
    for l in open(path):
        m = re.match(r"(\d+): (\S+)\s+name (\S+) ", l)
        if not m: continue
        t = re.search(r"run_time_ns (\d+) run_cnt (\d+)", l)
        r[m.group(1)] = (m.group(2) + " " + m.group(3), int(t.group(1)) if t else 0, int(t.group(2)) if t else 0)
    return r

def lost(path):
    try: return sum(v["value"] for e in json.load(open(path)) for v in e["formatted"]["values"])
    except Exception: return None

def cpu(path):
    try:
        f = open(path).read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / 100.0  # utime + stime, USER_HZ
    except Exception: return None

def received(path, vfs):
    """Event timestamps (s) in a tracer's raw output, and its own summary's lost."""
    evs, own = [], None
    if not os.path.exists(path): return evs, own
    for l in open(path, errors="replace"):
        if vfs:
            if not l.startswith("{"): continue
            o = json.loads(l)
            if "summary" in o: own = o["summary"]["lost"]
            elif o.get("driver"): evs.append(o["ts_mono_ns"] / 1e9)
        else:
            m = re.match(r"(\d+) \d+ (pfw|pfr|vfw|vfr|smac) ", l)
            if m: evs.append(int(m.group(1)) / 1e9)
            elif re.search(r"Lost \d+ events", l): own = (own or 0) + int(re.search(r"Lost (\d+)", l).group(1))
    return evs, own

rows, summ = [], {}
for ph in order:
    st = sorted(steps.get(ph, []))
    snaps = {lv: (truth(f"{d}/snap/{ph}.{lv}.hist"), progs(f"{d}/snap/{ph}.{lv}.progs")) for (lv, *_) in st}
    for (lv, spec, t0, t1, ts) in st[1:]:
        rows.append((ph, "-", lv, spec, t1 - t0, snaps[lv][0] - snaps[lv - 1][0], None, None, 0, 0, None))
    for tool in members[ph]:
        ids = set(open(f"{d}/ids/{ph}.{tool}.progs").read().split())
        evs, own = received(f"{d}/{ph}.{tool}.out", tool.startswith("vfscope"))
        key = (ph, tool)
        tot = {"t": 0, "n": 0, "truth": 0, "rcv": 0}
        pp = {}
        for i in range(1, len(st)):
            lv, spec, t0, t1, ts = st[i]
            pts = st[i - 1][4]
            base = f"{d}/snap/{ph}.{tool}"
            lo = [lost(f"{base}.{x}.lost") if os.path.exists(f"{base}.{x}.lost") else None for x in (lv - 1, lv)]
            cp = [cpu(f"{base}.{x}.stat") for x in (lv - 1, lv)]
            tr = snaps[lv][0] - snaps[lv - 1][0]
            rcv = sum(1 for e in evs if pts < e <= ts)
            dt = dn = 0
            for k in ids:
                a, b = snaps[lv - 1][1].get(k), snaps[lv][1].get(k)
                if not b: continue
                x, y = b[1] - (a[1] if a else 0), b[2] - (a[2] if a else 0)
                dt += x; dn += y
                q = pp.setdefault(b[0], [0, 0]); q[0] += x; q[1] += y
            ol = lo[1] - lo[0] if None not in lo else None
            dc = cp[1] - cp[0] if None not in cp else None
            rows.append((ph, tool, lv, spec, t1 - t0, tr, rcv, ol, dt, dn, dc))
            tot["t"] += dt; tot["n"] += dn; tot["truth"] += tr; tot["rcv"] += rcv
        summ[key] = (tot, pp, own)

print(f"(TCG, one vCPU; kernel {params.get('kernel', '?')}; VFs{params.get('vfs', '')}; {params['secs']} s a level; "
      "truth: tracefs kprobe/kretprobe hist counts of the same functions, reads that returned 0)")
hdr = "%-8s %-5s %-11s %-15s %7s %6s %8s %6s %7s %8s %8s %9s"
print(hdr % ("phase", "level", "storm", "tracer", "events", "ev/s", "received", "lost", "missing", "ns/run", "ns/event", "cpu us/ev"))
for (ph, tool, lv, spec, secs, tr, rcv, ol, dt, dn, dc) in rows:
    print(hdr % (ph, lv, spec, tool, tr, "%.0f" % (tr / secs) if secs > 0 else "-",
                 "-" if rcv is None else rcv, "-" if ol is None else ol, "-" if rcv is None else tr - rcv,
                 "%.0f" % (dt / dn) if dn else "-", "%.0f" % (dt / rcv) if rcv else "-",
                 "%.0f" % (dc * 1e6 / rcv) if rcv and dc is not None else "-"))
print("(events: the truth between the level's snapshots; received: in the tracer's output by timestamp; lost: its own "
      "counter (vfscope's mbx_lost map; bpftrace 0.17 printed none); missing: events - received; ns/run: "
      "run_time_ns/run_cnt of its programs (bpf_stats), ns/event: run_time_ns per event received; cpu: the tracer's "
      "utime+stime per event; stall: the tracers stopped (SIGSTOP) through the storm)")
print()
for (ph, tool), (tot, pp, own) in summ.items():
    mine = [r for r in rows if r[0] == ph and r[1] == tool and not r[3].startswith("stall")]
    clean = [r for r in mine if r[5] == r[6] and not r[7]]
    lossy = [r for r in mine if r[5] != r[6] or r[7]]
    best = max((r[5] / r[4] for r in clean), default=0)
    first = min((r[5] / r[4] for r in lossy), default=None)
    print("%s/%s: no loss up to %.0f events/s%s; %s ns a run, %s ns an event (bpf_stats, every level)" % (
        ph, tool, best, "" if first is None else ", loss from %.0f events/s" % first,
        "%.0f" % (tot["t"] / tot["n"]) if tot["n"] else "-", "%.0f" % (tot["t"] / tot["rcv"]) if tot["rcv"] else "-"))
    for r in rows:
        if r[0] == ph and r[1] == tool and r[3].startswith("stall"):
            print("    consumer stopped through %s: kept %d of %d events (%s lost by its own count)" % (
                r[3], r[6], r[5], "none" if r[7] is None else r[7]))
    for name, (t, n) in sorted(pp.items()):
        if n: print("    %-36s %8.0f ns (%d runs)" % (name, t / n, n))
for ph in order:
    for a, b in (("vfscope", "bpftrace"), ("vfscope-kprobe", "bpftrace")):
        if (ph, a) in summ and (ph, b) in summ:
            x, y = summ[(ph, a)][0], summ[(ph, b)][0]
            if x["rcv"] and y["rcv"] and x["t"] and y["t"]:
                x, y = x["t"] / x["rcv"], y["t"] / y["rcv"]
                print("%s: ns an event, %s / %s: %.0f / %.0f = %.2fx (<1: vfscope costs less)" % (ph, a, b, x, y, x / y))
PY
