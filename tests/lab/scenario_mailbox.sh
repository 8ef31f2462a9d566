#!/bin/bash
# eBPF mailbox probes in the lab VM (kernel 6.12, igb PF, igbvf VFs): an admin
# MAC, a VF reset, a MAC change the PF refuses (NACK) and, after trust on,
# accepts (ACK) show up in `vfscope trace --json` with VF index 0, the PF's
# netdev (pf == PF0) and the right igb message types (E1000_VF_RESET 0x01,
# E1000_VF_SET_MAC_ADDR 0x02; ACK 0x80000000, NACK 0x40000000, CTS 0x20000000
# in word 0), on the PF side (igb) and on the VF side (igbvf, with the VF's
# netdev). Twice: with the default attach (fentry/fexit here) and with
# --attach kprobe (the fallback). Then ixgbe, ixgbevf, i40e, iavf and ice are
# loaded (no hardware) and their probes must attach.
# LAB_KEEP=DIR keeps the VM's output there; the raw words it recorded go to
# tests/decoders/mbx/{igb,igbvf}-lab.txt with LAB_SAVE_WORDS=1.
set -u
. "$TOP/tests/lib.sh"
out=${LAB_KEEP:-$(mktemp -d)}; mkdir -p "$out"
[ -n "${LAB_KEEP:-}" ] || trap 'rm -rf $out' EXIT
# The other Intel drivers' modules (and what they need) for the lab kernel;
# vm-run's initramfs has only igb/igbvf, the VM loads these from /out/mods.
K=${LAB_KERNEL:-$(ls /boot/vmlinuz-6.1[2-9]* /boot/vmlinuz-6.[2-9][0-9]* 2>/dev/null | sort -V | tail -1)}
KVER=${K#/boot/vmlinuz-}
rm -rf "$out/mods"; mkdir -p "$out/mods"; : > "$out/mods/order"
for m in ixgbe ixgbevf i40e iavf ice; do modprobe -S "$KVER" --show-depends $m 2>/dev/null; done |
	awk '$1=="insmod"{print $2}' | awk '!s[$0]++' | while read -r f; do
	b=$(basename "$f"); b=${b%.xz}; b=${b%.zst}
	case $f in *.xz) xz -dc "$f" ;; *.zst) zstd -dcq "$f" ;; *) cat "$f" ;; esac > "$out/mods/$b" && echo "$b" >> "$out/mods/order"
done
"$TOP/tests/lab/vm-run" --timeout 480 "$TOP/tests/lab/scenarios/mailbox.sh" "$out"; rc=$?
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
steps = {}
for l in open(d + "/steps.txt"):
    f = l.split()
    if f[0] == "STEP": steps[f[1]] = float(f[2]) * 1e9
PF0 = open(d + "/pf0.txt").read().strip()
VF0 = open(d + "/vf0.txt").read().strip()
def step_of(e):
    t = e["ts_mono_ns"]; cur = None
    for n, s in sorted(steps.items(), key=lambda x: x[1]):
        if t >= s - 20e6: cur = n  # /proc/uptime has 10 ms steps
    return cur
bad = []
def need(what, ok):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok: bad.append(what)
def w0(e): return int(e["words"][0], 16) if e.get("words") else None

def check(name, types):
    print(f"== {name}")
    evs, summ = [], None
    for l in open(f"{d}/{name}.json"):
        o = json.loads(l)
        if "summary" in o: summ = o["summary"]
        else: evs.append(o)
    probes = {p["name"]: p for p in summ["probes"]}
    for n, ty in types.items():
        p = probes.get(n, {})
        need(f"{name}: {n} attached as {ty} ({p.get('type')}, {p.get('fallback', '')})",
             p.get("state") == "attached" and p.get("type") == ty)
    need(f"{name}: nothing lost", summ["lost"] == 0)
    ts = [e["ts_mono_ns"] for e in evs]
    need(f"{name}: events in time order", ts == sorted(ts))
    mb = [e for e in evs if e.get("vf") == 0 and e["kind"] in ("mailbox", "vf_reset")]
    for e in mb: print(step_of(e), e.get("probe"), e.get("pf"), e.get("dir"), e.get("result"), " ".join(e.get("words", [])), e.get("text", ""))
    def find(step, pred):
        return [e for e in mb if step_of(e) == step and pred(e)]
    need(f"{name}: every igb event names the PF {PF0}", mb and all(e.get("pf") == PF0 for e in mb if e["driver"] == "igb"))
    need(f"{name}: 1: igb_set_vf_mac vf 0 02:00:00:00:00:c0 on {PF0}",
         find("1-set-mac", lambda e: e["probe"] == "igb_set_vf_mac" and "02:00:00:00:00:c0" in e["text"] and e.get("pf") == PF0))
    vr = probes.get("igb_vf_reset", {})
    if vr.get("state") == "attached":
        need(f"{name}: 2: igb_vf_reset vf 0 ({vr.get('type')})", find("2-vf-reset", lambda e: e["kind"] == "vf_reset"))
    else:
        # 6.12 refuses a kprobe on igb_vf_reset (EINVAL); fentry works
        need(f"{name}: igb_vf_reset unavailable with a reason: " + vr.get("reason", ""), vr.get("state") == "unavailable" and vr.get("reason"))
    need(f"{name}: 2: VF_RESET read from vf 0",
         find("2-vf-reset", lambda e: e.get("dir") == "vf_to_pf" and (w0(e) or 0) & 0xffff == 0x01))
    rst = find("2-vf-reset", lambda e: e.get("dir") == "pf_to_vf" and (w0(e) or 0) & 0xffff == 0x01)
    need(f"{name}: 2: RESET|ACK written to vf 0 with the admin MAC",
         # the MAC as little-endian bytes: 02 00 00 00 | 00 c0
         any(e.get("result") == "ack" and len(e["words"]) >= 3 and int(e["words"][1], 16) == 0x00000002
             and int(e["words"][2], 16) == 0x0000c000 for e in rst))
    need(f"{name}: 3: SET_MAC_ADDR read from vf 0",
         find("3-refused", lambda e: e.get("dir") == "vf_to_pf" and (w0(e) or 0) & 0xffff == 0x02))
    need(f"{name}: 3: SET_MAC_ADDR|NACK written to vf 0 of {PF0}",
         find("3-refused", lambda e: e.get("dir") == "pf_to_vf" and (w0(e) or 0) & 0xffff == 0x02 and e.get("result") == "nack"
              and e.get("pf") == PF0))
    need(f"{name}: 4: SET_MAC_ADDR|ACK written to vf 0 (trusted)",
         find("4-trusted", lambda e: e.get("dir") == "pf_to_vf" and (w0(e) or 0) & 0xffff == 0x02 and e.get("result") == "ack"))
    # VF side (igbvf; vf -1: a VF does not know its index; the VF's netdev)
    vfs = [e for e in evs if e.get("driver") == "igbvf" and step_of(e) == "3-refused"]
    for e in vfs: print("vf side:", e.get("probe"), e.get("ifname"), e.get("dir"), e.get("result"), " ".join(e.get("words", [])[:3]))
    need(f"{name}: 3: igbvf wrote SET_MAC_ADDR", any(e["dir"] == "vf_to_pf" and (w0(e) or 0) & 0xffff == 0x02 for e in vfs))
    need(f"{name}: 3: igbvf read SET_MAC_ADDR|NACK on {VF0}", any(e["dir"] == "pf_to_vf" and (w0(e) or 0) & 0xffff == 0x02
                                               and e.get("result") == "nack" and e.get("ifname") == VF0 for e in vfs))
    return evs

fe = check("trace", {"igb_read_mbx_pf": "fexit", "igb_write_mbx_pf": "fentry", "igb_set_vf_mac": "fentry",
                     "e1000_read_mbx_vf": "fexit", "e1000_write_mbx_vf": "fentry"})
kp = check("trace-kprobe", {"igb_read_mbx_pf": "kprobe+kretprobe", "igb_write_mbx_pf": "kprobe",
                            "igb_set_vf_mac": "kprobe", "e1000_read_mbx_vf": "kprobe+kretprobe"})
kl = {p["name"]: p for p in json.load(open(d + "/list-kprobe.json"))["probes"]}
need("--attach kprobe says why: " + kl["igb_write_mbx_pf"].get("fallback", ""),
     "--attach kprobe" in kl["igb_write_mbx_pf"].get("fallback", ""))

# Drivers without hardware: not loaded first, attached once loaded.
others = ["ixgbe_write_mbx_pf", "ixgbe_read_mbx_pf", "ixgbevf_write_mbx_vf", "ixgbevf_read_mbx_vf",
          "i40e_vc_process_vf_msg", "i40e_vc_send_msg_to_vf", "ice_vc_process_vf_msg", "ice_vc_send_msg_to_vf",
          "iavf_send_pf_msg", "iavf_virtchnl_completion"]
before = {p["name"]: p for p in json.load(open(d + "/list.json"))["probes"]}
for n in others:
    need(f"before modprobe: {n} unavailable, not loaded ({before[n].get('reason', '')[:60]})",
         before[n]["state"] == "unavailable" and "not loaded" in before[n].get("reason", ""))
for f, ty in (("list-after.json", "fentry|fexit"), ("list-after-kprobe.json", "kprobe|kprobe+kretprobe")):
    after = {p["name"]: p for p in json.load(open(f"{d}/{f}"))["probes"]}
    for n in others:
        p = after[n]
        need(f"{f}: {n} attached as {p.get('type')} {p.get('reason', '')}",
             p["state"] == "attached" and p.get("type") in ty.split("|"))
sys.exit(1 if bad else 0)
PY
grep -q 'rc=0' "$d/refused.txt" && fail "the VF's MAC change was not refused: $(cat "$d/refused.txt")"
grep -q 'rc=0' "$d/trusted.txt" || fail "the trusted VF's MAC change failed: $(cat "$d/trusted.txt")"
echo ok
