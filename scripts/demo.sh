#!/usr/bin/env bash
# scripts/demo.sh: install dependencies, build sohoa, and run the furthest stage
# that exists on samples/ — today the OCR stage — showing its output. It grows
# with each capability (packages, signatures, the HTTP service…).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

build=${SOHOA_DEMO_BUILD:-build}
out=${SOHOA_DEMO_OUT:-demo-out}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSOHOA_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
sohoa="$build/cli/sohoa"

echo "== $("$sohoa" --version | head -n1), built at $sohoa"
echo
echo "== OCR of every page of the sample dossiers (samples/inbox) into $out/"
rm -rf "$out"
mkdir -p "$out"
status=0
for d in samples/inbox/*/; do
  code=$(basename "$d")
  mapfile -t pages < <(find "$d" -maxdepth 1 -type f ! -name dossier.xml | sort)
  "$sohoa" ocr --format json --out "$out/$code" "${pages[@]}" || status=$?
done

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
print("%-28s %-9s %4s %6s %6s %5s %6s  %s" % ("dossier", "file", "page", "turned", "skew", "dpi", "conf", "review"))
for code in sorted(os.listdir(out)):
    for name in sorted(f for f in os.listdir(os.path.join(out, code)) if f.endswith(".json")):
        d = json.load(open(os.path.join(out, code, name), encoding="utf-8"))
        for p in d["pages"]:
            print("%-28s %-9s %4d %5d° %5.1f° %5d %6.1f  %s" % (
                code, os.path.basename(d["source"]), p["page"], p["rotation"], p["skew"],
                p["dpi"], p["mean_confidence"], "yes" if p["needs_review"] else "no"))
PY
one="$out/000.00.15.H40-231009-0032/0004.json"
echo
echo "== text of $one (a red seal over the signer block):"
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pages"][0]["text"])' "$one" | sed 's/^/   /'
echo "The JSON of every page (text, lines, words with boxes and confidences) is in $out/."
echo "Measure accuracy against the ground truth: python3 bench/ocr_eval.py --samples samples"
exit $status
