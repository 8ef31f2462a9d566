#!/bin/bash
# Live mode in a network namespace: bond0 (active-backup) over two veths,
# traffic through it; `vfscope top -d 0.5` re-collects and shows per-member
# rates with a sparkline on the active member; a member taken down shows up
# on the next refreshes; p pauses the refresh.
set -u
. "$TOP/tests/live/tui_common.bash"
need_root
a=$(mkns tla); b=$(mkns tlb)
ip -n "$a" link add bond0 type bond mode active-backup miimon 100 2>/dev/null || skip "no bonding driver"
for m in m0 m1; do
	ip -n "$a" link add $m type veth peer name p$m netns "$b" || skip "no veth"
	ip -n "$a" link set $m master bond0 || fail "enslave $m"
done
ip -n "$b" link add br0 type bridge || skip "no bridge"
for m in m0 m1; do ip -n "$b" link set p$m master br0; ip -n "$b" link set p$m up; done
ip -n "$b" link set br0 up
ip -n "$b" addr add 192.0.2.2/24 dev br0
ip -n "$a" link set bond0 up
ip -n "$a" addr add 192.0.2.1/24 dev bond0
# UDP datagrams of 1200 bytes, 20 a second (no ping needed).
ip netns exec "$a" timeout 60 bash -c 'p=$(head -c 1200 /dev/zero | tr "\0" x); while :; do echo "$p" > /dev/udp/192.0.2.2/9; sleep 0.05; done' 2>/dev/null &
pinger=$!
trap 'kill $pinger 2>/dev/null; tui_cleanup' EXIT
tui_start 100 30 ip netns exec "$a" "$VFSCOPE" top -d 0.5 --no-kmsg
wait_for "bond0 @host bonding active-backup"
wait_for "every 0.5s"
# The active member carries the datagrams: a rate in K on its line.
for i in $(seq 100); do screen | grep -E '\*m[01] .*tx +[0-9.]+K' >/dev/null && break; sleep 0.1; done
screen | grep -E '\*m[01] .*tx +[0-9.]+K' || { screen; fail "no tx rate on the active member"; }
act=$(screen | grep -oE '\*m[01]' | head -n1 | tr -d '*')
# Take the active member's peer away: miimon sees it, the team fails over.
ip -n "$b" link set "p$act" down
wait_for "$act       down" 5
keys p
wait_for "PAUSED"
ip -n "$b" link set "p$act" up
sleep 1.5
screen | grep -q "$act       down" || fail "refreshed while paused"
keys p
wait_gone "$act       down" 5
quit_ok
echo ok
