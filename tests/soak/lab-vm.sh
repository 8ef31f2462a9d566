# lab: tmux
# The soak's lab form, inside the lab VM (busybox sh; tests/soak/lab.sh
# prepends tests/soak/lib.sh and boots it with tests/lab/vm-run; it is not
# a tests/lab/scenario_*.sh, so neither `tests/run lab` nor make check runs
# it). /out/params (written by lab.sh): CYCLES, PERIOD, GAP, SOAK_S, TOPOFF.
#
# `vfscope metrics` (--interval PERIOD), `vfscope agent` (queried every GAP s
# with busybox nc) and `vfscope top` (-d PERIOD --recollect, on a tmux
# terminal) run in the VM's host namespace, probes off (loading BPF under
# TCG is slow and not what this is about), while a loop churns:
#  - PF1's VFs: sriov_numvfs 0, 7, 0, 2 (igbvf netdevs come and go);
#  - a namespace with a VF in it: PF1's VF0 moved into netns soakns, up,
#    with an address, then the namespace deleted;
#  - a bond (active-backup, miimon 100) over PF0's two VFs: made, its
#    members flapped, deleted, on alternate turns;
#  - links: PF1 and PF0's VF1 down and up.
# Twice a second: one scrape (answered?, vfscope_collections_total), top's
# top_collect calls (uprobe, see lib.sh), the agent's distinct collections,
# and the RSS and fds of the three into /out/soak/samples (the host checks
# them with tests/soak/flat.py). It stops when each reached CYCLES or after
# SOAK_S seconds; /out/soak/result holds the counts.
. /out/params
S=/tmp/soak R=/out/soak
rm -rf $S $R; mkdir -p $S $R
log "soak: $CYCLES cycles, period $PERIOD s, at most $SOAK_S s; PF0=$PF0 PF1=$PF1"
up() { cut -d. -f1 /proc/uptime; }
# scrape FILE: one /metrics request (busybox nc: busybox wget crashes);
# answered when the status line says 200 and the body has build_info.
printf 'GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' > $S/hreq
scrape() {
	timeout $TMO nc 127.0.0.1 9101 < $S/hreq > $1 2>/dev/null
	head -1 $1 | grep -q ' 200 ' && grep -q '^vfscope_build_info' $1
}
TMO=${TMO:-30}
rss() { awk '/^VmRSS/{print $2}' /proc/$1/status 2>/dev/null; }
fds() { ls /proc/$1/fd 2>/dev/null | wc -l; }
export VFSCOPE_NO_PROBES=1

vfscope metrics --listen 127.0.0.1:9101 --interval $PERIOD > /dev/null 2> $S/metrics.err < /dev/null &
MP=$!
vfscope agent --listen tcp:127.0.0.1:7477 > /dev/null 2> $S/agent.err < /dev/null &
AP=$!
mkdir -p /dev/pts; mount -t devpts devpts /dev/pts 2>/dev/null
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color
T() { tmux -L soak -f /dev/null "$@"; }
T new-session -d -s top -x 120 -y 40 \
	"exec vfscope top -d $PERIOD --recollect --cpu-cap 0 2> $S/top.err" > /dev/null 2>&1 < /dev/null
TP=$(T list-panes -t top -F '#{pane_pid}' 2>/dev/null)
soak_uprobe_add soaktop /bin/vfscope $TOPOFF || echo "LAB-FAIL: no uprobe on /bin/vfscope:$TOPOFF (top's collections uncounted)"

# --- churn
churn() {
	ci=0  # not i: lib.sh's wait_net counts in i
	while [ ! -e $S/stop ]; do
		ci=$((ci + 1))
		echo "$ci $(cut -d' ' -f1 /proc/uptime) start"
		nv=/sys/class/net/$PF1/device/sriov_numvfs
		echo 0 > $nv; echo 7 > $nv; sleep 1; echo 0 > $nv; echo 2 > $nv
		wait_net $PF1VF0
		echo "$ci $(cut -d' ' -f1 /proc/uptime) vfs 0/7/0/2"
		n=$(vfnet $PF1VF0)
		ip netns add soakns
		ip link set "$n" netns soakns && ip -n soakns link set "$n" up &&
			ip -n soakns addr add 192.0.2.$((ci % 200 + 20))/24 dev "$n"
		ip link set $PF1 down; ip link set $PF1 up
		a=$(vfnet $PF0VF0) b=$(vfnet $PF0VF1)
		case $((ci % 3)) in
		0) ip link add soakb0 type bond mode active-backup miimon 100 2>/dev/null
		   for m in $a $b; do ip link set "$m" down; ip link set "$m" master soakb0; done
		   ip link set soakb0 up ;;
		1) for m in $a $b; do ip link set "$m" down; ip link set "$m" up; done ;;
		2) ip link del soakb0 2>/dev/null ;;
		esac
		n1=$(vfnet $PF1VF1); [ -n "$n1" ] && { ip link set "$n1" up; ip link set "$n1" down; }
		ip netns del soakns
		echo "$ci $(cut -d' ' -f1 /proc/uptime) done"
		echo $ci > $S/churned
		sleep 2
	done
}
# First answers before the churn starts (a cold start under TCG is slow).
echo 'GET snapshot v1' > $S/req
i=0; while ! scrape $S/scrape && [ $i -lt 60 ]; do sleep 2; i=$((i + 1)); done
i=0; while ! { timeout $TMO nc 127.0.0.1 7477 < $S/req | head -c 1 | grep -q '{'; } && [ $i -lt 60 ]; do sleep 2; i=$((i + 1)); done
echo "first scrape and agent answer at $(up) s"
churn > $S/churn.log 2>&1 &
CP=$!

# --- the agent, queried in a loop: "ok bad collections" in agent.count
aq() {
	ok=0 bad=0 views=0 last= k=0
	while [ ! -e $S/stop ]; do
		timeout $TMO nc 127.0.0.1 7477 < $S/req > $S/ans 2>/dev/null
		t=$(head -c 4096 $S/ans | grep -o '"time_ns":[0-9]*' | head -1)
		if [ "$(head -c 1 $S/ans)" = "{" ] && [ -n "$t" ]; then
			ok=$((ok + 1))
			# answers come in order: a new time_ns is a new collection
			[ "$t" = "$last" ] || { views=$((views + 1)); last=$t; }
		else
			bad=$((bad + 1)); cp $S/ans $S/bad.ans
		fi
		k=$((k + 1))
		[ $((k % 10)) = 0 ] && echo "$ok $bad $views" > $S/agent.count
		sleep $GAP
	done
	echo "$ok $bad $views" > $S/agent.count
}
aq &
QP=$!

t0=$(up) scrapes=0 sbad=0 mc=0 merr=0 tc=0 ok=0 bad=0 views=0 n=0
: > $S/samples
while :; do
	if scrape $S/scrape; then
		scrapes=$((scrapes + 1))
		mc=$(awk '$1 == "vfscope_collections_total" { print $2 }' $S/scrape)
		merr=$(awk '$1 == "vfscope_collection_errors_total" { print $2 }' $S/scrape)
	else
		sbad=$((sbad + 1)); cp $S/scrape $S/bad.scrape
	fi
	tc=$(soak_uprobe_hits soaktop)
	[ -s $S/agent.count ] && read ok bad views < $S/agent.count
	echo "$(up) m $(rss $MP) $(fds $MP) a $(rss $AP) $(fds $AP) t $(rss $TP) $(fds $TP)" >> $S/samples
	now=$(up); n=$((n + 1))
	if [ $((n % 20)) = 0 ]; then
		echo "  $((now - t0)) s: metrics ${mc:-0}, agent ${views:-0}, top ${tc:-0} cycles; scrapes $scrapes/$sbad, queries ${ok:-0}/${bad:-0} (ok/failed); churn $(cat $S/churned 2>/dev/null); load $(cut -d' ' -f1-3 /proc/loadavg)"
		cp $S/samples $R/samples; cp $S/churn.log $R/churn.log
	fi
	[ "${mc:-0}" -ge "$CYCLES" ] && [ "${tc:-0}" -ge "$CYCLES" ] && [ "${views:-0}" -ge "$CYCLES" ] && break
	[ $((now - t0)) -ge "$SOAK_S" ] && break
	alive=1; for p in $MP $AP $TP; do kill -0 $p 2>/dev/null || alive=0; done
	[ $alive = 1 ] || break
	sleep 0.5
done
touch $S/stop
load=$(cut -d' ' -f1-3 /proc/loadavg)
wait $QP
read ok bad views < $S/agent.count
i=0; while kill -0 $CP 2>/dev/null && [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done
alive=
for p in $MP $AP $TP; do kill -0 $p 2>/dev/null && alive="$alive 1" || alive="$alive 0"; done
scrape $S/last && last=1 || last=0
T capture-pane -p -t top > $R/screen.txt 2>/dev/null
T kill-server > /dev/null 2>&1
kill $MP $AP $CP 2>/dev/null
soak_uprobe_del soaktop
{
	echo "seconds $(( $(up) - t0 ))"
	echo "load $load"
	echo "metrics ${mc:-0} ${merr:-?} $scrapes $sbad"
	echo "agent $views $ok $bad"
	echo "top ${tc:-0}"
	echo "churn $(cat $S/churned 2>/dev/null)"
	echo "alive$alive"
	echo "last_scrape $last"
} > $R/result
cp $S/samples $S/*.err $S/churn.log $R/ 2>/dev/null
cp $S/bad.ans $S/bad.scrape $R/ 2>/dev/null
cat $R/result
log "soak done"
