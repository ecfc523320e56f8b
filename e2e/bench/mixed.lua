-- A mixed profile: one ranking submission (PUT $WRITE_PATH with $BODY) to four reads of the
-- trainee's own list ($READ_PATH), as before a deadline.
local token = "Bearer " .. os.getenv("TOKEN")
wrk.headers["Authorization"] = token
local write_path, read_path, body = os.getenv("WRITE_PATH"), os.getenv("READ_PATH"), os.getenv("BODY")
local count = 0
request = function()
  count = count + 1
  if count % 5 == 0 then
    -- Headers given here replace wrk.headers, so the token goes again.
    return wrk.format("PUT", write_path, {["Authorization"] = token, ["Content-Type"] = "application/json"}, body)
  end
  return wrk.format("GET", read_path)
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx-or-3xx: %d\n", summary.errors.status))
end
