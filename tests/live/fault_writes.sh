#!/bin/bash
# Crash safety of what vfscope writes (issue 19):
# - a bundle killed with SIGKILL at random points (30 times) never leaves a
#   file under its final name that is not a complete archive; what it leaves
#   is named PATH.PID.part, and the next run removes the ones whose writer is
#   gone;
# - a textfile writer killed the same way: the file is always whole;
# - a full disk (an 8 KiB tmpfs) while writing a bundle or a textfile: exit
#   non-zero, an error naming the path and ENOSPC, nothing under the final
#   name and no .part left behind.
set -u
shopt -s nullglob
. "$TOP/tests/lib.sh"
need_root
F=$TOP/tests/fixtures/lab/healthy/host
T=$(mktemp -d)
trap 'umount "$T/full" 2>/dev/null; rm -rf "$T"' EXIT
out=$T/b.tar.gz

# One whole run: how long a bundle of this tree takes, so the kills land
# before, during and after the archive is written.
t0=$(date +%s%N)
"$VFSCOPE" bundle --sysroot "$F" -d 0 -q -o "$out" >/dev/null || fail "bundle of $F failed"
ms=$(( ($(date +%s%N) - t0) / 1000000 + 5 ))
tar -tzf "$out" manifest.json >/dev/null || fail "a complete bundle does not list manifest.json"
rm -f "$out"

complete=0 killed=0
for i in $(seq 30); do
	"$VFSCOPE" bundle --sysroot "$F" -d 0 -q -o "$out" >/dev/null 2>&1 & p=$!
	sleep "$(awk -v s=$RANDOM -v ms=$ms 'BEGIN { printf "%.3f", (s % (ms + 1)) / 1000 }')"
	kill -9 $p 2>/dev/null && killed=$((killed + 1))
	wait $p 2>/dev/null
	if [ -e "$out" ]; then
		tar -tzf "$out" >/dev/null 2>&1 || fail "run $i: $out is there but not a whole archive"
		tar -xzOf "$out" manifest.json | python3 -c 'import json,sys; json.load(sys.stdin)' ||
			fail "run $i: $out has no readable manifest"
		complete=$((complete + 1))
		rm -f "$out"
	fi
	for f in "$T"/*; do
		case $f in "$out"|"$out".*.part|"$T/full") ;; *) fail "run $i left $f" ;; esac
	done
done
echo "30 runs: $killed killed, $complete complete archives, the rest nothing under the final name"
ls "$T" | grep -q '\.part$' || echo "(no kill landed while writing: no .part to sweep)"
# a .part of a writer that is gone is removed by the next run for that path
sleep 0.1 & dead=$!; wait $dead
echo stale > "$out.$dead.part"
echo mine > "$out.$$.part" # a live writer's (this shell): kept
"$VFSCOPE" bundle --sysroot "$F" -d 0 -q -o "$out" >/dev/null || fail "bundle after the kills failed"
[ -e "$out.$dead.part" ] && fail "stale $out.$dead.part not removed"
[ -e "$out.$$.part" ] || fail "the .part of a live process was removed"
ls "$T" | grep -v "^b.tar.gz.$$.part$" | grep '\.part$' && fail "stale .part files left"
rm -f "$out" "$out.$$.part"

# A textfile writer (a write every 20 ms) killed 20 times: the file under
# its name is always whole (its last line is the age sample).
tf=$T/vfscope.prom
for i in $(seq 20); do
	"$VFSCOPE" metrics --sysroot "$F" --textfile "$tf" --interval 0.02 >/dev/null 2>&1 & p=$!
	sleep "$(awk -v s=$RANDOM 'BEGIN { printf "%.3f", 0.05 + (s % 300) / 1000 }')"
	kill -9 $p; wait $p 2>/dev/null
	if [ -e "$tf" ]; then
		tail -n 1 "$tf" | grep -q '^vfscope_collection_age_seconds ' || fail "textfile run $i: $tf is not whole"
	fi
done
"$VFSCOPE" metrics --sysroot "$F" --once --textfile "$tf" || fail "textfile after the kills"
ls "$T" | grep -q 'vfscope\.prom\..*\.part$' && fail "stale textfile .part left: $(ls "$T")"
echo "textfile: 20 kills, always whole, stale .part swept"
rm -f "$tf"

# Full disk.
mkdir "$T/full"
mount -t tmpfs -o size=8k tmpfs "$T/full" || skip "cannot mount a tmpfs"
if "$VFSCOPE" bundle --sysroot "$F" -d 0 -q -o "$T/full/b.tar.gz" 2>"$T/err"; then
	fail "bundle on a full disk exited 0"
fi
grep -q "$T/full/b.tar.gz: No space left on device" "$T/err" || fail "bundle error does not name the path and ENOSPC: $(cat "$T/err")"
[ -n "$(ls -A "$T/full")" ] && fail "bundle left $(ls -A "$T/full") on the full disk"
dd if=/dev/zero of="$T/full/fill" bs=4k 2>/dev/null
if "$VFSCOPE" metrics --sysroot "$F" --once --textfile "$T/full/vfscope.prom" 2>"$T/err"; then
	fail "metrics --textfile on a full disk exited 0"
fi
grep -q "$T/full/vfscope.prom: No space left on device" "$T/err" || fail "textfile error does not name the path and ENOSPC: $(cat "$T/err")"
[ "$(ls -A "$T/full")" = fill ] || fail "metrics left $(ls -A "$T/full") on the full disk"
echo "full disk: both refused with the path named, nothing left"
