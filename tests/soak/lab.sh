#!/bin/bash
# The soak's lab form (issue 19): tests/soak/lab-vm.sh in the lab VM (real
# igb PFs and igbvf VFs, bonding; tests/lab/README.md): `metrics`, `agent`
# and `top` for CYCLES refresh cycles each while PF1's VFs go 0/7/0/2, a
# namespace with a VF in it comes and goes, a bond over PF0's VFs is made,
# flapped and deleted and links flap. Passes when each process reached
# CYCLES, every scrape and agent query was answered, all three are alive at
# the end and their RSS and fds stayed flat (tests/soak/flat.py).
#
#   tests/soak/lab.sh [CYCLES]     make soak-lab [SOAK_CYCLES=N] [SOAK_PERIOD=S]
# SOAK_PERIOD (default 0.5 s: one TCG vCPU runs all three and the churn),
# SOAK_QUERY_GAP (default 0.2 s: each query forks nc under TCG),
# SOAK_LAB_SECONDS: the soak's own budget in the VM (default CYCLES * 0.6 +
# 300 s; it stops there and reports the cycles made), LAB_KEEP=DIR keeps
# the VM's output. Takes the lab lock (/tmp/vfscope-lab.lock) for the boot.
# Not in `tests/run lab` (that runs tests/lab/scenario_*.sh) nor make check.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$TOP/tests/lib.sh"
. "$TOP/tests/soak/lib.sh"
CYCLES=${1:-${SOAK_CYCLES:-10000}}
P=${SOAK_PERIOD:-0.5}
S=${SOAK_LAB_SECONDS:-$((CYCLES * 6 / 10 + 300))}
BIN=$(readlink -f "$VFSCOPE")
off=$(soak_sym_offset "$BIN" top_collect) || fail "no symbol top_collect in $BIN (stripped?): top's collections cannot be counted"
out=${LAB_KEEP:-$(mktemp -d)}; mkdir -p "$out"
w=$(mktemp -d)
trap 'rm -rf $w; [ -n "${LAB_KEEP:-}" ] || rm -rf $out' EXIT
printf 'CYCLES=%s\nPERIOD=%s\nGAP=%s\nSOAK_S=%s\nTOPOFF=%s\n' "$CYCLES" "$P" "${SOAK_QUERY_GAP:-0.2}" "$S" "$off" > "$out/params"
cat "$TOP/tests/soak/lib.sh" "$TOP/tests/soak/lab-vm.sh" > "$w/soak.sh"
echo "soak-lab: $CYCLES cycles, period $P s, at most $S s in the VM; $BIN; host load $(cut -d' ' -f1-3 /proc/loadavg)"
LAB_ARGS="${LAB_ARGS:-} lab.capture=0" VFSCOPE="$BIN" flock /tmp/vfscope-lab.lock \
	"$TOP/tests/lab/vm-run" --timeout $((S + 900)) "$w/soak.sh" "$out"; rc=$?
[ $rc = 77 ] && exit 77
r=$out/soak
[ -s "$r/result" ] || { tail -30 "$out/scenario.log" 2>/dev/null; fail "vm-run rc=$rc, no $r/result"; }
grep -E '^  [0-9]+ s:' "$out/scenario.log" | tail -3
cat "$r/result"
python3 "$TOP/tests/soak/flat.py" "$r/samples"; flat=$?
grep -q LAB-FAIL "$out/scenario.log" && { grep LAB-FAIL "$out/scenario.log"; fail "see LAB-FAIL above"; }
read -r _ mc merr scrapes sbad < <(grep '^metrics ' "$r/result")
read -r _ views ok bad < <(grep '^agent ' "$r/result")
read -r _ tc < <(grep '^top ' "$r/result")
grep -q '^alive 1 1 1$' "$r/result" || fail "a process died (alive: metrics agent top): $(tail -5 "$r"/*.err)"
grep -q '^last_scrape 1$' "$r/result" || fail "metrics does not answer at the end"
[ "$mc" -ge "$CYCLES" ] || fail "metrics made $mc of $CYCLES collections"
[ "$views" -ge "$CYCLES" ] || fail "agent made $views of $CYCLES collections"
[ "$tc" -ge "$CYCLES" ] || fail "top made $tc of $CYCLES collections"
[ "$bad" = 0 ] || fail "$bad agent queries failed"
[ "$sbad" = 0 ] || fail "$sbad scrapes failed"
grep -q "^vfscope " "$r/screen.txt" || { cat "$r/screen.txt"; fail "top's screen has no header at the end"; }
[ $flat = 0 ] || fail "RSS or fds grew"
for f in metrics agent top; do
	[ -s "$r/$f.err" ] && grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error|Segmentation|Aborted' "$r/$f.err" && fail "$f: crash or sanitizer report"
done
echo ok
