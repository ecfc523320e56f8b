-- Ranking submissions by many trainees in turn: each request is the next trainee's, with their
-- own token and list, read from the Lua file in $TRAINEES (a list of {token = ..., body = ...}).
local trainees = dofile(os.getenv("TRAINEES"))
local next_one = 0

request = function()
  next_one = next_one % #trainees + 1
  local trainee = trainees[next_one]
  return wrk.format("PUT", nil, {
    ["Authorization"] = "Bearer " .. trainee.token,
    ["Content-Type"] = "application/json",
  }, trainee.body)
end

done = function(summary, latency, requests)
  io.write(string.format("non-2xx-or-3xx: %d\n", summary.errors.status))
end
