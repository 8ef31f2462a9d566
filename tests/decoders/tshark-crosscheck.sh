#!/bin/bash
# Cross-check vfscope decode --json against tshark on every capture in
# tests/decoders/captures/ and tcpdump's captures in tests/corpus/pcap/: per
# frame, the fields both decode (LLDP chassis MAC, port ID, TTL, system
# name; ARP sender IP/MAC and gratuitous; NA target, flags, target
# link-layer address; LACP actor/partner priority, system, key, port and
# state; 802.3 length, LLC DSAP/SSAP/control, SNAP OUI and Cisco PID, BPDU
# version and type) must agree. Frames tshark marks as another protocol are
# skipped, and so are frames tshark itself calls malformed (its values there
# are partial) and, for ARP, frames that are not Ethernet/IPv4 ARP (tshark
# reads other address lengths, vfscope stops: both say what they are).
# Wireshark decodes Cisco ISL (to 01:00:0c:00:00:0x) as the frame it
# encapsulates and reports that frame's LLC: frames with a nested Ethernet
# header are skipped for llc (tcpdump and vfscope read the outer header).
# Frames cut by the capture's snaplen are skipped (tshark leaves the cut
# protocol's fields out).
set -u
cd "$(dirname "$0")"
V=${VFSCOPE:-../../vfscope}
command -v tshark >/dev/null || { echo "tshark not installed"; exit 77; }
command -v python3 >/dev/null || { echo "python3 not installed"; exit 77; }
[ -x "$V" ] || { echo "no vfscope binary at $V"; exit 77; }
exec python3 - "$V" captures/*.pcap ../corpus/pcap/*.pcap <<'PY'
import json, subprocess, sys
V, caps = sys.argv[1], sys.argv[2:]
F = {
 'lldp': ['lldp.chassis.id.mac', 'lldp.port.id.mac', 'lldp.time_to_live', 'lldp.tlv.system.name'],
 'arp': ['arp.src.proto_ipv4', 'arp.src.hw_mac', 'arp.isgratuitous'],
 'na': ['icmpv6.nd.na.target_address', 'icmpv6.nd.na.flag.r', 'icmpv6.nd.na.flag.s',
        'icmpv6.nd.na.flag.o', 'icmpv6.opt.linkaddr'],
 'lacp': ['lacp.actor.sys_priority', 'lacp.actor.sysid', 'lacp.actor.key', 'lacp.actor.port',
          'lacp.actor.state', 'lacp.partner.sys_priority', 'lacp.partner.sysid', 'lacp.partner.key',
          'lacp.partner.state'],
 'llc': ['eth.len', 'vlan.len', 'llc.dsap', 'llc.ssap', 'llc.control', 'llc.oui', 'llc.cisco_pid',
         'stp.version', 'stp.type'],
}
# extra columns asked of tshark after the compared ones: malformed mark, the
# protocol stack, the destination (ISL), the ARP lengths
EXTRA = ['_ws.malformed', 'frame.protocols', 'arp.hw.type', 'arp.proto.type', 'arp.hw.size', 'arp.proto.size']
def b(x): return '1' if x in (True, 'True', '1') else '0'
def ours(kind, j):
    if kind == 'lldp':
        l = j.get('lldp', {})
        ch = l.get('chassis', {}); po = l.get('port', {})
        return [ch.get('id', '') if ch.get('subtype') == 'mac' else '',
                po.get('id', '') if po.get('subtype') == 'mac' else '',
                str(l.get('ttl', '')), l.get('system_name', '')]
    if kind == 'arp':
        a = j.get('arp', {})
        return [a.get('sender_ip', ''), a.get('sender_mac', ''), b(a.get('gratuitous'))]
    if kind == 'na':
        n = j.get('na', {})
        return [n.get('target', ''), b(n.get('router')), b(n.get('solicited')), b(n.get('override')),
                n.get('target_lladdr', '')]
    if kind == 'llc':
        l = j.get('llc', {}); sn = l.get('snap', {}); bp = l.get('bpdu', {})
        length = str(l.get('length', ''))
        tagged = 'vlan' in j
        return ['' if tagged else length, length if tagged else '', str(l.get('dsap', '')), str(l.get('ssap', '')),
                str(l.get('control', '')), str(int(sn['oui'].replace(':', ''), 16)) if sn else '',
                str(sn.get('pid', '')) if sn and sn.get('oui') == '00:00:0c' else '',
                str(bp.get('version', '')), str(bp.get('type', ''))]
    a = j.get('lacp', {}); ac = a.get('actor', {}); pa = a.get('partner', {})
    return [str(ac.get('system_priority', '')), ac.get('system', ''), str(ac.get('key', '')),
            str(ac.get('port', '')), str(ac.get('state', '')), str(pa.get('system_priority', '')),
            pa.get('system', ''), str(pa.get('key', '')), str(pa.get('state', ''))]
bad = compared = skipped = 0
per = {k: 0 for k in F}
for cap in caps:
    js = [json.loads(l) for l in subprocess.run([V, 'decode', '--json', '--pcap', cap], capture_output=True,
                                                 text=True, check=True).stdout.splitlines()]
    # One tshark run per capture with every field (tshark's start-up is
    # most of its time); which kinds a frame is comes from its protocols.
    allf = [f for fs in F.values() for f in fs] + ['icmpv6.type'] + EXTRA
    args = ['tshark', '-n', '-r', cap, '-Y', 'lldp or arp or icmpv6.type == 136 or lacp or llc', '-T', 'fields',
            '-E', 'separator=\t', '-E', 'occurrence=f', '-e', 'frame.number'] + sum([['-e', f] for f in allf], [])
    out = subprocess.run(args, capture_output=True, text=True).stdout
    for line in out.splitlines():
        v = line.split('\t')
        num, row = int(v[0]), dict(zip(allf, v[1:]))
        protos = row['frame.protocols'].split(':')
        for kind, fields in F.items():
            if not (row['icmpv6.type'] == '136' if kind == 'na' else kind in protos):
                continue
            theirs = [row[f] for f in fields]
            ht, pt, hs, ps = (row[f] for f in ('arp.hw.type', 'arp.proto.type', 'arp.hw.size', 'arp.proto.size'))
            if row['_ws.malformed'] or (kind == 'llc' and protos.count('eth') > 1) or \
               (kind == 'arp' and (ht, pt, hs, ps) != ('1', '0x0800', '6', '4')):
                skipped += 1
                continue
            # tshark prints booleans as True/False or 1/0, states as hex
            theirs = [('1' if t in ('True', '1') else '0') if f.split('.')[-1] in ('r', 's', 'o', 'isgratuitous')
                      else str(int(t, 16)) if t.startswith('0x') else t for f, t in zip(fields, theirs)]
            j = js[num - 1]
            if j.get('snaplen_cut'):
                # cut by the capture's snaplen: tshark leaves out what it
                # cannot read whole, vfscope gives the fields it could
                skipped += 1
                continue
            mine = ours(kind, j)
            compared += 1
            per[kind] += 1
            if j.get('kind') not in (kind, 'marker') or j.get('malformed') or mine != theirs:
                bad += 1
                print(f'MISMATCH {cap} frame {num} {kind}:\n  tshark  {theirs}\n  vfscope {mine} ({j.get("kind")})')
    print(f'{cap}: {len(js)} frames')
print(f'{compared} frames compared, {bad} mismatches, {skipped} skipped (malformed for tshark, cut by snaplen, ISL, not Ethernet/IPv4 ARP)')
print('compared per kind: ' + ', '.join(f'{k} {n}' for k, n in per.items()))
# every kind must have been compared somewhere, or the check proves nothing for it
sys.exit(1 if bad or not all(per.values()) else 0)
PY
