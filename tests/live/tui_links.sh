#!/bin/bash
# The kernel's link announcements reach the screen at once: with a 30 s
# interval (no collection in between), a veth whose peer goes down is drawn
# DOWN and its rtnetlink change is in the Events panel within seconds; taken
# down by the admin it is "DOWN (admin)" (ip: state DOWN, no UP flag), and
# back up it is UP again. All from collectors/nl_monitor, not a collection.
set -u
. "$TOP/tests/live/tui_common.bash"
need_root
a=$(mkns tka); b=$(mkns tkb)
ip -n "$a" link add lk0 type veth peer name lk1 netns "$b" || skip "no veth"
ip -n "$a" link set lk0 up; ip -n "$b" link set lk1 up
tui_start 100 30 env VFSCOPE_NO_PROBES=1 ip netns exec "$a" "$VFSCOPE" top -d 30 --no-kmsg
wait_for "every 30s" 10
wait_for "lk0          veth     UP" 10
screen | grep -q "no events recorded" || { screen; fail "events before any change"; }
ip -n "$b" link set lk1 down
wait_for "lk0          veth     DOWN" 3
wait_for "link     lk0        carrier down" 3
ip -n "$a" link set lk0 down
wait_for "lk0          veth     DOWN (admin)" 3
wait_for "lk0        admin down, operstate down" 3
ip -n "$a" link set lk0 up
ip -n "$b" link set lk1 up
wait_for "lk0          veth     UP" 3
wait_for "lk0        carrier up, operstate up" 3
# Enter on the interface (under "no SR-IOV ..." and "other interfaces"):
# its admin state with the source it came from.
keys Down Down Enter
wait_for "admin up        1 [netlink]" 3
keys Escape
quit_ok
echo ok
