-- wrk script: GET one of the customers put.lua created.
-- usage: TOKEN=sk_... wrk -t2 -c32 -d10s -s scripts/wrk/get.lua http://127.0.0.1:8080
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  token = os.getenv("TOKEN") or ""
  math.randomseed(id + 1)
end

request = function()
  local cid = string.format("cus_%d_%d", math.random(0, 1), math.random(0, 15))
  local headers = {}
  if token ~= "" then headers["Authorization"] = "Token " .. token end
  return wrk.format("GET", "/v1/customers/" .. cid, headers)
end
