#!/bin/bash
# vfscope never changes the system it looks at: run the reading commands
# under strace and fail on any open of /sys or /proc for writing, any write
# to /dev/kmsg, or any rtnetlink set operation (RTM_NEWLINK/SETLINK/DELLINK).
# Exception, documented in docs/probes.md: libbpf's legacy kprobe attach
# writes tracefs kprobe_events when the kernel lacks the kprobe PMU.
set -u
. "$TOP/tests/lib.sh"
need_root
command -v strace >/dev/null || skip "strace not installed"
ns=$(mkns w)
ip -n "$ns" link add va0 type veth peer name vb0
ip -n "$ns" link set va0 up; ip -n "$ns" link set vb0 up
d=$(mktemp -d); trap 'rm -rf $d; cleanup_ns' EXIT
run() { # name cmd...
	local n=$1; shift
	# strace inside the namespace, so it can tell netlink sockets apart and
	# decode their messages by name.
	timeout 60 ip netns exec "$ns" strace -f -qq -s 256 -o "$d/$n.trace" \
		-e trace=open,openat,openat2,sendto,sendmsg,write,pwrite64,truncate,unlink,rename,mkdir \
		"$VFSCOPE" "$@" >"$d/$n.out" 2>&1
	local rc=$?
	[ $rc = 0 ] || [ $rc = 1 ] || { cat "$d/$n.out"; fail "$n exited $rc"; }
	# Opens of sysfs/procfs/dev for writing (O_WRONLY, O_RDWR, O_CREAT, O_TRUNC).
	if grep -E 'open(at2?)?\(.*"/(sys|proc|dev/kmsg)[^"]*".*O_(WRONLY|RDWR|CREAT|TRUNC)' "$d/$n.trace" |
		grep -v 'kprobe_events\|uprobe_events' | grep -q .; then
		grep -E 'open(at2?)?\(.*"/(sys|proc|dev/kmsg)' "$d/$n.trace" | grep -E 'O_(WRONLY|RDWR|CREAT|TRUNC)' | head
		fail "$n opened sysfs/procfs for writing"
	fi
	if grep -E 'send(to|msg)\(.*RTM_(NEWLINK|SETLINK|DELLINK|NEWADDR|DELADDR|NEWROUTE|DELROUTE|NEWNEIGH|DELNEIGH)' "$d/$n.trace" | grep -q .; then
		grep -E 'RTM_(NEW|SET|DEL)' "$d/$n.trace" | head
		fail "$n sent an rtnetlink set operation"
	fi
	grep -q 'RTM_GETLINK' "$d/$n.trace" || [ "${NO_NL:-}" = "$n" ] || fail "$n: strace saw no RTM_GETLINK (is the check blind?)"
	echo "$n: clean ($(grep -c . "$d/$n.trace") syscalls traced)"
}
run snapshot snapshot --json
run check check
NO_NL=trace run trace trace --duration 1
run bundle bundle -o "$d/b.tar.gz" --duration 1
# The check itself must be able to see a write: strace a known writer.
strace -f -qq -o "$d/self.trace" -e trace=openat sh -c 'echo 1 > /proc/self/comm' 2>/dev/null
grep -qE '"/proc/self/comm".*O_WRONLY' "$d/self.trace" || fail "strace filter would not catch a sysfs/procfs write"
echo ok
