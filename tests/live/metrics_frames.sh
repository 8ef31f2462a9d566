#!/bin/bash
# metrics applies --pcap on every collection like check does: the lab's
# LACPDUs on a member of an active-backup team turn VFS006 on (warning), with
# the pcap step timed (0 when the file cannot be read); without them it is 0. --capture is refused (it would
# stall every collection).
set -u
. "$TOP/tests/lib.sh"
C=$TOP/tests/decoders/captures G=$TOP/tests/fixtures/lab/healthy/guest
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
w='vfscope_findings{rule="VFS006-switch-dependent-mode",severity="warning"}'
"$VFSCOPE" metrics --once --sysroot "$G" > "$T/0" || fail "metrics without frames"
grep 'rule="VFS006' "$T/0" | grep -qv ' 0$' && fail "VFS006 without frames: $(grep VFS006 "$T/0")"
grep -q 'rule="VFS006' "$T/0" || fail "no VFS006 series"
"$VFSCOPE" metrics --once --sysroot "$G" --pcap "eth2=$C/lacp-8023ad-igbvf.pcap" > "$T/1" || fail "metrics --pcap"
grep -qxF "$w 1" "$T/1" || fail "VFS006 not raised by the LACP frames: $(grep -F "$w" "$T/1")"
grep -qx 'vfscope_collector_success{source="pcap"} 1' "$T/1" || fail "pcap step not reported"
# An unreadable pcap is a failed step, said on stderr; the rest is served.
"$VFSCOPE" metrics --once --sysroot "$G" --pcap "eth2=$T/missing.pcap" > "$T/2" 2>"$T/err" || fail "metrics gave up"
grep -qx 'vfscope_collector_success{source="pcap"} 0' "$T/2" || fail "pcap failure not reported"
grep -q "missing.pcap" "$T/err" || fail "no message for the missing pcap"
"$VFSCOPE" metrics --capture 2 --once 2>"$T/err"; rc=$?
[ $rc = 2 ] && grep -q "not for an exporter" "$T/err" || fail "--capture not refused (rc=$rc)"
echo ok
