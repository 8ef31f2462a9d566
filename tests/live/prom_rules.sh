#!/bin/bash
# contrib/prometheus/vfscope-rules.yml: promtool check rules and promtool
# test rules (vfscope-rules.test.yml: every alert fires in one case and does
# not in a near-identical one). The test inputs are faithful: every input
# series (name and labels, less instance/job which Prometheus adds) is one
# `vfscope metrics --once` really writes for the lab fixtures, sos reports,
# a guest agent that does not answer and a tree with VF stats; probe names
# are the ones `vfscope trace --list-probes` lists; a test group named
# [KEY] starts each series at the value that output (lab-NAME, sos-NAME,
# guest-down, vf-stats) has. Every metric and label
# the rules use is in that real output, every alert's runbook_url names a
# heading that exists in docs/rules.md or docs/metrics.md.
set -u
. "$TOP/tests/lib.sh"
command -v promtool >/dev/null || skip "promtool not installed (Debian prometheus package)"
python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml not installed"
R=$TOP/contrib/prometheus
T=$(mktemp -d); trap 'rm -rf $T' EXIT
cd "$TOP" || fail "cd $TOP"

# -- real output: lab fixtures (host + guest view), sos reports, an agent
# nobody answers for, a tree whose ip-link.json has VF stats
real() { # metrics --once SOURCES: exit 0, or 2 for a collection that failed (a real case too)
	"$VFSCOPE" metrics --once --no-kmsg "$@" 2>"$T/err"
	local rc=$?
	if [ $rc -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$T/err"; then cat "$T/err" >&2; fail "metrics --once $* rc=$rc"; fi
}
mkdir "$T/real"
for d in tests/fixtures/lab/*/; do
	d=${d%/}
	[ -f "$d/guest-snapshot.json" ] || continue
	real --sysroot "$d/host" --guest-file "$d/guest-snapshot.json" > "$T/real/lab-${d##*/}.prom"
done
real --sysroot tests/fixtures/lab/healthy/host --guest-file tests/fixtures/lab/healthy/guest-snapshot.json \
	--guest tcp:127.0.0.1:9 --guest-timeout 500 > "$T/real/guest-down.prom"
for d in tests/fixtures/sos/*/; do d=${d%/}; real --from "$d" > "$T/real/sos-${d##*/}.prom"; done
cp -a tests/fixtures/bundle/sysroot "$T/root"
python3 - "$T/root/ip-link.json" <<'P'
import json, sys
p = sys.argv[1]
d = json.load(open(p))
for l in d:
    if l["ifname"] == "eth0":
        l["vfinfo_list"][1]["stats"] = {"rx": {"bytes": 0, "packets": 0, "multicast": 0, "broadcast": 0, "dropped": 7},
                                        "tx": {"bytes": 0, "packets": 0, "dropped": 0}}
json.dump(d, open(p, "w"))
P
real --sysroot "$T/root" > "$T/real/vf-stats.prom"
cat "$T"/real/*.prom > "$T/real.prom"
grep -q '^vfscope_findings{rule="VFS001-pf-link-hidden",severity="error"} 1$' "$T/real.prom" ||
	fail "pf-link-down fixture gives no VFS001 (real output changed?)"
"$VFSCOPE" trace --list-probes 2>/dev/null | awk '{ print $1 }' > "$T/probes"
[ -s "$T/probes" ] || fail "trace --list-probes listed nothing"

promtool check rules "$R/vfscope-rules.yml" > "$T/check" 2>&1 || { cat "$T/check"; fail "promtool check rules"; }
( cd "$R" && promtool test rules vfscope-rules.test.yml ) > "$T/test" 2>&1 || { cat "$T/test"; fail "promtool test rules"; }
cat "$T/test"

cat > "$T/faithful.py" <<'P'
import re, sys, yaml
real_f, probes_f, rules_f, test_f, docs = sys.argv[1:]
SER = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?(?:\s+\S+)?\s*$')
LAB = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
def parse(s):
    m = SER.match(s.strip())
    if not m:
        raise SystemExit(f"cannot parse series {s!r}")
    return m.group(1), tuple(sorted(LAB.findall(m.group(2) or "")))
real, keys = set(), {}
for line in open(real_f):
    if line.startswith("#") or not line.strip():
        continue
    n, l = parse(line)
    real.add((n, l))
    keys.setdefault(n, set()).add(tuple(k for k, _ in l))
probes = {l.strip() for l in open(probes_f) if l.strip()}
import os
def values(path):
    out = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        n, l = parse(line)
        out[(n, l)] = float(line.split()[-1])
    return out
TIMES = {"vfscope_last_collection_timestamp_seconds", "vfscope_collection_age_seconds",
         "vfscope_collector_duration_seconds"}
bad = []
# 1. every input series exists in real output (probe names: trace --list-probes)
tests = yaml.safe_load(open(test_f))
n_in = 0
for t in tests["tests"]:
    for s in t.get("input_series", []):
        n, l = parse(s["series"])
        l = tuple(kv for kv in l if kv[0] not in ("instance", "job"))
        n_in += 1
        tag = re.match(r"\[([\w.-]+)\]", t.get("name", ""))
        if tag and n not in TIMES:
            f = os.path.join(os.path.dirname(real_f), "real", tag.group(1) + ".prom")
            if not os.path.exists(f):
                bad.append(f"test {t['name']!r}: no real output {tag.group(1)}")
            else:
                v = values(f).get((n, l))
                first = float(re.match(r"\s*(-?[0-9.]+(?:e[+-]?[0-9]+)?)", str(s["values"])).group(1))
                if v is None:
                    bad.append(f"[{tag.group(1)}]: {s['series']} is not in that output")
                elif v != first:
                    bad.append(f"[{tag.group(1)}]: {s['series']} starts at {first}, the fixture gives {v}")
        if (n, l) in real:
            continue
        if n == "vfscope_probe_up" and len(l) == 1 and l[0][0] == "probe" and l[0][1] in probes:
            continue
        bad.append(f"input series not in real output: {s['series']}")
# 2. every alert is tested firing and not firing
rules = yaml.safe_load(open(rules_f))
alerts = [r["alert"] for g in rules["groups"] for r in g["rules"] if "alert" in r]
for a in alerts:
    cases = [c for t in tests["tests"] for c in t.get("alert_rule_test", []) if c["alertname"] == a]
    if not any(c.get("exp_alerts") for c in cases):
        bad.append(f"alert {a}: no test where it fires")
    if not any(not c.get("exp_alerts") for c in cases):
        bad.append(f"alert {a}: no test where it must not fire")
# 3. every vfscope_ metric in the rules is in real output (probe-only families:
# written by export/metrics.c only while the probes run, none of the fixtures has
# them; they must be in docs/metrics.md's table instead), and every label a
# matcher or a by() names is one of that family's
metrics_md = open(f"{docs}/metrics.md").read()
PROBE_ONLY = {"vfscope_mailbox_messages_total", "vfscope_team_member_drops_total",
              "vfscope_team_member_tx_timeouts_total"}
for name in PROBE_ONLY:  # their labels as docs/metrics.md's table gives them
    m = re.search(r"^\| `" + name + r"` \| \w+ \| ([a-z_, ]+) \|", metrics_md, re.M)
    if m:
        keys[name] = {tuple(x.strip() for x in m.group(1).split(","))}
extra_labels = {"instance", "job"}
for g in rules["groups"]:
    for r in g["rules"]:
        e = r["expr"]
        for name, sel in re.findall(r'\b(vfscope_[a-z0-9_]+)(\{[^}]*\})?', e):
            if name in keys and (name not in PROBE_ONLY or f"`{name}`" in metrics_md):
                ok_keys = set(k for ks in keys[name] for k in ks) | extra_labels
            else:
                bad.append(f"{r.get('alert', r.get('record'))}: metric {name} is not in real output")
                continue
            for k in re.findall(r'([a-zA-Z_]+)\s*(?:=~|!~|!=|=)', sel or ""):
                if k not in ok_keys:
                    bad.append(f"{r.get('alert', r.get('record'))}: {name} has no label {k}")
        for grp in re.findall(r'\bby\s*\(([^)]*)\)', e):
            for k in [x.strip() for x in grp.split(",") if x.strip()]:
                if k not in extra_labels and not any(k in ks for n in keys for kss in keys[n] for ks in [kss]):
                    bad.append(f"{r.get('alert', r.get('record'))}: by({k}) is no label of any real series")
# 4. runbook anchors exist (GitHub's heading slugs)
def slugs(path):
    out = set()
    for line in open(path):
        if line.startswith("#"):
            t = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", t).replace(" ", "-"))
    return out
anchors = {"rules.md": slugs(f"{docs}/rules.md"), "metrics.md": slugs(f"{docs}/metrics.md")}
for g in rules["groups"]:
    for r in g["rules"]:
        if "alert" not in r:
            continue
        u = r.get("annotations", {}).get("runbook_url", "")
        m = re.fullmatch(r"docs/(rules\.md|metrics\.md)#([\w-]+)", u)
        if not m:
            bad.append(f"{r['alert']}: runbook_url {u!r} is not docs/rules.md#... or docs/metrics.md#...")
        elif m.group(2) not in anchors[m.group(1)]:
            bad.append(f"{r['alert']}: runbook_url {u}: no such heading")
for b in bad:
    print("FAIL:", b)
print(f"{n_in} input series checked against {len(real)} real series, {len(alerts)} alerts")
sys.exit(1 if bad else 0)
P
faithful() { python3 "$T/faithful.py" "$T/real.prom" "$T/probes" "$1" "$2" "$TOP/docs"; }
faithful "$R/vfscope-rules.yml" "$R/vfscope-rules.test.yml" || fail "rules and tests vs real output"
# the checker can fail: an input series with a label vfscope does not write,
# a value the fixture does not give, a rule on a metric it does not export
sed 's/rule="VFS001-pf-link-hidden",severity="error"}/rule="VFS001-pf-link-hidden",severity="error",machine="x"}/' \
	"$R/vfscope-rules.test.yml" > "$T/bad.test.yml"
faithful "$R/vfscope-rules.yml" "$T/bad.test.yml" > "$T/out" && fail "a made-up label in an input series passed"
grep -q 'input series not in real output.*machine="x"' "$T/out" || fail "wrong complaint: $(cat "$T/out")"
awk '/name: .\[lab-pf-link-down\]/ { g = 1 } g && /VFS001-pf-link-hidden/ { n = 1 } n && /values:/ { sub(/1x30/, "0x30"); n = 0; g = 0 } { print }' \
	"$R/vfscope-rules.test.yml" > "$T/bad.test.yml"
cmp -s "$T/bad.test.yml" "$R/vfscope-rules.test.yml" && fail "value mutation changed nothing"
faithful "$R/vfscope-rules.yml" "$T/bad.test.yml" > "$T/out" && fail "a value the fixture does not give passed"
grep -q 'lab-pf-link-down.*VFS001-pf-link-hidden.*starts at 0.0, the fixture gives 1.0' "$T/out" || fail "wrong complaint: $(cat "$T/out")"
sed 's/vfscope_collection_age_seconds > 120/vfscope_collection_age > 120/' "$R/vfscope-rules.yml" > "$T/bad.yml"
faithful "$T/bad.yml" "$R/vfscope-rules.test.yml" > "$T/out" && fail "a made-up metric in a rule passed"
grep -q 'metric vfscope_collection_age is not in real output' "$T/out" || fail "wrong complaint: $(cat "$T/out")"
echo ok
