# Helpers of the soaks (tests/soak/churn.sh on the host, tests/soak/lab-vm.sh
# in the lab VM); plain POSIX sh + awk, so busybox runs them too.
#
# top has no counter of its own collections on screen or anywhere else, so
# the soaks count them from outside with a uprobe (tracefs) on top_collect,
# the tui feed's collect callback (cli/cmd_top.c): the kernel counts each
# call, in uprobe_profile, without touching the program. The probe's event
# is enabled in its own tracefs instance, so the global trace buffer of
# others is left alone. The kernel counts the calls of every process that
# runs that binary: the soak's top must be the only `top` of its binary
# (another soak or bench at the same time needs a binary of its own).

SOAK_TRACEFS=${SOAK_TRACEFS:-/sys/kernel/tracing}

# soak_sym_offset BIN SYMBOL: the file offset of SYMBOL in BIN (what a
# uprobe wants), from nm and the ELF LOAD segments; empty when not found.
soak_sym_offset() {
	local a t o v p fs rest
	a=$(nm "$1" 2>/dev/null | awk -v s="$2" '$3 == s { print $1; exit }')
	[ -n "$a" ] || return 1
	a=$((0x$a))
	readelf -lW "$1" | while read -r t o v p fs rest; do
		[ "$t" = LOAD ] || continue
		if [ $((v)) -le $a ] && [ $a -lt $((v + fs)) ]; then
			printf '0x%x\n' $((a - v + o)); break
		fi
	done
}

# soak_uprobe_add NAME BIN OFFSET: count calls of BIN at OFFSET as NAME.
# tracefs is mounted first when it is not (a fresh machine: nothing else here
# needs it, the probes use BTF tracepoints).
soak_uprobe_add() {
	[ -e "$SOAK_TRACEFS/uprobe_events" ] || mount -t tracefs nodev "$SOAK_TRACEFS" 2>/dev/null
	echo "p:uprobes/$1 $2:$3" >> "$SOAK_TRACEFS/uprobe_events" 2>/dev/null || return 1
	mkdir "$SOAK_TRACEFS/instances/$1" 2>/dev/null &&
		echo 1 > "$SOAK_TRACEFS/instances/$1/events/uprobes/$1/enable" 2>/dev/null ||
		{ soak_uprobe_del "$1"; return 1; }
}

# soak_uprobe_hits NAME: calls so far (the last field of its uprobe_profile line).
soak_uprobe_hits() {
	awk -v n="$1" '$2 == n || $2 == "uprobes/" n { print $NF; exit }' "$SOAK_TRACEFS/uprobe_profile"
}

soak_uprobe_del() {
	echo 0 > "$SOAK_TRACEFS/instances/$1/events/uprobes/$1/enable" 2>/dev/null
	rmdir "$SOAK_TRACEFS/instances/$1" 2>/dev/null
	echo "-:uprobes/$1" >> "$SOAK_TRACEFS/uprobe_events" 2>/dev/null
	return 0
}
