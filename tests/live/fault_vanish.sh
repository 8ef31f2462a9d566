#!/bin/bash
# Devices vanishing mid-read: a tree whose VFs, netdevs and bond files are
# removed and recreated while snapshot reads it in a loop. Every run must
# exit 0 with valid JSON (a partial result), never crash or hang.
set -u
. "$TOP/tests/lib.sh"
d=$(mktemp -d); trap 'pkill -P $churn 2>/dev/null; kill $churn 2>/dev/null; wait 2>/dev/null; rm -rf $d' EXIT
"$TOP/bench/gen-sysroot" "$d/root" --pfs 2 --vfs 16 --bond || fail "gen-sysroot"
cp -a "$d/root" "$d/pristine"
churn_loop() {
	while :; do
		# sriov_numvfs set to 0: virtfn links and VF device dirs disappear.
		rm -rf "$d"/root/sys/devices/pci0000:00/0000:00:01.0/0000:01:1* \
		       "$d"/root/sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/virtfn* \
		       "$d"/root/sys/devices/virtual/net/bond0/bonding 2>/dev/null
		rm -f "$d"/root/sys/class/net/eth3 "$d"/root/sys/bus/pci/devices/0000:01:10.2
		cp -a "$d/pristine/." "$d/root/" 2>/dev/null
	done
}
churn_loop & churn=$!
for i in $(seq 1 25); do
	timeout 10 "$VFSCOPE" snapshot --json --sysroot "$d/root" > "$d/out.json" 2>"$d/err"
	rc=$?
	[ $rc = 0 ] || { cat "$d/err"; fail "run $i exited $rc"; }
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$d/out.json" || fail "run $i: invalid JSON"
done
echo "25 snapshots of a churning tree: all exit 0 with valid JSON"
