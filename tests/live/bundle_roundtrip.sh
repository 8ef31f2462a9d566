#!/bin/bash
# A bundle of the fixture sysroot read back with --from gives the same
# snapshot JSON (minus time fields) and the same `check --json` findings;
# the tar listing and manifest are what docs/bundle.md says; --sysroot on
# the extracted tree reads the same model; lspci -F reads pci/*.lspci.
set -u
. "$TOP/tests/lib.sh"
F=$TOP/tests/fixtures/bundle/sysroot
[ -d "$F/sys" ] || skip "no fixture sysroot (tests/fixtures/bundle/make.sh)"
T=$(mktemp -d); trap 'rm -rf $T' EXIT
norm() { python3 - "$1" <<'P'
import json, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if k not in ("time", "time_ns", "collect_ms", "root")}
    if isinstance(o, list):
        return [strip(x) for x in o]
    return o
print(json.dumps(strip(json.load(open(sys.argv[1]))), indent=1, sort_keys=True))
P
}
"$VFSCOPE" bundle --sysroot "$F" -o "$T/b.tar.gz" -d 0 > "$T/out" || fail "bundle rc=$?"
[ "$(cat "$T/out")" = "$T/b.tar.gz" ] || fail "bundle prints the path it wrote"
[ ! -e "$T/b.tar.gz.part" ] || fail "temporary .part left behind"
"$VFSCOPE" snapshot --json --sysroot "$F" > "$T/live.json" || fail "snapshot live"
"$VFSCOPE" snapshot --json --from "$T/b.tar.gz" > "$T/from.json" || fail "snapshot --from rc=$?"
diff <(norm "$T/live.json") <(norm "$T/from.json") || fail "snapshot --from differs from the sysroot snapshot"
"$VFSCOPE" check --json --sysroot "$F" > "$T/c1.json"; r1=$?
"$VFSCOPE" check --json --from "$T/b.tar.gz" > "$T/c2.json"; r2=$?
[ $r1 = $r2 ] || fail "check exit code $r1 live, $r2 from bundle"
cmp "$T/c1.json" "$T/c2.json" || fail "check --json differs"
[ "$(json_get "$T/c2.json" "d['summary']['total']")" -gt 0 ] || fail "fixture should have findings"
# text output from the bundle also works
"$VFSCOPE" snapshot --from "$T/b.tar.gz" | grep -q 'team bond0' || fail "text snapshot --from"

tar tzf "$T/b.tar.gz" > "$T/list" || fail "tar cannot list the bundle"
for f in manifest.json snapshot.json findings.json netlink.json ip-link.json kmsg.txt events.jsonl \
	pci/0000:01:00.0.lspci proc/sys/kernel/hostname sys/class/net/eth0 sys/class/net/bond0 \
	sys/bus/pci/devices/0000:01:00.0 sys/bus/pci/devices/0000:01:10.0 \
	sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/sriov_numvfs \
	sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/virtfn0 \
	sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/config \
	sys/devices/virtual/net/bond0/bonding/mode; do
	grep -qx "$f/\?" "$T/list" || fail "missing from the tar: $f"
done
tar tvzf "$T/b.tar.gz" | grep -q '^l.* sys/class/net/eth0 -> ../../devices/' || fail "sys/class/net links not kept as links"
mkdir "$T/x" && tar xzf "$T/b.tar.gz" -C "$T/x" || fail "extract"
M=$T/x/manifest.json
[ "$(json_get "$M" "d['partial']")" = False ] || fail "manifest partial"
[ "$(json_get "$M" "d['host']")" = synthetic ] || fail "manifest host"
[ "$(json_get "$M" "d['command_line'][0]")" = bundle ] || fail "manifest command line"
[ "$(json_get "$M" "[s['status'] for s in d['sources'] if s['name']=='sysfs'][0]")" = ok ] || fail "manifest sources"
[ "$(json_get "$M" "len([f for f in d['failed'] if f['name']=='control.pcap' and f['error']])")" = 1 ] || fail "pcap reason"
[ "$(json_get "$M" "len([f for f in d['failed'] if f['name']=='drvinfo.json'])")" = 1 ] || fail "drvinfo reason"
# the extracted tree is a sysroot
"$VFSCOPE" snapshot --json --sysroot "$T/x" > "$T/x.json" || fail "snapshot --sysroot extracted"
for q in "len(d['pfs'])" "len(d['netdevs'])" "[len(t['members']) for t in d['teams']]" \
	"[v['mac'] for p in d['pfs'] for v in p['vfs']]" "[p['sriov_cap']['total_vfs'] for p in d['pfs']]" "len(d.get('kmsg',[]))"; do
	[ "$(json_get "$T/live.json" "$q")" = "$(json_get "$T/x.json" "$q")" ] || fail "extracted tree differs: $q"
done
# an extracted directory works with --from too
"$VFSCOPE" check --json --from "$T/x" > "$T/c3.json"
cmp "$T/c1.json" "$T/c3.json" || fail "check --from DIR differs"
if command -v lspci >/dev/null; then
	lspci -F "$T/x/pci/0000:01:00.0.lspci" -vvv 2>/dev/null | grep -q 'Single Root I/O Virtualization' ||
		fail "lspci -F does not read pci/0000:01:00.0.lspci"
fi
# with a guest: the bundle's model carries it, correlated the same way
G=$TOP/tests/fixtures/bundle/guest.json
"$VFSCOPE" bundle --sysroot "$F" --guest-file "$G" -o "$T/g.tar.gz" -d 0 >/dev/null || fail "bundle with guest"
"$VFSCOPE" snapshot --json --sysroot "$F" --guest-file "$G" > "$T/gl.json"
"$VFSCOPE" snapshot --json --from "$T/g.tar.gz" > "$T/gf.json"
diff <(norm "$T/gl.json") <(norm "$T/gf.json") || fail "guest snapshot differs"
"$VFSCOPE" check --json --sysroot "$F" --guest-file "$G" > "$T/g1.json"
"$VFSCOPE" check --json --from "$T/g.tar.gz" > "$T/g2.json"
cmp "$T/g1.json" "$T/g2.json" || fail "check with guest differs"
# errors: not a bundle, missing file
echo junk > "$T/junk.tar.gz"
"$VFSCOPE" snapshot --from "$T/junk.tar.gz" >/dev/null 2>"$T/err"; [ $? = 2 ] || fail "junk bundle should exit 2"
"$VFSCOPE" snapshot --from "$T/nope" >/dev/null 2>&1; [ $? = 2 ] || fail "missing bundle should exit 2"
echo ok
