#!/bin/bash
# Rules on real sysfs trees captured from the lab VM:
# tests/fixtures/lab/<scenario>/host (and guest when the scenario has one),
# each checked three ways:
#   tree:  check --sysroot host --guest-file <(snapshot --sysroot guest)   (the guest tree has no kernel log)
#   live:  check --sysroot host --guest-file guest-snapshot.json           (the guest view taken live, kernel log included)
#   host:  check --sysroot host                                            (no guest view)
# healthy: nothing at warning or above in any; host alone: the two VFs of
# two PFs with the bond's MAC are VFS017 at info, never error (an
# active-backup bond with fail_over_mac none gives every member its MAC).
# pf-link-down: VFS001 naming the first PF; same-pf: VFS003, and VFS017
# error (one PF sees the MAC on two VFs); lacp, balance-rr: VFS006;
# mac-refused: VFS019 (one member) and VFS005 at info from the tree (no
# kernel log), VFS005 at error from the live view (bonding's "Error -99
# calling set_mac_address" attached); failover, vf-reset: run cleanly.
# No fix anywhere has a guess in it ("?", "<pf>", a PCI address for ip).
set -u
B=${VFSCOPE:-./vfscope}
L=${TOP:-.}/tests/fixtures/lab
[ -d "$L" ] && ls "$L"/*/host >/dev/null 2>&1 || { echo "no lab fixtures under tests/fixtures/lab yet"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
fail=0 ran=0
for dir in "$L"/*/; do
	sc=$(basename "$dir")
	[ -d "$dir/host" ] || continue
	ran=$((ran + 1))
	"$B" snapshot --json --sysroot "$dir/host" > "$T/$sc-host.json" 2>/dev/null
	for how in tree live host; do
		args=(--json --sysroot "$dir/host")
		case $how in
		tree) [ -d "$dir/guest" ] || continue
		      "$B" snapshot --json --sysroot "$dir/guest" > "$T/$sc-guest.json" || { echo "FAIL $sc: guest snapshot"; fail=1; continue; }
		      args+=(--guest-file "$T/$sc-guest.json") ;;
		live) [ -f "$dir/guest-snapshot.json" ] || continue
		      args+=(--guest-file "$dir/guest-snapshot.json") ;;
		esac
		"$B" check "${args[@]}" > "$T/$sc-$how.json"; rc=$?
		res=$(python3 - "$T/$sc-$how.json" "$T/$sc-host.json" "$rc" "$sc" "$how" <<'P'
import json, sys
d = json.load(open(sys.argv[1])); rc = int(sys.argv[3]); sc, how = sys.argv[4], sys.argv[5]
try:
    h = json.load(open(sys.argv[2]))
except Exception:
    h = {"pfs": []}
F = d["findings"]
warn = [f for f in F if f["severity"] in ("warning", "error")]
ids = sorted({f["id"] + ":" + f["severity"] for f in F})
def sev(rule):
    """highest severity of rule's findings: 0 none, 1 info, 2 warning, 3 error"""
    return max([{"info": 1, "warning": 2, "error": 3}[f["severity"]] for f in F if f["id"].startswith(rule)] or [0])
for f in F:
    fx = f["fix"] or ""
    for bad in ("ip link set ?", " ? ", "<pf>", "ip link set 0000:", "vf -1"):
        assert bad not in fx, "%s fix has %r: %s" % (f["id"], bad, fx)
if sc == "healthy":
    assert not warn and rc == 0, "healthy has %s (rc %d)" % ([f["id"] + " " + (f["subject"] or "") for f in warn], rc)
    if how == "host":
        assert sev("VFS017") == 1, "healthy host: VFS017 should be info (what fail_over_mac none does): %s" % ids
elif sc == "pf-link-down" and how != "host":
    hit = [f for f in F if f["id"] == "VFS001-pf-link-hidden"]
    assert hit and rc == 1, "want VFS001, got %s (rc %d)" % (ids, rc)
    if h["pfs"]:
        pf0 = h["pfs"][0]
        names = {pf0.get("pci"), pf0.get("netdev")} - {None}
        assert any(n in json.dumps(hit) for n in names), "VFS001 does not name PF0 %s" % names
elif sc == "same-pf":
    assert sev("VFS017") == 3 and rc == 1, "same-pf: want VFS017 error (one PF, one MAC, two VFs): %s" % ids
    if how != "host":
        assert sev("VFS003") == 2, "same-pf: want VFS003: %s" % ids
elif sc in ("lacp", "balance-rr") and how != "host":
    assert sev("VFS006") == 3 and rc == 1, "want VFS006 error, got %s (rc %d)" % (ids, rc)
elif sc == "mac-refused" and how != "host":
    assert sev("VFS019") == 2 and rc == 1, "want VFS019 (one member): %s" % ids
    if how == "tree":
        assert sev("VFS005") == 1, "tree (no kernel log): VFS005 must be info: %s" % ids
    else:
        f5 = [f for f in F if f["id"].startswith("VFS005") and f["severity"] == "error"]
        assert f5, "live view (kernel log): want VFS005 error: %s" % ids
        assert any("Error -99 calling set_mac_address" in k for k in f5[0]["kmsg"]), f5[0]["kmsg"]
else:
    assert rc in (0, 1), rc
if sc in ("healthy", "failover", "pf-link-down", "lacp", "balance-rr"):
    assert sev("VFS017") < 3, "%s: VFS017 error on one team's members: %s" % (sc, ids)
print(" ".join(ids) or "(none)")
P
)
		if [ $? -ne 0 ]; then echo "FAIL $sc ($how): $res"; fail=1; else echo "ok   $sc ($how): $res"; fi
	done
done
[ $ran -gt 0 ] || { echo "no scenario has a host tree"; exit 77; }
exit $fail
