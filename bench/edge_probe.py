#!/usr/bin/env python3
"""What a hostile client costs a gateway build, on loopback: memory for a 100 MiB chunked upload
(from /proc), answers to a body that hides a request, and sign-up latency beside 300 idle and
20 trickling connections. Runs one build's approval-core and connector-gateway; point it at two
builds to compare them (bench/FINDINGS.md has the figures of cpp-httplib's and our server).
usage: bench/edge_probe.py BIN_DIR     (about 50 s)"""
import base64, json, os, re, shutil, socket, subprocess, sys, tempfile, threading, time

bin_dir = sys.argv[1]
work = tempfile.mkdtemp(prefix="edge-probe-")
db = os.path.join(work, "g.db")


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


token = subprocess.check_output([f"{bin_dir}/approval-core", "token", "create", "--db", db,
                                 "--name", "gateway", "--role", "connector"], text=True).strip()
core_port, gw_port = free_port(), free_port()
core = subprocess.Popen([f"{bin_dir}/approval-core", "--listen", f"127.0.0.1:{core_port}", "--db", db],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)
env = dict(os.environ, GATEHOUSE_CORE_TOKEN=token, GATEHOUSE_BASIC_USERNAME="u",
           GATEHOUSE_BASIC_PASSWORD="p")
gw = subprocess.Popen([f"{bin_dir}/connector-gateway", "--listen", f"127.0.0.1:{gw_port}",
                       "--core", f"127.0.0.1:{core_port}", "--decision-cache-ms", "0"],
                      env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)
auth = "Authorization: Basic " + base64.b64encode(b"u:p").decode() + "\r\n"


def rss(key="VmRSS"):
    for line in open(f"/proc/{gw.pid}/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1])


def conn():
    s = socket.create_connection(("127.0.0.1", gw_port)); s.settimeout(3); return s


def read_all(s, limit=10):
    s.settimeout(0.2); out = b""; end = time.time() + limit
    while time.time() < end:
        try:
            d = s.recv(65536)
            if not d: return out, True
            out += d
        except socket.timeout:
            continue
        except OSError:
            return out, True
    return out, False


def answers(b):
    return len(re.findall(rb"HTTP/1\.1 \d{3}", b))


# 1. 100 MiB chunked POST /x, no credentials.
before, peak_before = rss(), rss("VmHWM")
s = conn(); s.sendall(b"POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
chunk = b"10000\r\n" + b"a" * 65536 + b"\r\n"; sent = 0
try:
    while sent < 100 * 1024 * 1024:
        s.sendall(chunk); sent += 65536
    s.sendall(b"0\r\n\r\n")
except OSError:
    pass
wire, closed = read_all(s, 5)
print(f"1. chunked 100 MiB POST /x: sent {sent // 1024} KiB, status {wire[:12]!r}, answers {answers(wire)}, "
      f"closed {closed}; RSS {before} -> {rss()} kB, peak {peak_before} -> {rss('VmHWM')} kB")
s.close()

# 2. Early answer with a body that hides a request, arriving 100 ms after the head.
hidden = b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
s = conn()
s.sendall(b"POST /api/connectors/request-approval HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          b"Content-Length: " + str(len(hidden)).encode() + b"\r\n\r\n")
time.sleep(0.1); s.sendall(hidden)
wire, closed = read_all(s, 3)
statuses = re.findall(rb'HTTP/1.1 (\d+)', wire)
print(f"2. 401 with a hidden request in the body: answers {answers(wire)}, statuses "
      f"{statuses}, closed {closed}")
s.close()

# 3. 300 idle + 20 tricklers, then 20 sign-ups timed.
idle = [conn() for _ in range(300)]
closed_at = []
stop = False
t0 = time.time()


def trickle(i):
    s = conn()
    s.sendall(b"POST /api/connectors/check-approval HTTP/1.1\r\n")
    n = 0
    while not stop and time.time() - t0 < 40:
        time.sleep(1)
        try:
            s.sendall(f"X-Line-{n}: {i}\r\n".encode()); n += 1
        except OSError:
            closed_at.append(time.time() - t0); return


threads = [threading.Thread(target=trickle, args=(i,)) for i in range(20)]
for t in threads: t.start()
time.sleep(1.5)
slowest = 0.0; failed = 0
for i in range(20):
    body = json.dumps({"email": f"probe{i}@example.com"}).encode()
    start = time.time()
    try:
        s = conn(); s.settimeout(10)
        s.sendall(b"POST /api/connectors/request-approval HTTP/1.1\r\nHost: x\r\n" + auth.encode() +
                  b"Content-Type: application/json\r\nConnection: close\r\nContent-Length: " +
                  str(len(body)).encode() + b"\r\n\r\n" + body)
        wire, _ = read_all(s, 10)
        if not wire.startswith(b"HTTP/1.1 200"): failed += 1
        s.close()
    except OSError:
        failed += 1
    slowest = max(slowest, time.time() - start)
    time.sleep(0.2)
print(f"3. slowest of 20 sign-ups beside 300 idle + 20 trickling: {slowest * 1000:.0f} ms ({failed} failed)")
for t in threads: t.join()
print(f"   tricklers closed: {len(closed_at)} of 20, after {min(closed_at, default=0):.1f} to "
      f"{max(closed_at, default=0):.1f} s (watched 40 s)")
for s in idle: s.close()
gw.terminate(); core.terminate(); gw.wait(); core.wait()
shutil.rmtree(work, ignore_errors=True)
