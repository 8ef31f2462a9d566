#!/bin/bash
# The Debian package as an operator gets it: `dpkg-buildpackage -us -uc -b`
# on a copy of the git-tracked files builds vfscope_<VERSION>_amd64.deb and
# its -dbgsym; lintian has no error and no warning that debian/
# vfscope.lintian-overrides does not override; `dpkg -i` installs it on this
# machine; the installed /usr/sbin/vfscope runs --version, demo --once (the
# sample machine from /usr/share/vfscope), snapshot, check and metrics
# --once (promtool check metrics); `dpkg -r` then `dpkg --purge` leave none
# of its files behind. The machine is left as it was found, also on failure.
set -u
. "$TOP/tests/lib.sh"
need_root
for t in dpkg-buildpackage dh lintian fakeroot promtool git flock; do
	command -v $t >/dev/null || skip "$t not installed (scripts/setup installs it)"
done
[ -d "$TOP/.git" ] || git -C "$TOP" rev-parse --git-dir >/dev/null 2>&1 || skip "not a git checkout"
# Installing over an operator's vfscope, or one dpkg does not know about,
# could not be undone.
if dpkg-query -W -f='${Status}' vfscope 2>/dev/null | grep -qv 'not-installed'; then
	skip "a vfscope package is already installed ($(dpkg-query -W -f='${Version} ${Status}' vfscope))"
fi
[ -e /usr/sbin/vfscope ] && skip "/usr/sbin/vfscope exists and is not from a package"
[ -e /usr/share/vfscope ] && skip "/usr/share/vfscope exists and is not from a package"
[ -e /etc/default/vfscope ] && skip "/etc/default/vfscope exists and is not from a package"

VERSION=$(cat "$TOP/VERSION")
ARCH=$(dpkg --print-architecture)
T=$(mktemp -d /tmp/vfscope-deb.XXXXXX)
installed=0
cleanup() {
	if [ $installed = 1 ]; then
		dpkg --purge vfscope >>"$T/cleanup.log" 2>&1 || cat "$T/cleanup.log" >&2
	fi
	rm -rf "$T"
	cleanup_ns
}
trap cleanup EXIT
trap "exit 130" INT TERM HUP
# One package test at a time on this machine (dpkg -i/-r are global).
exec 9>/run/lock/vfscope-deb-package.lock
flock -w 300 9 || fail "another deb_package test holds /run/lock/vfscope-deb-package.lock"

# A copy of the tracked files as they are in the work tree (a tracked file
# deleted in the tree is left out); nothing is written into the checkout.
mkdir "$T/src"
(cd "$TOP" && git ls-files -z | tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$T/src" ||
	fail "copying the tracked files"
[ -f "$T/src/debian/control" ] || fail "debian/control is not tracked"

# The build sees none of the test run's make settings: a SAN=1, O= or BIN=
# (or a parent make's MAKEFLAGS) would change what the package contains.
t0=$SECONDS
(cd "$T/src" && env -u SAN -u O -u BIN -u VFSCOPE -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
	-u CFLAGS -u LDFLAGS -u CPPFLAGS -u CC dpkg-buildpackage -us -uc -b) >"$T/build.log" 2>&1 ||
	{ tail -n 40 "$T/build.log"; fail "dpkg-buildpackage failed"; }
echo "package build: $((SECONDS - t0))s"
DEB=$T/vfscope_${VERSION}_$ARCH.deb
DBG=$T/vfscope-dbgsym_${VERSION}_$ARCH.deb
[ -f "$DEB" ] || { ls "$T"; fail "no $(basename "$DEB") (VERSION $VERSION)"; }
[ -f "$DBG" ] || { ls "$T"; fail "no $(basename "$DBG")"; }
grep -q -- '-D_FORTIFY_SOURCE=2' "$T/build.log" || fail "the build did not use dpkg-buildflags' CPPFLAGS"
grep -q 'scripts/setup' "$T/build.log" && fail "the package build ran scripts/setup"
grep -q 'tests/run' "$T/build.log" && fail "the package build ran the test suite"

# lintian: E: fails, so does a W: the overrides file does not cover.
lintian --info --display-info "$T"/vfscope_${VERSION}_${ARCH}.changes >"$T/lintian.log" 2>&1
grep -v '^N:' "$T/lintian.log" | grep -v 'running with root privileges' | sed 's/^/lintian: /'
if grep -q '^[EW]: ' "$T/lintian.log"; then
	grep '^[EW]: ' "$T/lintian.log"
	fail "lintian reports errors or warnings"
fi
grep -q '^vfscope: ' "$T/src/debian/vfscope.lintian-overrides" || fail "overrides file not in the copy"

# What the package holds.
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|' >"$T/contents"
for f in /usr/sbin/vfscope /usr/share/man/man8/vfscope.8.gz /usr/share/doc/vfscope/copyright \
	/usr/share/doc/vfscope/README.md.gz /usr/share/vfscope/pf-link-down/host/ /usr/share/vfscope/pf-link-down/guest/; do
	grep -qxF "$f" "$T/contents" || fail "package lacks $f"
done
# The operators' files the tree has are in the package, each where it belongs.
want() { # tree-file installed-path
	[ -f "$T/src/$1" ] || return 0
	grep -qxF "$2" "$T/contents" || fail "package lacks $2 (from $1)"
}
for u in "$T"/src/contrib/systemd/*.service "$T"/src/contrib/systemd/*.timer "$T"/src/contrib/systemd/*.socket; do
	[ -f "$u" ] && want "contrib/systemd/$(basename "$u")" "/lib/systemd/system/$(basename "$u")"
done
want contrib/default/vfscope /etc/default/vfscope
want contrib/bash-completion/vfscope /usr/share/bash-completion/completions/vfscope
want contrib/prometheus/vfscope-rules.yml /usr/share/vfscope/prometheus/vfscope-rules.yml
for g in "$T"/src/contrib/grafana/*.json; do
	[ -f "$g" ] && want "contrib/grafana/$(basename "$g")" "/usr/share/vfscope/grafana/$(basename "$g")"
done
for j in "$T"/src/docs/schema/*.json; do
	[ -f "$j" ] && want "docs/schema/$(basename "$j")" "/usr/share/vfscope/schema/$(basename "$j")"
done
for k in "$T"/src/contrib/kubernetes/*.yaml; do
	[ -f "$k" ] && want "contrib/kubernetes/$(basename "$k")" "/usr/share/doc/vfscope/examples/kubernetes/$(basename "$k")"
done
dpkg-deb -I "$DEB" >"$T/info"
grep -q '^ Depends: .*libbpf' "$T/info" || { cat "$T/info"; fail "Depends not computed from the shared libraries"; }
# and the libraries vfscope loads on first use (dlopen), with the versions their shlibs say
for p in libbpf1 libncursesw6 libpcap0.8 libmicrohttpd12 libarchive13 libcrypt1; do
	grep -q "^ Depends: .*$p (>= " "$T/info" || { cat "$T/info"; fail "Depends lacks $p (a library loaded on demand)"; }
done

# Install. Units are neither enabled nor started by the maintainer scripts.
wants_before=$(ls -d /etc/systemd/system/*.wants/vfscope* 2>/dev/null)
state() { find /etc/systemd /var/lib/systemd /var/lib/dpkg/info -name '*vfscope*' 2>/dev/null | sort; }
state_before=$(state)
installed=1
dpkg -i "$DEB" >"$T/dpkg-i.log" 2>&1 || { cat "$T/dpkg-i.log"; fail "dpkg -i"; }
[ "$(dpkg-query -W -f='${Version}' vfscope)" = "$VERSION" ] || fail "installed version is not $VERSION"
[ "$(ls -d /etc/systemd/system/*.wants/vfscope* 2>/dev/null)" = "$wants_before" ] || fail "installing enabled a unit"
dpkg -L vfscope >"$T/files"

# Run it as a user would, from a directory with no source tree around.
cd /
V=/usr/sbin/vfscope
$V --version >"$T/version" 2>&1 || fail "vfscope --version rc=$?"
head -n1 "$T/version" | grep -qF "$VERSION" || { cat "$T/version"; fail "--version does not say $VERSION"; }
env -u VFSCOPE_DATADIR $V demo --once </dev/null >"$T/demo" 2>&1 || { cat "$T/demo"; fail "demo --once rc=$?"; }
grep -qxF "vfscope demo: /usr/share/vfscope/pf-link-down" "$T/demo" || { head "$T/demo"; fail "demo did not use /usr/share/vfscope"; }
grep -q '^host vm-lab ' "$T/demo" || fail "demo does not show the sample host"
grep -q '^team bond0 (bonding) mode active-backup' "$T/demo" || fail "demo does not show the guest's team"
grep -q '^PF 0000:01:00.0 .*carrier down' "$T/demo" || fail "demo does not show the PF whose link is down"
grep -q '^[0-9][0-9]* findings$' "$T/demo" || fail "demo printed no findings line"
$V snapshot >"$T/snap" 2>"$T/snap.err" || { cat "$T/snap.err"; fail "snapshot rc=$?"; }
grep -q "^host $(hostname) " "$T/snap" || { head -3 "$T/snap"; fail "snapshot does not name this host"; }
$V snapshot --json >"$T/snap.json" 2>>"$T/snap.err" || fail "snapshot --json rc=$?"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["role"] == "host", d.get("role")' "$T/snap.json" ||
	fail "snapshot --json is not a host document"
$V check >"$T/check" 2>&1
rc=$?
[ $rc = 0 ] || [ $rc = 1 ] || { cat "$T/check"; fail "check rc=$rc (0 or 1 expected)"; }
$V metrics --once >"$T/m.prom" 2>"$T/m.err" || { cat "$T/m.err"; fail "metrics --once rc=$?"; }
promtool check metrics <"$T/m.prom" >"$T/lint" 2>&1 || { cat "$T/lint"; fail "promtool check metrics"; }
grep -q "^vfscope_build_info{.*version=\"$VERSION\"" "$T/m.prom" || fail "build_info does not carry $VERSION"
# The installed operators' files work where they were put: systemd accepts
# the units (ExecStart names the installed binary), bash-completion's loader
# finds the completion.
units=$(grep -E '^/lib/systemd/system/[^/]+\.(service|timer|socket)$' "$T/files")
if [ -n "$units" ] && command -v systemd-analyze >/dev/null; then
	systemd-analyze verify $units >"$T/verify" 2>&1 || { cat "$T/verify"; fail "systemd-analyze verify on the installed units"; }
fi
if [ -f /usr/share/bash-completion/completions/vfscope ] && [ -f /usr/share/bash-completion/bash_completion ]; then
	bash -c '. /usr/share/bash-completion/bash_completion; _completion_loader vfscope; complete -p vfscope' \
		>"$T/compl" 2>&1 || { cat "$T/compl"; fail "bash-completion does not load the installed completion"; }
fi
cd "$TOP"

# Remove, then purge: none of the package's files is left.
dpkg -r vfscope >"$T/dpkg-r.log" 2>&1 || { cat "$T/dpkg-r.log"; fail "dpkg -r"; }
[ -e /usr/sbin/vfscope ] && fail "/usr/sbin/vfscope left after dpkg -r"
dpkg --purge vfscope >>"$T/dpkg-r.log" 2>&1 || { cat "$T/dpkg-r.log"; fail "dpkg --purge"; }
installed=0
dpkg-query -W -f='${Status}' vfscope 2>/dev/null | grep -q 'not-installed' ||
	[ -z "$(dpkg-query -W -f='${Status}' vfscope 2>/dev/null)" ] || fail "dpkg still knows vfscope after purge"
left=0
while read -r f; do
	[ -d "$f" ] && continue
	if [ -e "$f" ] || [ -L "$f" ]; then echo "left: $f"; left=1; fi
done <"$T/files"
[ $left = 0 ] || fail "files left after purge"
[ -e /usr/share/vfscope ] && fail "/usr/share/vfscope left after purge"
[ -e /etc/default/vfscope ] && fail "/etc/default/vfscope left after purge"
[ "$(state)" = "$state_before" ] || { diff <(echo "$state_before") <(state); fail "systemd or dpkg state left after purge"; }
echo "ok: built, linted, installed, ran and removed vfscope $VERSION in $SECONDS s"
