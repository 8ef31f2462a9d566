#!/bin/bash
# The live kernel log read (collectors/kmsg.c): collect_machine starts
# reading /dev/kmsg in a thread, the kernel log step takes what it read and
# reads on, on the same descriptor, to the end. Two marker records (kept:
# they say SR-IOV) are written, one before the run and one while the main
# thread is held in its first netlink sendto (strace delays it 1.5 s; the
# thread has long read to the end by then), so only reading on finds the
# second. Both must be in the snapshot once each, with the timestamp and
# level the kernel gives them (read back from /dev/kmsg here), and the
# "N records" the source reports must be the records there were. Leaves
# the two marker lines in the kernel log.
set -u
. "$TOP/tests/lib.sh"
need_root
command -v strace >/dev/null || skip "no strace"
[ -r /dev/kmsg ] || skip "no /dev/kmsg"
d=$(mktemp -d); trap 'rm -rf $d; cleanup_ns' EXIT
m=vfscope-kmsg-test-$$
echo "<4>$m-1: SR-IOV marker before the run" > /dev/kmsg || skip "cannot write /dev/kmsg"
( sleep 0.6; echo "<3>$m-2: SR-IOV marker during the run" > /dev/kmsg ) &
w=$!
# LeakSanitizer cannot run under ptrace: a SAN build checks leaks in a plain
# run first and runs without them under strace.
"$VFSCOPE" snapshot --json --no-netns > /dev/null 2> "$d/err" || fail "snapshot rc=$?: $(cat "$d/err")"
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
strace -f -o /dev/null -e trace=sendto -e inject=sendto:delay_exit=1500000:when=1 \
	"$VFSCOPE" snapshot --json --no-netns > "$d/s.json" 2> "$d/err" || fail "snapshot rc=$?: $(cat "$d/err")"
wait $w
python3 - "$d/s.json" "$m" <<'PY' || fail "kernel log read differs (above)"
import json, os, sys
d = json.load(open(sys.argv[1])); m = sys.argv[2]
fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
want, nrec = [], 0
while True:
    try:
        r = os.read(fd, 8192).decode("utf-8", "replace")
    except BlockingIOError:
        break
    except BrokenPipeError:
        continue
    nrec += 1
    head, _, text = r.split("\n")[0].partition(";")
    f = head.split(",")
    if m in text:
        want.append({"ts_us": int(f[2]), "prio": int(f[0]) & 7, "text": text})
got = [k for k in d.get("kmsg", []) if m in k["text"]]
src = [s["detail"] for s in d["sources"] if s["name"] == "kmsg"]
print("markers:", got)
print("source:", src, "records now:", nrec)
ok = got == want and len(want) == 2
n = int(src[0].split()[0]) if src else -1
# the log may have grown since (other work on the machine), never shrunk
ok = ok and nrec - 50 <= n <= nrec
if not ok:
    print("want:", want)
sys.exit(0 if ok else 1)
PY
echo ok
