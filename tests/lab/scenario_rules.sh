#!/bin/bash
# vfscope check inside the lab VM (tests/lab/vm-run + scenarios/rules.sh):
# healthy -> nothing at warning or above (also with the guest read over
# vsock from an agent); pf-link-down -> VFS001 naming PF0, and with
# VFSCOPE_DISABLE_RULES=VFS001 the scenario's assertion fails (proof that the
# rule is what catches it); same-pf -> VFS003; lacp, balance-rr -> VFS006;
# mac-refused -> VFS004 or VFS005.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
# Results stay in $O/lab-rules for a look after a failure.
OUT=$TOP/${O:-build}/lab-rules
rm -rf "$OUT"; mkdir -p "$OUT"
"$TOP/tests/lab/vm-run" "$TOP/tests/lab/scenarios/rules.sh" "$OUT"
rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || [ -d "$OUT/rules" ] || { echo "vm-run failed (rc $rc)"; tail -30 "$OUT/scenario.log" 2>/dev/null; exit 1; }
[ $rc = 0 ] || echo "vm-run rc $rc; the scenario wrote results, checking them"
python3 - "$OUT/rules" <<'P'
import json, os, sys
R = sys.argv[1]
want = {
    "healthy": None,
    "pf-link-down": {"VFS001-pf-link-hidden"},
    "same-pf": {"VFS003-shared-pf"},
    "lacp": {"VFS006-switch-dependent-mode"},
    "balance-rr": {"VFS006-switch-dependent-mode"},
    "mac-refused": {"VFS004-mac-change-refused", "VFS005-team-member-missing"},
}
def load(sc, name="check.json"):
    return json.load(open(os.path.join(R, sc, name)))
def rc(sc, name="rc"):
    return int(open(os.path.join(R, sc, name)).read().strip() or -1)
def verdict(sc, d, code):
    """None if the scenario's expectation holds, else why not."""
    ids = {f["id"] for f in d["findings"]}
    if want[sc] is None:
        bad = [f["id"] + " " + (f["subject"] or "") for f in d["findings"] if f["severity"] != "info"]
        return "unexpected findings %s (rc %d)" % (bad, code) if bad or code != 0 else None
    hit = [f for f in d["findings"] if f["id"] in want[sc]]
    if not hit or code != 1:
        return "want one of %s, got %s (rc %d)" % (sorted(want[sc]), sorted(ids), code)
    if sc == "pf-link-down" and not any("0000:01:00.0" in json.dumps(f) for f in hit):
        return "VFS001 does not name PF0 (0000:01:00.0)"
    return None
fail = 0
for sc in want:
    try:
        d = load(sc)
    except Exception as e:
        print("FAIL %s: no result (%s)" % (sc, e)); fail = 1; continue
    if d.get("failed_sources"):
        print("FAIL %s: failed sources %s" % (sc, d["failed_sources"])); fail = 1
    v = verdict(sc, d, rc(sc))
    print(("FAIL " if v else "ok   ") + sc + ": " + (v or " ".join(sorted({f["id"] for f in d["findings"]})) or "(none)"))
    fail |= bool(v)
# The guest over vsock (agent in the guest namespace) gives the same answer.
skip = os.path.join(R, "healthy", "vsock-skip")
if os.path.exists(skip):
    print("skip healthy over vsock: " + open(skip).read().strip())
else:
  try:
    d = load("healthy", "check-vsock.json")
    v = ("guest not read: %s" % d["failed_sources"] if d.get("failed_sources") else None) or \
        verdict("healthy", d, rc("healthy", "rc-vsock"))
  except Exception as e:
    v = "no result (%s)" % e
  print(("FAIL " if v else "ok   ") + "healthy over vsock" + (": " + v if v else ""))
  fail |= bool(v)
# With the hidden-link rule off, pf-link-down is no longer caught.
try:
    v = verdict("pf-link-down", load("pf-link-down", "check-disabled.json"), rc("pf-link-down", "rc-disabled"))
except Exception as e:
    v = None
    print("FAIL pf-link-down with VFS001 disabled: no result (%s)" % e); fail = 1
if v:
    print("ok   pf-link-down with VFSCOPE_DISABLE_RULES=VFS001 fails as it should: " + v)
else:
    print("FAIL pf-link-down still passes with VFS001 disabled"); fail = 1
sys.exit(fail)
P
