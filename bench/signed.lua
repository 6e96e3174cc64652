-- wrk script: signed partner API requests, as the partner guide signs them.
-- The guide's signature covers timestamp + METHOD + path only, so bench/http_bench
-- precomputes one signature per second of the run (file: "<ms-timestamp> <hex signature>").
-- Args: <signature file> <api key> <method> <path> [booking] [delay ms]
-- With "booking", every request is a POST /api/bookings with a unique booking_id.
-- With a delay, each connection waits that long after a response before its next request.
local sigs = {}
local api_key, method, path, make_booking
local pause = 0
local counter = 0
local thread_id = 0
local departure = os.date("!%Y-%m-%d", os.time() + 30 * 86400)

-- BENCH_RUN names this wrk run, so that booking_ids never repeat across runs (a repeat would be
-- answered 200 from the stored booking instead of creating one).
local run_tag = os.getenv("BENCH_RUN") or tostring(os.time())
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("id", run_tag .. "-" .. next_thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local ts, sig = line:match("^(%d+) (%x+)$")
    if ts then sigs[ts] = sig end
  end
  api_key, method, path, make_booking = args[2], args[3], args[4], args[5] == "booking"
  pause = tonumber(args[6] or "0") or 0
  thread_id = id or "0"
  -- wrk calls delay() and response() for every request when they exist; without a pause or a
  -- booking to check they are dropped, so that a signed GET costs the client what an unsigned
  -- one does (wrk counts responses of 400 and above itself).
  if pause == 0 then delay = nil end
  if not make_booking then response = nil end
end

-- Without a body, every request of one second is the same: it is formatted once per second, so
-- that the client spends on a signed GET about what it spends on an unsigned one.
local cached_second, cached_request

function request()
  local now = os.time()
  if not make_booking and now == cached_second then return cached_request end
  local ts = tostring(now) .. "000"
  local headers = {
    ["x-api-key"] = api_key,
    ["x-timestamp"] = ts,
    ["x-signature"] = sigs[ts] or "missing",
    ["Content-Type"] = "application/json",
  }
  local body = nil
  if make_booking then
    counter = counter + 1
    body = string.format(
      '{"booking_id":"BENCH-%s-%d","departure_date":"%s","email":"traveller%d@example.com",' ..
      '"first_name":"Ada","last_name":"Lovelace","package_specifications":[{"destination":"FR"}],' ..
      '"communication_options":{"should_send_message":true,"channels":["EMAIL"]}}',
      thread_id, counter, departure, counter)
  end
  local req = wrk.format(method, path, headers, body)
  cached_second, cached_request = now, req
  return req
end

function delay()
  return pause
end

local errors = 0
function response(status, headers, body)
  if status ~= 201 and make_booking or status >= 300 then
    errors = errors + 1
    if errors <= 3 then io.stderr:write("unexpected HTTP " .. status .. ": " .. body .. "\n") end
  end
end
