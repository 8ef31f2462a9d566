#!/bin/bash
# Decode throughput: the committed real control frames (lldpd, arping, kernel
# NA, the lab's LACP) replicated into one large pcap, decoded by vfscope
# (text and --json), tshark -r and tcpdump -r -v; wall time and ratios.
set -u
cd "$(dirname "$0")/.."
V=${VFSCOPE:-$PWD/vfscope}
N=${BENCH_DECODE_FRAMES:-200000}
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
t() { # label cmd... -> seconds
	local s e
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s.%N)
	echo "$e - $s" | bc
}
tv=$(t "$V" decode --pcap "$work/big.pcap")
tj=$(t "$V" decode --json --pcap "$work/big.pcap")
ts=$(command -v tshark >/dev/null && t tshark -n -r "$work/big.pcap" || echo 0)
td=$(command -v tcpdump >/dev/null && t tcpdump -n -v -r "$work/big.pcap" || echo 0)
rate() { [ "$(echo "$1 > 0" | bc)" = 1 ] && echo "$(echo "$N / $1" | bc) frames/s" || echo n/a; }
ratio() { [ "$(echo "$1 > 0 && $2 > 0" | bc)" = 1 ] && echo "$(echo "scale=1; $1 / $2" | bc)x" || echo n/a; }
printf '%-28s %8.2fs  %s\n' "vfscope decode" "$tv" "$(rate "$tv")"
printf '%-28s %8.2fs  %s\n' "vfscope decode --json" "$tj" "$(rate "$tj")"
printf '%-28s %8.2fs  %s  (vfscope %s faster)\n' "tshark -r" "$ts" "$(rate "$ts")" "$(ratio "$ts" "$tv")"
printf '%-28s %8.2fs  %s  (vfscope %s faster)\n' "tcpdump -r -v" "$td" "$(rate "$td")" "$(ratio "$td" "$tv")"
