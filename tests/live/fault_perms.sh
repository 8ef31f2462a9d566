#!/bin/bash
# Permission denied on some sources: an unprivileged reader gets a partial
# result that says what it could not read, exit 0.
set -u
. "$TOP/tests/lib.sh"
need_root
command -v setpriv >/dev/null || skip "setpriv not installed"
d=$(mktemp -d); trap 'rm -rf $d' EXIT
"$TOP/bench/gen-sysroot" "$d/root" --pfs 1 --vfs 2 --bond || fail "gen-sysroot"
chmod -R a+rX "$d"
chmod 000 "$d"/root/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/sriov_numvfs
chmod 000 "$d"/root/sys/devices/virtual/net/bond0/bonding/mode
bin=$(mktemp -p "$d" vfscope.XXXX); cp "$VFSCOPE" "$bin"; chmod 755 "$bin"
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$bin" snapshot --json --sysroot "$d/root" > "$d/out.json" 2>"$d/err"
rc=$?
[ $rc = 0 ] || { cat "$d/err"; fail "rc=$rc"; }
[ "$(json_get "$d/out.json" "[s['status'] for s in d['sources'] if s['name']=='sysfs'][0]")" = partial ] || fail "sysfs not partial"
json_get "$d/out.json" "[s['detail'] for s in d['sources'] if s['name']=='sysfs'][0]" | grep -q 'permission denied' || fail "no reason"
[ "$(json_get "$d/out.json" "d['pfs'][0]['sriov_numvfs']")" = None ] || fail "unreadable value must be unknown (null)"
[ "$(json_get "$d/out.json" "d['pfs'][0]['sriov_totalvfs']")" = 7 ] || fail "readable values still read"
echo ok
