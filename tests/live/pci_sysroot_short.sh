#!/bin/bash
# Under --sysroot a PF config file shorter than 4096 bytes (a tree copied by
# an unprivileged reader keeps 256) is the tree's doing, not a missing
# privilege of this process: libpci's source says how many bytes the file
# holds, never "needs root".
set -u
. "$TOP/tests/lib.sh"
F=$TOP/tests/fixtures/bundle/sysroot
[ -d "$F/sys" ] || skip "no fixture sysroot"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cp -a "$F" "$T/root"
"$VFSCOPE" snapshot --json --sysroot "$T/root" > "$T/0.json" 2>/dev/null || fail "snapshot rc=$?"
json_get "$T/0.json" "[s['status'] for s in d['sources'] if s['name'] == 'libpci']" | grep -q ok ||
	fail "libpci not ok on the full tree: $(json_get "$T/0.json" "d['sources']")"
c=$(readlink -f "$T/root/sys/bus/pci/devices/0000:01:00.0")/config
[ "$(stat -c %s "$c")" -ge 4096 ] || skip "fixture config space shorter than 4096 bytes"
truncate -s 256 "$c"
"$VFSCOPE" snapshot --json --sysroot "$T/root" > "$T/1.json" 2>/dev/null || fail "snapshot rc=$?"
d=$(json_get "$T/1.json" "[s['status'] + ': ' + s.get('detail', '') for s in d['sources'] if s['name'] == 'libpci'][0]")
case $d in
"partial: 1 PF config spaces readable only in part: the tree's config file holds only 256 of 4096 bytes"*) ;;
*) fail "libpci source: $d" ;;
esac
case $d in *root*) fail "says root under a sysroot: $d" ;; esac
echo ok
