#!/bin/bash
# Live top between full collections (cli/top_refresh.c, issue 17): with
# --full-every 3600 only the kernel's announcements drive the screen. A
# change rtnetlink announces but the link monitor does not draw by itself
# (MTU, alias: merged from that link's notification) reaches the
# screen; a link that appears is shown and one deleted goes (a full
# collection, asked for by the announcement); a change drawn only in the
# rows it touched leaves the screen as a whole redraw; and after all that the
# topology and findings on screen are the same as those of a full
# collection of the same state (`top --once` beside it).
set -u
. "$TOP/tests/live/tui_common.bash"
need_root
a=$(mkns trf); b=$(mkns trg)
ip -n "$a" link add rf0 type veth peer name rf1 netns "$b" || skip "no veth"
ip -n "$a" link add rf2 type veth peer name rf3
ip -n "$a" link set rf0 up; ip -n "$b" link set rf1 up; ip -n "$a" link set rf2 up
run=(env VFSCOPE_NO_PROBES=1 ip netns exec "$a" "$VFSCOPE" top --no-kmsg --no-netns)
tui_start 160 40 "${run[@]}" -d 1 --full-every 3600
wait_for "every 1s" 10
wait_for "rf0          veth     UP" 10
# Announced, drawn only by the per-link refresh.
ip -n "$a" link set rf0 mtu 9000
ip -n "$a" link set rf0 alias edge-uplink
wait_for 'rf0          veth     UP  alias "edge-uplink"' 3
keys Down Down Enter
wait_for "mtu             9000 [netlink]" 3
keys Escape
ip -n "$b" link set rf1 down
wait_for "rf0          veth     DOWN" 3
ip -n "$b" link set rf1 up
ip -n "$a" link set rf0 alias ""
wait_for "rf0          veth     UP  " 3
wait_gone "edge-uplink" 3
# A link that appears, one that goes.
ip -n "$a" link add rf4 type veth peer name rf5
wait_for "rf4          veth     DOWN (admin)" 5
ip -n "$a" link set rf4 up; ip -n "$a" link set rf5 up
wait_for "rf4          veth     UP" 5
ip -n "$a" link del rf2
wait_gone "rf2          veth" 5
wait_gone "rf3          veth" 5
ip -n "$a" link set rf4 mtu 4000 # once more through the cheap path
sleep 2.5
# A change drawn row by row (only the panels and rows it touched) leaves
# the screen as drawing everything again does (any key draws all).
ip -n "$a" link set rf0 alias drawn-in-part
wait_for 'rf0          veth     UP  alias "drawn-in-part"' 3
sleep 0.3
screen | sed -n '3,39p' > "$TD/part"
keys x
sleep 0.5
screen | sed -n '3,39p' > "$TD/whole"
diff -u "$TD/whole" "$TD/part" || fail "drawn in part, the screen differs from drawing it whole"
ip -n "$a" link set rf0 alias ""
wait_gone "drawn-in-part" 3
sleep 0.3
# The same as a full collection of this state: topology (left column) and
# findings (right column, between its title and the Events panel).
printf '%q ' "${run[@]}" --once > "$TD/once"
# (its own tmux server: a second session beside window-size manual kills tmux 3.3)
T2() { tmux -L "$TSOCK-once" "$@"; }
trap 'T2 kill-server 2>/dev/null; tui_cleanup' EXIT
T2 -f /dev/null new-session -d -s once -x 160 -y 40 \
	"export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8; sleep 0.5; $(cat "$TD/once"); sleep 600" || fail "tmux new-session"
T2 set -g alternate-screen off # what --once drew stays after it exits
for _ in $(seq 50); do T2 capture-pane -p | grep -q "rf4 " && break; sleep 0.1; done
panels() { # capture -> topology and findings text
	sed 's/▶/ /' | awk 'NR > 2 { l = substr($0, 1, 80); r = substr($0, 81); sub(/ +$/, "", l); print "T " l
		if (r ~ /^ *Events/) ev = 1; if (r ~ /^ *Findings/) f = 1; if (f && !ev) print "F " r }'
}
screen | panels > "$TD/cheap"
T2 capture-pane -p | panels > "$TD/full"
grep -q "rf4" "$TD/full" || { cat "$TD/full"; fail "the full collection's screen did not come"; }
grep -q "^F .*no findings" "$TD/full" || { cat "$TD/full"; fail "no findings panel in the comparison"; }
diff -u "$TD/full" "$TD/cheap" || fail "the refreshed screen differs from a full collection's"
keys Down Enter
wait_for "mtu             4000 [netlink]" 3
keys Escape
quit_ok
echo ok
