"""What the process-level tests (crash, scale-out, PostgreSQL restart) share: free ports, the
test SMTP server, starting tripsimd and reading its start-up events, requests signed like the
partner guide, a guide-shaped booking, and the Message-IDs that reached the SMTP server.

    from harness import free_port, start_smtp, start_tripsimd, Partner, booking
    smtp, smtp_port, maildir = start_smtp(work)
    server, events = start_tripsimd([binary, "serve", "--listen", "127.0.0.1:0"], cwd=work)
    partner = Partner(events["url"], events["api_key"], events["api_secret"])
    status, body = partner.request("POST", "/api/bookings", booking("REF-1"))
"""
import collections
import email
import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

E2E = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e")

# Every booking of a test departs in 30 days.
DEPARTURE = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_smtp(work):
    """The test SMTP server (tests/e2e/smtp_server.py, on Debian's python3 with aiosmtpd), writing
    each message to a maildir.
    Returns (process, port, maildir)."""
    port = free_port()
    maildir = os.path.join(work, "received")
    smtp = subprocess.Popen(["/usr/bin/python3", os.path.join(E2E, "smtp_server.py"), "--port",
                             str(port), "--maildir", maildir], stdout=subprocess.PIPE)
    assert smtp.stdout.readline().strip() == b"ready"
    return smtp, port, maildir


def start_tripsimd(command, cwd, env=None, log=None):
    """Starts `command` (tripsimd serve ...) and waits for its "listening" event. Returns the
    process and every start-up event merged into one dict (url, api_key, api_secret of the demo
    partner when it printed one). Exits the test when the server ends before listening."""
    stderr = open(log or os.path.join(cwd, "stderr.log"), "a")
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=stderr)
    events = {}
    while True:
        line = server.stdout.readline()
        if not line:
            sys.exit(f"tripsimd did not start (see {stderr.name})")
        event = json.loads(line)
        events.update(event)
        if event.get("event") == "listening":
            break
    threading.Thread(target=server.stdout.read, daemon=True).start()
    return server, events


class Partner:
    """A partner's client: requests signed like the guide (timestamp + method + path)."""

    def __init__(self, base_url, api_key, api_secret):
        self.base_url, self.api_key, self.api_secret = base_url, api_key, api_secret

    def request(self, method, target, body=None, signed=True, base_url=None, timeout=10):
        """Returns (status, parsed JSON body or None); (None, None) when no answer came."""
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if signed:
            ts = str(int(time.time() * 1000))
            sig = hmac.new(self.api_secret.encode(), (ts + method + target).encode(),
                           hashlib.sha256).hexdigest()
            headers.update({"x-api-key": self.api_key, "x-timestamp": ts, "x-signature": sig})
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request((base_url or self.base_url) + target, data=data,
                                     method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            try:
                return e.code, json.loads(e.read() or b"null")
            except ValueError:
                return e.code, None
        except Exception:
            return None, None


def booking(ref, send_email=True):
    """A booking in the guide's shape, for France."""
    return {"booking_id": ref, "departure_date": DEPARTURE, "email": f"{ref.lower()}@example.com",
            "first_name": "Ada", "package_specifications": [{"destination": "FR"}],
            "communication_options": {"should_send_message": send_email,
                                      "channels": ["EMAIL"] if send_email else []}}


def received_message_ids(maildir):
    """How many times each Message-ID reached the SMTP server."""
    received = collections.Counter()
    for name in os.listdir(maildir) if os.path.isdir(maildir) else []:
        if name.endswith(".eml"):
            with open(os.path.join(maildir, name), "rb") as f:
                received[email.message_from_binary_file(f)["Message-ID"]] += 1
    return received
