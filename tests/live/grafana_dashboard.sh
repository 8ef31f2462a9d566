#!/bin/bash
# contrib/grafana/vfscope.json: valid JSON with a Prometheus data source
# variable that every panel and target uses; every PromQL expression
# (panels' targets[].expr, the templating queries' selectors) parses
# (promtool check rules, each wrapped as a recording rule) and uses only
# metrics `vfscope metrics --once` really writes for the lab fixture trees
# and the demo data (its guest tree as the agent's view, as README shows),
# with labels those series have. The mailbox and per-member drop/timeout
# counters exist only while the probes run (no fixture has them): they must
# be in docs/metrics.md's family table, with the labels it gives.
set -u
. "$TOP/tests/lib.sh"
command -v promtool >/dev/null || skip "promtool not installed (Debian prometheus package)"
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"
D=$TOP/contrib/grafana/vfscope.json
T=$(mktemp -d); trap 'rm -rf $T' EXIT
cd "$TOP" || fail "cd $TOP"

real() { # metrics --once SOURCES: exit 0, or 2 for a collection that failed (a real case too)
	"$VFSCOPE" metrics --once --no-kmsg "$@" 2>"$T/err"
	local rc=$?
	if [ $rc -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$T/err"; then cat "$T/err" >&2; fail "metrics --once $* rc=$rc"; fi
}
for d in tests/fixtures/lab/*/; do
	d=${d%/}
	[ -f "$d/guest-snapshot.json" ] && real --sysroot "$d/host" --guest-file "$d/guest-snapshot.json"
done > "$T/real.prom"
# the demo's data: tests/fixtures/lab/pf-link-down, its guest tree read as a guest view
"$VFSCOPE" snapshot --json --sysroot tests/fixtures/lab/pf-link-down/guest > "$T/guest.json" || fail "snapshot of the demo guest"
real --sysroot tests/fixtures/lab/pf-link-down/host --guest-file "$T/guest.json" >> "$T/real.prom"
real --sysroot tests/fixtures/lab/healthy/host --guest tcp:127.0.0.1:9 --guest-timeout 500 >> "$T/real.prom"
# VF counters: the bundle tree with VF stats as iproute2 prints them
cp -a tests/fixtures/bundle/sysroot "$T/root"
python3 - "$T/root/ip-link.json" <<'P'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for l in d:
    if l["ifname"] == "eth0":
        l["vfinfo_list"][1]["stats"] = {"rx": {"bytes": 10, "packets": 1, "multicast": 0, "broadcast": 1, "dropped": 7},
                                        "tx": {"bytes": 0, "packets": 0, "dropped": 0}}
json.dump(d, open(p, "w"))
P
real --sysroot "$T/root" >> "$T/real.prom"
grep -q '^vfscope_team_member_active{' "$T/real.prom" || fail "no team member series in real output"

cat > "$T/check.py" <<'P'
import json, re, sys, yaml
dash_f, real_f, rules_f, metrics_md_f, out_rules = sys.argv[1:]
bad = []
d = json.load(open(dash_f))
# -- data source variable, used by every panel and target
tv = d.get("templating", {}).get("list", [])
ds = [v for v in tv if v.get("type") == "datasource" and v.get("query") == "prometheus"]
if not ds:
    bad.append("no Prometheus datasource variable")
dsname = ds[0]["name"] if ds else "datasource"
def panels(ps):
    for p in ps:
        yield p
        yield from panels(p.get("panels", []))
exprs = []
ids = set()
for p in panels(d.get("panels", [])):
    if p.get("id") in ids:
        bad.append(f"panel id {p.get('id')} twice")
    ids.add(p.get("id"))
    g = p.get("gridPos", {})
    if g.get("x", 0) + g.get("w", 0) > 24:
        bad.append(f"panel {p.get('title')!r} wider than the grid")
    if p.get("type") not in ("row", "stat", "table", "timeseries", "state-timeline", "gauge", "bargauge", "text"):
        bad.append(f"panel {p.get('title')!r}: type {p.get('type')!r} is no Grafana core panel")
    if p.get("type") == "row":
        continue
    if not p.get("title"):
        bad.append(f"panel {p.get('id')} has no title")
    if p.get("datasource", {}).get("uid") != "${%s}" % dsname:
        bad.append(f"panel {p.get('title')!r}: datasource is not ${{{dsname}}}")
    if not p.get("targets"):
        bad.append(f"panel {p.get('title')!r} has no targets")
    for t in p.get("targets", []):
        if t.get("datasource", {}).get("uid") != "${%s}" % dsname:
            bad.append(f"panel {p.get('title')!r} target {t.get('refId')}: datasource is not ${{{dsname}}}")
        if not t.get("expr"):
            bad.append(f"panel {p.get('title')!r} target {t.get('refId')} has no expr")
        else:
            exprs.append((f"panel {p.get('title')!r} {t.get('refId')}", t["expr"]))
for v in tv:
    if v.get("type") != "query":
        continue
    q = v.get("query")
    q = q.get("query", "") if isinstance(q, dict) else q or ""
    m = re.fullmatch(r"\s*label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*", q)
    m2 = re.fullmatch(r"\s*query_result\((.*)\)\s*", q)
    if m:
        exprs.append((f"variable {v['name']}", m.group(1)))
        exprs.append((f"variable {v['name']} label", f"group by ({m.group(2)}) ({m.group(1)})"))
    elif m2:
        exprs.append((f"variable {v['name']}", m2.group(1)))
    else:
        bad.append(f"variable {v['name']}: query {q!r} is neither label_values() nor query_result()")
# -- Grafana's variables -> PromQL promtool can parse
def concrete(e):
    e = re.sub(r"\$__(rate_interval|interval|range)\b|\$\{__(rate_interval|interval|range)\}", "5m", e)
    return re.sub(r"\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?", ".*", e)
rules = {"groups": [{"name": "dashboard", "rules": [{"record": f"dashboard:expr_{i}", "expr": concrete(e)}
                                                     for i, (_, e) in enumerate(exprs)]}]}
yaml.safe_dump(rules, open(out_rules, "w"), sort_keys=False)
# -- real series: names and label names
keys = {}
LAB = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="(?:[^"\\]|\\.)*"')
for line in open(real_f):
    if line.startswith("#") or not line.strip():
        continue
    m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?", line)
    keys.setdefault(m.group(1), set()).update(LAB.findall(m.group(2) or ""))
md = open(metrics_md_f).read()
for name in ("vfscope_mailbox_messages_total", "vfscope_team_member_drops_total", "vfscope_team_member_tx_timeouts_total"):
    m = re.search(r"^\| `" + name + r"` \| \w+ \| ([a-z_, ]+) \|", md, re.M)
    if m and name not in keys:
        keys[name] = {x.strip() for x in m.group(1).split(",")}
recorded = set()
try:
    for g in yaml.safe_load(open(rules_f))["groups"]:
        recorded |= {r["record"] for r in g["rules"] if "record" in r}
except FileNotFoundError:
    pass
KW = {"by", "on", "without", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
      "inf", "nan", "atan2"}
used = set()
for where, e in exprs:
    s = re.sub(r'"(?:[^"\\]|\\.)*"', '""', e)
    sels = re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}", s)
    s2 = re.sub(r"\{[^}]*\}", " ", s)
    grouped = []
    for kw, lst in re.findall(r"\b(by|on|without|ignoring|group_left|group_right)\s*\(([^)]*)\)", s2):
        grouped += [x.strip() for x in lst.split(",") if x.strip()]
    s2 = re.sub(r"\b(by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)", " ", s2)
    s2 = re.sub(r"\[[^\]]*\]", " ", s2)
    names = [n for n in re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?", s2) if not n[1] and n[0] not in KW]
    names = [n for n, _ in names if not re.fullmatch(r"[0-9.e]+|[0-9]+[smhdwy]", n)]
    for n in names:
        used.add(n)
        if n in recorded:
            continue
        if n not in keys:
            bad.append(f"{where}: metric {n} is not in vfscope's real output: {e}")
    fam_labels = set().union(*(keys.get(n, set()) for n in names)) | {"instance", "job"}
    for n, body in sels:
        for k in re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", body):
            if n in keys and k not in keys[n] | {"instance", "job"}:
                bad.append(f"{where}: {n} has no label {k}")
    for k in grouped:
        if k not in fam_labels:
            bad.append(f"{where}: label {k} is on none of {names}")
for b in bad:
    print("FAIL:", b)
print(f"{len(exprs)} expressions, metrics used: {len(used)}; vfscope families not on the dashboard: "
      f"{sorted(set(k for k in keys if k.startswith('vfscope_')) - used)}")
sys.exit(1 if bad else 0)
P
check() { # DASHBOARD
	python3 "$T/check.py" "$1" "$T/real.prom" "$TOP/contrib/prometheus/vfscope-rules.yml" "$TOP/docs/metrics.md" "$T/rules.yml" ||
		return 1
	promtool check rules "$T/rules.yml" > "$T/promtool" 2>&1 || { cat "$T/promtool"; return 1; }
}
check "$D" || fail "dashboard"
grep -q SUCCESS "$T/promtool" || fail "promtool said no SUCCESS"
n=$(grep -c 'record: dashboard:expr_' "$T/rules.yml")
[ "$n" -ge 20 ] || fail "only $n expressions extracted"
# the checks can fail: an expression that does not parse, a metric vfscope
# does not write, a label a family does not have
python3 - "$D" "$T" <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
def first(ps):
    for p in ps:
        if p.get("targets"):
            return p
b = json.loads(json.dumps(d)); first(b["panels"])["targets"][0]["expr"] = "sum(rate(vfscope_collections_total[5m])"
json.dump(b, open(sys.argv[2] + "/b1.json", "w"))
b = json.loads(json.dumps(d)); first(b["panels"])["targets"][0]["expr"] = "vfscope_pf_link_down"
json.dump(b, open(sys.argv[2] + "/b2.json", "w"))
b = json.loads(json.dumps(d)); first(b["panels"])["targets"][0]["expr"] = 'vfscope_pf_link_up{machine="host"}'
json.dump(b, open(sys.argv[2] + "/b3.json", "w"))
P
check "$T/b1.json" > "$T/out" 2>&1 && fail "an unbalanced expression passed"
grep -q 'parse error' "$T/out" || fail "wrong complaint: $(cat "$T/out")"
check "$T/b2.json" > "$T/out" 2>&1 && fail "a made-up metric passed"
grep -q 'metric vfscope_pf_link_down is not' "$T/out" || fail "wrong complaint: $(cat "$T/out")"
check "$T/b3.json" > "$T/out" 2>&1 && fail "a made-up label passed"
grep -q 'vfscope_pf_link_up has no label machine' "$T/out" || fail "wrong complaint: $(cat "$T/out")"
echo ok
