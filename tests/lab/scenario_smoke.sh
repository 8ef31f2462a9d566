#!/bin/bash
# The lab boots: two igb PFs with sriov_totalvfs 7, two VFs each bound to
# igbvf, vfscope runs inside the VM and sees both PFs and all 4 VFs, and
# vm-run's --flap-pf0-after takes PF0's link down from the QEMU monitor.
set -u
. "$TOP/tests/lib.sh"
out=$(mktemp -d); trap 'rm -rf $out' EXIT
"$TOP/tests/lab/vm-run" --flap-pf0-after SMOKE-FLAP --timeout 180 \
	"$TOP/tests/lab/scenarios/smoke.sh" "$out"; rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || fail "vm-run rc=$rc"
grep -q '^vfscope ' "$out/version.txt" || fail "vfscope --version did not run in the VM"
[ "$(tr '\n' ' ' < "$out/totalvfs.txt")" = "7 7 " ] || fail "sriov_totalvfs: $(cat "$out/totalvfs.txt")"
[ "$(tr '\n' ' ' < "$out/vfdrivers.txt")" = "igbvf igbvf igbvf igbvf " ] || fail "VF drivers: $(cat "$out/vfdrivers.txt")"
[ "$(cat "$out/pf0-carrier-after-flap.txt")" = 0 ] || fail "PF0 carrier after set_link n0 off"
[ "$(json_get "$out/snapshot.json" "len(d['pfs'])")" = 2 ] || fail "PFs in vfscope's view"
[ "$(json_get "$out/snapshot.json" "sum(len(p['vfs']) for p in d['pfs'])")" = 4 ] || fail "VFs in vfscope's view"
# QEMU's 82576 capability says TotalVFs 8; igb limits sriov_totalvfs to 7.
[ "$(json_get "$out/snapshot.json" "d['pfs'][0]['sriov_cap']['total_vfs']")" = 8 ] || fail "SR-IOV capability TotalVFs"
[ "$(json_get "$out/snapshot.json" "d['pfs'][0]['vfs'][1]['pci']")" = 0000:01:10.2 ] || fail "VF1 at offset 128 stride 2"
echo ok
