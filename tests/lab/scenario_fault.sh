#!/bin/bash
# Devices vanishing in the lab VM: sriov_numvfs goes 0 -> 4 -> 0 on both
# PFs in a loop (tests/lab/scenarios/fault.sh) while vfscope snapshot and
# check run repeatedly. Every run must exit with a defined status
# (snapshot 0, check 0 or 1; never 2, a signal or the time-out), write
# valid JSON with sources ok/partial/skipped (a partial one with its reason:
# a PF reconfigured while read is warned about by name), and at least one
# run must have caught the churn (VF counts differ between runs or a source
# is partial).
# Afterwards, on the quiet system, snapshot sees 2 PFs x 2 VFs.
# LAB_KEEP=DIR keeps the VM's output.
set -u
. "$TOP/tests/lib.sh"
out=${LAB_KEEP:-$(mktemp -d)}; mkdir -p "$out"
[ -n "${LAB_KEEP:-}" ] || trap 'rm -rf $out' EXIT
LAB_ARGS="${LAB_ARGS:-} lab.capture=0" "$TOP/tests/lab/vm-run" --timeout 900 \
	"$TOP/tests/lab/scenarios/fault.sh" "$out"; rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || fail "vm-run rc=$rc"
d=$out/fault
[ -s "$d/rc.txt" ] || fail "no rc.txt from the VM"
python3 - "$d" <<'PY' || fail "see above"
import json, os, sys
d = sys.argv[1]
bad = []
runs = [l.split() for l in open(os.path.join(d, "rc.txt")) if l.strip()]
allowed = {"snapshot": {0}, "text": {0}, "check": {0, 1}, "quiet": {0}}
vfcounts, partial, details = set(), 0, set()
for kind, i, rc in runs:
    if int(rc) not in allowed[kind]:
        err = ""
        f = os.path.join(d, "%s-%s.err" % (kind, i))
        if os.path.exists(f):
            err = open(f).read()[-400:]
        bad.append("%s %s exited %s %s" % (kind, i, rc, err))
        continue
    if kind == "text":
        continue
    name = "quiet.json" if kind == "quiet" else "%s-%s.json" % (kind, i)
    try:
        doc = json.load(open(os.path.join(d, name)))
    except Exception as e:
        bad.append("%s: invalid JSON: %s" % (name, e))
        continue
    if kind == "check":
        if "findings" not in doc:
            bad.append("%s: no findings list" % name)
        continue
    for s in doc["sources"]:
        if s["status"] not in ("ok", "partial", "skipped"):
            bad.append("%s: source %s %s: %s" % (name, s["name"], s["status"], s["detail"]))
        if s["status"] == "partial" and kind == "snapshot":
            partial += 1
            details.add("%s: %s" % (s["name"], s["detail"]))
            if not s["detail"]:
                bad.append("%s: source %s partial without a reason" % (name, s["name"]))
            if "see warnings" in s["detail"] and not any("came or went" in w for w in doc["warnings"]):
                bad.append("%s: %s says see warnings, none there" % (name, s["name"]))
    if kind == "snapshot":
        vfcounts.add(tuple(len(p["vfs"]) for p in doc["pfs"]))
    if kind == "quiet":
        got = [(p["pci"], len(p["vfs"])) for p in doc["pfs"]]
        if got != [("0000:01:00.0", 2), ("0000:02:00.0", 2)]:
            bad.append("quiet snapshot: PFs/VFs %s" % got)
        for s in doc["sources"]:
            if s["status"] == "partial":
                bad.append("quiet snapshot: %s partial: %s" % (s["name"], s["detail"]))
n = sum(1 for r in runs if r[0] == "snapshot")
print("%d snapshot runs, %d check runs; VF counts seen %s; %d partial sources" %
      (n, sum(1 for r in runs if r[0] == "check"), sorted(vfcounts), partial))
for x in sorted(details)[:10]:
    print("  partial " + x)
if n < 10:
    bad.append("only %d snapshot runs" % n)
if len(vfcounts) < 2 and not partial:
    bad.append("no run caught the churn (same VF counts, nothing partial)")
for b in bad:
    print("FAIL: " + b)
sys.exit(1 if bad else 0)
PY
grep -h '^churn cycles' "$out/scenario.log" || true
echo ok
