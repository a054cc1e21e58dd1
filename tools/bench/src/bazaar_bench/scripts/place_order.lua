-- POST /orders for wrk: every request a new Idempotency-Key, the same small order.
--   wrk ... -s place_order.lua http://host:port/orders -- <token> <sku>
local token, sku
local sequence = 0
-- Distinct per run and per wrk thread, so keys never repeat across runs.
local prefix = string.format("%x%x", os.time(), math.random(1, 0x7fffffff))

function init(args)
  token = args[1]
  sku = args[2]
end

function request()
  sequence = sequence + 1
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = string.format("bench-%s-%d", prefix, sequence),
  }
  local body = string.format('{"lines":[{"sku":"%s","quantity":1}]}', sku)
  return wrk.format("POST", nil, headers, body)
end
