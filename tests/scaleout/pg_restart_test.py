#!/usr/bin/python3
"""tripsimd on PostgreSQL survives a database restart: while the database is down /readyz
answers 503 naming the store and a booking gets a 503 in the error shape (nothing half-written);
when it is back, the same tripsimd (no restart) reconnects: /readyz is 200 and the retried
booking is created once.

Usage: pg_restart_test.py path/to/tripsimd   (starts its own PostgreSQL with scripts/postgres)
"""
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PG = os.path.join(ROOT, "scripts", "postgres")
binary = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="tripsim-pgrestart-")
pgdir = tempfile.mkdtemp(prefix="tripsim-pg-")
url = subprocess.run([PG, "start", pgdir], capture_output=True, text=True, check=True).stdout.strip()
port = url.rsplit(":", 1)[1].split("/")[0]
server = subprocess.Popen([binary, "serve", "--store", url, "--listen", "127.0.0.1:0"], cwd=work,
                          stdout=subprocess.PIPE, stderr=open(os.path.join(work, "stderr.log"), "w"))
info = {}
while "url" not in info:
    line = server.stdout.readline()
    if not line:
        sys.exit("tripsimd did not start")
    info.update(json.loads(line))
base = info["url"]
failures = []


def call(method, target, body=None):
    headers = {}
    if body is not None:
        ts = str(int(time.time() * 1000))
        sig = hmac.new(info["api_secret"].encode(), (ts + method + target).encode(),
                       hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "x-api-key": info["api_key"],
                   "x-timestamp": ts, "x-signature": sig}
    req = urllib.request.Request(base + target, method=method, headers=headers,
                                 data=json.dumps(body).encode() if body is not None else None)
    try:
        with urllib.request.urlopen(req, timeout=20) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


departure = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))
booking = {"booking_id": "RESTART-1", "departure_date": departure, "first_name": "Ada",
           "package_specifications": [{"destination": "FR"}],
           "communication_options": {"should_send_message": False}}
try:
    status, body = call("GET", "/readyz")
    if status != 200:
        failures.append(f"readyz before: {status} {body}")
    subprocess.run([PG, "stop", pgdir], check=True)
    status, body = call("GET", "/readyz")
    if status != 503 or body.get("store") != "unreachable":
        failures.append(f"readyz with the database down: {status} {body}")
    status, body = call("POST", "/api/bookings", booking)
    if status != 503 or body.get("success") is not False or "error" not in body:
        failures.append(f"booking with the database down: {status} {body}")
    subprocess.run([PG, "start", pgdir, port], check=True, capture_output=True)
    deadline = time.time() + 20
    while time.time() < deadline and call("GET", "/readyz")[0] != 200:
        time.sleep(0.2)
    status, body = call("GET", "/readyz")
    if status != 200:
        failures.append(f"readyz after the restart: {status} {body}")
    status, body = call("POST", "/api/bookings", booking)
    if status != 201:
        failures.append(f"booking after the restart: {status} {body}")
    status, body = call("POST", "/api/bookings", booking)
    if status != 200:
        failures.append(f"repeat after the restart: {status} {body}")
finally:
    server.terminate()
    server.wait()
    subprocess.run([PG, "stop", pgdir])
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    print(f"kept {work} for inspection")
    sys.exit(1)
shutil.rmtree(work)
shutil.rmtree(pgdir, ignore_errors=True)
print("database restart: readyz 503 and booking 503 while down; reconnected, booking created once")
