#!/bin/bash
# Owners of namespaces and VFs from a --sysroot tree in docs/netns.md's
# layout (issue 14). Pods are real only on a Kubernetes node, so the owner
# files are a tree: the ixgbe-bond-cni corpus host (PF sriov0, VFs 0-3 at
# 0000:01:10.1/.3/.5/.7) plus netns/cni-1234/ holding the pod's ip-link.json
# (net1, net2 with parentdev = VF 1, VF 2; bond net3) and bonding file, the
# sandbox's proc/4242/cgroup, var/log/pods/telco_cnf-a-7d9f_UID/, kubelet's
# checkpoint (VFs 1 and 2 to that pod, resource intel.com/sriov_a), a devinfo
# file (VF 3) and a sriov-cni cache entry of the sandbox's container (VF 0).
# Then: the same tree without the owner files (unknown stays unknown), a
# hostile tree (escapes in names, a bad checkpoint, a devinfo naming another
# address), and snapshot JSON through a bundle and back.
set -u
. "$TOP/tests/lib.sh"
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
C=$TOP/tests/corpus/cases/ixgbe-bond-cni/bad
[ -d "$C/host/sys" ] || skip "no ixgbe-bond-cni corpus case"
UID_=1b2c3d4e-5f60-7182-93a4-b5c6d7e8f901
CID=$(printf 'ab%.0s' $(seq 32))
mk() { # DIR: the tree with the pod's namespace, without owner files
	cp -a "$C/host" "$1"
	mkdir -p "$1/netns/cni-1234/proc/net/bonding"
	cp "$C/guest/ip-link.json" "$1/netns/cni-1234/"
	cp "$C/guest/proc/net/bonding/net3" "$1/netns/cni-1234/proc/net/bonding/"
	echo cni-1234 > "$1/netns/cni-1234/name"
	echo 4026532999 > "$1/netns/cni-1234/inode"
	echo 4242 > "$1/netns/cni-1234/pid"
}
owners() { # DIR
	mkdir -p "$1/proc/4242" "$1/var/log/pods/telco_cnf-a-7d9f_$UID_" "$1/var/lib/kubelet/device-plugins" \
		"$1/var/run/k8s.cni.cncf.io/devinfo/dp" "$1/var/lib/cni/sriov/pci/vf_lock"
	echo "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID_//-/_}.slice/cri-containerd-$CID.scope" \
		> "$1/proc/4242/cgroup"
	echo '{"Data":{"PodDeviceEntries":[{"PodUID":"'$UID_'","ContainerName":"cnf","ResourceName":"intel.com/sriov_a","DeviceIDs":{"0":["0000:01:10.3","0000:01:10.5"]},"AllocResp":"AA=="}],"RegisteredDevices":{"intel.com/sriov_a":["0000:01:10.1","0000:01:10.3","0000:01:10.5","0000:01:10.7"]}},"Checksum":1}' \
		> "$1/var/lib/kubelet/device-plugins/kubelet_internal_checkpoint"
	echo '{"type":"pci","version":"1.1.0","pci":{"pci-address":"0000:01:10.7"}}' \
		> "$1/var/run/k8s.cni.cncf.io/devinfo/dp/intel.com-sriov_a-0000:01:10.7-device.json"
	echo '{"cniVersion":"0.4.0","name":"sriov-a","type":"sriov","deviceID":"0000:01:10.1","OrigVfState":{"HostIFName":"sriov0v0"}}' \
		> "$1/var/lib/cni/sriov/$CID-net9"
	printf '/var/run/netns/cni-1234' > "$1/var/lib/cni/sriov/pci/0000:01:10.3"
	printf '/var/run/netns/cni-0b6e4d2c' > "$1/var/lib/cni/sriov/pci/0000:01:10.1"
}
mk "$T/full"; owners "$T/full"
mk "$T/bare"

"$VFSCOPE" snapshot --json --sysroot "$T/full" > "$T/full.json" || fail "snapshot full rc=$?"
"$VFSCOPE" snapshot --sysroot "$T/full" > "$T/full.txt" || fail "snapshot text rc=$?"
"$VFSCOPE" snapshot --json --sysroot "$T/bare" > "$T/bare.json" || fail "snapshot bare rc=$?"
"$VFSCOPE" snapshot --json --no-netns --sysroot "$T/full" > "$T/off.json" || fail "snapshot --no-netns rc=$?"

python3 - "$T" "$UID_" <<'P' || fail "full tree"
import json, sys
t, uid = sys.argv[1:3]
d = json.load(open(t + "/full.json"))
src = {s["name"]: s for s in d["sources"]}
assert src["netns"]["status"] == "ok" and src["kubelet"]["status"] == "ok", d["sources"]
ns = [g for g in d["guests"] if g["role"] == "netns"]
assert len(ns) == 1, ns
g = ns[0]
assert g["label"] == "pod telco/cnf-a-7d9f", g["label"]
n = g["netns"]
assert (n["name"], n["inode"], n["pid"], n["pod_uid"], n["pod_namespace"], n["pod_name"]) == \
	("cni-1234", 4026532999, 4242, uid, "telco", "cnf-a-7d9f"), n
assert n["src"]["pod_uid"] == "procfs" and n["src"]["pod_name"] == "kubelet", n["src"]
dev = {x["name"]: x for x in g["netdevs"]}
assert dev["net1"]["pci"] == "0000:01:10.3" and dev["net2"]["pci"] == "0000:01:10.5", dev
vfs = {v["pci"]: v for p in d["pfs"] for v in p["vfs"]}
# VFs 1, 2: kubelet's checkpoint, and in the pod's bond (found by PCI address)
for pci, member in (("0000:01:10.3", 0), ("0000:01:10.5", 1)):
    v = vfs[pci]
    al = v["allocation"]
    assert (al["pod_uid"], al["pod"], al["resource"], al["netns"]) == \
        (uid, "telco/cnf-a-7d9f", "intel.com/sriov_a", "pod telco/cnf-a-7d9f"), al
    assert {k: al["src"][k] for k in ("pod_uid", "pod", "resource", "netns")} == \
        {"pod_uid": "kubelet", "pod": "kubelet", "resource": "kubelet", "netns": "derived"}, al["src"]
    assert v["used_by"] == {"guest": 0, "team": 0, "member": member}, v["used_by"]
# sriov-cni's allocation records: the namespace path it moved a VF into
assert vfs["0000:01:10.3"]["allocation"]["netns_path"] == "/var/run/netns/cni-1234", vfs["0000:01:10.3"]
assert vfs["0000:01:10.5"]["allocation"]["netns_path"] is None, vfs["0000:01:10.5"]
assert vfs["0000:01:10.1"]["allocation"]["netns_path"] == "/var/run/netns/cni-0b6e4d2c", vfs["0000:01:10.1"]
# VF 0: sriov-cni's cache of the sandbox container -> the pod; not in its namespace
al = vfs["0000:01:10.1"]["allocation"]
assert al["pod_uid"] == uid and al["pod"] == "telco/cnf-a-7d9f" and al["netns"] is None and al["resource"] is None, al
assert "used_by" not in vfs["0000:01:10.1"]
# VF 3: a devinfo file: a resource, no pod
al = vfs["0000:01:10.7"]["allocation"]
assert al["resource"] == "intel.com-sriov_a" and al["pod_uid"] is None and al["pod"] is None, al
team = g["teams"][0]
assert team["name"] == "net3" and [m.get("backing") for m in team["members"]] == [{"pf": 1, "vf": 1}, {"pf": 1, "vf": 2}], team

# no owner files: the namespace and its bond are there, every owner value unknown
b = json.load(open(t + "/bare.json"))
assert "kubelet" not in {s["name"] for s in b["sources"]}, b["sources"]
g = [g for g in b["guests"] if g["role"] == "netns"][0]
assert g["label"] == "netns cni-1234", g["label"]
assert g["netns"]["pod_uid"] is None and g["netns"]["pod_name"] is None, g["netns"]
vfs = {v["pci"]: v for p in b["pfs"] for v in p["vfs"]}
assert vfs["0000:01:10.3"]["allocation"] == {"pod_uid": None, "pod": None, "resource": None,
	"netns": "netns cni-1234", "netns_path": None, "src": {"netns": "derived"}}, vfs["0000:01:10.3"]["allocation"]
assert "allocation" not in vfs["0000:01:10.7"], vfs["0000:01:10.7"]
off = json.load(open(t + "/off.json"))
assert not off.get("guests") and {s["name"]: s["status"] for s in off["sources"]}["netns"] == "skipped"
print("ok: owners")
P

grep -q -- "-> pod telco/cnf-a-7d9f net3/net1" "$T/full.txt" || fail "text: VF 1 -> pod bond member"
grep -q -- "allocated to pod telco/cnf-a-7d9f (uid $UID_) resource intel.com/sriov_a" "$T/full.txt" || fail "text: allocation"
grep -q -- "^pod telco/cnf-a-7d9f at ?, root " "$T/full.txt" || fail "text: namespace header"
grep -q -- "^--- netns 0 ---" "$T/full.txt" || fail "text: namespace separator"
grep -q -- "netdev net2 .*pci 0000:01:10.5 master net3 -> VF 2 of PF sriov0 (0000:01:00.1)" "$T/full.txt" || fail "text: net2"
# check sees the pod's bond like a guest's (an existing team rule on it)
"$VFSCOPE" check --json --sysroot "$T/full" > "$T/check.json"; [ $? -le 1 ] || fail "check rc"
python3 - "$T/check.json" <<'P' || fail "check on the pod's bond"
import json, sys
f = json.load(open(sys.argv[1]))["findings"]
assert any("pod telco/cnf-a-7d9f" in json.dumps(x) for x in f), [x["rule"] for x in f]
print("ok: findings name the pod")
P

# metrics: the namespace's label on its netdevs and teams, one netns and one
# pod series per VF that has them, and promtool accepts the page.
"$VFSCOPE" metrics --once --sysroot "$T/full" > "$T/m.txt" || fail "metrics rc=$?"
grep -qx 'vfscope_vf_netns_info{pf="0000:01:00.1",vf="2",netns="pod telco/cnf-a-7d9f"} 1' "$T/m.txt" || fail "metrics: netns of VF 2"
grep -qx "vfscope_vf_pod_info{pf=\"0000:01:00.1\",vf=\"1\",pod=\"telco/cnf-a-7d9f\",pod_uid=\"$UID_\",resource=\"intel.com/sriov_a\"} 1" "$T/m.txt" ||
	fail "metrics: pod of VF 1"
grep -q '^vfscope_team_info{machine="pod telco/cnf-a-7d9f",team="net3"' "$T/m.txt" || fail "metrics: the pod's bond"
[ "$(grep -c '^vfscope_vf_netns_info' "$T/m.txt")" = 2 ] || fail "metrics: netns series count"
if command -v promtool >/dev/null; then promtool check metrics < "$T/m.txt" || fail "promtool"; fi

# Hostile owner files: escapes in names, a checkpoint that is not one, a
# devinfo whose name and content disagree, an unreadable cache file. Nothing
# crashes, nothing hostile reaches the output, the kubelet source says partial.
mk "$T/bad"; owners "$T/bad"
E=$'\e]0;x\a\e[2J'
echo "{\"Data\":{\"PodDeviceEntries\":[{\"PodUID\":\"$UID_\",\"ResourceName\":\"intel.com/\\u001b]0;x\\u0007\\u001b[2J\",\"DeviceIDs\":[\"0000:01:10.3\"]}]}}" \
	> "$T/bad/var/lib/kubelet/device-plugins/kubelet_internal_checkpoint"
echo '{"type":"pci","pci":{"pci-address":"0000:01:10.1"}}' > "$T/bad/var/run/k8s.cni.cncf.io/devinfo/dp/r-0000:01:10.5-device.json"
printf '[[[[' > "$T/bad/var/lib/cni/sriov/$CID-net8"
mkdir "$T/bad/var/log/pods/te${E}lco_cnf_$UID_"
printf 'x%.0s' $(seq 300) > "$T/bad/netns/cni-1234/name"
mkdir -p "$T/bad/netns/${E}"; echo "[" > "$T/bad/netns/${E}/ip-link.json"
"$VFSCOPE" snapshot --json --sysroot "$T/bad" > "$T/bad.json" || fail "hostile tree rc=$?"
"$VFSCOPE" snapshot --sysroot "$T/bad" > "$T/bad.txt" || fail "hostile tree text rc=$?"
grep -q $'\e' "$T/bad.txt" "$T/bad.json" && fail "raw ESC in output"
python3 - "$T/bad.json" <<'P' || fail "hostile"
import json, sys
d = json.load(open(sys.argv[1]))
src = {s["name"]: s for s in d["sources"]}
assert src["kubelet"]["status"] == "partial", src["kubelet"]
vfs = {v["pci"]: v for p in d["pfs"] for v in p["vfs"]}
assert vfs["0000:01:10.5"].get("allocation", {}).get("resource") is None, vfs["0000:01:10.5"]
al = vfs["0000:01:10.3"]["allocation"]
assert al["pod"] == "telco/cnf-a-7d9f" and al["resource"].startswith("intel.com/"), al
assert not any(ord(c) < 0x20 or ord(c) == 0x7f for c in al["resource"]), repr(al["resource"])
for g in d["guests"]:
    assert not any(ord(c) < 0x20 for c in g["label"]), repr(g["label"])
print("ok: hostile tree")
P

# JSON through a bundle and back: the namespace and the allocations survive.
"$VFSCOPE" bundle -q -d 0 --sysroot "$T/full" -o "$T/b.tar.gz" >/dev/null 2>&1; rc=$?
[ $rc -le 1 ] || fail "bundle rc=$rc"
"$VFSCOPE" snapshot --json --from "$T/b.tar.gz" > "$T/back.json" || fail "read back"
python3 - "$T/full.json" "$T/back.json" <<'P' || fail "bundle round trip"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
def view(d):
    ns = [(g["label"], g["netns"]["name"], g["netns"]["inode"], g["netns"]["pod_uid"],
           sorted(n["name"] for n in g["netdevs"]), [t["name"] for t in g["teams"]])
          for g in d["guests"] if g["role"] == "netns"]
    al = {v["pci"]: {k: v["allocation"][k] for k in ("pod_uid", "pod", "resource", "netns")}
          for p in d["pfs"] for v in p["vfs"] if "allocation" in v}
    return ns, al
assert view(a) == view(b), (view(a), view(b))
print("ok: bundle round trip")
P
# The unpacked bundle is a tree in the same layout: --sysroot on it sees the
# namespace and the owners again.
mkdir "$T/x" && tar xzf "$T/b.tar.gz" -C "$T/x" || fail "unpack"
"$VFSCOPE" snapshot --json --sysroot "$T/x" > "$T/x.json" || fail "snapshot of the unpacked bundle"
python3 - "$T/full.json" "$T/x.json" <<'P' || fail "unpacked bundle"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
def view(d):
    return ([(g["label"], g["netns"]["pod_uid"], sorted(n["name"] for n in g["netdevs"]), [t["name"] for t in g["teams"]])
             for g in d["guests"] if g["role"] == "netns"],
            {v["pci"]: v.get("allocation", {}).get("pod") for p in d["pfs"] for v in p["vfs"]})
assert view(a) == view(b), (view(a), view(b))
print("ok: unpacked bundle as a sysroot")
P
# --redact: no pod, namespace or netns name left in the bundle's files or paths
"$VFSCOPE" bundle -q -d 0 --redact --sysroot "$T/full" -o "$T/r.tar.gz" >/dev/null 2>&1; rc=$?
[ $rc -le 1 ] || fail "bundle --redact rc=$rc"
mkdir "$T/r" && tar xzf "$T/r.tar.gz" -C "$T/r" || fail "unpack redacted"
grep -rl -e cnf-a-7d9f -e telco "$T/r" && fail "a pod name left in a redacted bundle"
tar tzf "$T/r.tar.gz" | grep -e cnf-a-7d9f -e telco && fail "a pod name left in a redacted bundle's paths"
echo ok
