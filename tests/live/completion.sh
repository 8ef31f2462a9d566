#!/bin/bash
# contrib/bash-completion/vfscope, sourced in bash with Debian's
# bash-completion: COMPREPLY for commands, options, option values (severity
# and attach mode lists, probe names and groups, comma lists, interfaces of
# a network namespace, directories) and the rule IDs, each compared with
# a source other than the completion itself (cli/main.c's command table,
# rules/*.c's rule table, the namespace's own links, literal names).
set -u
. "$TOP/tests/lib.sh"
BC=/usr/share/bash-completion/bash_completion
[ -r $BC ] || skip "no bash-completion ($BC)"
need_root
n=$(mkns c)
ip -n "$n" link add vcpa type veth peer name vcpb || skip "no veth"
d=$(mktemp -d); trap 'rm -rf $d; cleanup_ns' EXIT
grep -o '{ "[a-z]*", cmd_' "$TOP/cli/main.c" | cut -d'"' -f2 | sort > "$d/cmds"
[ "$(wc -l < "$d/cmds")" -ge 10 ] || fail "cli/main.c command table not found"
grep -ho '"VFS[0-9]\{3\}-[a-z0-9-]*"' "$TOP"/rules/*.c | tr -d '"' | sort -u > "$d/rules"
[ "$(wc -l < "$d/rules")" -ge 19 ] || fail "rule table not found"

# Run in the namespace so that /sys/class/net holds exactly lo, vcpa, vcpb.
ip netns exec "$n" bash --norc --noprofile -s "$VFSCOPE" "$TOP" "$d" <<'B'
set -u
B=$1 TOP=$2 d=$3
. /usr/share/bash-completion/bash_completion
. "$TOP/contrib/bash-completion/vfscope"
bad=0
comp() { # words... -> COMPREPLY, sorted, one line
	COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
	_vfscope 2>"$d/comp.err"
	[ -s "$d/comp.err" ] && { echo "stderr from completing '$*': $(cat "$d/comp.err")"; bad=1; }
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
is() { # want words...
	local want=$1; shift
	local got; got=$(comp "$@")
	[ "$got" = "$want" ] || { echo "FAIL: '$*' completes to '$got', want '$want'"; bad=1; }
}
complete -p vfscope | grep -q -- '-F _vfscope' || { echo "FAIL: no completion registered for vfscope"; bad=1; }
is "$(tr '\n' ' ' < "$d/cmds" | sed 's/ $//')" "$B" ""
is "snapshot" "$B" sn
is "--fail-on --from" "$B" check --f
is "error info warning" "$B" check --fail-on ""
is "error" "$B" check --fail-on e
is "auto fentry kprobe" "$B" trace --attach ""
is "igb_read_mbx_pf igb_set_vf_mac igb_vf_reset igb_write_mbx_pf" "$B" trace --probe igb_
is "datapath" "$B" trace --probe data
is "datapath,net_dev_xmit datapath,net_dev_xmit_timeout" "$B" trace --probe datapath,net_dev_x
is "lo vcpa vcpb" "$B" trace -i ""
is "vcpa vcpb" "$B" trace --interface vc
is "vcpa vcpb" "$B" capture -i vc
is "vcpa,lo vcpa,vcpa vcpa,vcpb" "$B" capture -i vcpa,
is "--duration --help -i -w" "$B" capture -
is "" "$B" metrics -i ""                      # metrics' -i is the interval
is "--interval" "$B" metrics --interv
is "--json" "$B" snapshot --js
is "$TOP/tests/fixtures/lab/healthy" "$B" snapshot --sysroot "$TOP/tests/fixtures/lab/hea"
is "--help --version" "$B" --
# Rule IDs: what 'check --list' gives, the completer's list.
got=$(_vfscope_rule_ids "$B" | sort | tr '\n' ' ')
want=$(tr '\n' ' ' < "$d/rules")
[ "$got" = "$want" ] || { echo "FAIL: rule IDs '$got', want '$want'"; bad=1; }
COMPREPLY=($(compgen -W "$(_vfscope_rule_ids "$B")" -- VFS01))
[ "${#COMPREPLY[@]}" = 10 ] && [ "${COMPREPLY[0]}" = VFS010-no-failure-detection ] ||
	{ echo "FAIL: rule IDs from VFS01: ${COMPREPLY[*]}"; bad=1; }
exit $bad
B
rc=$?
[ $rc = 0 ] || fail "completion (rc $rc)"
echo ok
