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
cs() { read u _ < /proc/uptime; echo "${u%.*}${u#*.}"; } # centiseconds
# us_per_run NAME CMD...: ITERS runs, microseconds each.
us_per_run() {
	n=$1; shift
	"$@" > /dev/null 2>&1 # warm the page cache
	t0=$(cs); j=0
	while [ $j -lt $ITERS ]; do "$@" > /dev/null 2>&1; j=$((j + 1)); done
	t1=$(cs)
	echo "$n=$(( (t1 - t0) * 10000 / ITERS ))" >> /tmp/ln.txt
}
echo "iters=$ITERS" >> /tmp/ln.txt
echo "netdevs=$(ls /sys/class/net | wc -l)" >> /tmp/ln.txt
echo "vfs=$(ls -d /sys/bus/pci/devices/0000:0[12]:00.0/virtfn* | wc -l)" >> /tmp/ln.txt
us_per_run ip_link ip -d -j link show
us_per_run ip_start ip -V
us_per_run vfscope_snapshot vfscope snapshot --json
us_per_run vfscope_no_netlink vfscope snapshot --json --no-netlink
us_per_run vfscope_no_netlink_kmsg vfscope snapshot --json --no-netlink --no-kmsg
us_per_run vfscope_start vfscope --version
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
