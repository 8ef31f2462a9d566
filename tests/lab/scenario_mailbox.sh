#!/bin/bash
# eBPF mailbox probes in the lab VM (kernel 6.12, igb PF, igbvf VFs): an admin
# MAC, a VF reset, a MAC change the PF refuses (NACK) and, after trust on,
# accepts (ACK) show up in `vfscope trace --json` with VF index 0 and the
# right igb message types (E1000_VF_RESET 0x01, E1000_VF_SET_MAC_ADDR 0x02;
# ACK 0x80000000, NACK 0x40000000, CTS 0x20000000 in word 0), on the PF side
# (igb) and on the VF side (igbvf).
# LAB_KEEP=DIR keeps the VM's output there; the raw words it recorded go to
# tests/decoders/mbx/{igb,igbvf}-lab.txt with LAB_SAVE_WORDS=1.
set -u
. "$TOP/tests/lib.sh"
out=${LAB_KEEP:-$(mktemp -d)}; mkdir -p "$out"
[ -n "${LAB_KEEP:-}" ] || trap 'rm -rf $out' EXIT
"$TOP/tests/lab/vm-run" --timeout 400 "$TOP/tests/lab/scenarios/mailbox.sh" "$out"; rc=$?
[ $rc = 77 ] && exit 77
d=$out/mailbox
[ -s "$d/trace.json" ] || fail "no trace.json (vm-run rc=$rc); $(tail -n 5 "$out/console.log" 2>/dev/null)"
if [ "${LAB_SAVE_WORDS:-0}" = 1 ]; then
	for drv in igb igbvf; do
		python3 - "$d/trace.json" $drv > "$TOP/tests/decoders/mbx/$drv-lab.txt" <<'PY'
import json, sys
drv = sys.argv[2]
side = "igb_read_mbx_pf/igb_write_mbx_pf" if drv == "igb" else "e1000_read_mbx_vf/e1000_write_mbx_vf, vf -1: unknown to a VF"
print(f"# {drv} mailbox words recorded by vfscope trace in the lab VM (tests/lab/scenario_mailbox.sh, {side}):")
print("# driver dir vf w0 w1 ... (hex)")
for l in open(sys.argv[1]):
    o = json.loads(l)
    if o.get("kind") != "mailbox" or not o.get("words") or o.get("driver") != drv: continue
    d = {"vf_to_pf": "vf2pf", "pf_to_vf": "pf2vf"}[o["dir"]]
    print(o["driver"], d, o.get("vf", -1), " ".join(w[2:] for w in o["words"]))
PY
	done
fi
python3 - "$d" <<'PY' || fail "mailbox events"
import json, sys
d = sys.argv[1]
evs, summ = [], None
for l in open(d + "/trace.json"):
    o = json.loads(l)
    if "summary" in o: summ = o["summary"]
    else: evs.append(o)
steps = {}
for l in open(d + "/steps.txt"):
    f = l.split()
    if f[0] == "STEP": steps[f[1]] = float(f[2]) * 1e9
def step_of(e):
    t = e["ts_mono_ns"]; cur = None
    for n, s in sorted(steps.items(), key=lambda x: x[1]):
        if t >= s - 20e6: cur = n  # /proc/uptime has 10 ms steps
    return cur
bad = []
def need(what, ok):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok: bad.append(what)
probes = {p["name"]: p for p in summ["probes"]}
for n in ("igb_read_mbx_pf", "igb_write_mbx_pf", "igb_set_vf_mac"):
    need(n + " attached", probes.get(n, {}).get("state") == "attached")
need("nothing lost", summ["lost"] == 0)
mb = [e for e in evs if e.get("vf") == 0 and e["kind"] in ("mailbox", "vf_reset")]
for e in mb: print(step_of(e), e.get("probe"), e.get("dir"), e.get("result"), " ".join(e.get("words", [])), e.get("text", ""))
def w0(e): return int(e["words"][0], 16) if e.get("words") else None
def find(step, pred):
    return [e for e in mb if step_of(e) == step and pred(e)]
need("1: igb_set_vf_mac vf 0 02:00:00:00:00:c0",
     find("1-set-mac", lambda e: e["probe"] == "igb_set_vf_mac" and "02:00:00:00:00:c0" in e["text"]))
# igb_vf_reset is in 6.12's kallsyms but its kprobe fails with EINVAL in the
# lab (the perf kprobe is refused); the probe must then say so, and the
# reset is still seen as the VF's E1000_VF_RESET message below.
vr = probes.get("igb_vf_reset", {})
if vr.get("state") == "attached":
    need("2: igb_vf_reset vf 0", find("2-vf-reset", lambda e: e["kind"] == "vf_reset"))
else:
    need("igb_vf_reset unavailable with a reason: " + vr.get("reason", ""), vr.get("state") == "unavailable" and vr.get("reason"))
need("2: VF_RESET read from vf 0",
     find("2-vf-reset", lambda e: e.get("dir") == "vf_to_pf" and (w0(e) or 0) & 0xffff == 0x01))
rst = find("2-vf-reset", lambda e: e.get("dir") == "pf_to_vf" and (w0(e) or 0) & 0xffff == 0x01)
need("2: RESET|ACK written to vf 0 with the admin MAC",
     # the MAC as little-endian bytes: 02 00 00 00 | 00 c0
     any(e.get("result") == "ack" and len(e["words"]) >= 3 and int(e["words"][1], 16) == 0x00000002
         and int(e["words"][2], 16) == 0x0000c000 for e in rst))
need("3: SET_MAC_ADDR read from vf 0",
     find("3-refused", lambda e: e.get("dir") == "vf_to_pf" and (w0(e) or 0) & 0xffff == 0x02))
need("3: SET_MAC_ADDR|NACK written to vf 0",
     find("3-refused", lambda e: e.get("dir") == "pf_to_vf" and (w0(e) or 0) & 0xffff == 0x02 and e.get("result") == "nack"))
need("4: SET_MAC_ADDR|ACK written to vf 0 (trusted)",
     find("4-trusted", lambda e: e.get("dir") == "pf_to_vf" and (w0(e) or 0) & 0xffff == 0x02 and e.get("result") == "ack"))
# VF side (igbvf's e1000_read_mbx_vf/e1000_write_mbx_vf; vf -1: a VF does not
# know its index): the VF's request and the NACK it read back.
if probes.get("e1000_read_mbx_vf", {}).get("state") == "attached":
    vfs = [e for e in evs if e.get("driver") == "igbvf" and step_of(e) == "3-refused"]
    for e in vfs: print("vf side:", e.get("probe"), e.get("dir"), e.get("result"), " ".join(e.get("words", [])[:3]))
    need("3: igbvf wrote SET_MAC_ADDR", any(e["dir"] == "vf_to_pf" and (w0(e) or 0) & 0xffff == 0x02 for e in vfs))
    need("3: igbvf read SET_MAC_ADDR|NACK", any(e["dir"] == "pf_to_vf" and (w0(e) or 0) & 0xffff == 0x02
                                               and e.get("result") == "nack" for e in vfs))
else:
    need("e1000_read_mbx_vf attached (igbvf loaded)", False)
sys.exit(1 if bad else 0)
PY
grep -q 'rc=0' "$d/refused.txt" && fail "the VF's MAC change was not refused: $(cat "$d/refused.txt")"
grep -q 'rc=0' "$d/trusted.txt" || fail "the trusted VF's MAC change failed: $(cat "$d/trusted.txt")"
echo ok
