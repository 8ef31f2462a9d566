#!/bin/bash
# `vfscope top` re-collecting live changes nothing: several refreshes under
# strace in a namespace, then q; no open of /sys, /proc or /dev/kmsg for
# writing and no rtnetlink set operation (same checks as no_writes.sh).
set -u
. "$TOP/tests/live/tui_common.bash"
need_root
command -v strace >/dev/null || skip "strace not installed"
ns=$(mkns tw)
ip -n "$ns" link add va0 type veth peer name vb0 || skip "no veth"
ip -n "$ns" link set va0 up; ip -n "$ns" link set vb0 up
tr=$TD/top.trace
# LeakSanitizer cannot run under ptrace (SAN builds): leaks off for this one.
tui_start 80 24 env ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 ip netns exec "$ns" strace -f -qq -s 256 -o "$tr" \
	-e trace=open,openat,openat2,sendto,sendmsg,write,pwrite64,truncate,unlink,rename,mkdir \
	"$VFSCOPE" top -d 0.3 --cpu-cap 0 --full-every 0 # strace makes every collection slow; 0: a full one each interval
wait_for "every 0.3s" 10
wait_for "va0"
sleep 2
quit_ok
n=$(grep -c 'RTM_GETLINK' "$tr")
[ "$n" -ge 3 ] || fail "expected several refreshes (RTM_GETLINK dumps), saw $n"
if grep -E 'open(at2?)?\(.*"/(sys|proc|dev/kmsg)[^"]*".*O_(WRONLY|RDWR|CREAT|TRUNC)' "$tr" | grep -q .; then
	grep -E 'open(at2?)?\(.*"/(sys|proc|dev/kmsg)' "$tr" | grep -E 'O_(WRONLY|RDWR|CREAT|TRUNC)' | head
	fail "top opened sysfs/procfs for writing"
fi
if grep -E 'send(to|msg)\(.*RTM_(NEWLINK|SETLINK|DELLINK|NEWADDR|DELADDR|NEWROUTE|DELROUTE|NEWNEIGH|DELNEIGH)' "$tr" | grep -q .; then
	grep -E 'RTM_(NEW|SET|DEL)' "$tr" | head
	fail "top sent an rtnetlink set operation"
fi
echo "top: clean over $n refreshes ($(grep -c . "$tr") syscalls traced)"
