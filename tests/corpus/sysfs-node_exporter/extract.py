#!/usr/bin/env python3
"""Unpack the parts of a ttar text archive (prometheus' fixture format) that
vfscope reads into a sysroot: sys/class/net, sys/bus/pci/devices, the
sys/devices trees they link into, proc/net/bonding and the hostname/kernel
files. Files, directories and symlinks come out as the archive says
(contents byte-exact, modes as recorded); nothing else is written.

  extract.py ARCHIVE.ttar PREFIX DEST
PREFIX is the archive's leading path ("" for node_exporter's sys.ttar,
"fixtures/" for procfs' testdata/fixtures.ttar). See SOURCES."""
import os, sys

import re
KEEP = ('sys/class/net', 'sys/bus/pci/devices', 'proc/net/bonding',
        'proc/sys/kernel/hostname', 'proc/sys/kernel/osrelease', 'proc/version')
PCI = re.compile(r'^(pci[0-9a-f]{4}:[0-9a-f]{2}|[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7])$')

def devices_wanted(parts):
    """Under sys/devices: the PCI function directories and what is directly
    in them, and each function's net/<ifname>/ with its bonding/ and
    bonding_slave/ (not queues/, statistics/, power/, nvme/, ata*, ...)."""
    i = 0
    while i < len(parts) and PCI.match(parts[i]):
        i += 1
    rest = parts[i:]
    if i == 0:
        return False
    if len(rest) <= 1:
        return True
    if rest[0] != 'net':
        return False
    return len(rest) <= 3 or (len(rest) == 4 and rest[2] in ('bonding', 'bonding_slave'))

def wanted(p):
    parts = p.split('/')
    if parts[:2] == ['sys', 'devices']:
        return devices_wanted(parts[2:])
    return any(p == k or p.startswith(k + '/') for k in KEEP)

def main(archive, prefix, dest):
    with open(archive, 'rb') as f:
        lines = f.read().split(b'\n')
    i, n = 0, 0
    def field(line, name):
        t = name.encode() + b': '
        return line[len(t):].decode() if line.startswith(t) else None
    while i < len(lines):
        l = lines[i]
        d, p = field(l, 'Directory'), field(l, 'Path')
        if d is not None:
            i += 1
            mode = field(lines[i], 'Mode') if i < len(lines) else None
            rel = d[len(prefix):] if d.startswith(prefix) else None
            if rel and wanted(rel):
                os.makedirs(os.path.join(dest, rel), exist_ok=True)
                if mode:
                    os.chmod(os.path.join(dest, rel), int(mode, 8))
            continue
        if p is None:
            i += 1
            continue
        rel = p[len(prefix):] if p.startswith(prefix) else None
        i += 1
        link = field(lines[i], 'SymlinkTo')
        if link is not None:
            i += 1
            if rel and wanted(rel):
                t = os.path.join(dest, rel)
                os.makedirs(os.path.dirname(t), exist_ok=True)
                if os.path.lexists(t):
                    os.unlink(t)
                os.symlink(link, t)
                n += 1
            continue
        cnt = field(lines[i], 'Lines')
        if cnt is None:
            raise SystemExit(f'{archive}: no Lines/SymlinkTo after Path: {p}')
        cnt = int(cnt)
        body = lines[i + 1:i + 1 + cnt]
        i += 1 + cnt
        mode = field(lines[i], 'Mode') if i < len(lines) else None
        if rel and wanted(rel):
            t = os.path.join(dest, rel)
            os.makedirs(os.path.dirname(t), exist_ok=True)
            with open(t, 'wb') as o:
                o.write(b''.join(x + b'\n' for x in body))
            if mode:
                os.chmod(t, int(mode, 8))
            n += 1
    print(f'{dest}: {n} files and links')

if __name__ == '__main__':
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
