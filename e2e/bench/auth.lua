-- Every request carries the token in $TOKEN; $METHOD (default GET) and $BODY (JSON) optional.
wrk.method = os.getenv("METHOD") or "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local body = os.getenv("BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx-or-3xx: %d\n", summary.errors.status))
end
