#!/bin/bash
# Rules on real sysfs trees captured from the lab VM:
# tests/fixtures/lab/<scenario>/host (and guest when the scenario has one).
#   vfscope check --json --sysroot .../host [--guest-file <(vfscope snapshot --json --sysroot .../guest)]
# healthy: nothing at warning or above; pf-link-down: VFS001 naming the first
# PF; same-pf: VFS003; lacp, balance-rr: VFS006; mac-refused: VFS004 or
# VFS005; failover: runs cleanly (exit 0/1).
set -u
B=${VFSCOPE:-./vfscope}
L=${TOP:-.}/tests/fixtures/lab
[ -d "$L" ] && ls "$L"/*/host >/dev/null 2>&1 || { echo "no lab fixtures under tests/fixtures/lab yet"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0 ran=0
expect() { # scenario -> space-separated alternatives (any one must appear), "" = none at warning+
	case $1 in
	healthy) echo "NONE" ;;
	pf-link-down) echo "VFS001-pf-link-hidden" ;;
	same-pf) echo "VFS003-shared-pf" ;;
	lacp|balance-rr) echo "VFS006-switch-dependent-mode" ;;
	mac-refused) echo "VFS004-mac-change-refused VFS005-team-member-missing" ;;
	*) echo "ANY" ;;
	esac
}
for dir in "$L"/*/; do
	sc=$(basename "$dir")
	[ -d "$dir/host" ] || continue
	ran=$((ran + 1))
	args=(--json --sysroot "$dir/host")
	if [ -d "$dir/guest" ]; then
		"$B" snapshot --json --sysroot "$dir/guest" > "$T/$sc-guest.json" || { echo "FAIL $sc: guest snapshot"; fail=1; continue; }
		args+=(--guest-file "$T/$sc-guest.json")
	fi
	"$B" check "${args[@]}" > "$T/$sc.json"; rc=$?
	"$B" snapshot --json --sysroot "$dir/host" > "$T/$sc-host.json" 2>/dev/null
	want=$(expect "$sc")
	res=$(python3 - "$T/$sc.json" "$T/$sc-host.json" "$rc" "$want" <<'P'
import json, sys
d = json.load(open(sys.argv[1])); rc = int(sys.argv[3]); want = sys.argv[4].split()
try:
    h = json.load(open(sys.argv[2]))
except Exception:
    h = {"pfs": []}
warn = [f for f in d["findings"] if f["severity"] in ("warning", "error")]
ids = sorted({f["id"] for f in d["findings"]})
if want == ["NONE"]:
    assert not warn and rc == 0, "healthy has %s (rc %d)" % ([f["id"] + " " + (f["subject"] or "") for f in warn], rc)
elif want == ["ANY"]:
    assert rc in (0, 1), rc
else:
    hit = [f for f in d["findings"] if f["id"] in want]
    assert hit and rc == 1, "want one of %s, got %s (rc %d)" % (want, ids, rc)
    if want == ["VFS001-pf-link-hidden"] and h["pfs"]:
        pf0 = h["pfs"][0]
        names = {pf0.get("pci"), pf0.get("netdev")} - {None}
        blob = json.dumps(hit)
        assert any(n in blob for n in names), "VFS001 does not name PF0 %s" % names
print(" ".join(ids) or "(none)")
P
)
	if [ $? -ne 0 ]; then echo "FAIL $sc: $res"; fail=1; else echo "ok   $sc: $res"; fi
done
[ $ran -gt 0 ] || { echo "no scenario has a host tree"; exit 77; }
exit $fail
