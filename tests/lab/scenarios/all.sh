# Every scenario in one boot (each TCG boot costs ~30 s), torn down in
# between. /out/summary.txt: one "name rc" line each; exit 1 if any failed.
: > /out/summary.txt
rc=0
for s in healthy pf-link-down same-pf lacp balance-rr failover mac-refused vf-reset; do
	rm -f /tmp/lab.fail
	# Each capture's dmesg.txt holds its own scenario's kernel log only
	# (the first one's also the boot).
	[ -s /out/summary.txt ] && dmesg -c > /dev/null
	( . /lab/scenarios/$s.sh; lab_result ); r=$?
	echo "$s $r" >> /out/summary.txt
	[ $r = 0 ] || rc=1
	teardown
done
cat /out/summary.txt
exit $rc
