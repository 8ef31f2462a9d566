#!/bin/bash
# A real sos report of the lab VM (Debian's sosreport, run in the VM from the
# host's /usr, /etc and /var bound read-only into the 9p share) read back
# with `vfscope snapshot --from` on the host: the same netdevs, team, PFs and
# VFs as vfscope's live snapshot in the VM right after it. The VM's
# `ip -s -d link` (VF settings and counters) lands in $SOS_LAB_KEEP when set
# (how tests/fixtures/sos/lab/ was made).
set -u
. "$TOP/tests/lib.sh"
command -v sos >/dev/null || skip "sosreport not installed (scripts/setup installs it)"
[ "$(id -u)" = 0 ] || skip "needs root (bind mounts for the VM's view of /usr)"
out=$(mktemp -d)
hr=$out/hostroot
cleanup() {
	for d in usr etc var; do mountpoint -q "$hr/$d" && umount "$hr/$d"; done
	for d in usr etc var; do mountpoint -q "$hr/$d" && return; done  # never rm through a mount
	rm -rf --one-file-system "$out"
}
trap cleanup EXIT
mkdir -p "$hr"/{usr,etc,var,proc,sys,dev,tmp,run}
for d in usr etc var; do
	mount --bind "/$d" "$hr/$d" && mount -o remount,bind,ro "$hr/$d" || skip "cannot bind /$d read-only"
done
for l in bin sbin lib lib64; do [ -L "/$l" ] && ln -s "$(readlink "/$l")" "$hr/$l"; done
"$TOP/tests/lab/vm-run" --timeout 1200 "$TOP/tests/lab/scenarios/sos.sh" "$out"; rc=$?
[ $rc = 77 ] && exit 77
if [ -n "${SOS_LAB_KEEP:-}" ]; then mkdir -p "$SOS_LAB_KEEP" && cp -a "$out/sos/." "$SOS_LAB_KEEP/"; fi
[ $rc = 0 ] || fail "vm-run rc=$rc"
cat "$out/sos/sos.log" | tail -5
tb=$(ls "$out"/sos/sosreport-*.tar.xz 2>/dev/null | head -1)
[ -n "$tb" ] || fail "no sos report came out of the VM"
"$VFSCOPE" snapshot --json --from "$tb" > "$out/from-sos.json" || fail "snapshot --from $tb"
python3 "$TOP/tests/live/sos_compare.py" --vfs --team bond1 "$out/from-sos.json" "$out/sos/live.json" || fail "sos view differs from the live one"
# and the unpacked directory gives the same
mkdir "$out/unpacked" && tar -C "$out/unpacked" -xJf "$tb"
"$VFSCOPE" snapshot --json --from "$out/unpacked" > "$out/from-dir.json" || fail "snapshot --from the directory"
python3 "$TOP/tests/live/sos_compare.py" --vfs --team bond1 "$out/from-dir.json" "$out/sos/live.json" || fail "directory view differs"
echo ok
