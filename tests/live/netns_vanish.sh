#!/bin/bash
# Namespaces that come and go while vfscope reads them (issue 14): processes
# each holding an unnamed network namespace with a veth pair, and named ones,
# are created and killed/deleted in a loop while snapshots run. Every
# snapshot must finish in time with exit 0 and a document that parses; the
# host's "netns" source is ok or partial, a partial one says how many
# vanished; every namespace document it does have is whole (its netlink
# source says so). Not one crash or hang in 12 runs.
set -u
. "$TOP/tests/lib.sh"
need_root
T=$(mktemp -d)
churn_stop=$T/stop
trap 'touch "$churn_stop"; [ -n "${CH:-}" ] && wait $CH 2>/dev/null; cleanup_ns; rm -rf "$T"' EXIT
ip link add vfscope-probe type veth peer name vfscope-probe1 2>/dev/null && ip link del vfscope-probe || skip "no veth"

churn() {
	local i=0 pids=()
	while [ ! -e "$churn_stop" ]; do
		i=$((i + 1))
		unshare -n sleep 30 & pids+=($!)
		ip link add c0 netns ${pids[-1]} type veth peer name c1 netns ${pids[-1]} 2>/dev/null
		n=${NS_PREFIX}v$((i % 4))
		ip netns del "$n" 2>/dev/null
		ip netns add "$n" 2>/dev/null && ip -n "$n" link add n0 type veth peer name n1 2>/dev/null
		if [ ${#pids[@]} -gt 6 ]; then
			kill ${pids[0]} 2>/dev/null; wait ${pids[0]} 2>/dev/null
			pids=("${pids[@]:1}")
		fi
	done
	kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
}
churn & CH=$!

parts=0
for r in $(seq 12); do
	s=$SECONDS
	timeout 40 "$VFSCOPE" snapshot --json --no-kmsg > "$T/s$r.json" 2>"$T/e$r"; rc=$?
	[ $rc = 0 ] || { cat "$T/e$r"; fail "run $r: rc=$rc"; }
	[ $((SECONDS - s)) -lt 30 ] || fail "run $r took $((SECONDS - s))s"
	python3 - "$T/s$r.json" <<'P' || fail "run $r: document"
import json, sys
d = json.load(open(sys.argv[1]))
src = {s["name"]: s for s in d["sources"]}["netns"]
assert src["status"] in ("ok", "partial"), src
if src["status"] == "partial":
    assert "vanished" in src["detail"] or "did not answer" in src["detail"], src
for g in d.get("guests", []):
    if g["role"] != "netns":
        continue
    st = {s["name"]: s["status"] for s in g["sources"]}
    assert st.get("netlink") == "ok", (g["label"], g["sources"])
    assert any(n["name"] == "lo" for n in g["netdevs"]), g["label"]
P
	grep -q '"status": "partial"' "$T/s$r.json" && parts=$((parts + 1))
done
touch "$churn_stop"; wait $CH 2>/dev/null
echo "ok: 12 snapshots under churn ($parts with a partial source)"
