#!/bin/bash
# Live probes in the dashboard: the header says attached, neighbour updates
# from traffic in the namespace arrive in the Events panel as they happen.
set -u
. "$TOP/tests/live/tui_common.bash"
need_root
a=$(mkns tpa); b=$(mkns tpb)
ip -n "$a" link add pa0 type veth peer name pb0 netns "$b" || skip "no veth"
ip -n "$a" addr add 192.0.2.1/24 dev pa0; ip -n "$a" link set pa0 up
ip -n "$b" addr add 192.0.2.2/24 dev pb0; ip -n "$b" link set pb0 up
tui_start 120 30 ip netns exec "$a" "$VFSCOPE" top -d 0.5 --no-kmsg
wait_for "probes:" 15
screen | grep -q "probes:attached" || skip "probes unavailable here: $(screen | grep -o 'probes:[a-z]*')"
# A TCP connect resolves the neighbour (no ping needed): neigh_update fires.
ip netns exec "$a" timeout 2 bash -c 'echo > /dev/tcp/192.0.2.2/9' 2>/dev/null
ip -n "$a" neigh flush dev pa0
ip netns exec "$a" timeout 2 bash -c 'echo > /dev/tcp/192.0.2.2/9' 2>/dev/null
for i in $(seq 50); do screen | grep -q '[0-9] events (live)' && break; sleep 0.1; done
screen | grep -q '[0-9] events (live)' || { screen; fail "no live probe events"; }
keys Tab Tab Tab
wait_for "neigh"
quit_ok
echo ok
