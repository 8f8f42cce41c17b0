#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS]: build the libFuzzer targets in fuzz/ with clang
# (ASan+UBSan) and run each for SECONDS (default 60) over a copy of its seed
# corpus; prints executions per target and any crash, leak or timeout file.
# Exits 1 if any target found something. Installs nothing itself.
# Targets: one per folder of fuzz/corpus/ — fuzz_xml, fuzz_manifest (dossier.xml
# parsed, and a package made from it round-tripped), fuzz_package (package.xml
# read, written and read again), fuzz_verify (signature verification),
# fuzz_image_probe (image headers), fuzz_image_decode (probe + decoding of the
# first and last page, PDF rendering included), fuzz_ocr_words (the words of
# a page tidied, marks from context included, and laid out) and
# fuzz_http_request (request targets of sohoa serve: path segments,
# percent-decoding, search parameters).
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${1:-60}
if ! [[ "$secs" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS]" >&2
  exit 2
fi
if [[ -f scripts/deps.sh ]]; then
  bash scripts/deps.sh
fi
tesseract=$(scripts/tesseract.sh)

build=${SOHOA_FUZZ_BUILD:-build-fuzz}
out="$build/fuzz-out"
CC=${CC:-clang} cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSOHOA_FUZZ=ON -DSOHOA_SANITIZE=ON -DSOHOA_TESTS=OFF -DSOHOA_WERROR=ON \
  -DSOHOA_TESSERACT_DIR="$tesseract" >/dev/null
cmake --build "$build" -j"$(nproc)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
found=0
summary=()
for seeds in fuzz/corpus/*/; do
  target=$(basename "$seeds")
  bin="$build/fuzz/$target"
  [[ -x "$bin" ]] || { echo "fuzz.sh: $bin was not built" >&2; exit 1; }
  work="$out/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus"
  cp "$seeds"* "$work/corpus/"
  # close_fd_mask=3: the libraries' chatter (libjpeg, libtiff) stays out of the
  # way; sanitizer and libFuzzer reports still reach the log.
  args=(-max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -close_fd_mask=3
    -print_final_stats=1 -artifact_prefix="$work/")
  [[ -f "fuzz/$target.dict" ]] && args+=(-dict="fuzz/$target.dict")
  echo "== $target: ${secs}s over $(ls "$work/corpus" | wc -l) seeds" >&2
  status=0
  "$bin" "${args[@]}" "$work/corpus" >"$work/log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
  line="$target: ${runs:-?} executions (${rate:-?}/s), corpus $(ls "$work/corpus" | wc -l)"
  artifacts=$(find "$work" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' \
    -o -name 'timeout-*' -o -name 'oom-*' \) | sort)
  if [[ $status -ne 0 || -n "$artifacts" ]]; then
    found=1
    line+=", FAILED (exit $status)"
    grep -E -A40 '^==[0-9]+==ERROR|runtime error|ALARM|out-of-memory' "$work/log" | head -60 >&2 || true
    for a in $artifacts; do line+=$'\n'"  $a"; done
    line+=$'\n'"  log: $work/log"
  fi
  summary+=("$line")
done
printf '%s\n' "${summary[@]}"
exit $found
