-- wrk script of the backend benchmark: sends the requests of one scenario with the admin's
-- session cookie, and prints the figures as one JSON line that the bench program reads.
--
-- Environment: BENCH_SCENARIO is "get", "create" or "post". "get" cycles through the paths in
-- BENCH_PATHS, one a line. "create" sends POST /api/v1/users with a new valid user each time.
-- "post" sends the JSON BENCH_BODY to the one path in BENCH_PATHS each time. BENCH_COOKIE is
-- the Cookie header, and BENCH_RUN makes the usernames of a run differ from other runs'.

local scenario = os.getenv("BENCH_SCENARIO")
local run = os.getenv("BENCH_RUN") or "0"
local cookie = os.getenv("BENCH_COOKIE")
local body = os.getenv("BENCH_BODY")
wrk.headers["Cookie"] = cookie
-- wrk.format uses these instead of wrk.headers, so they repeat the cookie.
local json_headers = {
  ["Cookie"] = cookie,
  ["Content-Type"] = "application/json",
  ["X-Requested-With"] = "console",
}

local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^\n]+") do
   paths[#paths + 1] = path
end

-- Each thread gets its own number, so threads start at different paths and make
-- different usernames.
local thread_count = 0
function setup(thread)
   thread:set("thread_number", thread_count)
   thread_count = thread_count + 1
end

local sent = 0

local function next_get()
   local index = (sent * 7919 + (thread_number or 0) * 104729) % #paths + 1
   return wrk.format("GET", paths[index])
end

local function next_create()
   local username = string.format("bench.r%s.t%d.n%d", run, thread_number or 0, sent)
   local body = string.format(
      '{"username":"%s","first_name":"Bench","last_name":"Load %d","email":"%s@bench.example",' ..
      '"work_phone":"+14155550%03d","admin_level":"basic_user","roles":["reporting"],' ..
      '"account_ids":[1,%d]}',
      username, sent, username, sent % 1000, 2 + sent % 3)
   return wrk.format("POST", "/api/v1/users", json_headers, body)
end

function request()
   sent = sent + 1
   if scenario == "create" then
      return next_create()
   end
   if scenario == "post" then
      return wrk.format("POST", paths[1], json_headers, body)
   end
   return next_get()
end

function done(summary, latency, requests)
   local errors = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,' ..
      '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p95_us":%d,' ..
      '"p99_us":%d,"mean_us":%.1f,"max_us":%d}\n',
      summary.requests, summary.duration, errors.connect, errors.read, errors.write,
      errors.status, errors.timeout, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.mean, latency.max))
end
