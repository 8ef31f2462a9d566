#!/bin/bash
# The lab boots: two igb PFs with sriov_totalvfs 7, two VFs each bound to
# igbvf, and vfscope runs inside the VM and sees both PFs and all 4 VFs.
set -u
. "$TOP/tests/lib.sh"
out=$(mktemp -d); trap 'rm -rf $out' EXIT
"$TOP/tests/lab/vm-run" "$TOP/tests/lab/scenarios/smoke.sh" "$out"; rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || fail "vm-run rc=$rc"
grep -q '^vfscope ' "$out/version.txt" || fail "vfscope did not run in the VM"
[ "$(tr '\n' ' ' < "$out/totalvfs.txt")" = "7 7 " ] || fail "totalvfs: $(cat "$out/totalvfs.txt")"
[ "$(sort -u "$out/vfdrivers.txt")" = igbvf ] || fail "VF drivers: $(cat "$out/vfdrivers.txt")"
[ "$(json_get "$out/snapshot.json" "len(d['pfs'])")" = 2 ] || fail "PFs in vfscope's view"
[ "$(json_get "$out/snapshot.json" "sum(len(p['vfs']) for p in d['pfs'])")" = 4 ] || fail "VFs in vfscope's view"
[ "$(json_get "$out/snapshot.json" "d['pfs'][0]['sriov_cap']['total_vfs']")" = 8 ] || fail "SR-IOV capability TotalVFs (libpci, as root)"
[ "$(json_get "$out/snapshot.json" "d['pfs'][0]['vfs'][1]['pci']")" = 0000:01:10.2 ] || fail "VF1 at offset 128 stride 2"
echo ok
