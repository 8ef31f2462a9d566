#!/bin/bash
# Decoder goldens: every TESTLIST line decodes its input with `vfscope
# decode` and diffs against expected/. UPDATE_GOLDEN=1 rewrites the expected
# files instead (review the diff before committing).
set -u
cd "$(dirname "$0")"
V=${VFSCOPE:-../../vfscope}
[ -x "$V" ] || { echo "no vfscope binary at $V"; exit 77; }
fail=0 n=0
while read -r name input expected opts; do
	case $name in ''|'#'*) continue ;; esac
	if [ ! -f "$input" ]; then
		# Lab captures land in their own commits; until then, skip.
		echo "skip $name: $input not present"; continue
	fi
	case $input in *.txt) src=(--mbx "$input") ;; *) src=(--pcap "$input") ;; esac
	# shellcheck disable=SC2086
	actual=$("$V" decode $opts "${src[@]}" 2>&1)
	n=$((n + 1))
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		printf '%s\n' "$actual" > "expected/$expected"
		echo "updated $name"
	elif ! diff -u "expected/$expected" <(printf '%s\n' "$actual") > /tmp/golden.$$.diff; then
		echo "FAIL $name"; head -40 /tmp/golden.$$.diff; fail=$((fail + 1))
	else
		echo "ok   $name"
	fi
done < TESTLIST
rm -f /tmp/golden.$$.diff
echo "$n goldens, $fail failed"
[ $fail -eq 0 ]
