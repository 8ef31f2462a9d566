# Helpers for live tests: network namespaces that clean up after themselves.
# Only documentation addresses; nothing leaves the namespaces.
VFSCOPE=${VFSCOPE:-$TOP/vfscope}
NS_PREFIX=vfst$$-
NSES=()
skip() { echo "$*"; exit 77; }
need_root() { [ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"; }
# mkns runs in $(...), a subshell: it cannot record what it made, so the
# cleanup removes every namespace with this test's prefix.
mkns() { local n=$NS_PREFIX$1; ip netns add "$n" || skip "cannot create netns"; echo "$n"; }
cleanup_ns() {
	local n
	for n in "${NSES[@]}" $(ip netns list 2>/dev/null | awk -v p="$NS_PREFIX" 'index($1, p) == 1 { print $1 }'); do
		ip netns pids "$n" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
}
trap cleanup_ns EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# jq-free JSON asserts: json_get FILE PYEXPR  (d = the document)
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
