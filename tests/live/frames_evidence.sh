#!/bin/bash
# Real lab frames as rule evidence (no root: fixtures and committed captures).
#  - LACPDUs the bonding driver sent (lab 'lacp' scenario) put on a member
#    of the lab's active-backup team (healthy, read from its guest sysroot)
#    make VFS006 fire as a warning with "LACP frames seen on member VFs"
#    (source capture); without them it does not fire.
#  - The failover scenario's gratuitous ARPs and unsolicited NAs from the
#    team's MAC, seen on PF0 (pf-link-down fixture, where PF0's link is down
#    under the active member) are "failover frames seen" on VFS001, with
#    interface and time; frames from another MAC are not.
set -u
. "$TOP/tests/lib.sh"
C=$TOP/tests/decoders/captures L=$TOP/tests/fixtures/lab
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$VFSCOPE" check --json --sysroot "$L/healthy/guest" > "$T/0.json"
json_get "$T/0.json" "[x['id'] for x in d['findings']]" | grep -q VFS006 && fail "VFS006 without frames"
"$VFSCOPE" check --json --sysroot "$L/healthy/guest" --pcap "eth2=$C/lacp-8023ad-igbvf.pcap" > "$T/1.json"
python3 - "$T/1.json" <<'P' || fail "VFS006 LACP evidence"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d['findings'] if x['id'] == 'VFS006-switch-dependent-mode']
assert len(f) == 1 and f[0]['severity'] == 'warning', d['findings']
ev = {e['what']: (e['value'], e['source']) for e in f[0]['evidence']}
assert ev['LACP frames seen on member VFs'] == ('205', 'capture'), ev
assert ev['team mode'][0] == 'active-backup', ev
P
P0=$L/pf-link-down
"$VFSCOPE" check --json --sysroot "$P0/host" --guest-file "$P0/guest-snapshot.json" --pcap "eth0=$C/failover-garp-na.pcap" > "$T/2.json"
python3 - "$T/2.json" <<'P' || fail "VFS001 failover evidence"
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d['findings'] if x['id'] == 'VFS001-pf-link-hidden']
assert len(f) == 1, d['findings']
fo = [e for e in f[0]['evidence'] if e['what'] == 'failover frames seen']
assert all(e['source'] == 'capture' for e in fo), fo
v = [e['value'] for e in fo]
assert v[0] == 'GARP for 192.0.2.10 from 02:00:00:00:00:a0 (request) on eth0 at 2026-11-25T08:27:25.087Z', v
assert any(x.startswith('NA for 2001:db8::10 from 02:00:00:00:00:a0 (unsolicited, override) on eth0 at ') for x in v), v
assert v[-1] == '6 more', v
P
# GARPs on PF0's wire from a MAC that is neither the team's nor a member's
# (arping from 02:00:00:00:d2:0a) are not this team's failover frames.
"$VFSCOPE" check --json --sysroot "$P0/host" --guest-file "$P0/guest-snapshot.json" --pcap "eth0=$C/garp-arping.pcap" > "$T/3.json"
json_get "$T/3.json" "[e['value'] for x in d['findings'] if x['id'].startswith('VFS001') for e in x['evidence'] if e['what']=='failover frames seen']" \
	| grep -qF "['none from bond0 in the frames read (pcap)']" || fail "unrelated GARP counted: $(cat "$T/3.json")"
# The frames may have been read in the guest (its snapshot --capture): its
# capture source makes "none" a finding; a skipped capture does not.
ev="[e['value'] for x in d['findings'] if x['id'].startswith('VFS001') for e in x['evidence'] if e['what']=='failover frames seen']"
for st in ok skipped; do
	python3 - "$P0/guest-snapshot.json" "$T/g-$st.json" $st <<'P'
import json, sys
d = json.load(open(sys.argv[1]))
d["sources"].append({"name": "capture", "status": sys.argv[3], "detail": "bond0,eth0,eth1 for 6 s"})
json.dump(d, open(sys.argv[2], "w"))
P
	"$VFSCOPE" check --json --sysroot "$P0/host" --guest-file "$T/g-$st.json" > "$T/4-$st.json"
done
json_get "$T/4-ok.json" "$ev" | grep -qF "['none from bond0 in the frames read (capture)']" ||
	fail "guest capture without failover frames not said: $(json_get "$T/4-ok.json" "$ev")"
[ "$(json_get "$T/4-skipped.json" "$ev")" = "[]" ] || fail "a skipped capture counted as frames read"
echo ok
