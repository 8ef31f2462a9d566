#!/usr/bin/env python3
"""Hostile HTTP (or agent) clients on loopback, for the load tests and
bench/load.sh. Bounded in count and time; nothing leaves loopback (127.0.0.0/8).

  http_attack.py attack PORT SECONDS [--slow N] [--hammer N] [--junk N] [--idle N]
      --slow N    N connections that trickle header bytes (one every 0.5 s,
                  never finishing the request); reconnect when dropped
      --hammer N  N threads that GET /metrics back to back
      --junk N    N threads that send oversized headers, huge or malformed
                  request lines and unsupported methods, in turn
      --idle N    N connections that connect and send nothing
      --badauth N N threads that GET /metrics with basic auth for user
                  'prom' and a new wrong password each time (each one
                  costs the exporter a bcrypt check, up to its rate)
      --src A[-B] connect from loopback address A (e.g. 127.0.0.2: an
                  attacker on another host than the scraper, which uses
                  127.0.0.1), or from A..B in turn, one per thread
                  (127.0.0.2-127.0.0.9); 127.0.0.0/8 only
  http_attack.py scrape PORT SECONDS INTERVAL [--tls CA] [--user U:P]
      one legitimate scraper: GET /metrics every INTERVAL s with a 2 s
      timeout; prints "answered N failed N p50_ms X p99_ms Y max_ms Z"
  http_attack.py agent PORT SECONDS [--slow N] [--idle N] [--junk N] [--hammer N]
      the same kinds of peers against 'vfscope agent' on TCP

Prints what it did on stderr when done. Exit 0 always for attack (it only
makes load); scrape exits 1 if any scrape failed."""
import socket, ssl, sys, threading, time, base64, ipaddress

def opts(argv):
    d, i = {}, 0
    while i < len(argv):
        d[argv[i].lstrip("-")] = argv[i + 1]
        i += 2
    return d

stop_at = 0.0
counts = {"slow_conns": 0, "hammer_ok": 0, "hammer_err": 0, "junk": 0, "idle": 0, "badauth": 0}
lock = threading.Lock()

def bump(k, n=1):
    with lock:
        counts[k] += n

srcs = [None]  # source addresses, one per thread in turn (None: the kernel's, 127.0.0.1)
local = threading.local()

def parse_src(v):
    a, _, b = v.partition("-")
    lo, hi = ipaddress.IPv4Address(a), ipaddress.IPv4Address(b or a)
    loop = ipaddress.IPv4Network("127.0.0.0/8")
    if lo not in loop or hi not in loop or hi < lo or int(hi) - int(lo) > 255:
        sys.exit("--src: loopback addresses only (127.0.0.0/8), at most 256: %s" % v)
    return [str(ipaddress.IPv4Address(i)) for i in range(int(lo), int(hi) + 1)]

def connect(port, timeout=5):
    src = getattr(local, "src", None)
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(src, 0) if src else None)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s

def slow(port, line):
    """Trickle one byte every 0.5 s; reconnect when the server drops us."""
    while time.time() < stop_at:
        try:
            s = connect(port)
            bump("slow_conns")
            # the request line, then headers that never end, a byte at a time
            data, i = line + b"X-a: b\r\n" * 1000, 0
            while time.time() < stop_at and i < len(data):
                s.sendall(data[i:i + 1])
                i += 1
                time.sleep(0.5)
            s.close()
        except OSError:
            time.sleep(0.05)

def idle(port):
    while time.time() < stop_at:
        try:
            s = connect(port)
            bump("idle")
            while time.time() < stop_at:
                s.settimeout(0.5)
                try:
                    if s.recv(1) == b"":
                        break  # dropped: reconnect
                except socket.timeout:
                    pass
            s.close()
        except OSError:
            time.sleep(0.05)

HTTP_GET = b"GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"

def hammer(port, req):
    while time.time() < stop_at:
        try:
            s = connect(port)
            s.sendall(req)
            n = 0
            while True:
                b = s.recv(65536)
                if not b:
                    break
                n += len(b)
            s.close()
            bump("hammer_ok" if n else "hammer_err")
        except OSError:
            bump("hammer_err")
            time.sleep(0.01)

def badauth(port):
    i = 0
    while time.time() < stop_at:
        i += 1
        cred = base64.b64encode(b"prom:wrong-%d-%d" % (threading.get_ident(), i)).decode()
        req = ("GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic %s\r\nConnection: close\r\n\r\n" % cred).encode()
        try:
            s = connect(port, 3)
            s.sendall(req)
            while s.recv(65536):
                pass
            s.close()
        except OSError:
            time.sleep(0.01)
        bump("badauth")

JUNK = [
    b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (256 << 10) + b"\r\n\r\n",
    b"GET /" + b"a" * (1 << 20) + b" HTTP/1.1\r\n\r\n",
    b"\x00\xff\x16\x03\x01garbage\r\n\r\n",
    b"GET\r\n\r\n",
    b"BREW /metrics HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n" + b"z" * 65536,
    b"GET /metrics HTTP/1.1\r\n" + b"X-h: v\r\n" * 20000 + b"\r\n",
    b"GET /metrics HTTP/9.9\r\n\r\n",
]
AGENT_JUNK = [b"GET snapshot v2\n", b"\x00" * 300, b"A" * 100000, b"GET snapshot v1", b"\n"]

def junk(port, items):
    i = 0
    while time.time() < stop_at:
        try:
            s = connect(port, 2)
            s.sendall(items[i % len(items)])
            s.settimeout(2)
            while s.recv(65536):
                pass
            s.close()
        except OSError:
            pass
        bump("junk")
        i += 1

def with_src(i, f):
    """f run with this thread's source address (the i-th in turn)."""
    def run(*a):
        local.src = srcs[i % len(srcs)]
        f(*a)
    return run

def run_attack(port, secs, o, agent=False):
    global stop_at, srcs
    stop_at = time.time() + secs
    if "src" in o:
        srcs = parse_src(o["src"])
    jobs = []
    line = b"GET snapshot v1\n" if agent else b"GET /metrics HTTP/1.1\r\n"
    jobs += [(slow, (port, line))] * int(o.get("slow", 0))
    jobs += [(idle, (port,))] * int(o.get("idle", 0))
    jobs += [(hammer, (port, line if agent else HTTP_GET))] * int(o.get("hammer", 0))
    jobs += [(badauth, (port,))] * int(o.get("badauth", 0))
    jobs += [(junk, (port, AGENT_JUNK if agent else JUNK))] * int(o.get("junk", 0))
    for i, (f, a) in enumerate(jobs):
        threading.Thread(target=with_src(i, f), args=a, daemon=True).start()
        time.sleep(0.002)
    while time.time() < stop_at:
        time.sleep(0.2)
    print("attack: " + " ".join("%s=%d" % kv for kv in sorted(counts.items())) +
          ("" if srcs == [None] else " from=%s" % (srcs[0] if len(srcs) == 1 else srcs[0] + "-" + srcs[-1])),
          file=sys.stderr)

def run_scrape(port, secs, interval, o):
    ctx = None
    if "tls" in o:
        ctx = ssl.create_default_context(cafile=o["tls"])
        ctx.check_hostname = False
    hdr = ""
    if "user" in o:
        hdr = "Authorization: Basic %s\r\n" % base64.b64encode(o["user"].encode()).decode()
    req = ("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n" % hdr).encode()
    lat, failed, why = [], 0, {}
    end = time.time() + secs
    while time.time() < end:
        t0 = time.time()
        ok = False
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            if ctx:
                s = ctx.wrap_socket(s)
            s.settimeout(max(0.05, 2 - (time.time() - t0)))
            s.sendall(req)
            data = b""
            while True:
                b = s.recv(65536)
                if not b:
                    break
                data += b
            s.close()
            ok = data.startswith(b"HTTP/1.1 200") and (b"\nvfscope_" in data or b"\nnode_" in data)
            if not ok:
                why[data[:12]] = why.get(data[:12], 0) + 1
        except OSError as e:
            why[type(e).__name__] = why.get(type(e).__name__, 0) + 1
        dt = (time.time() - t0) * 1000
        if ok:
            lat.append(dt)
        else:
            failed += 1
        time.sleep(max(0, interval - (time.time() - t0)))
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else -1
    print("answered %d failed %d p50_ms %.1f p99_ms %.1f max_ms %.1f%s" %
          (len(lat), failed, q(0.5), q(0.99), lat[-1] if lat else -1,
           (" why " + repr(why)) if why else ""))
    return 1 if failed or not lat else 0

if __name__ == "__main__":
    cmd, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    if cmd == "attack":
        run_attack(port, secs, opts(sys.argv[4:]))
    elif cmd == "agent":
        run_attack(port, secs, opts(sys.argv[4:]), agent=True)
    elif cmd == "scrape":
        sys.exit(run_scrape(port, secs, float(sys.argv[4]), opts(sys.argv[5:])))
    else:
        sys.exit(__doc__)
