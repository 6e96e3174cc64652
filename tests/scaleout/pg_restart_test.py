#!/usr/bin/python3
"""tripsimd on PostgreSQL survives a database restart: while the database is down /readyz
answers 503 naming the store and a booking gets a 503 in the error shape (nothing half-written);
when it is back, the same tripsimd (no restart) reconnects: /readyz is 200 and the retried
booking is created once.

Usage: pg_restart_test.py path/to/tripsimd   (starts its own PostgreSQL with scripts/postgres)
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from harness import Partner, booking, start_tripsimd  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
PG = os.path.join(ROOT, "scripts", "postgres")
binary = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="tripsim-pgrestart-")
pgdir = tempfile.mkdtemp(prefix="tripsim-pg-")
url = subprocess.run([PG, "start", pgdir], capture_output=True, text=True, check=True).stdout.strip()
port = url.rsplit(":", 1)[1].split("/")[0]
server, info = start_tripsimd([binary, "serve", "--store", url, "--listen", "127.0.0.1:0"], cwd=work)
partner = Partner(info["url"], info["api_key"], info["api_secret"])
failures = []


def call(method, target, body=None):
    """Signed when it carries a booking; /readyz is public."""
    return partner.request(method, target, body, signed=body is not None, timeout=20)


restart_booking = booking("RESTART-1", send_email=False)
try:
    status, body = call("GET", "/readyz")
    if status != 200:
        failures.append(f"readyz before: {status} {body}")
    subprocess.run([PG, "stop", pgdir], check=True)
    status, body = call("GET", "/readyz")
    if status != 503 or body.get("store") != "unreachable":
        failures.append(f"readyz with the database down: {status} {body}")
    status, body = call("POST", "/api/bookings", restart_booking)
    if status != 503 or body.get("success") is not False or "error" not in body:
        failures.append(f"booking with the database down: {status} {body}")
    subprocess.run([PG, "start", pgdir, port], check=True, capture_output=True)
    deadline = time.time() + 20
    while time.time() < deadline and call("GET", "/readyz")[0] != 200:
        time.sleep(0.2)
    status, body = call("GET", "/readyz")
    if status != 200:
        failures.append(f"readyz after the restart: {status} {body}")
    status, body = call("POST", "/api/bookings", restart_booking)
    if status != 201:
        failures.append(f"booking after the restart: {status} {body}")
    status, body = call("POST", "/api/bookings", restart_booking)
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
