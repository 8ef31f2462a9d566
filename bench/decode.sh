#!/bin/bash
# Decode throughput: the committed real control frames (lldpd, arping, kernel
# NA, the lab's LACP) replicated into one large pcap, decoded by vfscope
# text against tcpdump -r -v (and tshark -r), vfscope --json against
# tshark -T json. Each pair runs in turn (A B A B ...) for ROUNDS rounds,
# output to /dev/null; the row gives the median of each command's wall and
# CPU (user + sys) time and the median of the pair-by-pair ratios, so a
# machine whose speed drifts still compares like with like. Prints
# numbers, asserts nothing.
set -u
cd "$(dirname "$0")/.."
V=${VFSCOPE:-$PWD/vfscope}
N=${BENCH_DECODE_FRAMES:-50000}
R=${BENCH_DECODE_ROUNDS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/big.pcap" "$N" tests/decoders/captures/*.pcap <<'PY'
import struct, sys
out, n, caps = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
frames = []
for c in caps:
    d = open(c, 'rb').read()
    if len(d) < 24 or d[:4] != b'\xd4\xc3\xb2\xa1':
        continue
    o = 24
    while o + 16 <= len(d):
        cl = struct.unpack('<I', d[o + 8:o + 12])[0]
        frames.append(d[o + 16:o + 16 + cl]); o += 16 + cl
with open(out, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(n):
        fr = frames[i % len(frames)]
        f.write(struct.pack('<IIII', 1800000000 + i // 1000, (i % 1000) * 1000, len(fr), len(fr)) + fr)
print(f'{n} frames from {len(frames)} distinct real frames')
PY
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (before); $R rounds, each pair in turn"
python3 - "$work/big.pcap" "$N" "$R" "$V" <<'PY'
import os, subprocess, sys, time, shutil, statistics as st
pcap, n, rounds, v = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]

def run(cmd):
    """(wall s, cpu s) of one whole process, output thrown away."""
    t = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    return time.monotonic() - t, ru.ru_utime + ru.ru_stime

have = lambda c: shutil.which(c) is not None
pairs = [
    ('vfscope decode', [v, 'decode', '--pcap', pcap], 'tcpdump -n -v -r', ['tcpdump', '-n', '-v', '-r', pcap]),
    ('vfscope decode', [v, 'decode', '--pcap', pcap], 'tshark -n -r', ['tshark', '-n', '-r', pcap]),
    ('vfscope decode --json', [v, 'decode', '--json', '--pcap', pcap], 'tshark -n -T json -r',
     ['tshark', '-n', '-T', 'json', '-r', pcap]),
]
print(f"{'':24} {'wall s':>8} {'cpu s':>8} {'frames/s':>10}   {'':22} {'wall s':>8} {'cpu s':>8}"
      f"   {'peer/vfscope wall':>17} {'cpu':>6}")
warm = set()
for an, a, bn, b in pairs:
    if not have(b[0]):
        print(f'{an:24} (no {b[0]} here)')
        continue
    A, B, rw, rc = [], [], [], []
    if b[0] not in warm:  # the page cache and each binary warm once
        run(a); run(b); warm.add(b[0])
    for _ in range(rounds):
        x, y = run(a), run(b)
        A.append(x); B.append(y)
        rw.append(y[0] / x[0]); rc.append(y[1] / max(x[1], 1e-6))
    aw, ac = st.median(t[0] for t in A), st.median(t[1] for t in A)
    bw, bc = st.median(t[0] for t in B), st.median(t[1] for t in B)
    print(f'{an:24} {aw:8.3f} {ac:8.3f} {n / aw:10.0f}   {bn:22} {bw:8.3f} {bc:8.3f}'
          f'   {st.median(rw):16.2f}x {st.median(rc):5.2f}x')
print('(ratio > 1: vfscope is faster; the goal is 2x tcpdump -v for text)')
PY
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) (after)"
