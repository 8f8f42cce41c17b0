#!/usr/bin/env bash
# bench/ocr-bench.sh: speed, memory and accuracy of `sohoa ocr` against the
# tesseract CLI on the same pages, in the same run. Prints figures, never fails.
#   bench/ocr-bench.sh [SET_DIR] [JOBS]
# SET_DIR is a page set made by `scripts/make-samples.py --set` (default: one is
# rendered into /tmp/sohoa-ocr-bench, seed 101, 30 images). The tesseract CLI
# runs one process per image file (-l vie, OMP_THREAD_LIMIT=1), one after another.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --bench
set_dir=${1:-/tmp/sohoa-ocr-bench}
jobs=${2:-2}
build=build-bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSOHOA_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
if [[ ! -f "$set_dir/set.tsv" ]]; then
  python3 scripts/make-samples.py --set "$set_dir" --seed 101 --count 30 >/dev/null
fi
mapfile -t images < <(tail -n +2 "$set_dir/set.tsv" | cut -f1 | sort -u | sed "s|^|$set_dir/|")
pages=$(($(wc -l < "$set_dir/set.tsv") - 1))
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

t0=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$out/sohoa.rss" "$build/cli/sohoa" -q ocr --jobs "$jobs" --out "$out/sohoa" "${images[@]}" || true
t1=$(date +%s.%N)
peak_t=0
for img in "${images[@]}"; do
  OMP_THREAD_LIMIT=1 /usr/bin/time -f "%M" -o "$out/t.rss" tesseract "$img" "$out/t" -l vie >/dev/null 2>&1 || true
  r=$(cat "$out/t.rss"); ((r > peak_t)) && peak_t=$r
done
t2=$(date +%s.%N)

python3 - "$pages" "$t0" "$t1" "$t2" "$(cat "$out/sohoa.rss")" "$peak_t" "$jobs" <<'PY'
import sys
pages, t0, t1, t2, rs, rt, jobs = int(sys.argv[1]), *map(float, sys.argv[2:5]), int(sys.argv[5]), int(sys.argv[6]), sys.argv[7]
ps, pt = pages / (t1 - t0), pages / (t2 - t1)
print(f"pages: {pages}")
print(f"sohoa ocr --jobs {jobs}: {ps:.2f} pages/s, peak RSS {rs/1024:.0f} MB")
print(f"tesseract CLI (sequential): {pt:.2f} pages/s, peak RSS {rt/1024:.0f} MB")
print(f"speed ratio sohoa/tesseract: {ps/pt:.2f}x")
PY
python3 bench/ocr_eval.py --sohoa "$build/cli/sohoa" --set "$set_dir" --jobs "$jobs" --tesseract | tail -n 2
