#!/bin/bash
# A real sos report of this machine (Debian's sosreport: `sos report --batch
# --only-plugins networking,pci,kernel`) read back by vfscope, as the archive
# sos wrote, as the directory it unpacks to (and the report directory
# itself), repacked as .tar.gz and plain .tar: the same netdevs (names, MACs,
# MTU, admin and oper state), teams and VFs as a live `vfscope snapshot
# --json` taken right after it (the machine is not changed; if it changed
# while sos ran, e.g. another test's interface came or went, the run is
# repeated). Then snapshot/check/metrics --once/top (offline) on the report,
# the committed fixture (tests/fixtures/sos/dev-vm), the unpacked copy gone
# afterwards, and a hostile archive (.. paths, links out of the tree).
set -u
. "$TOP/tests/lib.sh"
command -v sos >/dev/null || skip "sosreport not installed (scripts/setup installs Debian's sosreport)"
[ "$(id -u)" = 0 ] || skip "sos report needs root"
tmp=$(mktemp -d)
tsock=vfst-sos-$$
trap 'tmux -L $tsock kill-server 2>/dev/null; rm -rf "$tmp"; cleanup_ns' EXIT
export TMPDIR=$tmp/vtmp   # where vfscope unpacks archives: must be empty again after each run
mkdir -p "$TMPDIR"
cmp=$TOP/tests/live/sos_compare.py
names() { python3 -c "import json,sys; print(' '.join(sorted(n['name'] for n in json.load(open(sys.argv[1]))['netdevs'])))" "$1"; }

ok=0
for try in 1 2 3; do
	rm -rf "$tmp/r" && mkdir "$tmp/r"
	"$VFSCOPE" snapshot --json > "$tmp/live-before.json" || fail "live snapshot"
	sos report --batch --only-plugins networking,pci,kernel --tmp-dir "$tmp/r" > "$tmp/sos.log" 2>&1 ||
		fail "sos report: $(tail -5 "$tmp/sos.log")"
	"$VFSCOPE" snapshot --json > "$tmp/live.json" || fail "live snapshot"
	if [ "$(names "$tmp/live-before.json")" != "$(names "$tmp/live.json")" ]; then
		echo "netdevs changed while sos ran (try $try): $(names "$tmp/live-before.json") -> $(names "$tmp/live.json")"
		continue
	fi
	tb=$(ls "$tmp"/r/sosreport-*.tar.xz 2>/dev/null | head -1)
	[ -n "$tb" ] || fail "sos wrote no sosreport-*.tar.xz: $(tail -5 "$tmp/sos.log")"
	"$VFSCOPE" snapshot --json --from "$tb" > "$tmp/from-tar.json" || fail "snapshot --from $tb"
	if python3 "$cmp" --vfs "$tmp/from-tar.json" "$tmp/live.json"; then ok=1; break; fi
	echo "try $try: the report and the live view differ (above)"
done
[ $ok = 1 ] || fail "sos report never matched the live view"
[ -z "$(ls -A "$TMPDIR")" ] || fail "unpacked copy left behind: $(ls "$TMPDIR")"

# Sources: the sos entry says what it read; the kernel log came from sos.
json_get "$tmp/from-tar.json" "[s for s in d['sources'] if s['name']=='sos'][0]['status'] in ('ok','partial')" | grep -qx True ||
	fail "no sos source: $(json_get "$tmp/from-tar.json" "d['sources']")"
json_get "$tmp/from-tar.json" "[s for s in d['sources'] if s['name']=='sos'][0]['detail']" | grep -q 'ip_-s_-d_link: [1-9]' ||
	fail "sos source detail: $(json_get "$tmp/from-tar.json" "[s for s in d['sources'] if s['name']=='sos']")"
json_get "$tmp/from-tar.json" "[s['detail'] for s in d['sources'] if s['name']=='kmsg'][0]" | grep -q '^sos_commands/kernel/dmesg' ||
	fail "kmsg not from the report's dmesg"
[ "$(json_get "$tmp/from-tar.json" "d['root']")" = "$tb" ] || fail "root is not the report"
[ "$(json_get "$tmp/from-tar.json" "d['collect_ms']")" = None ] || fail "collect_ms of a report must be unknown"
# ip text values carry the source sos
json_get "$tmp/from-tar.json" "sorted(set(n['src'].get('mtu') for n in d['netdevs']))" | grep -qx "\['sos'\]" ||
	fail "MTU source is not sos"

# The directory sos's archive unpacks to, and the report directory itself.
mkdir "$tmp/x" && tar -C "$tmp/x" -xJf "$tb"
rd=$(ls -d "$tmp"/x/sosreport-*)
for d in "$tmp/x" "$rd"; do
	"$VFSCOPE" snapshot --json --from "$d" > "$tmp/from-dir.json" || fail "snapshot --from $d"
	python3 "$cmp" --vfs "$tmp/from-dir.json" "$tmp/live.json" || fail "--from $d differs from the live view"
done
# Repacked: gzip and plain tar.
tar -C "$tmp/x" -czf "$tmp/sosreport-re.tar.gz" "$(basename "$rd")"
tar -C "$tmp/x" -cf "$tmp/sosreport-re.tar" "$(basename "$rd")"
for a in "$tmp/sosreport-re.tar.gz" "$tmp/sosreport-re.tar"; do
	"$VFSCOPE" snapshot --json --from "$a" > "$tmp/from-re.json" || fail "snapshot --from $a"
	python3 "$cmp" --vfs "$tmp/from-re.json" "$tmp/live.json" || fail "--from $a differs"
done

# The other readers of --from: check, metrics --once, top (offline).
"$VFSCOPE" check --json --from "$tb" > "$tmp/check.json"; rc=$?
[ $rc -le 1 ] || fail "check --from the report: rc $rc"
json_get "$tmp/check.json" "len(d['findings']) >= 0" | grep -qx True || fail "check --json output"
"$VFSCOPE" metrics --once --from "$tb" > "$tmp/metrics.txt" || fail "metrics --once --from the report"
for n in $(names "$tmp/live.json"); do
	grep -q "vfscope_netdev_info{machine=\"host\",netdev=\"$n\"" "$tmp/metrics.txt" || fail "metrics lack netdev $n"
done
if command -v tmux >/dev/null; then
	tmux -L $tsock -f /dev/null new-session -d -x 120 -y 30 \
		"export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8; $VFSCOPE top --from $tb; sleep 60"
	seen=0
	for i in $(seq 50); do
		tmux -L $tsock capture-pane -p > "$tmp/screen.txt"
		grep -q 'static' "$tmp/screen.txt" && grep -q ' sos' "$tmp/screen.txt" && { seen=1; break; }
		sleep 0.2
	done
	[ $seen = 1 ] || { cat "$tmp/screen.txt"; fail "top --from the report did not show it"; }
	tmux -L $tsock send-keys q
	tmux -L $tsock kill-server 2>/dev/null
fi
[ -z "$(ls -A "$TMPDIR")" ] || fail "unpacked copy left behind: $(ls "$TMPDIR")"

# The committed fixture: a real report of the development VM.
fx=$TOP/tests/fixtures/sos/dev-vm
"$VFSCOPE" snapshot --json --from "$fx" > "$tmp/fx.json" || fail "snapshot --from $fx"
[ "$(names "$tmp/fx.json")" = "eth0 ifb0 ifb1 lo" ] || fail "fixture netdevs: $(names "$tmp/fx.json")"
[ "$(json_get "$tmp/fx.json" "[n['mac'] for n in d['netdevs'] if n['name']=='eth0'][0]")" = 02:fc:00:00:00:01 ] || fail "fixture eth0 MAC"
[ "$(json_get "$tmp/fx.json" "[n['driver'] for n in d['netdevs'] if n['name']=='eth0'][0]")" = virtio_net ] || fail "fixture eth0 driver (ethtool -i)"
[ "$(json_get "$tmp/fx.json" "d['hostname']")" = vm ] || fail "fixture host name"
[ "$(json_get "$tmp/fx.json" "[n['admin_up'] for n in d['netdevs'] if n['name']=='ifb0'][0]")" = False ] || fail "fixture ifb0 admin down"

# The lab VM's report (trimmed) against vfscope's live view in the VM right
# after sos ran: PFs, VFs (addresses from the lspci SR-IOV capability), bond1.
python3 "$cmp" --vfs --team bond1 <("$VFSCOPE" snapshot --json --from "$TOP/tests/fixtures/sos/lab-vm") \
	"$TOP/tests/fixtures/sos/lab-vm-live.json" || fail "lab report fixture differs from the VM's live view"

# Not a sos report: a plain directory, garbage, an empty file.
mkdir "$tmp/plain"
"$VFSCOPE" snapshot --from "$tmp/plain" > /dev/null 2> "$tmp/err" && fail "a plain directory was accepted"
echo garbage > "$tmp/garbage.tar.xz"
"$VFSCOPE" snapshot --from "$tmp/garbage.tar.xz" > /dev/null 2> "$tmp/err" && fail "a garbage archive was accepted"
grep -q . "$tmp/err" || fail "no error said for a garbage archive"
: > "$tmp/empty"
"$VFSCOPE" snapshot --from "$tmp/empty" > /dev/null 2> "$tmp/err" && fail "an empty file was accepted"

# Hostile archive: the fixture's files plus "../" paths, an absolute link and a
# file written through a link. Nothing may land outside the private copy.
python3 - "$fx" "$tmp/evil.tar.gz" <<'PY'
import io, os, sys, tarfile
src, out = sys.argv[1:]
with tarfile.open(out, "w:gz") as t:
    for root, dirs, files in os.walk(src):
        for f in dirs + files:
            p = os.path.join(root, f)
            t.add(p, arcname="sosreport-evil/" + os.path.relpath(p, src), recursive=False)
    def add(name, data=b"x", **kw):
        i = tarfile.TarInfo(name); i.size = len(data)
        for k, v in kw.items(): setattr(i, k, v)
        t.addfile(i, io.BytesIO(data) if i.isreg() else None)
    add("sosreport-evil/sys/../../escaped-dotdot")
    add("/tmp/escaped-absolute")
    l = tarfile.TarInfo("sosreport-evil/sys/class/net/evil"); l.type = tarfile.SYMTYPE; l.linkname = "/etc"
    t.addfile(l)
    add("sosreport-evil/sys/class/net/evil/escaped-through-link")
    add("sosreport-evil/sos_commands/networking/ip_-s_-d_link", b"1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536\n" * 3)
PY
"$VFSCOPE" snapshot --json --from "$tmp/evil.tar.gz" > "$tmp/evil.json" 2> "$tmp/evil.err" || fail "hostile archive: $(cat "$tmp/evil.err")"
for f in /etc/escaped-through-link /tmp/escaped-absolute "$tmp/escaped-dotdot" "$TMPDIR/../escaped-dotdot"; do
	[ -e "$f" ] && fail "hostile archive wrote $f"
done
json_get "$tmp/evil.json" "d['warnings']" | grep -q 'refused' || fail "refused entries not reported: $(json_get "$tmp/evil.json" "d['warnings']")"
[ -z "$(ls -A "$TMPDIR")" ] || fail "unpacked copy left behind: $(ls "$TMPDIR")"
echo ok
