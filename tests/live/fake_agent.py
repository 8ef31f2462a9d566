#!/usr/bin/env python3
"""A hostile 'vfscope agent' for tests: python3 fake_agent.py MODE PORTFILE.
Binds 127.0.0.1 on a free port, writes the port to PORTFILE, answers every
connection according to MODE, forever (threaded: a stalled answer does not
block the next connection)."""
import json, socket, sys, threading, time

mode, portfile = sys.argv[1], sys.argv[2]

def doc(**over):
    d = {"schema": 1, "role": "guest", "hostname": "liar", "time_ns": 0, "sources": [], "warnings": [],
         "pfs": [], "netdevs": [], "teams": []}
    d.update(over)
    return json.dumps(d).encode()

def body():
    if mode == "oversized":
        return b" " * (9 << 20) + b"{}"
    if mode == "malformed":
        return b'{"schema": 1, "role": "guest", "netdevs": [ {"name": "eth0", '
    if mode == "deep":
        return b"[" * 200000 + b"]" * 200000
    if mode == "deep-small":  # under the object bound, over jansson's depth
        return b"[" * 5000 + b"]" * 5000
    if mode == "members-70":
        ms = ",".join(['{"name":"m%d"}' % i for i in range(70)])
        return ('{"schema":1,"role":"guest","teams":[{"name":"bond0","members":[%s]}]}' % ms).encode()
    if mode == "deep-valid":  # 40 levels inside an accepted field
        inner = "1"
        for _ in range(40):
            inner = '{"a": %s}' % inner
        return ('{"schema": 1, "role": "guest", "netdevs": [], "warnings": [], "x": %s}' % inner).encode()
    if mode == "many-members":
        ms = ",".join(['{"name":"m"}'] * 600000)
        return ('{"schema":1,"role":"guest","teams":[{"name":"bond0","members":[%s]}]}' % ms).encode()
    if mode == "lying":
        return doc(role="host",
                   netdevs=[{"name": "eth0\u001b]0;pwned\u0007\u001b[2J", "ifindex": -5, "mtu": 2**62,
                             "mac": "zz:zz", "perm_mac": "52:54:00:00:00:0a"}],
                   pfs=[{"pci": "0000:01:00.0", "vfs": [{"index": 7, "pci": "x"}]}],
                   teams=[{"name": "bond0", "mode": "802.3ad", "miimon": -1,
                           "members": [{"name": "eth0", "perm_mac": "52:54:00:00:00:0a",
                                        "backing": {"pf": -5, "vf": 99999}}]}],
                   guests=[{"schema": 1, "role": "guest", "hostname": "inner"}],
                   kmsg=[{"ts_us": -1, "prio": 99, "text": "\u001b[31mred"}] )
    if mode == "negative-index":
        return doc(pfs=[{"pci": "0000:01:00.0", "vfs": [{"index": -1}]}])
    if mode == "wrong-types":
        return doc(netdevs=[{"name": 5}])
    if mode == "maxsize":  # well-formed, padded to just under the host's 8 MiB cap
        d = doc(hostname="big")
        return d[:-1] + b" " * ((8 << 20) - len(d) - 2) + b"}"
    if mode == "err":
        return b"ERR go away\n"
    if mode == "empty":
        return b""
    return b"{}"

BODY = body()  # built before listening: the clock measures the host, not us

def handle(c):
    try:
        c.settimeout(30)
        if mode == "silent":           # never answers, keeps the connection
            time.sleep(30)
            return
        c.recv(256)
        if mode == "slow":              # one byte every 0.5 s, forever
            for b in doc():
                c.sendall(bytes([b]))
                time.sleep(0.5)
            return
        if mode == "endless":           # streams forever, never closes
            while True:
                c.sendall(b" " * 65536)
        c.sendall(BODY)
    except OSError:
        pass
    finally:
        c.close()

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(portfile, "w") as f:
    f.write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept()
    threading.Thread(target=handle, args=(c,), daemon=True).start()
