#!/bin/bash
# `vfscope top` live over real bonding in the lab (tests/lab/scenarios/top.sh):
# PF0's wire goes off under the active member of a guest bond that cannot
# see it. Asserted from the screens tmux read back in the VM:
#  - the member shows "UP (PF DOWN)" and VFS001 is on screen within two
#    refreshes (a refresh = the 1 s interval + one collection, measured in
#    the VM before: TCG makes it several seconds);
#  - the Events panel shows the PF's rtnetlink carrier change (marked PF)
#    and igb's "NIC Link is Down" kernel line;
#  - with ARP monitoring (VFS001's fix) the bond notices: the new active
#    member and bonding's failover line show, "UP (PF DOWN)" is gone;
#  - every rule ID on every screen (120 and 80 columns) is whole.
# LAB_KEEP=DIR keeps the VM's output.
set -u
. "$TOP/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
out=${LAB_KEEP:-$(mktemp -d)}; mkdir -p "$out"
[ -n "${LAB_KEEP:-}" ] || trap 'rm -rf $out' EXIT
LAB_ARGS="${LAB_ARGS:-} lab.capture=0" "$TOP/tests/lab/vm-run" --timeout 900 "$TOP/tests/lab/scenarios/top.sh" "$out"; rc=$?
[ $rc = 77 ] && exit 77
d=$out/top
show() { for f in "$d"/*.txt; do echo "--- ${f##*/}"; cat "$f"; done; cat "$d/top.err" 2>/dev/null; }
[ $rc = 0 ] || { show; fail "vm-run rc=$rc"; }
python3 - "$d" "$TOP" <<'PY' || { show; fail "see above"; }
import os, re, sys
d, top = sys.argv[1], sys.argv[2]
bad = []
t = {}
for l in open(os.path.join(d, 'times.txt')):
    k, v = l.split()
    t.setdefault(k, float(v))
c0, c1 = map(float, open(os.path.join(d, 'collect.txt')).read().split())
refresh = 1.0 + (c1 - c0)
budget = 2 * refresh + 1.0  # + polling the screen under TCG
print("one collection %.1f s, a refresh %.1f s, budget %.1f s" % (c1 - c0, refresh, budget))
for k in ('pfdown', 'nlevent', 'vfs001', 'kmsgevent'):
    if k not in t:
        bad.append("never seen: " + k)
        continue
    dt = t[k] - t['off']
    print("%-10s %.1f s after set_link n0 off" % (k, dt))
    if dt > budget:
        bad.append("%s took %.1f s, more than two refreshes (%.1f s)" % (k, dt, budget))
for k in ('failover', 'newactive', 'failevent'):
    if k in t:
        print("%-10s %.1f s after ARP monitoring was set" % (k, t[k] - t['fix']))
    else:
        bad.append("never seen: " + k)
names = dict(x.split('=') for x in open(os.path.join(d, 'names.txt')).read().split())
def screen(n):
    try:
        return open(os.path.join(d, n + '.txt')).read()
    except OSError:
        bad.append("no screen " + n)
        return ''
h = screen('hidden')
if not re.search(r'\*%s +UP \(PF DOWN\) +vf0 PF %s DOWN' % (names['M0'], names['PF0']), h):
    bad.append("hidden: no '*%s UP (PF DOWN) vf0 PF %s DOWN' member line" % (names['M0'], names['PF0']))
if not re.search(r'link +%s +PF carrier down' % names['PF0'], h):
    bad.append("hidden: no rtnetlink PF carrier event")
if 'UP (PF DOWN)' in screen('before'):
    bad.append("before: UP (PF DOWN) before the link went off")
n = screen('noticed')
if 'UP (PF DOWN)' in n:
    bad.append("noticed: still UP (PF DOWN) after the bond failed over")
if not re.search(r'\*%s ' % names['M1'], n):
    bad.append("noticed: %s not the active member" % names['M1'])
# Rule IDs: whole on every screen.
ids = set()
for f in os.listdir(os.path.join(top, 'rules')):
    if f.endswith('.c'):
        ids |= set(re.findall(r'"(VFS0\d\d-[a-z-]+)"', open(os.path.join(top, 'rules', f)).read()))
for f in sorted(os.listdir(d)):
    if not f.endswith('.txt'):
        continue
    for m in re.finditer(r'VFS0\d\d-[a-z-]*', open(os.path.join(d, f)).read()):
        if ids and m.group(0) not in ids:
            bad.append("%s: rule ID cut or unknown: %s" % (f, m.group(0)))
if not ids:
    bad.append("no rule IDs found in rules/*.c")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
echo ok
