# What the HTTP benchmarks share; sourced by bench/http_bench and bench/outbox_bench.
#
#   source bench/lib.sh
#   server=$(server_binary)                   # $TRIPSIMD, or build/bin/tripsimd built Release
#   start_tripsimd "$work" --mail smtp://...  # sets server_pid, url, key, secret
#   signatures POST /api/bookings 120 >sigs   # one signature per second, for wrk's signed.lua

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
