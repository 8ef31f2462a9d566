#!/bin/bash
# Interrupted netlink dumps: a namespace with a few hundred dummy (or ifb) and veth
# links while a background loop adds and deletes links, and vfscope snapshot
# in that namespace many times. The kernel marks a link dump whose link set
# changed under it NLM_F_DUMP_INTR; vfscope retries it (NL_DUMP_TRIES) and
# otherwise reports a partial netlink source. Every run must exit 0 with
# valid JSON, a netlink source of ok or partial, and name any interruption
# in that source's detail; never crash or hang. How many runs saw an
# interruption is printed: the kernel may not interrupt in the time given,
# so the retry logic itself is asserted by unit/test_netlink (crafted
# datagrams with NLM_F_DUMP_INTR).
# RUNS (default 40) and LINKS (default 300) tune it.
set -u
. "$TOP/tests/lib.sh"
need_root
RUNS=${RUNS:-40} LINKS=${LINKS:-300}
ns=vfst$$intr
ip netns add "$ns" || skip "cannot create netns"
d=$(mktemp -d)
churn=
cleanup() {
	touch "$d/stop"
	[ -n "$churn" ] && { kill "$churn" 2>/dev/null; wait "$churn" 2>/dev/null; }
	ip netns del "$ns" 2>/dev/null
	rm -rf "$d"
}
trap cleanup EXIT
# dummy where the kernel has it, else ifb (the dev kernel has no dummy).
kind=
for k in dummy ifb; do
	ip -n "$ns" link add probe0 type $k 2>/dev/null && { kind=$k; break; }
done
[ -n "$kind" ] || skip "neither dummy nor ifb links in this kernel"
# The static set: LINKS of that kind and a few veth pairs, one batch.
{
	for i in $(seq 1 "$LINKS"); do echo "link add d$i type $kind"; done
	for i in $(seq 1 10); do echo "link add va$i type veth peer name vb$i"; done
} > "$d/batch"
ip -n "$ns" -batch "$d/batch" || fail "creating $LINKS links"
# The churn: add and delete 20 links at a time until told to stop (bounded:
# at most 300 s even if the test dies without its trap).
churn_loop() {
	local t0=$SECONDS n=0
	while [ ! -e "$d/stop" ] && [ $((SECONDS - t0)) -lt 300 ]; do
		{ for i in $(seq 1 20); do echo "link add c$i type $kind"; done; } > "$d/add"
		{ for i in $(seq 1 20); do echo "link del c$i"; done; } > "$d/del"
		ip -n "$ns" -batch "$d/add" 2>/dev/null
		ip -n "$ns" -batch "$d/del" 2>/dev/null
		n=$((n + 1))
	done
}
churn_loop & churn=$!
intr=0 partial=0 retried=0
for i in $(seq 1 "$RUNS"); do
	timeout 20 ip netns exec "$ns" "$VFSCOPE" snapshot --json > "$d/out.json" 2> "$d/err"
	rc=$?
	[ $rc = 0 ] || { cat "$d/err"; fail "run $i exited $rc (124: hung)"; }
	st=$(python3 - "$d/out.json" "$LINKS" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
src = [s for s in d["sources"] if s["name"] == "netlink"]
if len(src) != 1:
    sys.exit("no netlink source")
s = src[0]
if s["status"] not in ("ok", "partial"):
    sys.exit("netlink source %s: %s" % (s["status"], s["detail"]))
names = {n["name"] for n in d["netdevs"]}
want = {"d%d" % i for i in range(1, int(sys.argv[2]) + 1)}
# A consistent dump (ok) has every static link; an interrupted one may not.
if s["status"] == "ok" and not want <= names:
    sys.exit("netlink ok but %d static links missing" % len(want - names))
intr = "NLM_F_DUMP_INTR" in s["detail"]
print(s["status"], "intr" if intr else "-", "retried" if "the last consistent" in s["detail"] else "-")
PY
	) || fail "run $i: invalid JSON or netlink source (see above)"
	case $st in *" intr "*) intr=$((intr + 1)) ;; esac
	case $st in partial*) partial=$((partial + 1)) ;; esac
	case $st in *retried) retried=$((retried + 1)) ;; esac
	case $st in *" intr "*) [ -n "${example:-}" ] || example=$(json_get "$d/out.json" \
		"[s['status'] + ': ' + s['detail'] for s in d['sources'] if s['name'] == 'netlink'][0]") ;; esac
done
# The text output names the source's state too.
ip netns exec "$ns" "$VFSCOPE" snapshot > "$d/out.txt" 2>&1 || fail "text snapshot exited $?"
grep -q 'netlink=' "$d/out.txt" || fail "text output names no netlink source"
echo "$RUNS snapshots of $LINKS $kind + 20 veth + churning links: all exit 0 with valid JSON;" \
	"$intr saw NLM_F_DUMP_INTR ($retried consistent after a retry, $partial partial netlink)"
[ $intr -gt 0 ] && echo "e.g. netlink $example"
[ $intr -gt 0 ] || echo "(the kernel interrupted no dump this time; the retry logic is unit/test_netlink's)"
echo ok
