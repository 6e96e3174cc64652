#!/usr/bin/python3
"""Scale-out: two tripsimd instances on one PostgreSQL behind HAProxy (Debian's, on loopback,
passing the request target unchanged so signatures verify). Several clients that retry post
unique bookings through the load balancer while pairs of clients send the same booking to
both instances at once; mid-load one instance is killed with SIGKILL. Afterwards:
  - every acknowledged booking is stored exactly once (concurrent duplicates across instances
    resolved to one booking, the same id answered to both);
  - every email was delivered (by Message-ID at a real SMTP server), at most one duplicate for
    the kill; the dead instance's claimed messages were taken over after their lease;
  - each promo code, redeemed concurrently through both instances, got exactly one eSIM profile.

Usage: scaleout_test.py path/to/tripsimd   (TRIPSIM_TEST_POSTGRES_URL names a PostgreSQL server,
as scripts/test provides; a fresh database is created on it.)
"""
import collections
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Partner, booking, free_port, received_message_ids, start_smtp, start_tripsimd  # noqa: E402

base_url = os.environ.get("TRIPSIM_TEST_POSTGRES_URL")
if not base_url:
    print("TRIPSIM_TEST_POSTGRES_URL is not set (scripts/test starts PostgreSQL): skipped")
    sys.exit(77)
binary = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="tripsim-scaleout-")
dbname = f"scaleout_{os.getpid()}"
subprocess.run(["psql", "-q", base_url, "-c", f"CREATE DATABASE {dbname}"], check=True)
store = base_url[: base_url.rfind("/") + 1] + dbname
children = []


def sql(query):
    out = subprocess.run(["psql", "-qAt", "-F", "\t", store, "-c", query], capture_output=True,
                         text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


smtp, smtp_port, maildir = start_smtp(work)
children.append(smtp)
env = dict(os.environ, TRIPSIM_MASTER_KEY=os.urandom(32).hex(), TRIPSIM_OUTBOX_LEASE_SECONDS="4")
ports = {"a": free_port(), "b": free_port()}
servers = {}
partner = None


def start(name):
    global partner
    p, events = start_tripsimd(
        [binary, "serve", "--store", store, "--listen", f"127.0.0.1:{ports[name]}",
         "--mail", f"smtp://127.0.0.1:{smtp_port}", "--public-url", "https://esim.example.com"],
        cwd=work, env=env, log=os.path.join(work, f"{name}.log"))
    children.append(p)
    if "api_key" in events:
        partner = Partner("", events["api_key"], events["api_secret"])
    servers[name] = p


start("a")  # migrates and creates the demo partner
start("b")
assert partner, "the first instance prints the demo partner"
lb_port = free_port()
with open(os.path.join(work, "haproxy.cfg"), "w") as f:
    f.write(f"""global
  maxconn 2000
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
  retries 2
  option redispatch
frontend api
  bind 127.0.0.1:{lb_port}
  default_backend tripsim
backend tripsim
  balance roundrobin
  option httpchk GET /readyz
  default-server inter 250ms fall 2 rise 2
  server a 127.0.0.1:{ports['a']} check
  server b 127.0.0.1:{ports['b']} check
""")
lb = subprocess.Popen(["/usr/sbin/haproxy", "-db", "-f", os.path.join(work, "haproxy.cfg")],
                      stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "haproxy.log"), "w"))
children.append(lb)
time.sleep(1.0)


def request(port, method, target, body=None, signed=True):
    return partner.request(method, target, body, signed, base_url=f"http://127.0.0.1:{port}")


acked = {}  # booking_id -> tripsim id
answers = collections.defaultdict(set)  # booking_id -> every id answered for it
lock = threading.Lock()
stop = threading.Event()
failures = []


def post_until_acked(port, ref):
    for _ in range(400):  # the same booking_id on every retry
        status, data = request(port, "POST", "/api/bookings", booking(ref))
        if status is None:
            port = lb_port  # that instance is gone: retry through the balancer, as clients do
        if status in (200, 201):
            with lock:
                acked[ref] = data["data"]["id"]
                answers[ref].add(data["data"]["id"])
            return
        time.sleep(0.05)
    with lock:
        failures.append(f"{ref} never acknowledged")


def client(n):
    i = 0
    while not stop.is_set():
        i += 1
        post_until_acked(lb_port, f"LB-{n}-{i}")


def twins(n):
    """The same booking sent to both instances at once (while both are up)."""
    i = 0
    while not stop.is_set() and servers["b"].poll() is None:
        i += 1
        ref = f"TWIN-{n}-{i}"
        pair = [threading.Thread(target=post_until_acked, args=(ports[name], ref)) for name in "ab"]
        for t in pair:
            t.start()
        for t in pair:
            t.join()


threads = [threading.Thread(target=client, args=(n,)) for n in range(6)]
threads += [threading.Thread(target=twins, args=(n,)) for n in range(2)]
for t in threads:
    t.start()
time.sleep(2.0)
servers["b"].kill()  # SIGKILL mid-load
servers["b"].wait()
killed_at = len(acked)
time.sleep(2.0)
stop.set()
for t in threads:
    t.join()

# Redemption: every code of 20 bookings, four concurrent redeems each through the balancer.
codes = [row[0] for row in sql("SELECT code FROM promo_codes ORDER BY code LIMIT 20")]
got = collections.defaultdict(list)


def redeem(code):
    status, data = request(lb_port, "POST", f"/api/promo-codes/{code}/redeem", signed=False)
    got[code].append(data["data"]["iccid"] if status == 200 else f"status {status}")


rthreads = [threading.Thread(target=redeem, args=(c,)) for c in codes for _ in range(4)]
for t in rthreads:
    t.start()
for t in rthreads:
    t.join()
for code, iccids in got.items():
    if len(set(iccids)) != 1 or iccids[0].startswith("status"):
        failures.append(f"code {code} redeemed as {iccids}")
if len({v[0] for v in got.values()}) != len(got):
    failures.append("two codes got the same eSIM profile")

# Let the surviving instance deliver everything, the dead one's leased messages included.
deadline = time.time() + 60
while time.time() < deadline and int(sql("SELECT COUNT(*) FROM messages WHERE status <> 'SENT'")[0][0]):
    time.sleep(0.5)

rows = sql("SELECT booking_ref, id FROM bookings")
stored = collections.Counter(r[0] for r in rows)
ids = {r[0]: r[1] for r in rows}
for ref, bid in acked.items():
    if stored[ref] != 1:
        failures.append(f"acknowledged booking {ref} stored {stored[ref]} times")
    elif ids[ref] != bid or answers[ref] != {bid}:
        failures.append(f"booking {ref} answered as {answers[ref]} but stored as {ids[ref]}")
twin_refs = [r for r in acked if r.startswith("TWIN-")]
if not twin_refs:
    failures.append("no concurrent duplicates were tried")
messages = [r[0] for r in sql("SELECT id FROM messages")]
received = received_message_ids(maildir)
expected = {f"<{m}@esim.example.com>" for m in messages}
missing = expected - set(received)
duplicates = sum(n - 1 for n in received.values())
if missing:
    failures.append(f"{len(missing)} emails never delivered")
if duplicates > 1:
    failures.append(f"{duplicates} duplicate emails for one kill")

print(f"scale-out: {len(acked)} bookings acknowledged ({killed_at} before the kill, "
      f"{len(twin_refs)} sent to both instances at once), {len(rows)} stored, "
      f"{len(messages)} emails, {sum(received.values())} received ({duplicates} duplicates), "
      f"{len(codes)} codes redeemed 4 times each")
for p in reversed(children):
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            p.kill()
if failures:
    print("FAILED:\n  " + "\n  ".join(failures[:20]))
    print(f"kept {work} for inspection")
    sys.exit(1)
subprocess.run(["psql", "-q", base_url, "-c", f"DROP DATABASE {dbname} WITH (FORCE)"], check=False)
shutil.rmtree(work)
print("scale-out test passed")
