#!/bin/bash
# The textfile vfscope writes is accepted by node_exporter's textfile
# collector: `vfscope metrics --once --textfile DIR/vfscope.prom` on a lab
# fixture tree (pf-link-down with its guest view), Debian's
# prometheus-node-exporter on a loopback port with
# --collector.textfile.directory=DIR (other collectors off), scraped with
# curl: node_textfile_scrape_error is 0, node_textfile_mtime_seconds names
# the file, and every vfscope sample of the file is in the scrape with the
# same labels and value. A half-written file (cut inside a sample) gives
# node_textfile_scrape_error 1, so the check can fail. If the textfile unit
# is in the tree, its command is run the same way and its --textfile must
# be in the directory Debian's node_exporter reads by default.
set -u
. "$TOP/tests/lib.sh"
NE=$(command -v prometheus-node-exporter || command -v node_exporter) ||
	skip "prometheus-node-exporter not installed"
command -v curl >/dev/null || skip "curl not installed"
T=$(mktemp -d)
ne=
stop() { if [ -n "$ne" ]; then kill "$ne" 2>/dev/null; wait "$ne" 2>/dev/null; ne=; fi; }
trap 'stop; rm -rf "$T"' EXIT
F=$TOP/tests/fixtures/lab/pf-link-down
mkdir -p "$T/tf"
"$VFSCOPE" metrics --once --no-kmsg --sysroot "$F/host" --guest-file "$F/guest-snapshot.json" \
	--textfile "$T/tf/vfscope.prom" || fail "metrics --once --textfile rc=$?"
[ -s "$T/tf/vfscope.prom" ] || fail "no textfile written"
ls "$T/tf" | grep -v '^vfscope\.prom$' && fail "temporary file left beside the textfile"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$NE" --web.listen-address=127.0.0.1:$port --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$T/tf" > "$T/ne.log" 2>&1 & ne=$!
scrape() { # -> $T/scrape; bounded: 50 x (curl <= 2 s + 0.1 s)
	local i
	for i in $(seq 50); do
		curl -sf --max-time 2 -o "$T/scrape" "http://127.0.0.1:$port/metrics" && return 0
		kill -0 "$ne" 2>/dev/null || { cat "$T/ne.log"; fail "node_exporter exited"; }
		sleep 0.1
	done
	cat "$T/ne.log"; fail "no scrape from node_exporter on 127.0.0.1:$port"
}
scrape
grep -q '^node_textfile_scrape_error 0$' "$T/scrape" || {
	grep textfile "$T/scrape" "$T/ne.log"; fail "node_textfile_scrape_error is not 0"; }
grep -q "^node_textfile_mtime_seconds{file=\"\(${T//\//\\/}/tf/\)\?vfscope.prom\"}" "$T/scrape" ||
	fail "no node_textfile_mtime_seconds for vfscope.prom: $(grep node_textfile_mtime "$T/scrape")"
grep -q '^vfscope_findings{rule="VFS001-pf-link-hidden",severity="error"} 1$' "$T/scrape" ||
	fail "VFS001 finding not in the scrape"
python3 - "$T/tf/vfscope.prom" "$T/scrape" <<'P' || fail "textfile samples differ from the scrape"
import re, sys
LAB = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
def samples(path):
    out = {}
    for line in open(path):
        if line.startswith("#") or not line.startswith("vfscope_"):
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$", line.strip())
        out[(m.group(1), tuple(sorted(LAB.findall(m.group(2) or ""))))] = float(m.group(3))
    return out
f, s = samples(sys.argv[1]), samples(sys.argv[2])
bad = [k for k in f if k not in s or abs(s[k] - f[k]) > 1e-9 * max(1.0, abs(f[k]))]
for k in bad[:10]:
    print("missing or different:", k, f[k], s.get(k))
print(f"{len(f)} textfile samples, {len(s)} vfscope samples scraped")
sys.exit(1 if bad or not f or len(s) != len(f) else 0)
P

# The textfile unit's own command (contrib/systemd/vfscope-textfile.service,
# when the tree has it): the same acceptance for the file it writes, with
# the binary under test, the fixture as sources and the path moved to the
# test's directory. A command built from variables is not run (said).
U=$TOP/contrib/systemd/vfscope-textfile.service
if [ -f "$U" ]; then
	cmd=$(sed -n 's/^ExecStart=[-@:+!]*//p' "$U" | tail -n1)
	p=$(echo "$cmd" | grep -o -- '--textfile[= ][^ ]*' | head -n1 | sed 's/--textfile[= ]//')
	case $cmd in
	*'$'*) echo "note: $U's ExecStart uses variables, not run: $cmd" ;;
	*--textfile*)
		case $p in
		/var/lib/prometheus/node-exporter/*.prom) ;;
		*) fail "$U writes '$p', not a *.prom in /var/lib/prometheus/node-exporter (Debian's textfile directory)" ;;
		esac
		rm -f "$T/tf/"*
		set -- $cmd
		shift
		args=()
		for a in "$@"; do args+=("${a//$p/$T/tf/vfscope.prom}"); done
		timeout 30 "$VFSCOPE" "${args[@]}" --no-kmsg --sysroot "$F/host" --guest-file "$F/guest-snapshot.json" ||
			fail "the unit's command ($cmd) rc=$?"
		[ -s "$T/tf/vfscope.prom" ] || fail "the unit's command wrote no $T/tf/vfscope.prom"
		scrape
		grep -q '^node_textfile_scrape_error 0$' "$T/scrape" || fail "the unit's textfile: node_textfile_scrape_error is not 0"
		grep -q '^vfscope_findings{rule="VFS001-pf-link-hidden",severity="error"} 1$' "$T/scrape" ||
			fail "the unit's textfile: VFS001 not in the scrape"
		echo "the unit's command was accepted: $cmd"
		;;
	*) fail "$U's ExecStart has no --textfile: $cmd" ;;
	esac
fi

# a broken textfile is refused: the assertions above can fail
# (what a reader would see of a file written in place, without the rename)
"$VFSCOPE" metrics --once --no-kmsg --sysroot "$F/host" --textfile "$T/tf/vfscope.prom" || fail "rewrite rc=$?"
head -c 300 "$T/tf/vfscope.prom" > "$T/half"
cp "$T/half" "$T/tf/vfscope.prom"
tail -n1 "$T/tf/vfscope.prom" | grep -q '}' && fail "the cut did not fall inside a sample"
scrape
grep -q '^node_textfile_scrape_error 1$' "$T/scrape" || fail "a half-written textfile was accepted"
stop
echo ok
