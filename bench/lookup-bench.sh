#!/usr/bin/env bash
# bench/lookup-bench.sh: the lookup service under load. Builds a Release sohoa,
# fills (or reuses) a store of N generated documents with sohoa-index-bench,
# which prints in-process lookup and query latency percentiles, then serves it
# with `sohoa serve` on 127.0.0.1 and drives citizen lookups with
# `wrk -t2 -c64 -d30s`, printing requests/s and latency percentiles.
# Prints figures, never fails on them.
#   bench/lookup-bench.sh [STORE] [N] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --bench
store=${1:-/tmp/sohoa-lookup-bench}
docs=${2:-100000}
secs=${3:-30}
port=${SOHOA_BENCH_PORT:-18470}
build=${SOHOA_BENCH_BUILD:-build-bench}
tesseract=$(scripts/tesseract.sh)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSOHOA_TESTS=OFF \
  -DSOHOA_TESSERACT_DIR="$tesseract" >/dev/null
cmake --build "$build" -j"$(nproc)" --target sohoa sohoa-index-bench >/dev/null

# The catalog is measured as `sohoa run` leaves it: its full-text index
# merged into one segment (each run ends so). SOHOA_BENCH_UNMERGED=1 skips it.
echo "== in process: $docs documents"
merge=merge
[[ -z ${SOHOA_BENCH_UNMERGED:-} ]] || merge=
"$build/bench/sohoa-index-bench" "$store" "$docs" $merge

echo "== over HTTP: wrk -t2 -c64 -d${secs}s, citizen lookups"
"$build/cli/sohoa" serve --store "$store" --listen "127.0.0.1:$port" --threads 2 \
  --rate 1000000 2>/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
  sleep 0.1
done
lua=$(mktemp --suffix=.lua)
cat >"$lua" <<LUA
local ids = {}
for line in io.lines("$store/bench-citizens.txt") do ids[#ids + 1] = line end
local token = io.open("$store/bench-token"):read("*l")
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/v1/citizens/" .. ids[(n % #ids) + 1] .. "/results",
    { ["Authorization"] = "Bearer " .. token })
end
LUA
wrk -t2 -c64 -d"${secs}s" --latency -s "$lua" "http://127.0.0.1:$port"
rm -f "$lua"
