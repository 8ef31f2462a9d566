# Helpers for live tests: network namespaces that clean up after themselves.
# Only documentation addresses; nothing leaves the namespaces.
VFSCOPE=${VFSCOPE:-$TOP/vfscope}
NS_PREFIX=vfst$$
NSES=()
skip() { echo "$*"; exit 77; }
need_root() { [ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"; }
mkns() { local n=$NS_PREFIX$1; ip netns add "$n" || skip "cannot create netns"; NSES+=("$n"); echo "$n"; }
cleanup_ns() { for n in "${NSES[@]}"; do ip netns del "$n" 2>/dev/null; done; }
trap cleanup_ns EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# jq-free JSON asserts: json_get FILE PYEXPR  (d = the document)
json_get() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
