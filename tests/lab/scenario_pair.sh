#!/bin/bash
# KVM failover pairs for real (tests/lab/scenarios/pair.sh, "# lab: failover 2"):
# QEMU 10's virtio-net failover=on + e1000e failover_pair_id. Asserts what the
# guest kernel built (net_failover's three devices, the standby's "sby", the
# kernel's failover lines, the primary gone after QMP device_del) and what
# vfscope checks on each captured tree (the same binary, --sysroot):
#   pair-healthy      no pair finding (the primary carries the data path)
#   pair-primary-gone VFS027 (master without primary) error on pair 0's master
#   pair-bond         bond0 over pair 1 (accelerated) and pair 0 (no primary), active-backup
#                     without a primary: VFS030, and VFS027 still on pair 0
# LAB_KEEP=DIR keeps the VM's output (tests/fixtures/lab/pair-* are copies of one).
set -u
. "$TOP/tests/lib.sh"
out=${LAB_KEEP:-$(mktemp -d)}; mkdir -p "$out"
[ -n "${LAB_KEEP:-}" ] || trap 'rm -rf $out' EXIT
"$TOP/tests/lab/vm-run" "$TOP/tests/lab/scenarios/pair.sh" "$out"; rc=$?
[ $rc = 77 ] && exit 77
[ $rc = 0 ] || fail "vm-run rc=$rc"
python3 - "$out" "$VFSCOPE" <<'PY' || fail "see above"
import json, os, re, subprocess, sys
out, vfscope = sys.argv[1:]
bad = []
def rd(*p):
    try:
        return open(os.path.join(out, *p)).read()
    except OSError as e:
        bad.append(str(e)); return ''
def names(sc):
    return dict(x.split('=', 1) for x in rd(sc, 'names.txt').split())
def link(sc, dev, attr):
    p = os.path.join(out, sc, 'host/sys/class/net', dev, attr)
    return os.path.basename(os.readlink(p)) if os.path.islink(p) else None
def check(sc):
    r = subprocess.run([vfscope, 'check', '--json', '--sysroot', os.path.join(out, sc, 'host')],
                       capture_output=True, text=True)
    try:
        return json.loads(r.stdout)['findings']
    except Exception as e:
        bad.append('%s: check output: %s %s' % (sc, e, r.stderr[-300:])); return []
def ids(fs, rid, subj=None):
    return [f for f in fs if f['id'].startswith(rid) and (subj is None or f['subject'].endswith(subj))]

n = names('pair-healthy')
M0, S0, P0, M1 = n['M0'], n['S0'], n['P0'], n['M1']
# the kernel's three-device model
if rd('pair-healthy', 'host/sys/class/net', S0, 'phys_port_name').strip() != 'sby':
    bad.append('standby %s phys_port_name is not sby' % S0)
for dev in (S0, P0):
    if link('pair-healthy', dev, 'master') != M0:
        bad.append('healthy: %s master is %s, not %s' % (dev, link('pair-healthy', dev, 'master'), M0))
if 'driver: net_failover' not in rd('pair-healthy', 'host/ethtool-i', M0):
    bad.append('healthy: ethtool -i %s does not say net_failover' % M0)
log = rd('pair-healthy', 'host/dmesg.txt')
for l in ('failover master:%s registered' % M0, 'failover standby slave:%s registered' % S0,
          'failover primary slave:%s registered' % P0):
    if l not in log:
        bad.append('healthy: no kernel line "%s"' % l)
# device_del primary0: the primary is gone and the kernel said so
# names.txt keeps the names the pairs had when plugged; the tree says what is left
if os.path.exists(os.path.join(out, 'pair-primary-gone/host/sys/class/net', P0)):
    bad.append('primary-gone: %s still in the tree' % P0)
if 'failover primary slave:%s unregistered' % P0 not in rd('pair-primary-gone', 'host/dmesg.txt'):
    bad.append('primary-gone: no "primary slave:%s unregistered" line' % P0)
# bond over both masters
if link('pair-bond', M0, 'master') != 'bond0' or link('pair-bond', M1, 'master') != 'bond0':
    bad.append('bond: masters not both in bond0')

# vfscope on the trees
h = check('pair-healthy')
for rid in ('VFS025', 'VFS026', 'VFS027', 'VFS028', 'VFS029', 'VFS030'):
    if ids(h, rid):
        bad.append('healthy: %s fired: %s' % (rid, [f['subject'] for f in ids(h, rid)]))
gone = check('pair-primary-gone')
f = ids(gone, 'VFS027', ' ' + M0)
if len(f) != 1 or f[0]['severity'] != 'error':
    bad.append('primary-gone: VFS027 on %s: %s' % (M0, [(x['id'], x['subject'], x['severity']) for x in gone]))
b = check('pair-bond')
if not ids(b, 'VFS027', ' ' + M0):
    bad.append('bond: no VFS027 on %s' % M0)
if not ids(b, 'VFS030', ' bond0'):
    bad.append('bond: no VFS030 on bond0: %s' % [(x['id'], x['subject']) for x in b])
for x in bad:
    print('FAIL: ' + x)
sys.exit(1 if bad else 0)
PY
echo ok
