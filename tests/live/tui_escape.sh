#!/bin/bash
# Hostile strings: an interface alias full of escape sequences (set the
# window title, clear the screen) in a network namespace, shown by
# `vfscope top` run live inside it. The screen shows the alias with '?' in
# place of the control bytes, the title is unchanged, the screen not wiped.
set -u
. "$TOP/tests/live/tui_common.bash"
need_root
ns=$(mkns tui)
ip -n "$ns" link add vtui0 type veth peer name vtui1 || skip "no veth"
ip -n "$ns" link set vtui0 up
ip -n "$ns" link set vtui1 up
ip -n "$ns" link set dev vtui0 alias $'\e]0;pwned\a\e[2J' || fail "set alias"
T -f /dev/null new-session -d -x 80 -y 24 "sleep 600" || fail "tmux"
T set -g window-size manual 2>/dev/null
T set -g set-titles off
before=$(T display -p '#{pane_title}')
T kill-server
tui_start 80 24 ip netns exec "$ns" "$VFSCOPE" top --no-kmsg
wait_for "vtui0"
wait_for 'alias "?]0;pwned??[2J"'
wait_for "Topology"
title=$(T display -p '#{pane_title}')
case $title in *pwned*) fail "window title changed to '$title'" ;; esac
[ "$title" = "$before" ] || echo "note: pane title '$before' -> '$title'"
# Details of the line show the same sanitised alias.
keys /
keys -l vtui0
keys Enter
wait_for "filter: vtui0"
for i in 1 2 3 4 5 6; do keys Down; done
keys Enter
wait_for "alias           ?]0;pwned??[2J"
keys Escape
# Nothing raw reached the terminal: capture with escapes keeps none of it.
T capture-pane -p -e | grep -q 'pwned'$'\a' && fail "raw BEL after pwned reached the terminal"
quit_ok
echo ok
