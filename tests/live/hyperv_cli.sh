#!/bin/bash
# --hyperv / --hyperv-guest through the commands (issue 16): snapshot text
# and JSON (valid against docs/schema/snapshot.json, the same view from the
# 5.1 and 7 exports), check --json (check.json), metrics --once (promtool),
# a bundle read back with --from giving the same snapshot, the zip form, and
# the errors: a hostile export or a bad option combination exits 2 with one
# message and prints no model.
set -u
. "$TOP/tests/lib.sh"
FX=$TOP/tests/fixtures/hyperv
PY=/usr/bin/python3
d=$(mktemp -d); trap 'rm -rf $d' EXIT

# snapshot text: the path down to the disconnected NIC
"$VFSCOPE" snapshot --hyperv "$FX/pnic-down-teaming-off/ps51" > "$d/s.txt" || fail "snapshot rc=$?"
grep -q "hyper-v host HV01" "$d/s.txt" || fail "no host line"
grep -q -- "-> host vNIC NIC-B (AllowTeaming Off, IovWeight 100, VF yes, status Ok) -> switch SRIOV-B -> NIC SLOT 3 Port 1 link Disconnected/Disconnected" "$d/s.txt" ||
	fail "member path not printed"

for e in ps51 ps7; do
	"$VFSCOPE" snapshot --json --hyperv "$FX/healthy/$e" > "$d/$e.json" || fail "snapshot --json $e"
	"$VFSCOPE" check --json --hyperv "$FX/healthy/$e" > "$d/check-$e.json"; [ $? -le 1 ] || fail "check $e"
done
if [ -x $PY ] && $PY -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null; then
	$PY - "$TOP/docs/schema" "$d" <<'PYEOF' || fail "schema"
import json, sys, jsonschema
sch, d = sys.argv[1], sys.argv[2]
snap = json.load(open(sch + "/snapshot.json"))
chk = json.load(open(sch + "/check.json"))
for e in ("ps51", "ps7"):
    jsonschema.Draft202012Validator(snap).validate(json.load(open(f"{d}/{e}.json")))
    jsonschema.Draft202012Validator(chk).validate(json.load(open(f"{d}/check-{e}.json")))
def view(p):
    h = json.load(open(p))["hyperv"]
    for k in ("files", "ps_version"):
        h.pop(k, None); h["src"].pop(k, None)
    return h
assert view(f"{d}/ps51.json") == view(f"{d}/ps7.json"), "5.1 and 7 exports differ"
assert json.load(open(f"{d}/ps51.json"))["hyperv"]["vnics"][0]["allow_teaming"] == 0  # On
PYEOF
else
	echo "no python3-jsonschema: schema checks skipped"
fi

command -v promtool >/dev/null && {
	"$VFSCOPE" metrics --once --hyperv "$FX/healthy/ps51" > "$d/m.prom" || fail "metrics rc=$?"
	promtool check metrics < "$d/m.prom" || fail "promtool"
	grep -q '^vfscope_hyperv_vnic_allow_teaming{vm="vm-app01",vnic="NIC-A"} 1$' "$d/m.prom" || fail "allow_teaming metric"
	grep -q '^vfscope_collector_success{source="hyperv"} 1$' "$d/m.prom" || fail "collector step"
}

# bundle and back
"$VFSCOPE" bundle -q -o "$d/b.tar.gz" --hyperv "$FX/healthy/ps51" > /dev/null || fail "bundle rc=$?"
"$VFSCOPE" snapshot --hyperv "$FX/healthy/ps51" > "$d/direct.txt"
"$VFSCOPE" snapshot --from "$d/b.tar.gz" > "$d/back.txt" || fail "snapshot --from bundle"
diff <(sed 1d "$d/direct.txt") <(sed 1d "$d/back.txt") > /dev/null || { diff "$d/direct.txt" "$d/back.txt" | head; fail "bundle round trip differs"; }

# the parent of the export folder, the zip of the folder, and --hyperv-guest
mkdir "$d/parent"; cp -r "$FX/healthy/ps51" "$d/parent/vfscope-hyperv-HV01"
"$VFSCOPE" snapshot --hyperv "$d/parent" | grep -q -- "-> host vNIC NIC-A" || fail "folder inside a folder"

"$VFSCOPE" snapshot --hyperv "$TOP/tests/fixtures/hyperv-reader/healthy-ps51.zip" | grep -q -- "-> host vNIC NIC-A" || fail "zip"
"$VFSCOPE" snapshot --hyperv "$FX/healthy/ps7/host" --hyperv-guest "vm-app01=$FX/healthy/ps7/guests/vm-app01" |
	grep -q -- "-> host vNIC NIC-B" || fail "--hyperv-guest"

# errors: one line, exit 2, no model on stdout
expect_err() {
	local want=$1; shift
	"$VFSCOPE" "$@" > "$d/out" 2> "$d/err"; local rc=$?
	[ $rc = 2 ] || fail "$* rc=$rc"
	[ ! -s "$d/out" ] || fail "$*: printed a model"
	grep -q -- "$want" "$d/err" || { cat "$d/err"; fail "$*: no '$want'"; }
	[ "$(wc -l < "$d/err")" = 1 ] || { cat "$d/err"; fail "$*: more than one line"; }
}
expect_err "hostile: bom-utf8-in-utf16-name.json: not JSON" check --hyperv "$FX/hostile"
mkdir "$d/deep"; cp "$FX/hostile/deep-nesting.json" "$d/deep/Get-VMSwitch.json"
expect_err "nested deeper than 64" snapshot --hyperv "$d/deep"
mkdir "$d/u16"; cp "$FX/hostile/invalid-utf16-lone-surrogate.json" "$d/u16/"
expect_err "invalid UTF-16" snapshot --hyperv "$d/u16"
expect_err "needs --hyperv" snapshot --hyperv-guest "x=$FX/healthy/ps7/guests/vm-app01"
expect_err "not with --sysroot" snapshot --hyperv "$FX/healthy/ps7" --sysroot /
expect_err "not a guest's" snapshot --hyperv "$FX/healthy/ps7/host" --hyperv-guest "x=$FX/healthy/ps51/host"
echo ok
