#!/bin/bash
# A few seconds of each core-parser fuzz target (config space, bonding
# procfs, netlink, model JSON, ip-link JSON) from the committed seeds, in a
# scratch corpus. `make fuzz` runs them (and the decoders') for longer.
set -u
cd "$TOP"
command -v clang >/dev/null || { echo "clang not installed"; exit 77; }
make -s fuzz-bin SETUP=0 >/dev/null 2>&1 || { echo "libFuzzer build failed (clang's fuzzer runtime missing?)"; exit 77; }
secs=${FUZZ_SMOKE_SECS:-3}
rc=0
for t in pcicap bond_proc netlink model_json iplink_json bundle; do
	work=$(mktemp -d)
	cp -r tests/fuzz/corpus/$t/. "$work/"
	if ! build-fuzz/fuzz_$t -max_total_time="$secs" -max_len=65536 -artifact_prefix="$work/" "$work" > "$work/log" 2>&1; then
		echo "fuzz_$t FAILED:"; tail -30 "$work/log"
		for c in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
			[ -f "$c" ] && mkdir -p tests/fuzz/crashes/$t && cp "$c" tests/fuzz/crashes/$t/ && echo "saved $c"
		done
		rc=1
	else
		echo "fuzz_$t: $(grep -o 'Done [0-9]* runs' "$work/log")"
	fi
	rm -rf "$work"
done
# Regression inputs from earlier crashes must stay fixed.
for t in pcicap bond_proc netlink model_json iplink_json bundle; do
	[ -d tests/fuzz/regressions/$t ] || continue
	build-fuzz/fuzz_$t tests/fuzz/regressions/$t/* >/dev/null 2>&1 || { echo "regression in $t"; rc=1; }
done
exit $rc
