-- wrk script for bench/serve_load.sh: every request is a batch of BATCH
-- fresh click events (unique ids, 50 visitors per thread), so nothing is a
-- retry and the per-visitor rate limit is not what is measured.
local BATCH = tonumber(os.getenv("VOUCH_BENCH_BATCH") or "20")
-- Several wrk processes (one per instance) keep their ids apart with this.
local PREFIX = os.getenv("VOUCH_BENCH_PREFIX") or "b"
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  ok = 0
  failed = 0
end

function request()
  n = n + 1
  local events = {}
  for i = 1, BATCH do
    events[i] = string.format(
      '{"id":"%s%d-%d-%d","type":"click","at":"2026-10-01T12:00:00Z","visitor":"v-%d-%d","placement":"social-proof","target":"/p/sku-1"}',
      PREFIX, tid, n, i, tid, (n + i) % 50)
  end
  local body = '{"events":[' .. table.concat(events, ",") .. ']}'
  return wrk.format("POST", "/v1/events", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else failed = failed + 1 end
end

function done(summary, latency, requests)
  local accepted_batches, failed_batches = 0, 0
  for _, thread in ipairs(threads) do
    accepted_batches = accepted_batches + thread:get("ok")
    failed_batches = failed_batches + thread:get("failed")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("batches acknowledged: %d (%d failed), %d events each\n", accepted_batches, failed_batches, BATCH))
  io.write(string.format("accepted events/s:    %.0f\n", accepted_batches * BATCH / seconds))
  io.write(string.format("batches/s:            %.0f\n", accepted_batches / seconds))
  io.write(string.format("latency p50:          %.2f ms\n", latency:percentile(50) / 1000))
  io.write(string.format("latency p99:          %.2f ms\n", latency:percentile(99) / 1000))
end
