#!/usr/bin/python3
"""Crash safety: clients that retry post unique bookings while tripsimd is killed with
SIGKILL at random moments and restarted. Afterwards:
  - every acknowledged booking (201 or 200) is present, exactly once;
  - every requested email was delivered (counted by Message-ID at a real SMTP server), with at
    most one duplicate per kill;
  - no promo code was handed out twice.

Usage: crash_test.py path/to/tripsimd [--kills N] [--clients N] [--seed S]
Quick mode in scripts/test: 5 kills. Long mode: --kills 200.
"""
import argparse
import collections
import email
import hashlib
import hmac
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("--kills", type=int, default=5)
ap.add_argument("--clients", type=int, default=6)
ap.add_argument("--seed", type=int, default=int(time.time()))
args = ap.parse_args()
rng = random.Random(args.seed)
work = tempfile.mkdtemp(prefix="tripsim-crash-")
print(f"crash test: {args.kills} kills, {args.clients} clients, seed {args.seed}, in {work}")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


smtp_port = free_port()
maildir = os.path.join(work, "received")
smtp = subprocess.Popen(["/usr/bin/python3", os.path.join(HERE, "..", "e2e", "smtp_server.py"),
                         "--port", str(smtp_port), "--maildir", maildir], stdout=subprocess.PIPE)
assert smtp.stdout.readline().strip() == b"ready"
http_port = free_port()
creds = {}
server = None


def start_server():
    global server
    server = subprocess.Popen(
        [os.path.abspath(args.binary), "serve", "--listen", f"127.0.0.1:{http_port}",
         "--mail", f"smtp://127.0.0.1:{smtp_port}"],
        cwd=work, stdout=subprocess.PIPE, stderr=open(os.path.join(work, "stderr.log"), "a"),
        env=dict(os.environ, TRIPSIM_OUTBOX_LEASE_SECONDS="5"))
    while True:
        line = server.stdout.readline()
        if not line:
            sys.exit("tripsimd did not start")
        event = json.loads(line)
        if event.get("event") == "demo_partner":
            creds.update(event)
        if event.get("event") == "listening":
            break
    threading.Thread(target=server.stdout.read, daemon=True).start()


def post(body):
    ts = str(int(time.time() * 1000))
    sig = hmac.new(creds["api_secret"].encode(), (ts + "POST/api/bookings").encode(),
                   hashlib.sha256).hexdigest()
    req = urllib.request.Request(
        f"http://127.0.0.1:{http_port}/api/bookings", data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "x-api-key": creds["api_key"],
                 "x-timestamp": ts, "x-signature": sig})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, None
    except Exception:
        return None, None


acked = {}  # booking_id -> tripsim id
lock = threading.Lock()
stop = threading.Event()
departure = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))


def client(n):
    i = 0
    while not stop.is_set():
        i += 1
        ref = f"CRASH-{n}-{i}"
        body = {"booking_id": ref, "departure_date": departure, "email": f"{ref.lower()}@example.com",
                "first_name": "Ada", "package_specifications": [{"destination": "FR"}],
                "communication_options": {"should_send_message": True, "channels": ["EMAIL"]}}
        while True:  # retry the same booking_id until it is acknowledged
            status, data = post(body)
            if status in (200, 201):
                with lock:
                    acked[ref] = data["data"]["id"]
                break
            if stop.is_set() and status is None:
                return
            time.sleep(0.05)


start_server()
threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
for t in threads:
    t.start()
for k in range(args.kills):
    time.sleep(rng.uniform(0.2, 1.5))
    server.kill()
    server.wait()
    start_server()
time.sleep(1.0)
stop.set()
for t in threads:
    t.join()

# Let the outbox finish, then check everything.
def db(query):
    out = subprocess.run(["sqlite3", "-json", os.path.join(work, "var", "tripsim.db"), query],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out) if out.strip() else []

deadline = time.time() + 60
while time.time() < deadline and db("SELECT COUNT(*) AS n FROM messages WHERE status != 'SENT'")[0]["n"]:
    time.sleep(0.5)
server.terminate()
server.wait()
smtp.kill()

failures = []
rows = db("SELECT booking_ref, id FROM bookings")
stored = collections.Counter(r["booking_ref"] for r in rows)
ids = {r["booking_ref"]: r["id"] for r in rows}
for ref, bid in acked.items():
    if stored[ref] != 1:
        failures.append(f"acknowledged booking {ref} stored {stored[ref]} times")
    elif ids[ref] != bid:
        failures.append(f"booking {ref} acknowledged as {bid} but stored as {ids[ref]}")
codes = db("SELECT code, COUNT(*) AS n FROM promo_codes GROUP BY code HAVING n > 1")
if codes:
    failures.append(f"promo codes handed out twice: {codes}")
messages = db("SELECT id, status FROM messages")
not_sent = [m for m in messages if m["status"] != "SENT"]
if not_sent:
    failures.append(f"{len(not_sent)} messages not sent: {not_sent[:5]}")
received = collections.Counter()
for name in os.listdir(maildir):
    if name.endswith(".eml"):
        with open(os.path.join(maildir, name), "rb") as f:
            received[email.message_from_binary_file(f)["Message-ID"]] += 1
expected = {f"<{m['id']}@127.0.0.1>" for m in messages}
missing = expected - set(received)
duplicates = sum(n - 1 for n in received.values())
if missing:
    failures.append(f"{len(missing)} emails never delivered")
if duplicates > args.kills:
    failures.append(f"{duplicates} duplicate emails for {args.kills} kills")
print(f"acknowledged {len(acked)} bookings, stored {len(rows)}, messages {len(messages)}, "
      f"emails received {sum(received.values())} ({duplicates} duplicates for {args.kills} kills)")
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    print(f"kept {work} for inspection")
    sys.exit(1)
shutil.rmtree(work)
print("crash test passed")
