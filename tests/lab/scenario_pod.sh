#!/bin/bash
# Pods over real igb VFs and bonding in the lab (tests/lab/scenarios/pod.sh
# then pod-same-pf.sh, one boot): a pod's namespace with kubelet's,
# the device plugin's and sriov-cni's files, its bond over a VF of each PF.
# After QEMU's set_link takes PF0's wire off:
#  - `vfscope top` shows the pod's member "UP (PF DOWN)" and VFS001;
#  - `vfscope check` names the pod's bond and its member on PF0 (VFS001,
#    subject "pod lab/web-0 bond0/net1");
#  - `vfscope snapshot` shows net1 inside the pod (PF0 VF0's PCI address)
#    and the VF's allocation to the pod;
#  - the captured tree (--sysroot) says the same;
# and a pod bond over two VFs of PF0 gives VFS003 for the pod.
# LAB_KEEP=DIR keeps the VM's output.
set -u
. "$TOP/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
out=${LAB_KEEP:-$(mktemp -d)}; mkdir -p "$out"
[ -n "${LAB_KEEP:-}" ] || trap 'rm -rf $out' EXIT
"$TOP/tests/lab/vm-run" --timeout 600 "$TOP/tests/lab/scenarios/pod.sh" "$out"; rc=$?
[ $rc = 77 ] && exit 77
show() { for f in "$out"/pod/*.txt; do echo "--- ${f##*/}"; cat "$f"; done; cat "$out"/pod/vfscope.err 2>/dev/null; }
[ $rc = 0 ] || { show; fail "vm-run rc=$rc"; }
python3 - "$out" "$VFSCOPE" <<'PY' || { show; fail "see above"; }
import json, os, re, subprocess, sys
out, vfscope = sys.argv[1], sys.argv[2]
d, d2 = os.path.join(out, "pod"), os.path.join(out, "pod-same-pf")
bad = []
names = dict(x.split("=") for x in open(os.path.join(d, "names.txt")).read().split())
POD, SUBJ = "pod lab/web-0", "pod lab/web-0 bond0/net1"

def findings(doc, rid):
    return [f for f in doc["findings"] if f["id"].startswith(rid)]

# top: the pod's member on PF0 and VFS001 on screen
h = open(os.path.join(d, "hidden.txt")).read()
if not re.search(r"%s bond0/net1 +\S*UP \(PF DOWN\)" % re.escape(POD), h) and "UP (PF DOWN)" not in h:
    bad.append("top: no 'UP (PF DOWN)' for the pod's member")
if POD not in h:
    bad.append("top: the pod is not on screen")
if "VFS001-pf-link-hidden" not in h:
    bad.append("top: no VFS001")
# check (live, in the VM)
c = json.load(open(os.path.join(d, "check.json")))
v1 = findings(c, "VFS001")
if not any(f["subject"] == SUBJ and f["severity"] == "error" for f in v1):
    bad.append("check: no VFS001 error on %r: %s" % (SUBJ, [(f["id"], f["subject"]) for f in c["findings"]]))
if any(f["subject"] != SUBJ for f in v1):
    bad.append("check: VFS001 on other subjects: %s" % [f["subject"] for f in v1])
for f in v1:
    if f["subject"] == SUBJ and not any("PF %s" % names["PF0"] in e.get("what", "") + str(e.get("value", "")) for e in f["evidence"]):
        bad.append("check: VFS001 does not name PF0 %s" % names["PF0"])
# snapshot: net1 inside the pod, the VF allocated to it
s = json.load(open(os.path.join(d, "snapshot.json")))
pods = [g for g in s.get("guests", []) if g.get("role") == "netns" and g.get("label") == POD]
if len(pods) != 1:
    bad.append("snapshot: %d netns machines labelled %r (%s)" % (len(pods), POD, [g.get("label") for g in s.get("guests", [])]))
else:
    nd = {n["name"]: n for n in pods[0]["netdevs"]}
    if nd.get("net1", {}).get("pci") != "0000:01:10.0":
        bad.append("snapshot: net1 in the pod is not PF0 VF0: %s" % nd.get("net1"))
    if pods[0].get("netns", {}).get("pod_uid") != "5d2c7e1a-8f3b-4c6d-9e0a-1b2c3d4e5f60":
        bad.append("snapshot: pod uid %s" % pods[0].get("netns"))
vf0 = [v for p in s["pfs"] if p["pci"] == "0000:01:00.0" for v in p["vfs"] if v["index"] == 0]
al = vf0[0].get("allocation") if vf0 else None
if not al or al.get("pod") != "lab/web-0" or al.get("netns") != POD:
    bad.append("snapshot: PF0 VF0 allocation %s" % al)
txt = open(os.path.join(d, "snapshot.txt")).read()
if "-> %s bond0/net1" % POD not in txt:
    bad.append("snapshot text: no '-> %s bond0/net1'" % POD)
# the captured tree, read back here
def check_tree(root):
    r = subprocess.run([vfscope, "check", "--json", "--sysroot", root], capture_output=True, text=True)
    return json.loads(r.stdout) if r.stdout else {"findings": []}
t = check_tree(os.path.join(d, "host"))
if not any(f["subject"] == SUBJ for f in findings(t, "VFS001")):
    bad.append("tree: no VFS001 on %r: %s" % (SUBJ, [(f["id"], f["subject"]) for f in t["findings"]]))
# second pod: both VFs of PF0
c2 = json.load(open(os.path.join(d2, "check.json")))
S2 = "pod lab/web-1 bond0: net1 and net2"
if not any(f["subject"] == S2 for f in findings(c2, "VFS003")):
    bad.append("same-pf: no VFS003 on %r: %s" % (S2, [(f["id"], f["subject"]) for f in c2["findings"]]))
t2 = check_tree(os.path.join(d2, "host"))
if not any(f["subject"] == S2 for f in findings(t2, "VFS003")):
    bad.append("same-pf tree: no VFS003 on %r" % S2)
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
echo ok
