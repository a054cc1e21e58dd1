-- For wrk -t1: counts each answer's status and X-Cache-Status ("none" when the
-- answer has no such header), and prints them after wrk's report as
--   tally status 200 12345
--   tally x-cache-status hit 12000
-- The requests are wrk's own (its -H headers apply): defining no request()
-- keeps them. Each thread has a Lua state of its own; done() runs in the main
-- one, so setup() keeps the thread to read its counts back with thread:get.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

counts = {}

local function add(key)
  counts[key] = (counts[key] or 0) + 1
end

function response(status, headers, body)
  add("status " .. status)
  local cache = "none"
  for name, value in pairs(headers) do
    if string.lower(name) == "x-cache-status" then
      cache = string.lower(value)
    end
  end
  add("x-cache-status " .. cache)
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for key, count in pairs(thread:get("counts")) do
      io.write(string.format("tally %s %d\n", key, count))
    end
  end
end
