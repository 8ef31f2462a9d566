#!/bin/bash
# Libraries loaded on first use (lib/lazy.h) stay out of the commands that
# do not call them: snapshot, check, --version, pci and metrics --once map
# none of libbpf (and its libelf), ncursesw (and its libtinfo), libpcap,
# libmicrohttpd, libarchive or libcrypt; decode maps libpcap only. The
# dynamic linker's own account (LD_DEBUG=libs: a "calling init" line for
# each object it initialises, dlopen'ed or not) says what was mapped.
# trace --list-probes and --version --all must show libbpf and ncursesw,
# so the check itself is seen to work.
set -u
. "$TOP/tests/lib.sh"
LAZY='libbpf|libelf|libncursesw|libtinfo|libpcap|libmicrohttpd|libarchive|libcrypt'
pcap=$TOP/tests/corpus/pcap/lldp-app-priority.pcap
[ -f "$pcap" ] || skip "no $pcap"
inits() { # cmd... -> the lazy libraries it initialised, one a line
	LD_DEBUG=libs "$VFSCOPE" "$@" 2>&1 >/dev/null | sed -n 's/.*calling init: .*\/\([^/]*\)\.so.*/\1/p' |
		grep -E "^($LAZY)$" | sort -u
}
expect() { # "allowed libs" cmd...
	local allowed=$1 got l
	shift
	got=$(inits "$@")
	for l in $got; do
		case " $allowed " in *" $l "*) ;; *) fail "'vfscope $*' mapped $l (loaded on demand: it must not)";; esac
	done
}
expect "" snapshot --json
expect "" snapshot --json --no-netlink --no-kmsg
expect "" check
expect "" --version
expect "" pci
expect "" metrics --once
expect "libpcap" decode "$pcap"
# the other side: these do load them, and LD_DEBUG shows it
got=$(inits trace --list-probes)
echo "$got" | grep -qx libbpf || fail "trace --list-probes: no libbpf init seen (got: $got)"
echo "$got" | grep -qx libelf || fail "trace --list-probes: no libelf init seen (got: $got)"
got=$(inits --version --all)
for l in libbpf libncursesw libtinfo libpcap libmicrohttpd libarchive libcrypt; do
	echo "$got" | grep -qx $l || fail "--version --all: no $l init seen (got: $got)"
done
echo ok
