#!/bin/bash
# Bundle cost on a synthetic 256-VF sysroot (4 PFs x 64 VFs, bond over two
# VFs): `vfscope bundle -d 0` (and --redact) against `tar czf` of exactly
# the files the bundle holds (the bundle is unpacked once and that tree is
# what tar packs: the same entries, contents and the files vfscope writes
# itself, snapshot.json and the rest; the listings are compared). Each pair
# runs in turn (A B A B ...) for ROUNDS rounds: medians of wall and CPU
# (user + sys, gzip's included for tar) and of the pair-by-pair ratios.
# A bundle must collect the machine first (sysfs readers, the model, the
# rules), which tar does not: `vfscope snapshot --json` of the same tree is
# that part, printed as its share. Prints numbers, asserts nothing.
set -u
VFSCOPE=${VFSCOPE:-$PWD/vfscope}
R=${BENCH_BUNDLE_ROUNDS:-5}
d=$(mktemp -d); trap 'rm -rf $d' EXIT
"$(dirname "$0")/gen-sysroot" "$d/root" --pfs 4 --vfs 64 --bond
"$VFSCOPE" bundle --sysroot "$d/root" -d 0 -q -o "$d/b.tar.gz" >/dev/null 2>&1
mkdir "$d/x" && tar xzf "$d/b.tar.gz" -C "$d/x"
tar czf "$d/t.tar.gz" -C "$d/x" .
# the same entries in both (tar's "./" prefix and trailing slashes aside)
same=$(diff <(tar tzf "$d/b.tar.gz" | sed 's,/$,,' | sort) \
	<(tar tzf "$d/t.tar.gz" | sed 's,^\./,,; s,/$,,' | grep -v '^\.\?$' | sort) >/dev/null && echo yes || echo NO)
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (before); $R rounds, each pair in turn"
python3 - "$d" "$R" "$VFSCOPE" "$same" <<'P'
import os, subprocess, sys, time, statistics as st
d, rounds, v, same = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]

def run(cmd):
    """(wall s, cpu s of the process and the children it waited for)"""
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, ru = os.wait4(p.pid, 0)
    return time.monotonic() - t, ru.ru_utime + ru.ru_stime

tar = ['tar', 'czf', d + '/t.tar.gz', '-C', d + '/x', '.']
bundle = [v, 'bundle', '--sysroot', d + '/root', '-d', '0', '-q', '-o', d + '/b.tar.gz']
cmds = {
    'vfscope bundle -d 0': bundle,
    'vfscope bundle --redact': bundle + ['--redact'],
    '  of it: snapshot --json': [v, 'snapshot', '--sysroot', d + '/root', '--json'],
}
res = {k: [] for k in cmds}
res['tar'] = []
ratio = {k: ([], []) for k in cmds}
for c in list(cmds.values()) + [tar]:
    run(c)  # warm the page cache
for _ in range(rounds):
    for k, c in cmds.items():
        a, b = run(c), run(tar)
        res[k].append(a); res['tar'].append(b)
        ratio[k][0].append(a[0] / b[0]); ratio[k][1].append(a[1] / max(b[1], 1e-6))
med = lambda xs, i: st.median(x[i] for x in xs) * 1000
size = lambda f: os.stat(f).st_size
subprocess.run(bundle + ['--redact', '-o', d + '/r.tar.gz'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
subprocess.run(bundle, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
sizes = {'vfscope bundle -d 0': size(d + '/b.tar.gz'), 'vfscope bundle --redact': size(d + '/r.tar.gz'),
         'tar czf (same files)': size(d + '/t.tar.gz')}
print(f"{'256 VFs (4 PFs x 64)':28} {'wall ms':>9} {'cpu ms':>9} {'bytes':>9} {'vs tar wall':>12} {'cpu':>7}")
for k in cmds:
    print(f"{k:28} {med(res[k], 0):9.1f} {med(res[k], 1):9.1f} {sizes.get(k, 0) or '':>9} "
          f"{st.median(ratio[k][0]):11.2f}x {st.median(ratio[k][1]):6.2f}x")
print(f"{'tar czf (same files)':28} {med(res['tar'], 0):9.1f} {med(res['tar'], 1):9.1f} "
      f"{sizes['tar czf (same files)']:9d} {1:11.2f}x {1:6.2f}x")
b, s = med(res['vfscope bundle -d 0'], 1), med(res['  of it: snapshot --json'], 1)
t = med(res['tar'], 1)
print(f"bundle without the collection (cpu): {b - s:.1f} ms, {(b - s) / t:.2f}x tar; "
      f"the collection is {s / b * 100:.0f}% of the bundle")
out = subprocess.run(['tar', 'tzf', d + '/b.tar.gz'], capture_output=True, text=True).stdout.split('\n')
print(f"bundle entries: {len([l for l in out if l])} (files, links, dirs); tar packs the same entries: {same}; "
      f"size ratio bundle/tar {sizes['vfscope bundle -d 0'] / sizes['tar czf (same files)']:.2f}")
print("(tar czf runs gzip in a second process: on two idle cores its wall time is the longer of the two)")
P
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (after)"
