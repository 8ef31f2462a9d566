#!/bin/bash
# Network namespaces on this machine (issue 14, docs/netns.md): a named one
# (ip netns add) with a veth pair, an unnamed one held only by a process
# (unshare -n) with a veth pair, and two held only by a bind mount under
# hostile names (escape sequences, a 240-byte name). The host's snapshot
# finds each as a role "netns" document with its netdevs, names it as
# docs/netns.md says (sanitized), and the text view shows them without a
# raw control character; --no-netns leaves them out; a bundle carries them
# back. Other tests' namespaces may exist at the same time: only ours are
# looked at.
set -u
. "$TOP/tests/lib.sh"
need_root
T=$(mktemp -d)
HOLD=()
HOSTILE=()
done_() {
	for p in "${HOLD[@]}"; do kill "$p" 2>/dev/null; done
	for h in "${HOSTILE[@]}"; do umount "/run/netns/$h" 2>/dev/null; rm -f "/run/netns/$h"; done
	cleanup_ns
	rm -rf "$T"
}
trap done_ EXIT

A=$(mkns a)
ip -n "$A" link add a0 type veth peer name a1 || skip "no veth"
ip -n "$A" link set a0 address 02:00:00:00:0a:01
ip -n "$A" link set a0 up; ip -n "$A" link set a1 up

unshare -n sleep 300 & U=$!; HOLD+=($U)
for _ in $(seq 50); do [ "$(stat -L -c %i /proc/$U/ns/net 2>/dev/null)" != "$(stat -L -c %i /proc/self/ns/net)" ] && break; sleep 0.05; done
ip link add u0 netns $U type veth peer name u1 netns $U || fail "veth into pid $U"
UINO=$(stat -L -c %i /proc/$U/ns/net)

# Hostile names: a namespace kept only by a bind mount on /run/netns/NAME.
E=$'\e[31m\a\e]0;pwn\a'
H1="${NS_PREFIX}esc${E}x"
H2="${NS_PREFIX}$(printf 'L%.0s' $(seq 240))"
for h in "$H1" "$H2"; do
	unshare -n sleep 300 & p=$!
	for _ in $(seq 50); do [ "$(stat -L -c %i /proc/$p/ns/net 2>/dev/null)" != "$(stat -L -c %i /proc/self/ns/net)" ] && break; sleep 0.05; done
	mkdir -p /run/netns
	touch "/run/netns/$h" && mount --bind /proc/$p/ns/net "/run/netns/$h" || fail "bind mount $h"
	HOSTILE+=("$h")
	ip link add h0 netns $p type veth peer name h1 netns $p || fail "veth in $h"
	kill $p; wait $p 2>/dev/null
done

timeout 60 "$VFSCOPE" snapshot --json --no-kmsg > "$T/s.json" || fail "snapshot --json rc=$?"
timeout 60 "$VFSCOPE" snapshot --no-kmsg > "$T/s.txt" || fail "snapshot rc=$?"
timeout 60 "$VFSCOPE" snapshot --json --no-kmsg --no-netns > "$T/off.json" || fail "--no-netns rc=$?"

python3 - "$T" "$A" "$U" "$UINO" "$NS_PREFIX" <<'P' || fail "model"
import json, os, sys
t, a, u, uino, pre = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
d = json.load(open(t + "/s.json"))
ns = [g for g in d.get("guests", []) if g["role"] == "netns"]
src = {s["name"]: s for s in d["sources"]}
assert src["netns"]["status"] in ("ok", "partial"), src.get("netns")
def names(g): return {n["name"] for n in g["netdevs"]}
# named
na = [g for g in ns if g["netns"]["name"] == a]
assert len(na) == 1, [g["label"] for g in ns]
g = na[0]
assert g["label"] == "netns " + a, g["label"]
assert {"lo", "a0", "a1"} <= names(g), names(g)
a0 = [n for n in g["netdevs"] if n["name"] == "a0"][0]
assert a0["mac"] == "02:00:00:00:0a:01" and a0["kind"] == "veth" and a0["src"]["mac"] == "netlink", a0
assert a0["pci"] is None, a0          # a veth has no parent device: unknown, not guessed
assert g["netns"]["inode"] == os.stat("/run/netns/" + a).st_ino, g["netns"]
assert {s["name"]: s["status"] for s in g["sources"]}.get("netlink") == "ok", g["sources"]
# unnamed, held by a process
nu = [g for g in ns if g["netns"]["inode"] == uino]
assert len(nu) == 1, (uino, [g["netns"] for g in ns])
g = nu[0]
assert g["netns"]["name"] is None and g["netns"]["pid"] == u, g["netns"]
assert g["label"] == "netns ino:%d" % uino, g["label"]
assert {"lo", "u0", "u1"} <= names(g), names(g)
assert g["netns"]["pod_uid"] is None and g["netns"]["src"].get("pid") == "procfs", g["netns"]
# hostile names: found, sanitized, bounded
hs = [g for g in ns if g["netns"]["name"] and g["netns"]["name"].startswith(pre) and g["netns"]["name"] != a]
assert len(hs) == 2, [g["netns"]["name"] for g in ns]
for g in hs:
    for s in (g["label"], g["netns"]["name"]):
        assert not any(ord(c) < 0x20 or ord(c) == 0x7f for c in s), repr(s)
    assert {"h0", "h1"} <= names(g), names(g)
    assert g["netns"]["pid"] is None, g["netns"]   # no process in it: kept by the mount only
assert any(len(g["netns"]["name"]) >= 240 for g in hs), [len(g["netns"]["name"]) for g in hs]
# each namespace once
inos = [g["netns"]["inode"] for g in ns]
assert len(inos) == len(set(inos)), inos
# --no-netns
off = json.load(open(t + "/off.json"))
assert not [g for g in off.get("guests", []) if g["role"] == "netns"], "namespaces with --no-netns"
assert {s["name"]: s["status"] for s in off["sources"]}.get("netns") == "skipped", off["sources"]
print("ok: %d namespaces, ours found" % len(ns))
P

# Without CAP_SYS_ADMIN (or under systemd's RestrictNamespaces=) setns is
# refused: the namespaces are still listed, each one's netlink failed with
# the reason, and the host's netns source says partial.
if command -v setpriv >/dev/null; then
	setpriv --bounding-set=-all,+dac_read_search,+sys_ptrace --inh-caps=-all --no-new-privs -- \
		timeout 60 "$VFSCOPE" snapshot --json --no-kmsg > "$T/nocap.json" || fail "snapshot without CAP_SYS_ADMIN rc=$?"
	python3 - "$T/nocap.json" "$A" <<'P' || fail "without CAP_SYS_ADMIN"
import json, sys
d, a = json.load(open(sys.argv[1])), sys.argv[2]
src = {s["name"]: s for s in d["sources"]}["netns"]
assert src["status"] == "partial" and "not entered (setns: Operation not permitted)" in src["detail"], src
g = [g for g in d["guests"] if g["role"] == "netns" and g["netns"]["name"] == a][0]
st = {s["name"]: s for s in g["sources"]}["netlink"]
assert st["status"] == "failed" and st["detail"].startswith("setns:"), st
assert g["netdevs"] == [], g["netdevs"]
print("ok: without CAP_SYS_ADMIN:", src["detail"])
P
fi

grep -q $'\e' "$T/s.txt" && fail "raw ESC in the text view"
grep -q $'\a' "$T/s.txt" && fail "raw BEL in the text view"
grep -qx -- "netns $A at .*" "$T/s.txt" || grep -q -- "^netns $A at " "$T/s.txt" || fail "no header for $A"
grep -q -- "^namespace: name $A inode " "$T/s.txt" || fail "no namespace line for $A"
grep -q -- "^  netdev a0 .*kind veth mac 02:00:00:00:0a:01" "$T/s.txt" || fail "a0 not listed"
grep -q -- "^netns ino:$UINO at " "$T/s.txt" || fail "no header for the unnamed namespace"

# A bundle carries them: its snapshot.json read back.
timeout 120 "$VFSCOPE" bundle -q -d 0 --no-kmsg -o "$T/b.tar.gz" >/dev/null 2>&1; rc=$?
[ $rc -le 1 ] || fail "bundle rc=$rc"
timeout 60 "$VFSCOPE" snapshot --json --from "$T/b.tar.gz" > "$T/b.json" || fail "read back"
python3 - "$T" "$A" "$UINO" <<'P' || fail "bundle"
import json, sys
t, a, uino = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = json.load(open(t + "/b.json"))
ns = {g["netns"]["inode"]: g for g in b.get("guests", []) if g["role"] == "netns"}
assert uino in ns and {"u0", "u1"} <= {n["name"] for n in ns[uino]["netdevs"]}, list(ns)
na = [g for g in ns.values() if g["netns"]["name"] == a]
assert na and na[0]["label"] == "netns " + a and {"a0", "a1"} <= {n["name"] for n in na[0]["netdevs"]}
print("ok: bundle carries", len(ns), "namespaces")
P
# unpacked, the bundle is a tree in docs/netns.md's layout (netns/<id>/)
mkdir "$T/x" && tar xzf "$T/b.tar.gz" -C "$T/x" || fail "unpack"
timeout 60 "$VFSCOPE" snapshot --json --sysroot "$T/x" > "$T/x.json" || fail "snapshot of the unpacked bundle"
python3 - "$T" "$A" "$UINO" <<'P' || fail "unpacked bundle"
import json, sys
t, a, uino = sys.argv[1], sys.argv[2], int(sys.argv[3])
x = json.load(open(t + "/x.json"))
ns = {g["netns"]["inode"]: g for g in x.get("guests", []) if g["role"] == "netns"}
assert uino in ns and {"u0", "u1"} <= {n["name"] for n in ns[uino]["netdevs"]}, list(ns)
na = [g for g in ns.values() if g["netns"]["name"] == a]
assert na and na[0]["label"] == "netns " + a, [g["label"] for g in ns.values()]
a0 = [n for n in na[0]["netdevs"] if n["name"] == "a0"][0]
assert a0["mac"] == "02:00:00:00:0a:01" and a0["kind"] == "veth", a0
print("ok: unpacked bundle as a sysroot")
P
echo ok
