#!/usr/bin/python3
"""Crash safety: clients that retry post unique bookings while tripsimd is killed with
SIGKILL at random moments and restarted. Afterwards:
  - every acknowledged booking (201 or 200) is present, exactly once;
  - every requested email was delivered (counted by Message-ID at a real SMTP server), with at
    most one duplicate per kill;
  - no promo code was handed out twice.

Usage: crash_test.py path/to/tripsimd [--kills N] [--clients N] [--seed S] [--postgres]
Quick mode in scripts/test: 5 kills, on SQLite and on PostgreSQL. Long mode: --kills 200.
With --postgres the store is a fresh database on the server TRIPSIM_TEST_POSTGRES_URL names
(skipped, exit 77, without it), where new bookings are written in batches of a transaction.
"""
import argparse
import collections
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Partner, booking, free_port, received_message_ids, start_smtp, start_tripsimd  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("binary")
ap.add_argument("--kills", type=int, default=5)
ap.add_argument("--clients", type=int, default=6)
ap.add_argument("--seed", type=int, default=int(time.time()))
ap.add_argument("--postgres", action="store_true")
args = ap.parse_args()
rng = random.Random(args.seed)
work = tempfile.mkdtemp(prefix="tripsim-crash-")
store_args, postgres = [], None
if args.postgres:
    base_url = os.environ.get("TRIPSIM_TEST_POSTGRES_URL")
    if not base_url:
        print("TRIPSIM_TEST_POSTGRES_URL is not set (scripts/test starts PostgreSQL): skipped")
        sys.exit(77)
    dbname = f"crash_{os.getpid()}"
    subprocess.run(["psql", "-q", base_url, "-c", f"CREATE DATABASE {dbname}"], check=True)
    postgres = base_url[: base_url.rfind("/") + 1] + dbname
    store_args = ["--store", postgres]
print(f"crash test: {args.kills} kills, {args.clients} clients, seed {args.seed}, "
      f"{'PostgreSQL' if postgres else 'SQLite'}, in {work}")

smtp, smtp_port, maildir = start_smtp(work)
http_port = free_port()
server = None
partner = None


def start_server():
    global server, partner
    server, events = start_tripsimd(
        [os.path.abspath(args.binary), "serve", "--listen", f"127.0.0.1:{http_port}",
         "--mail", f"smtp://127.0.0.1:{smtp_port}", *store_args],
        cwd=work, env=dict(os.environ, TRIPSIM_OUTBOX_LEASE_SECONDS="5"))
    if partner is None:  # the demo partner is printed by the first start only
        partner = Partner(events["url"], events["api_key"], events["api_secret"])


acked = {}  # booking_id -> tripsim id
lock = threading.Lock()
stop = threading.Event()


def client(n):
    i = 0
    while not stop.is_set():
        i += 1
        ref = f"CRASH-{n}-{i}"
        while True:  # retry the same booking_id until it is acknowledged
            status, data = partner.request("POST", "/api/bookings", booking(ref))
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
def db(query):  # the rows as dictionaries
    if postgres:
        command = ["psql", "-qAt", postgres, "-c",
                   f"SELECT COALESCE(json_agg(t), '[]') FROM ({query}) t"]
    else:
        command = ["sqlite3", "-json", os.path.join(work, "var", "tripsim.db"), query]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out) if out.strip() else []

# The backlog grows with the kills (a long run leaves tens of thousands of emails): wait while
# it shrinks, and give up only after 60 s without progress.
unsent, last_progress = None, time.time()
while time.time() - last_progress < 60:
    now_unsent = db("SELECT COUNT(*) AS n FROM messages WHERE status != 'SENT'")[0]["n"]
    if now_unsent == 0:
        break
    if unsent is None or now_unsent < unsent:
        unsent, last_progress = now_unsent, time.time()
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
codes = db("SELECT code, COUNT(*) AS n FROM promo_codes GROUP BY code HAVING COUNT(*) > 1")
if codes:
    failures.append(f"promo codes handed out twice: {codes}")
messages = db("SELECT id, status FROM messages")
not_sent = [m for m in messages if m["status"] != "SENT"]
if not_sent:
    failures.append(f"{len(not_sent)} messages not sent: {not_sent[:5]}")
received = received_message_ids(maildir)
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
