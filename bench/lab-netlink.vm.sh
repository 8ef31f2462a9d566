# Inside the lab VM (bench/lab_netlink.sh): 7 VFs on each PF, then time
# vfscope's live collection against `ip -d -j link show`, ITERS runs each.
# Times come from /proc/uptime (10 ms ticks; ITERS runs make it fine
# enough). Writes key=value lines to /out/lab-netlink.txt.
log lab-netlink
ITERS=$(sed -n 's/.*lab.iters=\([0-9]*\).*/\1/p' /proc/cmdline); ITERS=${ITERS:-40}
R=/out/lab-netlink.txt; : > /tmp/ln.txt
for p in /sys/bus/pci/devices/0000:01:00.0 /sys/bus/pci/devices/0000:02:00.0; do
	echo 0 > $p/sriov_numvfs; echo 7 > $p/sriov_numvfs
done
i=0
while [ "$(ls -d /sys/bus/pci/devices/0000:0[12]:1*/net/* 2>/dev/null | wc -l)" -lt 14 ] && [ $i -lt 150 ]; do
	sleep 0.2; i=$((i + 1))
done
sleep 2 # let the VFs' link negotiation settle
# The commands, measured round-robin (one run of each per round, ITERS
# rounds) so that drift in the VM (TCG under a host that may be busy) falls
# on all of them alike. Times from /proc/uptime (10 ms ticks, random phase:
# unbiased over many runs), read without forking.
set -- ip_link "ip -d -j link show" \
	ip_start "ip -V" \
	vfscope_snapshot "vfscope snapshot --json" \
	vfscope_no_kmsg "vfscope snapshot --json --no-kmsg" \
	vfscope_no_netlink "vfscope snapshot --json --no-netlink" \
	vfscope_no_netlink_kmsg "vfscope snapshot --json --no-netlink --no-kmsg" \
	vfscope_start "vfscope --version"
NCMD=$(($# / 2))
k=0; while [ $k -lt $NCMD ]; do eval "sum_$k=0"; k=$((k + 1)); done
echo "iters=$ITERS" >> /tmp/ln.txt
echo "netdevs=$(ls /sys/class/net | wc -l)" >> /tmp/ln.txt
echo "vfs=$(ls -d /sys/bus/pci/devices/0000:0[12]:00.0/virtfn* | wc -l)" >> /tmp/ln.txt
echo "kmsg_records=$(dmesg | wc -l)" >> /tmp/ln.txt
vfscope snapshot --json > /dev/null 2>&1; ip -d -j link show > /dev/null # warm the page cache
r=0
while [ $r -lt $ITERS ]; do
	k=0
	for a in "$@"; do
		case $((k % 2)) in 1)
			read t0 _ < /proc/uptime
			$a > /dev/null 2>&1
			read t1 _ < /proc/uptime
			t0=${t0%.*}${t0#*.} t1=${t1%.*}${t1#*.}
			eval "sum_$((k / 2))=\$((sum_$((k / 2)) + t1 - t0))" ;;
		esac
		k=$((k + 1))
	done
	r=$((r + 1))
done
k=0
for a in "$@"; do
	case $((k % 2)) in 0) name=$a ;; 1) eval "echo \"$name=\$((sum_$((k / 2)) * 10000 / ITERS))\"" >> /tmp/ln.txt ;; esac
	k=$((k + 1))
done
# In-process collection time (collect_ms in the JSON), with and without
# netlink: the netlink share without process start.
for o in "" --no-netlink; do
	j=0; : > /tmp/cms
	while [ $j -lt 10 ]; do
		vfscope snapshot --json $o | sed -n 's/.*"collect_ms": *\([0-9.]*\).*/\1/p' >> /tmp/cms; j=$((j + 1))
	done
	echo "collect_us${o:+_no_netlink}=$(awk '{s += $1} END {printf "%d", s * 1000 / NR}' /tmp/cms)" >> /tmp/ln.txt
done
vfscope snapshot --json > /out/lab-snapshot.json # the host checks what it saw
cp /tmp/ln.txt $R
cat $R
