-- wrk script: the seed PUT, a field changing on every request so each one appends an event.
-- Each connection cycles over 16 customers of its own (create them first: see BENCHMARKS.md).
-- usage: TOKEN=sk_... wrk -t2 -c32 -d10s -s scripts/wrk/put.lua http://127.0.0.1:8080
local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN") or ""
end

request = function()
  counter = counter + 1
  local cid = string.format("cus_%d_%d", id, counter % 16)
  local body = string.format('{"id":"%s","email":"%s@example.com","firstName":"Ada","lastName":"L%d","phone":"+44 20 7946 0000","stripe_customer_id":"cus_stripe_1","timestamp":"2024-05-01T10:00:00Z","activationDate":"2024-05-02"}', cid, cid, counter)
  local headers = {["Content-Type"] = "application/json"}
  if token ~= "" then headers["Authorization"] = "Token " .. token end
  return wrk.format("PUT", "/v1/customers/" .. cid, headers, body)
end
