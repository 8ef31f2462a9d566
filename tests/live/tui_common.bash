# Sourced by tests/live/tui_*.sh: drive `vfscope top` inside tmux (its own
# socket per test, killed on exit), read the screen with capture-pane.
. "$TOP/tests/lib.sh"
command -v tmux >/dev/null 2>&1 || skip "tmux not installed"
TSOCK=vfst-tui-$$-$RANDOM
TD=$(mktemp -d)
T() { tmux -L "$TSOCK" "$@"; }
tui_cleanup() { T kill-server 2>/dev/null; rm -rf "$TD"; cleanup_ns; }
trap tui_cleanup EXIT
FIX=$TOP/tests/fixtures/tui/host

# tui_start COLS ROWS CMD...: run CMD on a COLSxROWS terminal; its exit code
# lands in $TD/rc, the pane stays open afterwards.
tui_start() {
	local c=$1 r=$2; shift 2
	printf '%q ' "$@" > "$TD/cmd"
	rm -f "$TD/rc"
	T -f /dev/null new-session -d -c "$TD" -x "$c" -y "$r" \
		"export TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8; $(cat "$TD/cmd"); echo \$? > $TD/rc; sleep 600" ||
		fail "tmux new-session"
	T set -g window-size manual 2>/dev/null
}
screen() { T capture-pane -p; }
keys() { T send-keys "$@"; }
# wait_for TEXT [SECONDS]: until the screen shows TEXT (fixed string).
wait_for() {
	local i n=$(( ${2:-5} * 10 ))
	for ((i = 0; i < n; i++)); do
		screen | grep -qF -- "$1" && return 0
		sleep 0.1
	done
	echo "--- screen ---"; screen; echo "--------------"
	fail "screen never showed: $1"
}
# wait_gone TEXT [SECONDS]
wait_gone() {
	local i n=$(( ${2:-5} * 10 ))
	for ((i = 0; i < n; i++)); do
		screen | grep -qF -- "$1" || return 0
		sleep 0.1
	done
	echo "--- screen ---"; screen; echo "--------------"
	fail "screen still shows: $1"
}
# quit_ok: q, then the program is gone with exit code 0.
quit_ok() {
	keys q
	local i
	for ((i = 0; i < 50; i++)); do [ -s "$TD/rc" ] && break; sleep 0.1; done
	[ -s "$TD/rc" ] || fail "still running after q"
	[ "$(cat "$TD/rc")" = 0 ] || fail "exit code $(cat "$TD/rc")"
	[ "$(T display -p '#{pane_current_command}')" != vfscope ] || fail "vfscope still the pane's command"
}
resize() { T resize-window -x "$1" -y "$2" || fail "resize-window"; }
