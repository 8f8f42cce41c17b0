#!/usr/bin/env bash
# bench/run-bench.sh: speed and memory of the whole pipeline (`sohoa run`)
# against OCR alone (`sohoa ocr`) on the same pages, and peak RSS of `sohoa run`
# for a small and a large batch. Prints figures, never fails.
#   bench/run-bench.sh [DOSSIERS] [PAGES_EACH] [JOBS] [BIG_DOSSIERS]
# Defaults: 40 dossiers of 5 pages (200 pages), 2 jobs, and 200 dossiers (1,000
# pages) for the memory comparison (BIG_DOSSIERS=0 skips it). Dossiers are
# image-only folders of the sample scans (samples/inbox), taken in turn.
set -euo pipefail
cd "$(dirname "$0")/.."
dossiers=${1:-40}
each=${2:-5}
jobs=${3:-2}
big=${4:-200}
build=${SOHOA_BENCH_BUILD:-build-bench}
tesseract=$(scripts/tesseract.sh)
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSOHOA_TESTS=OFF \
  -DSOHOA_TESSERACT_DIR="$tesseract" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
sohoa="$build/cli/sohoa"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
mapfile -t scans < <(find samples/inbox -type f ! -name dossier.xml | sort)

# make_inbox DIR N: N image-only dossiers of $each pages each.
make_inbox() {
  local dir=$1 n=$2 k=0
  for ((d = 1; d <= n; d++)); do
    local f
    f=$(printf "%s/BENCH-%05d" "$dir" "$d")
    mkdir -p "$f"
    for ((p = 1; p <= each; p++)); do
      local src=${scans[$((k % ${#scans[@]}))]}
      cp "$src" "$(printf "%s/%04d.%s" "$f" "$p" "${src##*.}")"
      k=$((k + 1))
    done
  done
}

calc() { python3 -c "print($1)"; }

# measure NAME CMD...: wall seconds and peak RSS (KB) into $NAME_secs / $NAME_rss.
measure() {
  local name=$1
  shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/$name.rss" "$@" >/dev/null 2>"$out/$name.err" || true
  t1=$(date +%s.%N)
  printf -v "${name}_secs" "%s" "$(calc "$t1 - $t0")"
  printf -v "${name}_rss" "%s" "$(tail -n1 "$out/$name.rss")"
}

make_inbox "$out/inbox" "$dossiers"
pages=$((dossiers * each))
mapfile -t files < <(find "$out/inbox" -type f | sort)
measure ocr "$sohoa" -q ocr --jobs "$jobs" --format alto --out "$out/ocr" "${files[@]}"
measure run "$sohoa" -q run "$out/inbox" --store "$out/store" --jobs "$jobs"
measure rerun "$sohoa" -q run "$out/inbox" --store "$out/store" --jobs "$jobs"
echo "sohoa run vs sohoa ocr: $dossiers dossiers, $pages page files, $jobs jobs ($(nproc) cores)"
printf "  sohoa ocr (ALTO only)       %7.1f s  %6.2f files/s  peak RSS %6d KB\n" \
  "$ocr_secs" "$(calc "$pages / $ocr_secs")" "$ocr_rss"
printf "  sohoa run (whole pipeline)  %7.1f s  %6.2f files/s  peak RSS %6d KB\n" \
  "$run_secs" "$(calc "$pages / $run_secs")" "$run_rss"
printf "  run / ocr speed             %7.1f %%\n" "$(calc "100 * $ocr_secs / $run_secs")"
printf "  rerun, nothing to do        %7.3f s  (%.1f ms per dossier)\n" "$rerun_secs" \
  "$(calc "1000 * $rerun_secs / $dossiers")"
if ((big > 0)); then
  make_inbox "$out/big" "$big"
  measure bigrun "$sohoa" -q run "$out/big" --store "$out/bigstore" --jobs "$jobs"
  printf "  peak RSS: %d pages %d KB, %d pages %d KB (%+.1f %%)\n" "$pages" "$run_rss" \
    $((big * each)) "$bigrun_rss" "$(calc "100 * ($bigrun_rss - $run_rss) / $run_rss")"
fi
