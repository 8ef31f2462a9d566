#!/bin/bash
# A PF's virtfnN link whose VF is gone (sriov_numvfs lowered between the
# directory listing and the read; here: a captured lab tree with VF 1's
# device removed): sysfs adds nothing for it, is partial and says which link,
# the rest of the PF is read, snapshot exits 0. Without the removal, no
# partial source.
set -u
. "$TOP/tests/lib.sh"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cp -a "$TOP/tests/fixtures/lab/healthy/host" "$T/root"
"$VFSCOPE" snapshot --json --no-kmsg --sysroot "$T/root" > "$T/a.json" || fail "snapshot of the intact tree"
json_get "$T/a.json" "[s['status'] for s in d['sources'] if s['name'] == 'sysfs'][0]" | grep -qx ok || fail "intact tree not ok"
vf=$(readlink "$T/root/sys/bus/pci/devices/0000:01:00.0/virtfn1"); vf=${vf##*/}
rm -rf "$T/root/sys/bus/pci/devices/$vf" "$T/root/sys/devices/pci0000:00/"*"/$vf"
"$VFSCOPE" snapshot --json --no-kmsg --sysroot "$T/root" > "$T/b.json" || fail "snapshot exit $?"
python3 - "$T/b.json" "$vf" <<'P' || fail "vanished VF not reported"
import json, sys
d = json.load(open(sys.argv[1])); vf = sys.argv[2]
s = [x for x in d['sources'] if x['name'] == 'sysfs'][0]
assert s['status'] == 'partial' and 'virtfn1' in s['detail'] and vf in s['detail'], s
pf = [p for p in d['pfs'] if p['pci'] == '0000:01:00.0'][0]
v = {x['index']: x for x in pf['vfs']}
assert v[0]['pci'] == '0000:01:10.0' and v[0]['src']['pci'] == 'sysfs', v[0]
# netlink (the PF's VF list, replayed from ip-link.json) still knows VF 1;
# sysfs could not give it a PCI address: unknown, not invented.
assert v[1]['pci'] is None and v[1]['mac'] == '02:00:00:00:00:a1', v[1]
print(s['detail'])
P
echo ok
