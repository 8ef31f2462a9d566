# lab: bpftrace
# Inside the lab VM (bench/lab_mailbox.sh): a VF reset storm on the igb
# PF<->VF mailbox, counted three ways at rising storm rates:
#  - ground truth: tracefs kprobes (kretprobes for the reads, with the return
#    value) on the same five functions, each with a hist trigger (counted in
#    the kernel, nothing written to the trace buffer);
#  - the tracer's events (its output, bucketed by timestamp) and its own loss
#    counter (vfscope: the mbx_lost map; bpftrace: its "Lost N events");
#  - bpf_stats (kernel.bpf_stats_enabled): run_time_ns / run_cnt of the
#    tracer's programs (by the prog ids of its fds), and its CPU time.
# The tracers (lab.tools, phases over the same levels): none (the storm
# alone), together (the three below at once, on the same storm), then each
# alone: vfscope trace --json (fentry/fexit), vfscope --attach kprobe,
# bpftrace with kprobe/kretprobe, each printing every message (timestamp,
# CPU, VF, size, the words). No bpftrace kfunc/kretfunc row: bpftrace 0.17
# loads kretfunc:igb:igb_read_mbx_pf only without args (with args->msg it
# says "Error loading program", with args->size it hung).
# Functions: igb_write_mbx_pf, igb_read_mbx_pf (PF side), e1000_write_mbx_vf,
# e1000_read_mbx_vf (igbvf, VF side), igb_set_vf_mac. A read counts when it
# returned 0 (what vfscope and the bpftrace scripts emit).
# A storm action cycles through: VF MAC change, another MAC change, VF down
# (igbvf_down resets the VF: VF_RESET over the mailbox), VF up. Levels
# (lab.levels, default below), each lab.secs seconds (default 6):
#   loop:N:P   N VFs, a shell loop each (one `ip` per action), P s pause
#   batch:N    N VFs, one `ip -force -batch` each (no fork per action)
#   stall:N    batch:N with the tracer stopped (SIGSTOP) until the storm
#              is over: how many events its buffer holds for a consumer
#              that does not read (then SIGCONT)
# Writes /out/lab-mailbox/: steps.txt ("PHASE LEVEL SPEC T0 T1 TSNAP" in
# /proc/uptime seconds, "members PHASE TOOL...", "rc PHASE TOOL RC"),
# snap/PHASE.L.{hist,progs}, snap/PHASE.TOOL.L.{lost,stat},
# ids/PHASE.TOOL.{progs,lostid}, PHASE.TOOL.out/.err (raw outputs).
log lab-mailbox
SECS=$(sed -n 's/.*lab.secs=\([0-9]*\).*/\1/p' /proc/cmdline); SECS=${SECS:-6}
LEVELS=$(sed -n 's/.*lab.levels=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
LEVELS=${LEVELS:-loop:1:0.2 loop:1:0 batch:1 batch:2 batch:4 stall:4}
TOOLS=$(sed -n 's/.*lab.tools=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
TOOLS=${TOOLS:-none together vfscope vfscope-kprobe bpftrace}
D=/out/lab-mailbox; mkdir -p $D/snap $D/ids
W=/tmp/lm; mkdir -p $W
T=/sys/kernel/tracing
FUNCS="igb_write_mbx_pf,igb_read_mbx_pf,e1000_write_mbx_vf,e1000_read_mbx_vf,igb_set_vf_mac"
echo "secs=$SECS" > $D/params.txt
echo "levels=$LEVELS" >> $D/params.txt
echo "tools=$TOOLS" >> $D/params.txt
echo "kernel=$(uname -r)" >> $D/params.txt
VFS=
for v in $ALLVFS; do n=$(vfnet $v); ip link set $n up; VFS="$VFS $n"; done
echo "vfs=$VFS" >> $D/params.txt
sleep 2

# Ground truth.
echo 'p:vfsb/w_pf igb_write_mbx_pf vf=$arg4:u16' >> $T/kprobe_events
echo 'r:vfsb/r_pf igb_read_mbx_pf ret=$retval:s32' >> $T/kprobe_events
echo 'p:vfsb/w_vf e1000_write_mbx_vf size=$arg3:u16' >> $T/kprobe_events
echo 'r:vfsb/r_vf e1000_read_mbx_vf ret=$retval:s32' >> $T/kprobe_events
echo 'p:vfsb/smac igb_set_vf_mac vf=$arg2:s32' >> $T/kprobe_events
for e in w_pf smac; do echo 'hist:keys=vf' > $T/events/vfsb/$e/trigger; done
echo 'hist:keys=size' > $T/events/vfsb/w_vf/trigger
for e in r_pf r_vf; do echo 'hist:keys=ret' > $T/events/vfsb/$e/trigger; done
echo 1 > /proc/sys/kernel/bpf_stats_enabled

# The bpftrace script keeps the read's arguments per thread for the
# kretprobe (as vfscope's kprobe fallback does).
cat > $W/kprobe.bt <<'BT'
kprobe:igb_write_mbx_pf { printf("%llu %d pfw %d %d %r\n", nsecs, cpu, arg3, arg2, buf(arg1, arg2 * 4)); }
kprobe:igb_read_mbx_pf { @pm[tid] = arg1; @ps[tid] = arg2; @pv[tid] = arg3; }
kretprobe:igb_read_mbx_pf /@pm[tid]/ {
	if ((int32)retval == 0) { printf("%llu %d pfr %d %d %r\n", nsecs, cpu, @pv[tid], @ps[tid], buf(@pm[tid], @ps[tid] * 4)); }
	delete(@pm[tid]); delete(@ps[tid]); delete(@pv[tid]);
}
kprobe:e1000_write_mbx_vf { printf("%llu %d vfw %d %r\n", nsecs, cpu, arg2, buf(arg1, arg2 * 4)); }
kprobe:e1000_read_mbx_vf { @vm[tid] = arg1; @vs[tid] = arg2; }
kretprobe:e1000_read_mbx_vf /@vm[tid]/ {
	if ((int32)retval == 0) { printf("%llu %d vfr %d %r\n", nsecs, cpu, @vs[tid], buf(@vm[tid], @vs[tid] * 4)); }
	delete(@vm[tid]); delete(@vs[tid]);
}
kprobe:igb_set_vf_mac { printf("%llu %d smac %d %r\n", nsecs, cpu, arg1, buf(arg2, 6)); }
BT

# One storm action cycle per VF, for the batch levels (ip -batch; -force:
# go on after an error). 2,000 cycles: more than any level gets through.
k=0
for n in $VFS; do
	: > $W/batch.$n
	j=0; while [ $j -lt 2000 ]; do
		echo "link set dev $n address 02:00:00:00:e$k:01" >> $W/batch.$n
		echo "link set dev $n address 02:00:00:00:e$k:02" >> $W/batch.$n
		echo "link set dev $n down" >> $W/batch.$n
		echo "link set dev $n up" >> $W/batch.$n
		j=$((j + 1))
	done
	k=$((k + 1))
done
cs() { read u _ < /proc/uptime; echo "${u%.*}${u#*.}"; }
loop_vf() { # NETDEV K PAUSE END_CS
	c=0
	while [ "$(cs)" -lt $4 ]; do
		case $((c % 4)) in
		0) /sbin/ip link set $1 address 02:00:00:00:e$2:01 ;;
		1) /sbin/ip link set $1 address 02:00:00:00:e$2:02 ;;
		2) /sbin/ip link set $1 down ;;
		3) /sbin/ip link set $1 up ;;
		esac
		c=$((c + 1))
		[ "$3" = 0 ] || sleep $3
	done
}
storm() { # SPEC
	set -- $(echo $1 | tr : ' ')
	kind=$1 nvf=$2 pause=${3:-0}
	end=$(( $(cs) + SECS * 100 ))
	k=0 pids=
	[ $kind = stall ] && [ -n "$TPIDS" ] && kill -STOP $TPIDS
	for n in $VFS; do
		[ $k -ge $nvf ] && break
		if [ $kind != loop ]; then
			timeout $SECS /sbin/ip -force -batch $W/batch.$n > /dev/null 2>&1 &
		else
			loop_vf $n $k $pause $end > /dev/null 2>&1 &
		fi
		pids="$pids $!"; k=$((k + 1))
	done
	wait $pids
	for n in $VFS; do /sbin/ip link set $n up; done
	[ $kind = stall ] && [ -n "$TPIDS" ] && kill -CONT $TPIDS
}
snap() { # PHASE L: the truth, every program's stats; each tracer's loss counter and CPU
	p=$D/snap/$1.$2
	for e in w_pf r_pf w_vf r_vf smac; do echo "== $e"; cat $T/events/vfsb/$e/hist; done > $p.hist
	bpftool prog show > $p.progs 2>&1
	for m in $MEMBERS; do
		[ -s $D/ids/$1.$m.lostid ] && bpftool -j map dump id "$(cat $D/ids/$1.$m.lostid)" > $D/snap/$1.$m.$2.lost 2>&1
		eval "mp=\$pid_$(echo $m | tr - _)"
		cat /proc/$mp/stat > $D/snap/$1.$m.$2.stat 2>/dev/null
	done
	cut -d' ' -f1 /proc/uptime
}
# Wait until a tracer has attached (its message in FILE), ~3 min at most.
wait_for() { # PID FILE REGEX
	i=0; while [ $i -lt 360 ] && kill -0 $1 2>/dev/null && ! grep -q "$3" $2 2>/dev/null; do sleep 0.5; i=$((i + 1)); done
	grep -q "$3" $2 2>/dev/null && kill -0 $1 2>/dev/null
}
prog_ids() { bpftool prog show | sed -n 's/^\([0-9]*\):.*/\1/p'; }
# start PHASE TOOL: the tracer in the background, attached; sets pid_TOOL
start() {
	out=$W/$1.$2.out err=$W/$1.$2.err
	: > $out; : > $err
	{ echo x; prog_ids; } > $W/before
	case $2 in
	vfscope) vfscope trace --json --probe $FUNCS --duration 3600 > $out 2> $err & p=$!
		wait_for $p $err 'probes attached' || p=FAIL ;;
	vfscope-kprobe) vfscope trace --json --attach kprobe --probe $FUNCS --duration 3600 > $out 2> $err & p=$!
		wait_for $p $err 'probes attached' || p=FAIL ;;
	bpftrace) bpftrace -o $out $W/kprobe.bt > $err 2>&1 & p=$!
		wait_for $p $out '^Attaching' || p=FAIL ;;
	esac
	if [ "$p" = FAIL ]; then
		echo "$1 $2: did not attach: $(head -c 300 $err)"
		cp $out $err $D/ 2>/dev/null
		return 1
	fi
	# its programs: those loaded since it started (bpftrace keeps no fd
	# of the programs it attached through perf events, and says
	# "Attaching" before it loads them: wait until their number holds)
	n0=-1 n1=$(prog_ids | wc -l) i=0
	while [ "$n0" != "$n1" ] && [ $i -lt 60 ]; do sleep 1; n0=$n1; n1=$(prog_ids | wc -l); i=$((i + 1)); done
	prog_ids | awk 'NR == FNR {b[$1]; next} !($1 in b)' $W/before - > $D/ids/$1.$2.progs
	for m in $(grep -h '^map_id:' /proc/$p/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u); do
		bpftool map show id $m 2>/dev/null | grep -q 'name mbx_lost ' && echo $m > $D/ids/$1.$2.lostid
	done
	eval "pid_$(echo $2 | tr - _)=$p"
	MEMBERS="$MEMBERS $2" TPIDS="$TPIDS $p"
}

# Phases: none (the storm alone), one tracer alone, or "together": the three
# on the same storm at once (the same events and the same moments of a host
# whose load drifts: the fairest comparison of loss and per-event cost).
for phase in $TOOLS; do
	echo "== phase $phase"
	MEMBERS= TPIDS=
	case $phase in
	none) ;;
	together) for m in vfscope vfscope-kprobe bpftrace; do start $phase $m; done ;;
	*) start $phase $phase ;;
	esac
	[ $phase != none ] && [ -z "$MEMBERS" ] && continue
	echo "members $phase $MEMBERS" >> $D/steps.txt
	sleep 1
	ts=$(snap $phase 0)
	echo "$phase 0 attach 0 0 $ts" >> $D/steps.txt
	l=1
	for spec in $LEVELS; do
		t0=$(cut -d' ' -f1 /proc/uptime)
		storm $spec
		t1=$(cut -d' ' -f1 /proc/uptime)
		sleep 1.5 # quiet: the next snapshot falls between two levels' events
		case $spec in stall*) sleep 4 ;; esac # the tracers drain what they held
		ts=$(snap $phase $l)
		echo "$phase $l $spec $t0 $t1 $ts" >> $D/steps.txt
		echo "$phase level $l $spec: $t0 -> $t1"
		l=$((l + 1))
	done
	for m in $MEMBERS; do
		eval "p=\$pid_$(echo $m | tr - _)"
		# SIGINT, SIGKILL if it has not ended within 30 s
		kill -INT $p
		i=0; while [ $i -lt 60 ] && kill -0 $p 2>/dev/null; do sleep 0.5; i=$((i + 1)); done
		kill -KILL $p 2>/dev/null
		wait $p; echo "rc $phase $m $?" >> $D/steps.txt
		cp $W/$phase.$m.out $W/$phase.$m.err $D/
	done
done
echo 0 > /proc/sys/kernel/bpf_stats_enabled
cat $T/kprobe_profile > $D/kprobe_profile.txt
for e in w_pf smac; do echo '!hist:keys=vf' > $T/events/vfsb/$e/trigger; done
echo '!hist:keys=size' > $T/events/vfsb/w_vf/trigger
for e in r_pf r_vf; do echo '!hist:keys=ret' > $T/events/vfsb/$e/trigger; done
echo > $T/kprobe_events
cat $D/steps.txt
