#!/usr/bin/python3
"""A webhook receiver for the tests: appends every request (headers and body) as one JSON line
to FILE; answers 500 to every request while FAIL_FILE exists, 204 otherwise.
Usage: webhook_receiver.py PORT FILE FAIL_FILE   (prints "ready")"""
import http.server
import json
import os
import sys

port, out, fail_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        with open(out, "a") as f:
            f.write(json.dumps({"path": self.path, "headers": dict(self.headers.items()),
                                "body": body, "failed": os.path.exists(fail_file)}) + "\n")
        self.send_response(500 if os.path.exists(fail_file) else 204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
print("ready", flush=True)
server.serve_forever()
