#!/bin/bash
# The real agent: 'vfscope agent' inside a network namespace standing for a
# guest (veth members, a bond when the bonding driver exists), read from the
# host with --guest tcp:...; the host's view gets the guest's netdevs. Also:
# the agent answers unknown requests with ERR, drops stalled clients, binds
# nothing without --listen, and exits 0 on SIGTERM.
set -u
B=${VFSCOPE:-./vfscope}
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)"; exit 77; }
command -v ip >/dev/null || { echo "iproute2 not installed"; exit 77; }
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
NS=vfst-agent-$$
# Documentation addresses only (198.51.100.0/24), a /30 per run.
K=$(( $$ % 60 )); HX=$((4 * K + 1)); GX=$((4 * K + 2))
HA=va$$; GA=vb$$
ip netns add $NS || { echo "cannot create a network namespace"; exit 77; }
agent=
cleanup() {
	[ -n "$agent" ] && kill "$agent" 2>/dev/null
	ip link del $HA 2>/dev/null
	ip netns del $NS 2>/dev/null
}
trap cleanup EXIT
ip link add $HA type veth peer name $GA || { echo "veth unsupported"; exit 77; }
ip link set $GA netns $NS
ip addr add 198.51.100.$HX/30 dev $HA; ip link set $HA up
ip -n $NS addr add 198.51.100.$GX/30 dev $GA
ip -n $NS link set $GA up; ip -n $NS link set lo up
ip -n $NS link add gm0 type veth peer name gm1
ip -n $NS link set gm1 address 02:00:00:00:aa:01
bond=0
if ip -n $NS link add bond0 type bond mode active-backup miimon 100 2>/dev/null; then
	ip -n $NS link set gm1 master bond0 && bond=1
fi
ip -n $NS link set gm0 up; ip -n $NS link set gm1 up

"$B" agent 2>/dev/null; [ $? = 2 ] || { echo "FAIL: agent without --listen must refuse (exit 2)"; exit 1; }

PORT=$(( 20000 + $$ % 20000 ))
ip netns exec $NS "$B" agent --listen tcp:198.51.100.$GX:$PORT --timeout 1000 & agent=$!
for _ in $(seq 50); do
	python3 -c "import socket; socket.create_connection(('198.51.100.$GX', $PORT), 0.2).close()" 2>/dev/null && break
	sleep 0.1
done
fail=0
"$B" snapshot --json --no-kmsg --no-netns --guest tcp:198.51.100.$GX:$PORT > /tmp/vfst-agent-$$.json || fail=1
python3 - /tmp/vfst-agent-$$.json $GA $bond <<'P' || fail=1
import json, sys
d = json.load(open(sys.argv[1])); ga = sys.argv[2]; bond = sys.argv[3] == "1"
gs = d.get("guests", [])
assert len(gs) == 1, d["sources"]
g = gs[0]
names = {n["name"] for n in g["netdevs"]}
assert {ga, "gm0", "gm1", "lo"} <= names, names
assert ga not in {n["name"] for n in d["netdevs"]}, "host sees the guest's netdev"
n = [n for n in g["netdevs"] if n["name"] == "gm1"][0]
assert n["mac"] == "02:00:00:00:aa:01" and n["src"]["mac"] == "guest", n
if bond:
    t = g["teams"][0]
    assert t["name"] == "bond0" and t["members"][0]["name"] == "gm1", t
print("ok: guest netdevs", sorted(names), "bond" if bond else "(no bonding driver here)")
P
rm -f /tmp/vfst-agent-$$.json
# Anything but the one request gets ERR; a stalled client is dropped.
python3 - 198.51.100.$GX $PORT <<'P' || fail=1
import socket, sys, time
a = (sys.argv[1], int(sys.argv[2]))
s = socket.create_connection(a, 2); s.sendall(b"GET /etc/shadow\n"); r = s.recv(200); s.close()
assert r.startswith(b"ERR"), r
s = socket.create_connection(a, 2); s.sendall(b"A" * 4096); r = s.recv(200); s.close()
assert r.startswith(b"ERR"), r
t = time.time(); s = socket.create_connection(a, 5); s.settimeout(5)
r = s.recv(200); s.close()           # we send nothing: the agent gives up after --timeout
assert r == b"" and time.time() - t < 4, (r, time.time() - t)
s = socket.create_connection(a, 2); s.sendall(b"GET snapshot v1\n"); s.settimeout(5)
b = b""
while True:
    x = s.recv(65536)
    if not x: break
    b += x
assert b.startswith(b"{") and b'"role":"guest"' in b, b[:100]
print("ok: ERR for unknown/oversized requests, stalled client dropped, snapshot served")
P
kill -TERM $agent; wait $agent; rc=$?; agent=
[ $rc = 0 ] || { echo "FAIL: agent exit $rc on SIGTERM"; fail=1; }
exit $fail
