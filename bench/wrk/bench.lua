-- wrk script of the survey throughput benchmark (bench/run.py runs it).
--
--   BENCH_WRK_MODE=get|post wrk -s bench.lua URL -- EXPECTED MAX_PER_THREAD RUN_ID [BODY COOKIE]
--
-- Counts responses with the EXPECTED status as successes and every other
-- status as an error (a survey POST that fails validation answers 200 with the
-- form, which wrk alone would count as a success). Each thread stops after
-- MAX_PER_THREAD responses, so a run is bounded in count as well as by -d.
-- In post mode every request carries a new address
-- bench-RUN_ID-THREAD-N@example.org in place of __EMAIL__ in the BODY file,
-- and the COOKIE header that goes with the body's CSRF token.
-- done() prints one line "BENCH_JSON {...}" that the harness parses.

local threads = {}
local mode = os.getenv("BENCH_WRK_MODE") or "get"

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  expected = tonumber(args[1])
  max_requests = tonumber(args[2])
  run_id = args[3]
  ok, bad, sent, last_bad = 0, 0, 0, 0
  if mode == "post" then
    local file = assert(io.open(args[4], "r"))
    template = file:read("*a")
    file:close()
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["Cookie"] = args[5]
  end
end

if mode == "post" then
  function request()
    sent = sent + 1
    local email = string.format("bench-%s-%d-%d%%40example.org", run_id, tid, sent)
    local body = template:gsub("__EMAIL__", function() return email end)
    return wrk.format(nil, nil, nil, body)
  end
end

function response(status, headers, body)
  if status == expected then
    ok = ok + 1
  else
    bad = bad + 1
    last_bad = status
  end
  if ok + bad >= max_requests then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local ok_total, bad_total, last_bad_status = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok_total = ok_total + (thread:get("ok") or 0)
    bad_total = bad_total + (thread:get("bad") or 0)
    if (thread:get("last_bad") or 0) ~= 0 then last_bad_status = thread:get("last_bad") end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "ok": %d, '
      .. '"unexpected_status": %d, "last_unexpected_status": %d, "connect_errors": %d, '
      .. '"read_errors": %d, "write_errors": %d, "timeouts": %d, "p50_us": %d, '
      .. '"p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, ok_total, bad_total, last_bad_status,
    errors.connect, errors.read, errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
