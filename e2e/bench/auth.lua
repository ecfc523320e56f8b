-- Every request carries the token in $TOKEN; $METHOD (default GET) and $BODY (JSON) optional.
wrk.method = os.getenv("METHOD") or "GET"
local token = os.getenv("TOKEN") or ""
if token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
local body = os.getenv("BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

-- With $STATUS_LOG set, each thread counts the statuses it saw and prints them at the end.
local statuses = {}
if os.getenv("STATUS_LOG") then
  response = function(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
    if status >= 400 and (statuses[status] or 0) <= 2 then io.write(status, " ", body, "\n") end
  end
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx-or-3xx: %d\n", summary.errors.status))
end
