#!/bin/bash
# docs/schema/*.json against real outputs: snapshot and check of every lab
# fixture (host, guest, host with its guest file: what the demo loads), the
# checked-in goldens, this machine live, a bundle read back, the sos
# fixtures, the lines of a short live trace over a veth in a namespace and
# the reply of a real agent in a namespace. Then the other way round: a
# mutated document (wrong type, bad enum, missing member) must fail, and
# every field of model/json.c's field tables must be in snapshot.json with
# its type, so the schema cannot silently fall behind the writer.
set -u
. "$TOP/tests/lib.sh"
need_root
PY=/usr/bin/python3  # Debian's python3-jsonschema, not whatever python3 is first on PATH
[ -x $PY ] && $PY -c 'import jsonschema; jsonschema.Draft202012Validator' 2>/dev/null ||
	skip "no python3-jsonschema with draft 2020-12 for $PY"
SCH=$TOP/docs/schema
L=$TOP/tests/fixtures/lab
d=$(mktemp -d); trap 'rm -rf $d; cleanup_ns' EXIT
mkdir "$d/snapshot" "$d/check" "$d/trace-line" "$d/agent-reply"

# 1. Documents vfscope writes from trees, files and this machine.
n=0
for dir in "$L"/*/; do
	sc=$(basename "$dir")
	[ -d "$dir/host/sys" ] || continue
	for side in host guest; do
		[ -d "$dir$side/sys" ] || continue
		"$VFSCOPE" snapshot --json --sysroot "$dir$side" > "$d/snapshot/$sc-$side.json" || fail "$sc/$side snapshot rc=$?"
		"$VFSCOPE" check --json --sysroot "$dir$side" > "$d/check/$sc-$side.json"; [ $? -le 1 ] || fail "$sc/$side check"
	done
	if [ -f "$dir/guest-snapshot.json" ]; then
		"$VFSCOPE" snapshot --json --sysroot "$dir/host" --guest-file "$dir/guest-snapshot.json" > "$d/snapshot/$sc-both.json" ||
			fail "$sc host+guest snapshot"
		"$VFSCOPE" check --json --sysroot "$dir/host" --guest-file "$dir/guest-snapshot.json" > "$d/check/$sc-both.json"
		[ $? -le 1 ] || fail "$sc host+guest check"
		cp "$dir/guest-snapshot.json" "$d/snapshot/$sc-golden-guest.json"
	fi
	[ -f "$dir/host-snapshot.json" ] && cp "$dir/host-snapshot.json" "$d/snapshot/$sc-golden-host.json"
	[ -f "$dir/check.json" ] && cp "$dir/check.json" "$d/check/$sc-golden.json"
	n=$((n + 1))
done
[ $n -ge 5 ] || fail "only $n lab fixtures"
"$VFSCOPE" snapshot --json > "$d/snapshot/live.json" || fail "live snapshot"
"$VFSCOPE" check --json > "$d/check/live.json"; [ $? -le 1 ] || fail "live check"
"$VFSCOPE" bundle -o "$d/b.tar.gz" --sysroot "$L/healthy/host" --guest-file "$L/healthy/guest-snapshot.json" >/dev/null 2>&1 ||
	fail "bundle"
"$VFSCOPE" snapshot --json --from "$d/b.tar.gz" > "$d/snapshot/bundle.json" || fail "bundle read back"
"$VFSCOPE" check --json --from "$d/b.tar.gz" > "$d/check/bundle.json"; [ $? -le 1 ] || fail "bundle check"
mkdir "$d/bx" && tar -xzf "$d/b.tar.gz" -C "$d/bx" || fail "untar bundle"
bs=$(find "$d/bx" -name snapshot.json | head -1); [ -n "$bs" ] || fail "no snapshot.json in the bundle"
cp "$bs" "$d/snapshot/bundle-inside.json"
cp "$(dirname "$bs")/findings.json" "$d/check/bundle-inside.json" || fail "no findings.json beside the bundle's snapshot.json"
for s in "$TOP"/tests/fixtures/sos/*/; do
	[ -e "$s/sos_commands" ] || continue
	nm=sos-$(basename "$s")
	"$VFSCOPE" snapshot --json --from "$s" > "$d/snapshot/$nm.json" || fail "$nm snapshot"
	"$VFSCOPE" check --json --from "$s" > "$d/check/$nm.json"; [ $? -le 1 ] || fail "$nm check"
done
ls "$d"/snapshot/sos-* >/dev/null 2>&1 || fail "no sos fixture read"
cp "$TOP/tests/fixtures/sos/lab-vm-live.json" "$d/snapshot/sos-lab-vm-live.json"

# 2. trace --json: link changes on a veth in a namespace, over rtnetlink.
a=$(mkns t)
ip -n "$a" link add tsa type veth peer name tsb || skip "no veth"
ip -n "$a" link set tsb up
ip netns exec "$a" "$VFSCOPE" trace --json --duration 3 --probe rtnetlink > "$d/trace-line/t.jsonl" 2> "$d/trace.err" &
tp=$!
for _ in $(seq 100); do grep -q 'probes attached' "$d/trace.err" 2>/dev/null && break; sleep 0.1; done
ip -n "$a" link set tsa up; sleep 0.3; ip -n "$a" link set tsa down
wait $tp || fail "trace rc=$?: $(cat "$d/trace.err")"
grep -q '"kind":"link"' "$d/trace-line/t.jsonl" || fail "trace gave no link event: $(head -c 300 "$d/trace-line/t.jsonl")"

# 3. A real agent's reply, read with the protocol's own request.
g=$(mkns g)
ip -n "$g" link set lo up
ip -n "$g" link add gsa type veth peer name gsb
port=$(( 20000 + $$ % 20000 ))
ip netns exec "$g" "$VFSCOPE" agent --listen tcp:127.0.0.1:$port --once --no-kmsg >/dev/null 2>"$d/agent.err" &
ap=$!
ip netns exec "$g" $PY - $port "$d/agent-reply/reply.json" <<'P' || fail "agent: $(cat "$d/agent.err")"
import socket, sys, time
for _ in range(50):
    try:
        s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1); break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("agent did not listen")
s.settimeout(10); s.sendall(b"GET snapshot v1\n")
b = b""
while True:
    c = s.recv(65536)
    if not c: break
    b += c
assert b.endswith(b"\n") and b.count(b"\n") == 1, b[:200]
open(sys.argv[2], "wb").write(b)
P
wait $ap || fail "agent rc=$?"

# 4. Validate, then the mutations that must fail, then schema vs writer.
$PY - "$SCH" "$d" "$TOP/model/json.c" <<'P'
import copy, glob, json, os, re, sys
import jsonschema
sch_dir, d, json_c = sys.argv[1:4]
names = ["snapshot", "check", "trace-line", "agent-reply"]
sch = {n: json.load(open(os.path.join(sch_dir, n + ".json"))) for n in names}
store = {s["$id"]: s for s in sch.values()}
V = jsonschema.Draft202012Validator
def errors(name, doc):
    V.check_schema(sch[name])
    r = jsonschema.RefResolver(base_uri=sch[name]["$id"], referrer=sch[name], store=store)
    return list(V(sch[name], resolver=r).iter_errors(doc))
bad, count = [], {}
for name in names:
    for f in sorted(glob.glob(os.path.join(d, name, "*"))):
        docs = [json.loads(l) for l in open(f)] if f.endswith(".jsonl") else [json.load(open(f))]
        for i, doc in enumerate(docs):
            count[name] = count.get(name, 0) + 1
            for e in errors(name, doc)[:3]:
                bad.append(f"{name} {os.path.basename(f)}#{i} at {'/'.join(map(str, e.absolute_path))}: {e.message[:160]}")
print("validated:", ", ".join(f"{k} {v}" for k, v in count.items()))
assert count.get("snapshot", 0) >= 20 and count.get("check", 0) >= 15, count
assert count.get("trace-line", 0) >= 2 and count.get("agent-reply", 0) == 1, count

# Mutations of valid documents: each must be refused.
snap = json.load(open(os.path.join(d, "snapshot", "pf-link-down-both.json")))
chk = json.load(open(os.path.join(d, "check", "pf-link-down-both.json")))
tr = [json.loads(l) for l in open(os.path.join(d, "trace-line", "t.jsonl"))]
ag = json.load(open(os.path.join(d, "agent-reply", "reply.json")))
assert snap["netdevs"] and chk["findings"] and snap["pfs"] and snap["guests"], "pf-link-down fixture changed"
def mut(name, doc, path, value, what):
    doc = copy.deepcopy(doc); o = doc
    for k in path[:-1]:
        o = o[k]
    if value is KeyError:
        del o[path[-1]]
    else:
        o[path[-1]] = value
    if not errors(name, doc):
        bad.append(f"mutation accepted: {name} {what}")
mut("snapshot", snap, ["netdevs", 0, "mtu"], "1500", "mtu as a string")
mut("snapshot", snap, ["netdevs", 0, "name"], "", "empty name (unknown is null, never \"\")")
mut("snapshot", snap, ["schema"], 2, "schema 2")
mut("snapshot", snap, ["pfs", 0, "src"], {"sriov_numvfs": "guesswork"}, "a source that does not exist")
mut("snapshot", snap, ["guests", 0, "teams", 0, "members"], {}, "members as an object")
mut("snapshot", snap, ["sources", 0, "status"], "fine", "source status outside the enum")
mut("snapshot", snap, ["teams"], KeyError, "teams missing")
mut("check", chk, ["findings", 0, "severity"], "fatal", "severity outside the enum")
mut("check", chk, ["summary", "total"], -1, "negative total")
mut("check", chk, ["findings", 0, "evidence"], "none", "evidence as a string")
mut("trace-line", tr[0], ["ts_real_ns"], 1.5, "ts_real_ns as a float")
mut("trace-line", tr[0], ["kind"], "bogus", "event kind outside the enum")
mut("trace-line", tr[-1], ["summary", "lost"], None, "lost null")
mut("agent-reply", ag, ["role"], "host", "a host document as the agent's reply")
mut("agent-reply", ag, ["netdevs"], None, "netdevs null")

# Every field the writer's tables list is in the schema with its type.
src = open(json_c).read()
T = {"I": "integer", "S": "string", "B": "boolean"}
defs = sch["snapshot"]["$defs"]
for tbl, ent in (("netdev_f", "netdev"), ("vf_f", "vf"), ("pf_f", "pf"), ("team_f", "team"), ("member_f", "member")):
    body = re.search(r"static const struct field %s\[\] = \{(.*?)\n\};" % tbl, src, re.S)
    assert body, tbl
    fields = re.findall(r"F([ISB])\(\w+, (\w+)\)", body.group(1))
    assert len(fields) >= 5, (tbl, fields)
    for t, f in fields:
        p = defs[ent]["properties"].get(f)
        if p is None or set(p["type"]) != {T[t], "null"} or f not in defs[ent]["required"]:
            bad.append(f"model/json.c {tbl} field {f} ({T[t]}|null) is not so in snapshot.json $defs/{ent}: {p}")
if bad:
    print("\n".join(bad)); sys.exit(1)
print("ok")
P
