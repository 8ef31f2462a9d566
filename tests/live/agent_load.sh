#!/bin/bash
# The agent answers the host while hostile peers on the same loopback
# address hold connections (idle), trickle request bytes, send garbage and
# ask for snapshots in a loop (tests/live/http_attack.py agent): every
# 'vfscope snapshot --guest tcp:...' in that time must load the guest, well
# within its timeout. Before, one idle connection made the host's query
# fail ("timed out after 0 bytes"). Then --allow: a peer outside the list
# is closed at accept, one inside is served; a bad --allow is refused.
# Bounded: loopback only, < 30 s.
set -u
. "$TOP/tests/lib.sh"
A=$TOP/tests/live/http_attack.py
L=$TOP/tests/fixtures/lab/healthy
T=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null; done; wait 2>/dev/null; rm -rf $T' EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
query() { # port [timeout-ms] -> 0 when the guest loaded; prints ms
	local t0 rc
	t0=$(date +%s%N)
	timeout 10 "$VFSCOPE" snapshot --json --no-kmsg --sysroot "$L/host" --guest tcp:127.0.0.1:$1 --guest-timeout ${2:-3000} \
		>"$T/q.json" 2>"$T/q.err"
	rc=$?
	echo $(( ($(date +%s%N) - t0) / 1000000 ))
	[ $rc = 0 ] && python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if len(d.get("guests",[])) == 1 else 1)' "$T/q.json"
}
start_agent() { # port args...
	local port=$1; shift
	"$VFSCOPE" agent --sysroot "$L/guest" --listen tcp:127.0.0.1:$port "$@" 2>>"$T/agent.err" & pids+=($!)
	apid=$!
	for _ in $(seq 50); do query $port >/dev/null && return; sleep 0.1; done
	fail "agent did not answer: $(cat "$T/agent.err" "$T/q.err")"
}

under_attack() { # port seconds queries
	python3 "$A" agent $1 $2 --idle 30 --slow 30 --junk 4 --hammer 4 2>"$T/attack" & pids+=($!)
	local atk=$! n=0 worst=0 ms
	sleep 1
	for i in $(seq $3); do
		ms=$(query $1) || fail "host query $i failed under attack (${ms} ms): $(head -c 300 "$T/q.err")"
		[ $ms -gt $worst ] && worst=$ms
		n=$((n + 1))
		sleep 0.3
	done
	wait $atk
	echo "$n host queries answered under attack, slowest ${worst} ms ($(cat "$T/attack"))"
	[ $worst -lt 2500 ] || fail "a host query took ${worst} ms"
}
# 1: the defaults (256 connections, 64 per peer): the attackers fit
port=$(freeport)
start_agent $port --timeout 2000
fd0=$(ls /proc/$apid/fd | wc -l)
under_attack $port 5 5
sleep 2.5 # the last slow and idle peers reach their deadline (--timeout 2000)
fd1=$(ls /proc/$apid/fd | wc -l)
[ $fd1 -le $((fd0 + 2)) ] || fail "descriptors grew: $fd0 -> $fd1"
kill -TERM $apid; wait $apid; rc=$?
[ $rc = 0 ] || fail "SIGTERM exit $rc"
# 2: a share of 8 for the 60-odd attackers and the host on the same
# address: the oldest waiting connections are closed to make room, and the
# host tries again (within its timeout) when closed before the first byte
port=$(freeport)
start_agent $port --per-peer 8 --max-connections 16
under_attack $port 4 5
kill $apid

# --allow: 127.0.0.1 is not in 192.0.2.0/24: closed at accept
port=$(freeport)
"$VFSCOPE" agent --sysroot "$L/guest" --listen tcp:127.0.0.1:$port --allow 192.0.2.0/24 --allow cid:3 \
	2>>"$T/agent.err" & pids+=($!)
sleep 0.5
query $port 500 >/dev/null && fail "a peer outside --allow was served"
grep -q '"guest"' "$T/q.json" || fail "the refused guest is not reported as a source"
kill $!
port=$(freeport)
start_agent $port --allow 192.0.2.0/24 --allow 127.0.0.0/8
kill $apid
"$VFSCOPE" agent --listen tcp:127.0.0.1:$port --allow 192.0.2.0/33 2>/dev/null; [ $? = 2 ] || fail "bad --allow accepted"
"$VFSCOPE" agent --listen tcp:127.0.0.1:$port --allow host.example 2>/dev/null; [ $? = 2 ] || fail "--allow with a name accepted"
echo ok
