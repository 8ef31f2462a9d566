#!/bin/bash
# The agent over AF_VSOCK, host and "guest" on one machine through
# vsock_loopback (CID 1). Skips (77) when the loopback transport is missing.
set -u
B=${VFSCOPE:-./vfscope}
modprobe vsock_loopback 2>/dev/null
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
python3 - <<'P' || { echo "no vsock loopback here (modprobe vsock_loopback failed; CID 1 connect does not work)"; exit 77; }
import socket, threading
s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
s.bind((socket.VMADDR_CID_ANY, 47999)); s.listen(1)
c = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM); c.settimeout(1)
try:
    c.connect((1, 47999))
except OSError as e:
    raise SystemExit(1)
P
PORT=$(( 30000 + $$ % 20000 ))
"$B" agent --listen vsock:$PORT --once & agent=$!
trap 'kill $agent 2>/dev/null' EXIT
sleep 0.5
out=$("$B" snapshot --json --no-kmsg --guest vsock:1:$PORT) || exit 1
echo "$out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d.get("guests", [])) == 1, d["sources"]
print("ok: guest over vsock with", len(d["guests"][0]["netdevs"]), "netdevs")'
