#!/bin/bash
# A guest agent that stops answering does not freeze the dashboard: the
# agents are asked by their own thread, so keys keep their speed while a
# guest times out; the last view stays on screen marked stale, and the
# mark goes when the agent answers again; q does not wait for the guest.
# (Before, every refresh waited for the guest timeout.)
set -u
. "$TOP/tests/live/tui_common.bash"
L=$TOP/tests/fixtures/lab/healthy
P=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$VFSCOPE" agent --sysroot "$L/guest" --listen tcp:127.0.0.1:$P >/dev/null 2>&1 & ap=$!
trap 'kill -CONT $ap 2>/dev/null; kill $ap 2>/dev/null; tui_cleanup' EXIT
for _ in $(seq 50); do "$VFSCOPE" snapshot --json --no-kmsg --guest tcp:127.0.0.1:$P >/dev/null 2>&1 && break; sleep 0.1; done
tui_start 140 35 "$VFSCOPE" top --sysroot "$L/host" --recollect -d 0.2 --cpu-cap 0 \
	--guest tcp:127.0.0.1:$P --guest-timeout 5000
wait_for "guests:1" 10
screen | grep -qF "stale" && fail "stale before the agent stalled"
kill -STOP $ap # it accepts (backlog) and never answers
wait_for "(1 stale)" 12
screen | grep -qF "guests:1" || fail "the last guest view left the screen"
# Keys answer within 2 s while the guest times out after 5 s, every time.
for i in 1 2 3; do
	t0=$(date +%s%N)
	keys '?'
	wait_for "this help" 6
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "help popup after ${ms} ms"
	[ $ms -lt 2000 ] || fail "key $i took ${ms} ms while the guest stalls"
	keys Escape
	wait_gone "this help" 6
	sleep 0.$((RANDOM % 9 + 1))
done
kill -CONT $ap
wait_gone "stale" 15
t0=$(date +%s%N)
kill -STOP $ap
sleep 1
quit_ok
ms=$(( ($(date +%s%N) - t0) / 1000000 - 1000 ))
echo "quit ${ms} ms after q during a stall"
echo ok
