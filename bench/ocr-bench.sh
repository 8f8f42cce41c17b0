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
tesseract=$(scripts/tesseract.sh)
set_dir=${1:-/tmp/sohoa-ocr-bench}
jobs=${2:-2}
build=build-bench
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSOHOA_TESTS=OFF \
  -DSOHOA_TESSERACT_DIR="$tesseract" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
"$build/cli/sohoa" --version | grep 'Tesseract from' || true
if [[ ! -f "$set_dir/set.tsv" ]]; then
  python3 scripts/make-samples.py --set "$set_dir" --seed 101 --count 30 >/dev/null
fi
mapfile -t images < <(tail -n +2 "$set_dir/set.tsv" | cut -f1 | sort -u | sed "s|^|$set_dir/|")
pages=$(($(wc -l < "$set_dir/set.tsv") - 1))
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# tesseract_cli BINARY: every image through one tesseract process, one after
# another; sets cli_ns (wall time) and cli_rss (peak over the processes, KB).
tesseract_cli() {
  local t0 r img
  cli_rss=0
  t0=$(date +%s%N)
  for img in "${images[@]}"; do
    OMP_THREAD_LIMIT=1 /usr/bin/time -f "%M" -o "$out/t.rss" \
      "$1" "$img" "$out/t" -l vie >/dev/null 2>&1 || true
    r=$(cat "$out/t.rss"); ((r > cli_rss)) && cli_rss=$r
  done
  cli_ns=$(($(date +%s%N) - t0))
}

t0=$(date +%s%N)
/usr/bin/time -f "%M" -o "$out/sohoa.rss" "$build/cli/sohoa" -q ocr --jobs "$jobs" --out "$out/sohoa" "${images[@]}" || true
sohoa_ns=$(($(date +%s%N) - t0))
tesseract_cli /usr/bin/tesseract
debian_ns=$cli_ns debian_rss=$cli_rss
# For reference, not for the ratio: the CLI of the Tesseract sohoa links
# (same source, built with LTO by scripts/tesseract.sh), when there is one.
cli_ns=0 cli_rss=0
if [[ -n "$tesseract" ]]; then
  LD_LIBRARY_PATH="$tesseract/lib" tesseract_cli "$tesseract/bin/tesseract"
fi

python3 - "$pages" "$sohoa_ns" "$debian_ns" "$cli_ns" "$(cat "$out/sohoa.rss")" "$debian_rss" "$cli_rss" "$jobs" <<'PY'
import sys
pages = int(sys.argv[1])
ts, td, tl = (int(a) / 1e9 for a in sys.argv[2:5])
rs, rd, rl = (int(a) / 1024 for a in sys.argv[5:8])
jobs = sys.argv[8]
ps, pd = pages / ts, pages / td
print(f"pages: {pages}")
print(f"sohoa ocr --jobs {jobs}: {ps:.2f} pages/s, peak RSS {rs:.0f} MB")
print(f"tesseract CLI (Debian's, sequential): {pd:.2f} pages/s, peak RSS {rd:.0f} MB")
print(f"speed ratio sohoa/tesseract: {ps/pd:.2f}x")
if tl > 0:
    pl = pages / tl
    print(f"(reference: tesseract CLI built with LTO like sohoa's library: {pl:.2f} pages/s, "
          f"peak RSS {rl:.0f} MB; sohoa/it {ps/pl:.2f}x)")
else:
    print("(reference: no LTO build of Tesseract, sohoa links Debian's; see scripts/tesseract.sh)")
PY
python3 bench/ocr_eval.py --sohoa "$build/cli/sohoa" --set "$set_dir" --jobs "$jobs" --tesseract | tail -n 2
