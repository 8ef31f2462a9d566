#!/bin/bash
# vfscope --version: its own version and the version of each library as
# this binary runs it, checked against the Debian package that owns the
# .so the dynamic linker really loads for it (ldd), so a stale or wrong
# line fails.
set -u
. "$TOP/tests/lib.sh"
command -v ldd >/dev/null || skip "no ldd"
command -v dpkg-query >/dev/null || skip "no dpkg-query"
d=$(mktemp -d); trap 'rm -rf $d' EXIT
"$VFSCOPE" --version > "$d/v" || fail "--version exit $?"
[ "$(head -1 "$d/v")" = "vfscope $(cat "$TOP/VERSION")" ] || fail "first line: $(head -1 "$d/v")"
"$VFSCOPE" version | cmp -s - "$d/v" || fail "'vfscope version' differs from --version"
ldd "$VFSCOPE" > "$d/ldd" || fail "ldd"
# libbpf, ncursesw, libpcap, libmicrohttpd, libarchive and libcrypt are
# loaded on first use (lib/lazy.h): plain --version names them without
# loading them (ldd must not list them, nor libbpf's libelf or ncursesw's
# libtinfo); --version --all loads each, prints its version and "SONAME =>
# PATH", the file the dynamic linker found, which stands in for ldd's line
# below.
for l in libbpf libncursesw libpcap libmicrohttpd libarchive libcrypt; do
	grep -q "^$l: $l\.so\.[0-9.]*, loaded on demand" "$d/v" || fail "no '$l: ... loaded on demand' line in: $(cat "$d/v")"
	! grep -q "^[[:space:]]*$l\.so" "$d/ldd" || fail "$l is linked (ldd lists it); it must be loaded on demand"
done
for l in libelf libtinfo; do
	! grep -q "^[[:space:]]*$l\.so" "$d/ldd" || fail "$l is linked (ldd lists it); it comes with a library loaded on demand"
done
"$VFSCOPE" --version --all > "$d/va" || fail "--version --all exit $?"
cmp -s <(head -3 "$d/va") <(head -3 "$d/v") || fail "--version --all does not start as --version"
awk '$2 == "=>" { print "\t" $1 " => " $3 " (dl)" }' "$d/va" >> "$d/ldd"
cp "$d/va" "$d/v"
# pkgver SONAME-PREFIX: the upstream version (no epoch, no Debian revision)
# of the package that owns the library ldd resolved.
pkgver() {
	local so pkg
	so=$(awk -v p="$1" 'index($1, p) == 1 && $3 ~ /^\// { print $3; exit }' "$d/ldd")
	[ -n "$so" ] || fail "ldd shows no $1"
	so=$(readlink -f "$so")
	pkg=$(dpkg-query -S "$so" 2>/dev/null | head -1 | cut -d: -f1)
	if [ -z "$pkg" ]; then  # usrmerge: dpkg knows it under /lib
		pkg=$(dpkg-query -S "${so#/usr}" 2>/dev/null | head -1 | cut -d: -f1)
	fi
	[ -n "$pkg" ] || fail "no package owns $so"
	dpkg-query -W -f '${Version}' "$pkg" | sed 's/^[0-9]*://; s/-[^-]*$//; s/+.*//'
}
line() { grep -m1 "^$1 " "$d/v" || fail "no '$1' line in: $(cat "$d/v")"; }
v=$(pkgver libbpf.so); l=$(line libbpf)
# libbpf_version_string() says vMAJOR.MINOR
case "$v" in "${l#libbpf v}".*|"${l#libbpf v}") ;; *) fail "'$l' but libbpf package $v" ;; esac
v=$(pkgver libpcap.so); l=$(line libpcap)
case "$l" in "libpcap version $v"*) ;; *) fail "'$l' but libpcap package $v" ;; esac
v=$(pkgver libpci.so); l=$(line libpci)
case "$l" in "libpci $v "*) ;; *) fail "'$l' but libpci package $v" ;; esac
v=$(pkgver libjansson.so); l=$(line jansson)
[ "$l" = "jansson $v" ] || fail "'$l' but jansson package $v"
v=$(pkgver libncursesw.so); l=$(line ncurses)
case "$l" in "ncurses $v".*) ;; *) fail "'$l' but ncurses package $v" ;; esac
v=$(pkgver libmicrohttpd.so); l=$(line libmicrohttpd)
[ "$l" = "libmicrohttpd $v" ] || fail "'$l' but libmicrohttpd package $v"
v=$(pkgver libarchive.so); l=$(line libarchive)
[ "$l" = "libarchive $v" ] || fail "'$l' but libarchive package $v"
echo ok
