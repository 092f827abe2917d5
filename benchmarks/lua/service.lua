-- wrk script of `make bench-service`: one request shape (method, body, token) from the environment,
-- and a bound on the requests of the (one) thread (BENCH_MAX_REQUESTS), besides wrk's own -d bound.
wrk.method = os.getenv("BENCH_METHOD") or "GET"
wrk.body = os.getenv("BENCH_BODY")
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["X-Purpose"] = "benchmark"
if wrk.body then wrk.headers["Content-Type"] = "application/json" end

local max = tonumber(os.getenv("BENCH_MAX_REQUESTS") or "0")
local done = 0

function response(status, headers, body)
  done = done + 1
  if max > 0 and done >= max then wrk.thread:stop() end
end
