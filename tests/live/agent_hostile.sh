#!/bin/bash
# A hostile guest agent cannot crash or hang the host tool: oversized,
# malformed, deeply nested, slow, silent, endless and lying replies. Each
# 'vfscope snapshot --guest tcp:...' must exit 0 with the host part, within
# the guest timeout (+ slack), with a clear source error (or, for a lie
# that parses, sanitised values and no embedded guests).
set -u
B=${VFSCOPE:-./vfscope}
HERE=$(cd "$(dirname "$0")" && pwd)
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
T=$(mktemp -d)
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
fail=0
TIMEOUT_MS=1500

for mode in oversized malformed deep deep-small deep-valid many-members members-70 negative-index wrong-types err empty silent slow endless lying; do
	rm -f "$T/port"
	python3 "$HERE/fake_agent.py" "$mode" "$T/port" & srv=$!
	for _ in $(seq 50); do [ -s "$T/port" ] && break; sleep 0.1; done
	port=$(cat "$T/port")
	t0=$(date +%s%N)
	timeout 30 "$B" snapshot --json --no-kmsg --no-netns --guest tcp:127.0.0.1:"$port" --guest-timeout $TIMEOUT_MS >"$T/out" 2>"$T/err"
	rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; srv=
	res=$(python3 - "$T/out" "$mode" <<'P'
import json, sys
d = json.load(open(sys.argv[1])); mode = sys.argv[2]
assert d["role"] == "host", "no host part"
src = [s for s in d["sources"] if s["name"] == "guest"]
gs = d.get("guests", [])
if mode == "lying":
    assert len(gs) == 1, "lying guest should load (it is well-formed)"
    g = gs[0]
    assert g["role"] == "guest" and not g.get("guests"), "guest kept its claims about others"
    blob = json.dumps(g)
    assert "\\u001b" not in blob and "\\u0007" not in blob, "control characters survived"
    print("loaded, sanitised:", g["netdevs"][0]["name"])
else:
    assert not gs, "hostile guest was accepted"
    assert src and src[0]["status"] == "failed" and src[0]["detail"], "no clear source error"
    print(src[0]["detail"][:100])
P
)
	prc=$?
	if [ $rc -ne 0 ] || [ $prc -ne 0 ] || [ $ms -gt $((TIMEOUT_MS + 3000)) ]; then
		echo "FAIL $mode: rc=$rc ${ms}ms: $res $(head -c 300 "$T/err")"
		fail=1
	else
		echo "ok   $mode (${ms}ms): $res"
	fi
done
# check keeps working with a hostile guest (exit 0 or 1, never 2)
python3 "$HERE/fake_agent.py" malformed "$T/port2" & srv=$!
for _ in $(seq 50); do [ -s "$T/port2" ] && break; sleep 0.1; done
timeout 30 "$B" check --no-kmsg --no-netns --guest tcp:127.0.0.1:"$(cat "$T/port2")" --guest-timeout $TIMEOUT_MS >"$T/out" 2>&1
rc=$?
[ $rc -le 1 ] || { echo "FAIL check with hostile guest: rc=$rc"; cat "$T/out"; fail=1; }
grep -q "source guest failed" "$T/out" || { echo "FAIL check does not show the guest failure"; fail=1; }
exit $fail
