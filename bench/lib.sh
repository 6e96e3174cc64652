# What the benchmarks share; sourced by bench/http_bench, bench/thread_cpu, bench/writer_cost and
# bench/outbox_bench.
#
#   source bench/lib.sh
#   server=$(server_binary)                   # $TRIPSIMD, or build/bin/tripsimd built Release
#   start_tripsimd "$work" --mail smtp://...  # sets server_pid, url, key, secret
#   signatures POST /api/bookings 120 >sigs   # one signature per second, for wrk's signed.lua
#   signed_requests "$work" 120 db sqlite     # sets post, get (wrk arguments) and booking_id

# The server to measure: $TRIPSIMD when set (to compare builds), else a Release build.
server_binary() {
  if [ -n "${TRIPSIMD:-}" ]; then
    echo "$TRIPSIMD"
    return
  fi
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build -j"${JOBS:-2}" --target tripsimd >/dev/null
  echo "$PWD/build/bin/tripsimd"
}

# Starts "$server serve" in folder $1 on a free port with the remaining arguments, waits until
# it listens, and reads the demo partner's credentials.
start_tripsimd() {
  local dir=$1
  shift
  (cd "$dir" && exec "$server" serve --listen 127.0.0.1:0 "$@" >stdout.jsonl 2>stderr.log) &
  server_pid=$!
  for _ in $(seq 100); do grep -q listening "$dir/stdout.jsonl" 2>/dev/null && break; sleep 0.1; done
  read -r url key secret < <(/usr/bin/python3 - "$dir/stdout.jsonl" <<'PY'
import json, sys
info = {}
for line in open(sys.argv[1]):
    info.update(json.loads(line))
print(info["url"], info["api_key"], info["api_secret"])
PY
)
}

# One signature per second, like the guide's (timestamp + method + path), from a few seconds
# ago to $3 seconds ahead: wrk's signed.lua picks the current second's.
signatures() {
  /usr/bin/python3 - "$secret" "$1" "$2" "$3" <<'PY'
import hmac, hashlib, sys, time
secret, method, path, span = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
now = int(time.time())
for t in range(now - 5, now + span):
    ts = f"{t}000"
    print(ts, hmac.new(secret.encode(), (ts + method + path).encode(), hashlib.sha256).hexdigest())
PY
}

# The wrk arguments of the two signed phases, with signatures for $2 seconds: post=(...) creates
# a booking with its own booking_id per request, get=(...) reads booking_id, one booking made
# first. $1 is the server's folder, $3 a command that prints one value of the store for a
# query, $4 the store's kind (sqlite or postgres).
signed_requests() {
  local dir=$1 span=$2 query=$3 kind=$4
  signatures POST /api/bookings "$span" >"$dir/post.sigs"
  post=(-s bench/signed.lua "$url/api/bookings" -- "$dir/post.sigs" "$key" POST /api/bookings booking)
  # Made before any measured phase, so that reading it runs, like healthz, without an email
  # backlog draining beside it (a creation phase leaves thousands of emails queued).
  BENCH_RUN="first-$$" wrk -t1 -c1 -d1s "${post[@]}" >/dev/null
  sleep 2
  # PostgreSQL plans a prepared statement once per connection, on the statistics of the
  # moment: on a fresh, empty database it looked up a booking_id through the partner's
  # (partner_id, created_at) index and scanned all of the partner's bookings, until
  # autovacuum's first ANALYZE (within a minute of the first 50 bookings in service) made it
  # replan. Measured here is a store that autovacuum has seen, not that first minute: ANALYZE
  # does at once what it would.
  if [ "$kind" = postgres ]; then "$query" "ANALYZE" >/dev/null; fi
  booking_id=$("$query" "SELECT id FROM bookings LIMIT 1")
  signatures GET "/api/bookings/$booking_id" "$span" >"$dir/get.sigs"
  get=(-s bench/signed.lua "$url/api/bookings/$booking_id" -- "$dir/get.sigs" "$key" GET "/api/bookings/$booking_id")
}
