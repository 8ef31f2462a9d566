#!/bin/bash
# vfscope top on a Hyper-V export (--hyperv, issue 16), 120x30: the source
# line, the topology path NIC -> switch -> vNIC -> guest LBFO member, the
# hidden mismatch (NIC disconnected, vNIC Ok, member Active) marked
# "(NIC DOWN)", and the healthy export without that mark; q quits.
set -u
. "$TOP/tests/live/tui_common.bash"
FX="$TOP/tests/fixtures/hyperv"
tui_start 120 30 "$VFSCOPE" top --hyperv "$FX/pnic-down-teaming-off/ps51"
wait_for "hyper-v export"
wait_for "Hyper-V host HV01"
wait_for "NIC SLOT 3 Port 1 Disconnected"
wait_for "switch SRIOV-B IOV on"
wait_for "vNIC vm-app01/NIC-B VF yes AllowTeaming Off status Ok -> vm-app01 Team1/Ethernet 2 Active (NIC DOWN)"
wait_for "vNIC vm-app01/NIC-A VF yes AllowTeaming Off status Ok -> vm-app01 Team1/Ethernet Active"
quit_ok
T kill-server 2>/dev/null
sleep 0.2
tui_start 120 30 "$VFSCOPE" top --hyperv "$FX/healthy/ps7/host" --hyperv-guest "vm-app01=$FX/healthy/ps7/guests/vm-app01"
wait_for "Hyper-V host HV01"
wait_for "vNIC vm-app01/NIC-B VF yes AllowTeaming On status Ok -> vm-app01 Team1/Ethernet 2 Active"
if screen | grep -q "NIC DOWN"; then fail "healthy export shows NIC DOWN"; fi
quit_ok
echo "ok"
