#!/usr/bin/env python3
"""RSS and fds flat: tests/soak/flat.py SAMPLES

SAMPLES has one line per sample: "EPOCH NAME RSS_KB FDS NAME RSS_KB FDS ...".
After warm-up (the first 10% of the samples are dropped) the lowest RSS and
fd count of the last fifth may be at most 20% + 2 MiB and 2 fds above the
lowest of the first fifth (in-flight connections and a collection's sockets
come and go, so the quietest moments are compared). Prints one line per
process (first -> last (max)); exits 1 when one grew or has < 3 samples."""
import sys

cols = {}
order = []
for line in open(sys.argv[1]):
    f = line.split()
    for i in range(1, len(f) - 2, 3):
        name, r, d = f[i], f[i + 1], f[i + 2]
        if r.isdigit() and d.isdigit():
            if name not in cols:
                cols[name] = []
                order.append(name)
            cols[name].append((int(r), int(d)))
bad = 0
for name in order:
    col = cols[name][max(1, len(cols[name]) // 10):]
    if len(col) < 3:
        print("%-8s only %d samples" % (name, len(col)))
        bad = 1
        continue
    k = max(1, len(col) // 5)
    r0, r1 = min(c[0] for c in col[:k]), min(c[0] for c in col[-k:])
    f0, f1 = min(c[1] for c in col[:k]), min(c[1] for c in col[-k:])
    rmax, fmax = max(c[0] for c in col), max(c[1] for c in col)
    print("%-8s RSS %d -> %d kB (max %d), fds %d -> %d (max %d), %d samples"
          % (name, r0, r1, rmax, f0, f1, fmax, len(col)))
    if r1 > r0 * 1.2 + 2048 or f1 - f0 > 2:
        print("  %s grew" % name)
        bad = 1
if not order:
    print("no samples")
    bad = 1
sys.exit(bad)
