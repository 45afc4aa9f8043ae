-- wrk script of the serving-http benchmark.
--   wrk ... -s serving-http.lua URL [-- requests.tsv]
-- With a request file (one line per tenant: "path<TAB>X-Api-Key<TAB>JSON body"), each request is the next line's POST,
-- so consecutive requests go to different tenants and models; without one, wrk's own GET of URL.
-- WRK_DELAY_MS (environment) paces each connection: before each request it waits a random 0..2×WRK_DELAY_MS ms (mean
-- WRK_DELAY_MS), so the rate is about connections × 1000 / (WRK_DELAY_MS + latency) and arrivals do not march in step.
-- done() prints the figures on "BENCH" lines for the benchmark to read (latencies in microseconds).
local requests = {}
local next_request = 1
local mean_delay = tonumber(os.getenv("WRK_DELAY_MS") or "0")

function init(args)
  local file = args[1]
  if file == nil then
    return
  end

  for line in io.lines(file) do
    local path, key, body = line:match("^([^\t]+)\t([^\t]+)\t(.+)$")
    if path ~= nil then
      requests[#requests + 1] = wrk.format("POST", path, { ["X-Api-Key"] = key, ["Content-Type"] = "application/json" }, body)
    end
  end

  math.randomseed(os.time())
  next_request = math.random(#requests)
end

function request()
  if #requests == 0 then
    return wrk.request()
  end

  local r = requests[next_request]
  next_request = next_request % #requests + 1
  return r
end

if mean_delay > 0 then
  function delay()
    return math.random(0, 2 * mean_delay)
  end
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format("BENCH requests %d\nBENCH duration_us %d\nBENCH errors_connect %d\nBENCH errors_read %d\n",
    summary.requests, summary.duration, e.connect, e.read))
  io.write(string.format("BENCH errors_write %d\nBENCH errors_status %d\nBENCH errors_timeout %d\nBENCH mean_us %f\nBENCH max_us %d\n",
    e.write, e.status, e.timeout, latency.mean, latency.max))
  for _, p in ipairs({ 50, 90, 95, 99, 99.9 }) do
    io.write(string.format("BENCH p%s_us %d\n", tostring(p), latency:percentile(p)))
  end
end
