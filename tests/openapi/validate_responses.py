#!/usr/bin/python3
"""Real responses of a real tripsimd validate against docs/openapi.json.

Starts tripsimd, drives every documented operation (success and error paths) and validates
each response body against the schema the description gives for that operation and status.
Usage: validate_responses.py path/to/tripsimd path/to/openapi.json
"""
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import jsonschema

binary, spec_path = sys.argv[1], sys.argv[2]
spec = json.load(open(spec_path))
work = tempfile.mkdtemp(prefix="tripsim-openapi-")
server = subprocess.Popen([os.path.abspath(binary), "serve", "--listen", "127.0.0.1:0"], cwd=work,
                          stdout=subprocess.PIPE, stderr=open(os.path.join(work, "stderr.log"), "w"))
info = {}
while "url" not in info:
    line = server.stdout.readline()
    if not line:
        sys.exit("tripsimd did not start")
    event = json.loads(line)
    info.update(event)
url, key, secret = info["url"], info["api_key"], info["api_secret"]
checked = []


def call(method, target, body=None, signed=True, headers=None):
    h = {"Content-Type": "application/json"} if body is not None else {}
    if signed:
        ts = str(int(time.time() * 1000))
        sig = hmac.new(secret.encode(), (ts + method + target).encode(), hashlib.sha256).hexdigest()
        h.update({"x-api-key": key, "x-timestamp": ts, "x-signature": sig})
    h.update(headers or {})
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + target, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read(), r.headers.get("Content-Type")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("Content-Type")


def validate(method, template, target, status, body, content_type):
    op = spec["paths"][template][method.lower()]
    response = op["responses"].get(str(status))
    assert response is not None, f"{method} {template}: status {status} is not documented"
    if "$ref" in response:
        response = spec["components"]["responses"][response["$ref"].split("/")[-1]]
    content = response.get("content", {})
    media = content_type.split(";")[0] if content_type else None
    assert media in content or not content, f"{method} {template} {status}: {media} not documented"
    schema = content.get(media, {}).get("schema")
    if schema is not None and media == "application/json":
        resolver = jsonschema.RefResolver.from_schema(spec)
        jsonschema.validate(json.loads(body), schema, resolver=resolver,
                            cls=jsonschema.Draft202012Validator)
    checked.append(f"{method} {template} {status}")


def check(method, template, target, expect, body=None, signed=True, headers=None):
    status, data, ctype = call(method, target, body, signed, headers)
    assert status == expect, f"{method} {target}: {status} {data[:300]}"
    validate(method, template, target, status, data, ctype)
    return json.loads(data) if ctype and ctype.startswith("application/json") else data


try:
    departure = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))
    booking = {"booking_id": "OPENAPI-1", "departure_date": departure, "email": "ada@example.com",
               "first_name": "Ada", "last_name": "Lovelace", "locale": "en-GB", "pax": 2,
               "package_specifications": [{"destination": "FR"}, {"destination": ["DE", "IT"], "size": "3GB"}],
               "communication_options": {"should_send_message": True, "channels": ["EMAIL"]}}
    created = check("POST", "/api/bookings", "/api/bookings", 201, booking)
    check("POST", "/api/bookings", "/api/bookings", 200, booking)
    check("POST", "/api/bookings", "/api/bookings", 409, dict(booking, first_name="Grace"))
    check("POST", "/api/bookings", "/api/bookings", 400, {"departure_date": "soon"})
    check("POST", "/api/bookings", "/api/bookings", 422,
          dict(booking, booking_id="OPENAPI-2", package_specifications=[{"package_id": "nope"}]))
    check("POST", "/api/bookings", "/api/bookings", 401, booking, signed=False)
    no_email = dict(booking, booking_id="OPENAPI-3")
    del no_email["email"]
    silent = check("POST", "/api/bookings", "/api/bookings", 201, no_email)
    assert silent["warnings"][0]["field"] == "email"
    bid = created["data"]["id"]
    check("GET", "/api/bookings/{id}", f"/api/bookings/{bid}", 200)
    check("GET", "/api/bookings/{id}", "/api/bookings/bk_nope", 404)
    check("GET", "/api/bookings", "/api/bookings?perPage=1&page=1", 200)
    check("GET", "/api/bookings", "/api/bookings?page=x", 400)
    check("GET", "/api/bookings/{booking_id}/byExternalBookingId",
          "/api/bookings/OPENAPI-1/byExternalBookingId", 200)
    check("POST", "/api/bookings/{id}/resend", f"/api/bookings/{bid}/resend", 202)
    check("GET", "/api/packages", "/api/packages?destination=FR", 200)
    check("GET", "/api/packages", "/api/packages?size=lots", 400)
    uuid = silent["data"]["promo_codes"][0]["uuid"]
    check("GET", "/claim/{uuid}", f"/claim/{uuid}", 200, signed=False)
    check("POST", "/api/promo-codes/claim/{uuid}", f"/api/promo-codes/claim/{uuid}", 200,
          {"email": "grace@example.com"}, signed=False)
    check("POST", "/api/promo-codes/claim/{uuid}", f"/api/promo-codes/claim/{uuid}", 409,
          {"email": "grace@example.com"}, signed=False)
    code = created["data"]["promo_codes"][0]["promo_code"]
    check("GET", "/redeem/{promo_code}", f"/redeem/{code}", 200, signed=False)
    check("POST", "/api/promo-codes/{promo_code}/redeem", f"/api/promo-codes/{code}/redeem", 200,
          signed=False)
    check("POST", "/api/promo-codes/{promo_code}/redeem", "/api/promo-codes/0000-0000-0000/redeem",
          404, signed=False)
    check("GET", "/redeem/{promo_code}", "/redeem/0000-0000-0000", 404, signed=False)
    # Bookings without messages, so that no email sent meanwhile forbids their cancellation.
    quiet = dict(booking, booking_id="OPENAPI-4",
                 communication_options={"should_send_message": False})
    qid = check("POST", "/api/bookings", "/api/bookings", 201, quiet)["data"]["id"]
    check("DELETE", "/api/bookings/{id}", f"/api/bookings/{qid}", 200)
    check("POST", "/api/bookings", "/api/bookings", 201, dict(quiet, booking_id="OPENAPI-5"))
    check("DELETE", "/api/bookings/{booking_id}/byExternalBookingId",
          "/api/bookings/OPENAPI-5/byExternalBookingId", 200)
    check("GET", "/api/openapi.json", "/api/openapi.json", 200, signed=False)
    check("GET", "/healthz", "/healthz", 200, signed=False)
    check("GET", "/readyz", "/readyz", 200, signed=False)
    token = json.loads(subprocess.run([os.path.abspath(binary), "admin-token", "create"], cwd=work,
                                      check=True, capture_output=True).stdout)["token"]
    bearer = {"Authorization": "Bearer " + token}
    stats = check("GET", "/api/admin/stats", "/api/admin/stats", 200, signed=False, headers=bearer)
    assert stats["totals"]["bookings"]["accepted"] >= 3, stats["totals"]
    check("GET", "/api/admin/stats", f"/api/admin/stats?partner={info['partner_id']}&from={departure}",
          400, signed=False, headers=bearer)
    check("GET", "/api/admin/stats", "/api/admin/stats?partner=pt_nope", 404, signed=False,
          headers=bearer)
    check("GET", "/api/admin/stats", "/api/admin/stats", 401, signed=False)
    check("GET", "/metrics", "/metrics", 200, signed=False, headers=bearer)
    check("GET", "/metrics", "/metrics", 401, signed=False)
    check("GET", "/dashboard", "/dashboard", 200, signed=False)
    check("GET", "/dashboard/assets/{name}", "/dashboard/assets/dashboard.js", 200, signed=False)
    check("GET", "/dashboard/assets/{name}", "/dashboard/assets/nope.js", 404, signed=False)
    print(f"openapi: {len(checked)} responses validated against {spec_path}")
finally:
    server.terminate()
    server.wait()
