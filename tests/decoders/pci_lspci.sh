#!/bin/bash
# vfscope pci against lspci on every dump we have (tests/fixtures/pci/*,
# /work/shared/data/*.lspci, tests/corpus/pci/*):
#  - a file with a hex dump: `lspci -F FILE -vv` and `vfscope pci --pci-dump
#    FILE` must name the same SR-IOV PFs with the same IOVCap/IOVCtl/IOVSta,
#    VF counts, offset, stride, VF device ID, page sizes, VF regions, VF
#    Migration, ARI and LnkCap/LnkSta (speed, width, downgraded);
#  - the text lspci prints for it (-vv, -nnvv, -vvv; tab-indented,
#    space-indented, CRLF) must decode to the same fields as the hex dump;
#    -v text (no SR-IOV details) must give `?`, never a value;
#  - a text-only file (a customer's lspci -vv): vfscope's decode must carry
#    the values the file's own SR-IOV block states;
#  - a file with no SR-IOV says what it held, not a bare "none found".
# The lspci text is read by the Python below, not by vfscope's parser.
set -u
cd "$(dirname "$0")/../.."
V=${VFSCOPE:-$PWD/vfscope}
[ -x "$V" ] || { echo "no vfscope binary at $V"; exit 77; }
command -v lspci >/dev/null || { echo "lspci not installed (pciutils)"; exit 77; }
files=()
for f in tests/fixtures/pci/* /work/shared/data/*.lspci tests/corpus/pci/*; do
	[ -f "$f" ] || continue
	case $f in */SOURCES|*/README*) continue ;; esac
	files+=("$f")
done
[ ${#files[@]} -gt 0 ] || { echo "no dumps found"; exit 1; }
VFSCOPE=$V python3 - "${files[@]}" <<'PY'
import os, re, subprocess, sys, tempfile

V = os.environ["VFSCOPE"]
HDR = re.compile(r'^(?:([0-9a-f]{4,5}):)?([0-9a-f]{2}):([0-9a-f]{2})\.([0-7])(?=\s|$)')
HEX = re.compile(r'^[0-9a-f]{2,8}: [0-9a-f]{2}( |$)')

def parse(text):
    """lspci -vv text (or vfscope pci's, which prints the same lines) ->
    {addr: fields}. Only what both print; None where a line says '?'."""
    devs, d, cap = {}, None, None
    for raw in text.splitlines():
        line = raw.rstrip('\r')
        m = HDR.match(line)
        if m:
            addr = '%04x:%s:%s.%s' % (int(m.group(1) or '0', 16), m.group(2), m.group(3), m.group(4))
            d = devs.setdefault(addr, {'sriov': None, 'ari': None, 'lnkcap': None, 'lnksta': None, 'ids': None})
            ids = re.findall(r'\[(?:0x)?([0-9a-f]{4}):(?:0x)?([0-9a-f]{4})\]', line)
            if ids:
                d['ids'] = ids[-1]
            cap = None
            continue
        if d is None or not line.strip() or HEX.match(line):
            continue
        s = line.strip()
        if s.startswith('Capabilities:'):
            cap = 'sriov' if 'Single Root I/O Virtualization (SR-IOV)' in s else 'other'
            if 'Alternative Routing-ID Interpretation (ARI)' in s:
                d['ari'] = True
            if cap == 'sriov':
                d['sriov'] = {}
            continue
        if s.startswith('Single Root I/O Virtualization (SR-IOV)'):   # vfscope
            cap = 'sriov'; d['sriov'] = {}; continue
        if s.startswith('Alternative Routing-ID Interpretation (ARI):'):  # vfscope
            v = s.split(':', 1)[1].strip()
            d['ari'] = {'present': True, 'absent': False}.get(v)
            cap = None; continue
        if s.startswith('Express '):
            cap = None; continue
        if s.startswith('LnkCap:') and d['lnkcap'] is None:
            m = re.search(r'Speed (\S+?), Width x(\d+)', s)
            d['lnkcap'] = (m.group(1), int(m.group(2))) if m else 'bad'
            continue
        if s.startswith('LnkSta:') and d['lnksta'] is None:
            m = re.search(r'Speed (\S+?)( \((\w+)\))?, Width x(\d+)( \((\w+)\))?', s)
            d['lnksta'] = (m.group(1), m.group(3) == 'downgraded', int(m.group(4)), m.group(6) == 'downgraded') if m else 'bad'
            continue
        if cap != 'sriov' or d['sriov'] is None:
            continue
        x = d['sriov']
        def fl(name):
            m = re.search(r'(?:^|[\s,])' + name + r'([+\-?])', s)
            return None if not m or m.group(1) == '?' else m.group(1) == '+'
        if s.startswith('IOVCap:'):
            x['cap_migration'] = fl('Migration')
            x['cap_10bit'] = fl('10BitTagReq')
            m = re.search(r'Interrupt Message Number: ([0-9a-f]+)', s) or re.search(r'IntMsgNum (\d+)', s)
            x['imn'] = None if not m else int(m.group(1), 16 if 'Number' in m.group(0) else 10)
        elif s.startswith('IOVCtl:'):
            for n in ('Enable', 'Migration', 'Interrupt', 'MSE', 'ARIHierarchy', '10BitTagReq'):
                x['ctl_' + n] = fl(n)
        elif s.startswith('IOVSta:'):
            x['sta_migration'] = fl('Migration')
        elif s.startswith('Initial VFs:'):
            for k, key, base in (('initial', 'Initial VFs', 10), ('total', 'Total VFs', 10),
                                 ('num', 'Number of VFs', 10), ('fdl', 'Function Dependency Link', 16)):
                m = re.search(key + r': ([0-9a-f]+)', s)
                x[k] = int(m.group(1), base) if m else None
        elif s.startswith('VF offset:'):
            for k, key, base in (('offset', 'VF offset', 10), ('stride', 'stride', 10), ('vfdev', 'Device ID', 16)):
                m = re.search(key + r': ([0-9a-f]+)', s)
                x[k] = int(m.group(1), base) if m else None
        elif s.startswith('Supported Page Size:'):
            m = re.search(r'Supported Page Size: ([0-9a-f]+), System Page Size: ([0-9a-f]+)', s)
            x['pages'] = (int(m.group(1), 16), int(m.group(2), 16)) if m else None
        elif s.startswith('Region '):
            m = re.match(r'Region (\d): Memory at ([0-9a-f]+) \((32|64)-bit, (non-)?prefetchable\)$', s)
            x.setdefault('regions', []).append((int(m.group(1)), int(m.group(2), 16), m.group(3), not m.group(4)) if m else 'bad')
        elif s.startswith('Regions: ?'):
            x['regions'] = None
        elif s.startswith('VF Migration:'):
            m = re.search(r'offset: ([0-9a-f]+), BIR: ([0-9a-f]+)', s)
            x['vfmig'] = (int(m.group(1), 16), int(m.group(2), 16)) if m else None
    for d in devs.values():
        if d['sriov'] is not None and 'regions' not in d['sriov'] and 'vfmig' in d['sriov']:
            d['sriov']['regions'] = []   # lspci prints every non-zero VF BAR
    return devs

def run(*args):
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr

fails, compared, fields = [], 0, 0
def fail(msg):
    fails.append(msg)
    print('FAIL ' + msg)

def compare(name, want, got, keys=None, allow_unknown=False):
    """Every field of want's SR-IOV PFs equals got's (got None = '?' only if allowed)."""
    global compared, fields
    ws = {a for a, d in want.items() if d['sriov'] is not None}
    gs = {a for a, d in got.items() if d['sriov'] is not None}
    if ws != gs:
        fail('%s: SR-IOV PFs differ: expected %s, vfscope %s' % (name, sorted(ws), sorted(gs)))
        return
    for a in sorted(ws):
        w, g = want[a], got[a]
        pairs = [('sriov.' + k, w['sriov'].get(k), g['sriov'].get(k, 'missing')) for k in w['sriov']]
        pairs += [(k, w[k], g[k]) for k in ('ari', 'lnkcap', 'lnksta')]
        for k, wv, gv in pairs:
            if keys and k not in keys:
                continue
            if wv is None:
                continue
            if gv is None and allow_unknown:
                continue
            fields += 1
            if wv != gv:
                fail('%s %s: %s: expected %r, vfscope %r' % (name, a, k, wv, gv))
        compared += 1

def vfscope(path):
    rc, out, err = run(V, 'pci', '--pci-dump', path)
    if rc:
        fail('%s: vfscope pci exit %d: %s' % (path, rc, err.strip()))
    return out

tmp = tempfile.mkdtemp(prefix='vfst-pci-')
summary = []
for f in sys.argv[1:]:
    data = open(f, 'rb').read().decode('latin-1')
    has_hex = any(HEX.match(l) for l in data.splitlines())
    out = vfscope(f)
    mine = parse(out)
    nsr = sum(1 for d in mine.values() if d['sriov'] is not None)
    if not has_hex:
        # A customer's text: vfscope carries what its SR-IOV block says.
        own = parse(data)
        compare(f, own, mine)
        if not nsr and not re.search(r'no SR-IOV physical functions: .*no (hex dump|SR-IOV)', out):
            fail('%s: no SR-IOV and no account of what the file held: %r' % (f, out.strip()))
        summary.append('%-58s text  %d SR-IOV PF(s)' % (f, nsr))
        continue
    rc, lv, err = run('lspci', '-F', f, '-vv')
    if rc:
        fail('%s: lspci -F failed: %s' % (f, err.strip())); continue
    ref = parse(lv)
    compare(f + ' [hex vs lspci -F]', ref, mine)
    if not nsr and not re.search(r'no SR-IOV physical functions: .*no SR-IOV capability', out):
        fail('%s: no SR-IOV and no account of what the file held: %r' % (f, out.strip()))
    # The text lspci prints for the dump decodes as the dump does.
    base = os.path.join(tmp, os.path.basename(f))
    variants = {}
    for opt in ('-vv', '-nnvv', '-vvv'):
        variants[opt] = run('lspci', '-F', f, opt)[1]
    variants['-vv spaces'] = variants['-vv'].expandtabs(8)
    variants['-vv crlf'] = variants['-vv'].replace('\n', '\r\n')
    first = None
    for opt, text in variants.items():
        p = base + '.' + re.sub(r'\W+', '_', opt) + '.txt'
        open(p, 'w', newline='').write(text)
        tout = vfscope(p)
        compare('%s [lspci %s text vs hex]' % (f, opt), mine, parse(tout))
        if opt == '-nnvv':
            for a, d in parse(tout).items():
                if d['sriov'] is not None and mine[a]['ids'] != d['ids']:
                    fail('%s -nnvv %s: ids %r, hex %r' % (f, a, d['ids'], mine[a]['ids']))
        if not nsr and not re.search(r'no SR-IOV physical functions: .*no hex dump and no SR-IOV block in \d+ lines', tout):
            fail('%s: lspci %s text without SR-IOV: no account of what it held: %r' % (f, opt, tout.strip()))
        if opt in ('-vv', '-vv spaces', '-vv crlf'):
            tout = tout.replace(p, 'FILE')
            if first is None:
                first = tout
            elif tout != first:
                fail('%s: lspci %s text decodes differently from the tab-indented one' % (f, opt))
    # -v: the SR-IOV header without its registers: unknown, never a value.
    p = base + '.v.txt'
    open(p, 'w').write(run('lspci', '-F', f, '-v')[1])
    vout = vfscope(p)
    vv = parse(vout)
    for a, d in vv.items():
        if d['sriov'] is None:
            continue
        vals = {k: v for k, v in d['sriov'].items() if v is not None}
        if vals:
            fail('%s -v %s: values from a text that has none: %r' % (f, a, vals))
    compare(f + ' [-v text vs hex]', mine, vv, allow_unknown=True)
    # pciutils' test files carry their own (older, hand-edited) lspci text
    # before the dump: the VF counts, routing and page sizes it states must
    # match the dump's.
    text_only = '\n'.join(l for l in data.splitlines() if not HEX.match(l))
    if re.search(r'Single Root I/O Virtualization', text_only):
        p = base + '.own-text.txt'
        open(p, 'w').write(text_only + '\n')
        keys = {'sriov.' + k for k in ('initial', 'total', 'num', 'fdl', 'offset', 'stride', 'vfdev', 'pages',
                                       'ctl_Enable', 'ctl_MSE', 'ctl_ARIHierarchy', 'cap_migration')}
        compare(f + ' [own text vs hex]', mine, parse(vfscope(p)), keys=keys | {'ari'})
    summary.append('%-58s hex   %d SR-IOV PF(s)' % (f, nsr))

print('\n'.join(summary))
print('%d PF decodes compared, %d fields, %d failures' % (compared, fields, len(fails)))
if compared < 10 or fields < 200:
    print('FAIL too little compared: the test would not notice a broken decoder')
    sys.exit(1)
sys.exit(1 if fails else 0)
PY
