# lab: switch
# lab: tmux
# lab: modules veth
# The dashboard over real bonding (tests/lab/scenario_top.sh): `vfscope top`
# runs in the host namespace on a tmux terminal (vm-run brings tmux in), with
# the guest's team read from a real `vfscope agent` in netns guest over a
# veth (198.51.100.1/30 host, .2 guest). The team: active-backup, miimon 100,
# over PF0 VF0 (active) + PF1 VF0, 192.0.2.10/24; the switch NIC (netns
# switch, 192.0.2.1) answers ARP on the hub.
# 1 hidden:  PF0's wire goes off (set_link n0 off). igbvf keeps carrier, so
#            miimon sees nothing: the screen must show the member
#            "UP (PF DOWN)", the VFS001 finding, the PF's rtnetlink carrier
#            change and igb's "NIC Link is Down" line in the Events panel.
# 2 noticed: the fix VFS001 gives: ARP monitoring towards 192.0.2.1. The
#            bond notices and fails over to PF1's VF: the screen shows the
#            new active member and bonding's failover line as an event.
# Each screen the scenario waited for goes to /out/top/NAME.txt, the time it
# was first seen (seconds of /proc/uptime) to times.txt, beside the
# collection time measured before (collect.txt); the host side asserts
# "within two refreshes" from them.
log top
lab_switch_up || exit 1
lab_modules || exit 1
D=/tmp/cap/top; rm -rf $D; mkdir -p $D
need_admin_macs on
guest_team active-backup "$PF0VF0 $PF1VF0" miimon 100
ip -n guest addr add 192.0.2.10/24 dev bond0
settle
set -- $GM; M0=$1 M1=$2
echo "PF0=$PF0 PF1=$PF1 M0=$M0 M1=$M1" > $D/names.txt
# Which member bonding made active depends on which VF came up first: make
# PF0's VF the active one, the case this is about.
ip -n guest link set bond0 type bond active_slave $M0 || echo "LAB: cannot make $M0 active"

# The agent's link: a veth between the namespaces.
ip link add labh type veth peer name labg
ip link set labg netns guest
ip addr add 198.51.100.1/30 dev labh; ip link set labh up
ip -n guest addr add 198.51.100.2/30 dev labg; ip -n guest link set labg up
G=tcp:198.51.100.2:7477
ip netns exec guest vfscope agent --listen $G --timeout 30000 > /tmp/agent.log 2>&1 < /dev/null &
AGENT=$!

up() { cut -d' ' -f1 /proc/uptime; }
# One full collection as top makes it (host + the agent), timed: a refresh
# under TCG is the interval plus this.
i=0; while ! vfscope snapshot --json --no-kmsg --guest $G --guest-timeout 30000 > $D/first.json 2>/dev/null && [ $i -lt 30 ]; do
	sleep 0.5; i=$((i + 1))
done
t0=$(up)
vfscope check --guest $G --guest-timeout 30000 > $D/check-before.txt 2>&1
t1=$(up)
echo "$t0 $t1" > $D/collect.txt
echo "one collection: $t0 -> $t1 s; agent: $(head -c 300 /tmp/agent.log)"

# The terminal: devpts for tmux's ptys; top with a 1 s interval and no CPU
# cap (TCG makes every collection expensive; the cap would stretch the
# interval to a minute), probes off (loading them under TCG takes long and
# they are not what this proves).
mkdir -p /dev/pts; mount -t devpts devpts /dev/pts 2>/dev/null
# tmux itself needs a terminal type it knows (the console's "linux" has no
# terminfo here): the one vm-run brought.
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color
T() { tmux -L lab -f /dev/null "$@"; }
scr() { T capture-pane -p -t top; }
T new-session -d -s top -x 120 -y 40 \
	"export VFSCOPE_NO_PROBES=1; vfscope top -d 1 --cpu-cap 0 --guest $G --guest-timeout 30000 2> $D/top.err; echo \$? > $D/top.rc; sleep 600" \
	> /dev/null 2>&1 < /dev/null || { echo "LAB-FAIL: tmux new-session"; echo x >> /tmp/lab.fail; }
T set -g window-size manual > /dev/null 2>&1
echo "tmux: $(T list-sessions 2>&1)"

# Nothing may outlive the scenario: /init waits for the console pipe.
top_cleanup() {
	T kill-server > /dev/null 2>&1
	kill $AGENT 2>/dev/null
	ip link del labh 2>/dev/null
	tar -C /tmp/cap -cf /out/top.tar top
}

# wait_screen NAME SECONDS TEXT: poll the screen until it shows TEXT (fixed
# string); then "NAME <uptime>" goes to times.txt and the screen to NAME.txt.
wait_screen() {
	n=$1 end=$(( $(cut -d. -f1 /proc/uptime) + $2 )); shift 2
	while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
		if scr > /tmp/scr.txt 2>/dev/null && grep -qF -- "$*" /tmp/scr.txt; then
			echo "$n $(up)" >> $D/times.txt; cp /tmp/scr.txt $D/$n.txt
			echo "ok: screen shows '$*' ($n)"
			return 0
		fi
		sleep 0.2
	done
	scr > $D/$n.txt 2>/dev/null
	echo "LAB-FAIL: screen never showed '$*' ($n)"; echo x >> /tmp/lab.fail
	echo "--- screen"; cat $D/$n.txt; echo "--- top.err, top.rc"; cat $D/top.err $D/top.rc 2>/dev/null; echo "---"
	return 1
}

wait_screen start 120 "bond0 @" || { top_cleanup; exit 1; }
wait_screen active 60 "*$M0"
cp /tmp/scr.txt $D/before.txt
grep -qF "UP (PF DOWN)" $D/before.txt && { echo "LAB-FAIL: UP (PF DOWN) before the link went off"; echo x >> /tmp/lab.fail; }

# 1 hidden
mon set_link n0 off
echo "off $(up)" >> $D/times.txt  # mon returns once QEMU has done it
wait_screen pfdown 60 "UP (PF DOWN)"
wait_screen nlevent 60 "PF carrier down"
wait_screen vfs001 60 "VFS001-pf-link-hidden"
wait_screen kmsgevent 60 "igb: $PF0 NIC Link is Down"
sleep 2
scr > $D/hidden.txt

# 2 noticed: the fix, ARP monitoring (miimon 0: bonding runs one or the other)
echo "fix $(up)" >> $D/times.txt
ip -n guest link set bond0 type bond miimon 0 arp_interval 500 arp_ip_target 192.0.2.1
wait_screen failover 90 "active $M1"
wait_screen newactive 60 "*$M1"
wait_screen failevent 60 "making interface the new active one"
sleep 3
scr > $D/noticed.txt
ip netns exec guest cat /proc/net/bonding/bond0 > $D/bond0.txt 2>&1

# The same screen at 80 columns, then q.
T resize-window -t top -x 80 -y 24 > /dev/null 2>&1
sleep 3
scr > $D/noticed-80.txt
T send-keys -t top q
i=0; while [ ! -s $D/top.rc ] && [ $i -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
expect "top exits 0 on q" 0 $D/top.rc
top_cleanup
mon set_link n0 on
log "top done"
