#!/usr/bin/python3
"""A misbehaving server in front of tripsimd, for the SDK's retry tests.

Listens on --port (after --start-after seconds: "a server that is not up yet"), and answers the
n-th request by the n-th step of --plan (then "forward" for the rest):
  503 | 429 | 500 ...  that status, in the API's error shape (429 with Retry-After: 1)
  forward              pass the request to --upstream and its answer back
  lose                 pass it to --upstream, then close the connection without answering
                       (the booking was made, the answer lost)
Every request received is appended to --log as a JSON line (method, path, headers, body, time).
Prints "ready" when it starts listening.
"""
import argparse
import http.server
import json
import threading
import time
import urllib.error
import urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--upstream", default="")
ap.add_argument("--plan", default="")
ap.add_argument("--log", required=True)
ap.add_argument("--start-after", type=float, default=0)
args = ap.parse_args()
plan = [step for step in args.plan.split(",") if step]
lock = threading.Lock()
count = [0]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def handle_any(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with lock:
            n = count[0]
            count[0] += 1
            with open(args.log, "a") as f:
                f.write(json.dumps({"method": self.command, "path": self.path, "time": time.time(),
                                    "headers": {k.lower(): v for k, v in self.headers.items()},
                                    "body": body.decode("utf-8", "replace")}) + "\n")
        step = plan[n] if n < len(plan) else "forward"
        if step in ("forward", "lose"):
            req = urllib.request.Request(args.upstream + self.path, data=body or None,
                                         method=self.command,
                                         headers={k: v for k, v in self.headers.items()
                                                  if k.lower() not in ("host", "content-length")})
            try:
                with urllib.request.urlopen(req, timeout=10) as r:
                    status, data, ctype = r.status, r.read(), r.headers.get("Content-Type")
            except urllib.error.HTTPError as e:
                status, data, ctype = e.code, e.read(), e.headers.get("Content-Type")
            if step == "lose":
                self.close_connection = True
                self.connection.close()
                return
        else:
            status = int(step)
            data = json.dumps({"success": False, "error": {"code": status, "message": f"flaky {status}",
                                                           "details": []}}).encode()
            ctype = "application/json"
        self.send_response(status)
        self.send_header("Content-Type", ctype or "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 429:
            self.send_header("Retry-After", "1")
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_DELETE = handle_any


time.sleep(args.start_after)
server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
print("ready", flush=True)
server.serve_forever()
