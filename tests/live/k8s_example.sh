#!/bin/bash
# contrib/kubernetes/vfscope-exporter-daemonset.yaml: parses as YAML
# (Debian's python3-yaml), is a DaemonSet with hostNetwork, hostPID,
# read-only hostPath mounts only, capabilities dropped but for the ones its
# header explains (the metrics unit's CapabilityBoundingSet, when it is there); its container's arguments name only options that
# 'vfscope metrics --help' lists (with a value where the help gives one) and
# only $(VARS) its env defines; the port agrees everywhere. Then the exact
# command line runs here, in a network namespace, with NODE_IP=127.0.0.1,
# and /metrics answers with vfscope's families.
set -u
. "$TOP/tests/lib.sh"
need_root
PY=/usr/bin/python3
$PY -c 'import yaml' 2>/dev/null || skip "no python3-yaml for $PY"
Y=$TOP/contrib/kubernetes/vfscope-exporter-daemonset.yaml
d=$(mktemp -d); trap 'rm -rf $d; cleanup_ns' EXIT
"$VFSCOPE" metrics --help > "$d/help" 2>&1 || fail "metrics --help rc=$?"
$PY - "$Y" "$d/help" "$d/cmd" <<'P' || fail "DaemonSet checks"
import re, sys, yaml
path, helpf, cmdf = sys.argv[1:4]
text = open(path).read()
docs = [x for x in yaml.safe_load_all(text) if x is not None]
bad = []
def need(c, what):
    if not c: bad.append(what)
ds = [x for x in docs if x.get("kind") == "DaemonSet"]
need(len(ds) == 1 and ds[0].get("apiVersion") == "apps/v1", "one apps/v1 DaemonSet")
ds = ds[0]
sel = ds["spec"]["selector"]["matchLabels"]
tpl = ds["spec"]["template"]
need(all(tpl["metadata"]["labels"].get(k) == v for k, v in sel.items()), "selector matches the pod labels")
ps = tpl["spec"]
need(ps.get("hostNetwork") is True, "hostNetwork: true")
need(ps.get("hostPID") is True, "hostPID: true")
vols = {v["name"]: v for v in ps.get("volumes", [])}
need(all("hostPath" in v for v in vols.values()), "only hostPath volumes")
need({v["hostPath"]["path"] for v in vols.values()} >= {"/sys", "/dev/kmsg"}, "host /sys and /dev/kmsg mounted")
cs = ps["containers"]
need(len(cs) == 1, "one container")
c = cs[0]
for m in c.get("volumeMounts", []):
    need(m.get("readOnly") is True, f"mount {m['name']} read-only")
    need(m["name"] in vols, f"mount {m['name']} has a volume")
sc = c["securityContext"]
need(sc.get("readOnlyRootFilesystem") is True, "read-only root filesystem")
need(sc.get("privileged") in (None, False), "not privileged")
caps = sc["capabilities"]
need(caps.get("drop") == ["ALL"], "capabilities: drop ALL")
add = caps.get("add", [])
need(add, "capabilities added")
for cap in add:
    need(re.search(r"^# - (\w+, )*%s[,:]" % cap, text, re.M), f"capability {cap} explained in the header")
    need(cap in ("SYS_ADMIN", "BPF", "PERFMON", "SYSLOG", "SYS_PTRACE", "DAC_READ_SEARCH"), f"capability {cap} is one vfscope uses")
# The same set as the metrics unit's bounding set, when the unit is there.
import os
unit = os.path.join(os.path.dirname(path), "..", "systemd", "vfscope-metrics.service")
if os.path.exists(unit):
    b = [l.split("=", 1)[1].split() for l in open(unit) if l.startswith("CapabilityBoundingSet=")]
    need(b and sorted(x.replace("CAP_", "") for x in b[-1]) == sorted(add),
         f"capabilities {sorted(add)} differ from {unit}'s CapabilityBoundingSet {b}")
if "SYS_ADMIN" in add:
    need(sc.get("allowPrivilegeEscalation") is not False, "allowPrivilegeEscalation false with SYS_ADMIN (Kubernetes refuses it)")

# Options: what 'vfscope metrics --help' lists, and which take a value.
opts = {}
for line in open(helpf):
    m = re.match(r"^ +((?:-[\w-]+, )*--?[\w-]+)( [^ -][^ ]*)?(?:  |$)", line)
    if m:
        for o in m.group(1).split(", "):
            opts[o] = bool(m.group(2))
need("--listen" in opts and opts["--listen"] and "--once" in opts and not opts["--once"], f"help parsed: {opts}")
def check_args(args):
    out = []
    need_val = None
    for a in args:
        if need_val:
            need_val = None
            continue
        if a.startswith("-"):
            o, eq, _ = a.partition("=")
            if o not in opts:
                out.append(f"option {o} is not in 'vfscope metrics --help'")
            elif opts[o] and not eq:
                need_val = o
        elif a != args[0]:
            out.append(f"stray argument {a!r}")
    if need_val:
        out.append(f"{need_val} has no value")
    return out
need(c["command"][-1].endswith("/vfscope") or c["command"] == ["vfscope"], f"command is vfscope: {c['command']}")
args = [str(a) for a in c["args"]]
need(args[0] == "metrics", "args start with metrics")
bad += check_args(args)
# The checker itself can fail.
need(check_args(["metrics", "--no-such-option"]) and check_args(["metrics", "--listen"]), "option checker accepts anything")
env = {e["name"] for e in c.get("env", [])}
for v in re.findall(r"\$\((\w+)\)", " ".join(args)):
    need(v in env, f"$({v}) is not in env")
# One port everywhere.
lst = args[args.index("--listen") + 1]
port = int(lst.rsplit(":", 1)[1])
need(c["ports"][0]["containerPort"] == port, "containerPort = --listen port")
need(c["readinessProbe"]["httpGet"]["port"] == port, "readiness probe port")
need(tpl["metadata"]["annotations"]["prometheus.io/port"] == str(port), "prometheus.io/port")
if bad:
    print("\n".join(bad)); sys.exit(1)
# The command line to run here: $(NODE_IP) as the loopback address.
open(cmdf, "w").write("\n".join(a.replace("$(NODE_IP)", "127.0.0.1") for a in args) + "\n")
print("ok", args)
P
n=$(mkns k)
ip -n "$n" link set lo up
mapfile -t args < "$d/cmd"
ip netns exec "$n" "$VFSCOPE" "${args[@]}" > "$d/out" 2>&1 &
pid=$!
port=$(grep -A1 -x -- --listen "$d/cmd" | tail -1 | sed 's/.*://')
ok=
for _ in $(seq 100); do
	if ip netns exec "$n" $PY -c "import urllib.request,sys; sys.stdout.write(urllib.request.urlopen('http://127.0.0.1:$port/metrics', timeout=5).read().decode())" > "$d/m" 2>/dev/null; then
		ok=1; break
	fi
	kill -0 $pid 2>/dev/null || break
	sleep 0.2
done
kill $pid 2>/dev/null; wait $pid 2>/dev/null
[ -n "$ok" ] || fail "the DaemonSet's command did not serve /metrics: $(tail -5 "$d/out")"
grep -q '^vfscope_build_info{' "$d/m" || fail "no vfscope_build_info in /metrics: $(head -5 "$d/m")"
grep -q '^vfscope_collections_total' "$d/m" || fail "no vfscope_collections_total"
echo ok
