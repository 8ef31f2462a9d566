#!/bin/bash
# contrib/hyperv/collect.ps1 held against docs/hyperv.md, the export
# fixtures and the reader. There is no PowerShell here (pwsh is not
# installed, nor is Hyper-V), so the script is checked as text: it calls
# only the inbox cmdlets issue 16 lists (plus a fixed set of harmless
# utility cmdlets) and nothing that changes a system; its host and guest
# cmdlet tables are exactly those lists and each entry runs the cmdlet it
# is named for; the file names it writes are the ones docs/hyperv.md
# lists and the fixtures hold; the committed fixtures are what
# tests/fixtures/hyperv/build writes; and the reader recognises every
# file of every fixture as the kind its name says.
set -u
. "$TOP/tests/lib.sh"
if command -v pwsh >/dev/null || command -v powershell >/dev/null; then
	echo "note: a PowerShell is installed; this test still checks collect.ps1 as text only"
fi
python3 "$TOP/tests/fixtures/hyperv/build" --check || fail "committed fixtures differ from tests/fixtures/hyperv/build"
python3 - "$TOP" <<'PY' || fail "collect.ps1 checks"
import os, re, sys
top = sys.argv[1]
ps = open(os.path.join(top, "contrib/hyperv/collect.ps1"), encoding="utf-8").read()
doc = open(os.path.join(top, "docs/hyperv.md"), encoding="utf-8").read()
HOST = ["Get-VMHost", "Get-VMSwitch", "Get-VMNetworkAdapter", "Get-NetAdapter", "Get-NetAdapterSriov",
        "Get-NetAdapterSriovVf", "Get-NetLbfoTeam", "Get-NetLbfoTeamMember"]
GUEST = ["Get-NetLbfoTeam", "Get-NetLbfoTeamMember", "Get-NetLbfoTeamNic", "Get-NetAdapter", "Get-NetAdapterSriovVf"]
UTIL = {"Set-StrictMode", "Get-Command", "Get-Date", "Get-Location", "Join-Path", "Test-Path", "Get-ChildItem",
        "Select-Object", "New-Item", "New-Object", "Out-File", "Out-Null", "ConvertTo-Json", "Compress-Archive",
        "Write-Error", "Write-Warning", "Write-Output"}
bad = []
# Code only: drop <# ... #> help and # comments (not inside strings: the
# script has no '#' in a string).
code = re.sub(r"<#.*?#>", "", ps, flags=re.S)
code = "\n".join(l.split("#", 1)[0] for l in code.split("\n"))
used = set(re.findall(r"\b([A-Z][a-z]+-[A-Z][A-Za-z]+)\b", code))
allowed = set(HOST) | set(GUEST) | UTIL
# The script's own functions, which must not shadow a cmdlet it relies on.
own = set(re.findall(r"^function\s+([A-Za-z]+-[A-Za-z]+)", code, re.M))
for c in sorted(own & allowed):
    bad.append("collect.ps1 defines a function %s, shadowing the cmdlet" % c)
used -= own
for c in sorted(used - allowed):
    bad.append("calls %s, which is neither a listed inbox cmdlet nor an allowed utility" % c)
for c in sorted(used):
    verb = c.split("-")[0]
    if verb not in ("Get", "ConvertTo", "Out", "Join", "Test", "Select", "Write", "Compress") and \
            c not in ("Set-StrictMode", "New-Item", "New-Object"):
        bad.append("%s changes something (verb %s)" % (c, verb))
# Nothing run through Invoke-Expression, & 'string', Start-Process, .NET process APIs.
for pat in (r"Invoke-Expression", r"\biex\b", r"Start-Process", r"Diagnostics\.Process", r"&\s*['\"]", r"Remove-", r"Set-Net",
            r"Set-VM", r"Enable-", r"Disable-", r"Restart-", r"Rename-"):
    if re.search(pat, code):
        bad.append("collect.ps1 contains %r" % pat)
def table(name):
    m = re.search(r"\$%s\s*=\s*\[ordered\]@\{(.*?)\n\}" % name, code, re.S)
    if not m:
        bad.append("no $%s table" % name)
        return []
    rows = re.findall(r"'([A-Za-z-]+)'\s*=\s*\{\s*([A-Za-z-]+)([^}]*)\}", m.group(1))
    for key, cmd, args in rows:
        if key != cmd:
            bad.append("$%s entry %s runs %s" % (name, key, cmd))
        if args.strip() not in ("", "-All") or (args.strip() == "-All" and cmd != "Get-VMNetworkAdapter"):
            bad.append("$%s entry %s has arguments %r" % (name, key, args.strip()))
    return [k for k, _, _ in rows]
h, g = table("HostCmdlets"), table("GuestCmdlets")
if sorted(h) != sorted(HOST):
    bad.append("host cmdlets %s, want %s" % (h, HOST))
if sorted(g) != sorted(GUEST):
    bad.append("guest cmdlets %s, want %s" % (g, GUEST))
if 'Get-VMNetworkAdapter -All' not in code:
    bad.append("Get-VMNetworkAdapter without -All (the management OS's vNICs would be missing)")
# File names: <cmdlet>.json, errors.json, collect.json, as the doc's table lists.
if not re.search(r'"\$name\.json"', code):
    bad.append("collect.ps1 does not write <cmdlet>.json")
for f in ("errors.json", "collect.json"):
    if "'%s'" % f not in code:
        bad.append("collect.ps1 does not write %s" % f)
docfiles = set(re.findall(r"^\| `([A-Za-z-]+\.json)` \|", doc, re.M))
want = {c + ".json" for c in HOST + GUEST} | {"errors.json", "collect.json"}
if docfiles != want:
    bad.append("docs/hyperv.md's table lists %s, collect.ps1 writes %s" % (sorted(docfiles), sorted(want)))
for c in HOST + GUEST:
    if c not in doc:
        bad.append("docs/hyperv.md does not name %s" % c)
# The fixtures hold exactly what collect.ps1 writes for their role, less
# the cmdlets their errors.json lists.
import json
fx = os.path.join(top, "tests/fixtures/hyperv")
def load(p):
    b = open(p, "rb").read()
    return json.loads(b[2:].decode("utf-16-le") if b[:2] == b"\xff\xfe" else b.decode("utf-8"))
n = 0
for case in sorted(os.listdir(fx)):
    for form in ("ps51", "ps7"):
        base = os.path.join(fx, case, form)
        if not os.path.isdir(base):
            continue
        dirs = [("host", HOST, os.path.join(base, "host"))]
        gd = os.path.join(base, "guests")
        for vm in sorted(os.listdir(gd)) if os.path.isdir(gd) else []:
            dirs.append(("guest", GUEST, os.path.join(gd, vm)))
        for role, cmds, d in dirs:
            errs = {e["cmdlet"] for e in load(os.path.join(d, "errors.json"))}
            info = load(os.path.join(d, "collect.json"))
            have = set(os.listdir(d))
            exp = {c + ".json" for c in cmds if c not in errs} | {"errors.json", "collect.json"}
            if have != exp:
                bad.append("%s: files %s, collect.ps1 writes %s" % (os.path.relpath(d, fx), sorted(have), sorted(exp)))
            if info.get("role") != role or sorted(info.get("files", [])) != sorted(exp - {"errors.json", "collect.json"}):
                bad.append("%s: collect.json %s" % (os.path.relpath(d, fx), info))
            n += 1
if n < 40:
    bad.append("only %d fixture folders checked" % n)
for b in bad:
    print("FAIL:", b)
print("collect.ps1: %d cmdlets, %d fixture folders checked" % (len(used), n))
sys.exit(1 if bad else 0)
PY
# The reader: every Get-X.json of a fixture is recognised as X.
if ! "$VFSCOPE" snapshot --help 2>&1 | grep -q -- '--hyperv'; then
	fail "this vfscope has no --hyperv (the reader is part of issue 16)"
fi
d=$(mktemp -d); trap 'rm -rf $d' EXIT
for form in ps51 ps7; do
	"$VFSCOPE" snapshot --json --hyperv "$TOP/tests/fixtures/hyperv/three-members/$form" -o "$d/s.json" ||
		fail "snapshot --hyperv three-members/$form: exit $?"
	python3 - "$d/s.json" "$form" <<'PY' || fail "reader does not recognise the files collect.ps1 writes ($form)"
import json, sys
s = json.load(open(sys.argv[1]))
bad, seen = [], 0
def files(m):
    hv = m.get("hyperv") or {}
    return hv.get("files") or []
machines = [s] + list(s.get("guests") or [])
for m in machines:
    for f in files(m):
        name = f.get("name", "").rsplit("/", 1)[-1]
        if not name.startswith("Get-"):
            continue
        seen += 1
        want = name[4:-5]
        if f.get("kind") != want:
            bad.append("%s read as %r, want %r" % (f.get("name"), f.get("kind"), want))
if seen < 10:
    bad.append("only %d Get-*.json files listed in the snapshot's hyperv.files" % seen)
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
done
echo "collect.ps1, docs/hyperv.md, the fixtures and the reader agree"
