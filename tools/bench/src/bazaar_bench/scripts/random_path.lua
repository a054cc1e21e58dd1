-- For wrk: every request a GET of a path picked at random from a file, one path a line.
--   wrk ... -s random_path.lua http://host:port -- <file of paths>
-- wrk's -H headers (the token) go with each request. Each thread reads the
-- file once, and draws from its own seed.
local paths = {}

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  if #paths == 0 then
    error("random_path.lua: no paths in " .. args[1])
  end
  math.randomseed(os.time() + #paths)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
