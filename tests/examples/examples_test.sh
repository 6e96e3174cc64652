#!/usr/bin/env bash
# The examples, as a partner would use them: `cmake --install` the build into a fresh prefix,
# build examples/cpp-ota against it with find_package(tripsim), run it against the installed
# tripsimd (twice: the same trip books once), then run examples/node-express (the guide's own
# functions behind Express) and book through it.
# Usage: examples_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$src/examples/cpp-ota" -B "$work/ota" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/ota" -j2 >/dev/null
echo "cpp-ota: built against the installed package (find_package(tripsim))"

mkdir "$work/server"
(cd "$work/server" && exec "$work/prefix/bin/tripsimd" serve --listen 127.0.0.1:0 >stdout.jsonl 2>stderr.log) &
pids+=($!)
for _ in $(seq 200); do grep -q listening "$work/server/stdout.jsonl" 2>/dev/null && break; sleep 0.05; done
read -r url key secret < <(/usr/bin/python3 -c '
import json, sys
info = {}
for line in open(sys.argv[1]):
    info.update(json.loads(line))
print(info["url"], info["api_key"], info["api_secret"])' "$work/server/stdout.jsonl")
export TRIPSIM_BASE_URL=$url TRIPSIM_API_KEY=$key TRIPSIM_API_SECRET=$secret
departure=$(date -u -d '+20 days' +%F)

out1=$("$work/ota/ota_checkout" --trip TRIP-CPP-1 --email ada@example.com --first-name Ada \
  --last-name Lovelace --destination IT --departure "$departure" --records "$work/trips.jsonl")
out2=$("$work/ota/ota_checkout" --trip TRIP-CPP-1 --email ada@example.com --first-name Ada \
  --last-name Lovelace --destination IT --departure "$departure" --records "$work/trips.jsonl")
id1=$(echo "$out1" | tail -1 | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["tripsim_booking_id"])')
id2=$(echo "$out2" | tail -1 | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["tripsim_booking_id"])')
[ "$id1" = "$id2" ] || fail "the same trip booked twice: $id1 $id2"
got=$("$work/prefix/bin/tripsim" --json bookings get TRIP-CPP-1 --external)
echo "$got" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; assert d["id"] == sys.argv[1] and d["promo_codes"][0]["destination"] == "IT", d' "$id1" \
  || fail "tripsim does not show the C++ example's booking"
echo "cpp-ota: booked $id1 for TRIP-CPP-1 (twice, one booking)"

if [ ! -d "$src/examples/node-express/node_modules/express" ]; then
  fail "examples/node-express has no node_modules (scripts/test installs them)"
fi
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The demo partner gets the example's webhook URL; its webhook secret is printed this once.
partner_id=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["partner_id"])' "$work/server/stdout.jsonl")
updated=$(cd "$work/server" && "$work/prefix/bin/tripsimd" partner update --partner "$partner_id" \
  --webhook-url "http://127.0.0.1:$port/tripsim-webhooks")
webhook_secret=$(echo "$updated" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["webhook_secret"])') \
  || fail "partner update --webhook-url printed no webhook secret: $updated"
HUBBY_API_KEY=$key HUBBY_API_SECRET=$secret TRIPSIM_WEBHOOK_SECRET=$webhook_secret PORT=$port \
  node "$src/examples/node-express/server.js" >"$work/express.log" 2>&1 &
pids+=($!)
for _ in $(seq 200); do grep -q listening "$work/express.log" 2>/dev/null && break; sleep 0.05; done
answer=$(curl -sS -X POST "http://127.0.0.1:$port/bookings" -H 'Content-Type: application/json' \
  -d "{\"id\":\"TRIP-NODE-1\",\"departureDate\":\"$departure\",\"customerEmail\":\"grace@example.com\",\"firstName\":\"Grace\",\"lastName\":\"Hopper\",\"destination\":\"ES\"}")
echo "$answer" | /usr/bin/python3 -c 'import json,sys; a=json.load(sys.stdin); assert a["success"] and a["travelBooking"]["esimBookingId"].startswith("bk_"), a' \
  || fail "the Express example did not book: $answer"
"$work/prefix/bin/tripsim" --json bookings get TRIP-NODE-1 --external >/dev/null \
  || fail "tripsim does not show the Express example's booking"
echo "node-express: the guide's router booked TRIP-NODE-1 through tripsim"
# tripsim's webhooks reach the example, which verifies them and records them on the trip.
trip=""
for _ in $(seq 300); do
  trip=$(curl -sS "http://127.0.0.1:$port/bookings/TRIP-NODE-1")
  echo "$trip" | /usr/bin/python3 -c 'import json,sys; e={x["event"] for x in json.load(sys.stdin).get("esimEvents", [])}; sys.exit(0 if {"booking.created","message.sent"} <= e else 1)' && break
  sleep 0.1
done
echo "$trip" | /usr/bin/python3 -c 'import json,sys; t=json.load(sys.stdin); e=[x["event"] for x in t["esimEvents"]]; assert "booking.created" in e and "message.sent" in e and t["esimStatus"] == "CONFIRMED", t' \
  || fail "the Express example did not receive verified webhooks: $trip"
forged=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$port/tripsim-webhooks" \
  -H "x-tripsim-timestamp: $(date +%s%3N)" -H 'x-tripsim-signature: sha256=00' -d '{}')
[ "$forged" = 401 ] || fail "the Express example accepted a forged webhook ($forged)"
echo "node-express: verified webhooks for TRIP-NODE-1: $(echo "$trip" | /usr/bin/python3 -c 'import json,sys; print(", ".join(x["event"] for x in json.load(sys.stdin)["esimEvents"]))')"
