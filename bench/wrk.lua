-- Drives signed-in pages: each line of the targets file is "<cookie>\t<path>", one per
-- signed-in person, used in turn so that every request carries a real server-side session.
local targets = {}
local counter = 0
local threads = {}
-- Anything but 200 is an error here: a 302 to sign-in is a page that was not served.
not_ok = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    local cookie, path = line:match("^(.-)\t(.*)$")
    table.insert(targets, {cookie = cookie, path = path})
  end
  counter = math.random(#targets)
end

function request()
  counter = counter % #targets + 1
  local t = targets[counter]
  return wrk.format("GET", t.path, {["Cookie"] = t.cookie})
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("not_ok")
  end
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, bad, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
