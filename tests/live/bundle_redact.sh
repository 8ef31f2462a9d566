#!/bin/bash
# --redact: no original MAC, IP or host name left in any file of the bundle
# (extract and grep each one from the snapshot), the same MAC maps to the
# same token everywhere (correlation still finds the same findings).
set -u
. "$TOP/tests/lib.sh"
F=$TOP/tests/fixtures/bundle/sysroot
[ -d "$F/sys" ] || skip "no fixture sysroot"
T=$(mktemp -d); trap 'rm -rf $T' EXIT
G=$TOP/tests/fixtures/bundle/guest.json   # a guest bonding VF 1 of each PF
"$VFSCOPE" snapshot --json --sysroot "$F" --guest-file "$G" > "$T/live.json" || fail snapshot
"$VFSCOPE" bundle --sysroot "$F" --guest-file "$G" -o "$T/r.tar.gz" -d 0 --redact >/dev/null || fail "bundle --redact rc=$?"
mkdir "$T/x" && tar xzf "$T/r.tar.gz" -C "$T/x" || fail extract
python3 - "$T/live.json" "$F/kmsg.txt" > "$T/secrets" <<'P'
import json, re, sys
s = json.dumps(json.load(open(sys.argv[1]))) + open(sys.argv[2]).read()
out = set(m.lower() for m in re.findall(r'(?<![0-9a-fA-F:])[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}(?![0-9a-fA-F:])', s))
out |= set(re.findall(r'(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d])', s))
d = json.load(open(sys.argv[1]))
out.add(d["hostname"])
for g in d["guests"]:
    out.add(g["hostname"]); out.add(g["hostname"].split(".")[0])
print("\n".join(sorted(x for x in out if x not in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff"))))
P
[ "$(wc -l < "$T/secrets")" -ge 8 ] || fail "expected many MACs/IPs in the fixture, got $(cat "$T/secrets")"
grep -q 192.0.2.1 "$T/secrets" || fail "fixture IP not seen"
grep -q 192.0.2.99 "$T/secrets" || fail "guest IP not seen"
grep -q guest-vm1 "$T/secrets" || fail "guest host name not seen"
while read -r s; do
	if grep -rqiF -- "$s" "$T/x"; then
		fail "original '$s' left in: $(grep -rliF -- "$s" "$T/x" | head -3)"
	fi
done < "$T/secrets"
# the archive itself (names, link targets) holds no host name either
tar tvzf "$T/r.tar.gz" | grep -qi synthetic && fail "host name in the tar listing"
[ "$(json_get "$T/x/manifest.json" "d['redacted']")" = True ] || fail "manifest redacted flag"
[ "$(json_get "$T/x/manifest.json" "d['redaction']['macs'] >= 6")" = True ] || fail "manifest redaction counts"
# consistent tokens: VF MAC (PF's view, from netlink) equals the member's permanent MAC
"$VFSCOPE" snapshot --json --from "$T/r.tar.gz" > "$T/red.json" || fail "snapshot --from redacted"
[ "$(json_get "$T/red.json" "d['pfs'][0]['vfs'][0]['mac'] == d['teams'][0]['members'][0]['perm_mac']")" = True ] ||
	fail "VF MAC and member MAC no longer match"
[ "$(json_get "$T/red.json" "d['pfs'][0]['vfs'][0]['mac'] == open('$T/x/sys/class/net/eth1/address').read().strip()")" = True ] ||
	fail "sysfs address file and JSON got different tokens"
[ "$(json_get "$T/red.json" "[v.get('used_by') for p in d['pfs'] for v in p['vfs']]")" = \
  "$(json_get "$T/live.json" "[v.get('used_by') for p in d['pfs'] for v in p['vfs']]")" ] || fail "guest correlation lost"
[ "$(json_get "$T/red.json" "d['guests'][0]['teams'][0]['members'][1].get('backing')")" = "{'pf': 1, 'vf': 1}" ] ||
	fail "guest member backing lost"
"$VFSCOPE" check --json --sysroot "$F" --guest-file "$G" > "$T/c1.json"
"$VFSCOPE" check --json --from "$T/r.tar.gz" > "$T/c2.json"
[ "$(json_get "$T/c1.json" "sorted(f['id'] for f in d['findings'])")" = "$(json_get "$T/c2.json" "sorted(f['id'] for f in d['findings'])")" ] ||
	fail "findings differ after redaction"
echo ok
