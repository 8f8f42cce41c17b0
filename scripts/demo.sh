#!/usr/bin/env bash
# scripts/demo.sh: install dependencies, build sohoa, make demo keys and run the
# whole pipeline on samples/inbox — OCR, index, packages, the organisation
# seal — then show the store's status, search it, let a leader sign what awaits
# a leader, verify one package and say where the outputs are.
# It grows with each capability (search, the HTTP service…).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
tesseract=$(scripts/tesseract.sh)

build=${SOHOA_DEMO_BUILD:-build}
out=${SOHOA_DEMO_OUT:-demo-out}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSOHOA_TESTS=OFF \
  -DSOHOA_TESSERACT_DIR="$tesseract" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
sohoa="$build/cli/sohoa"
keys="$out/keys"
store="$out/store"

echo "== $("$sohoa" --version | head -n1), built at $sohoa"
rm -rf "$out"
mkdir -p "$out"

echo
echo "== demo keys (a demo CA, an organisation seal, leaders) in $keys/"
"$sohoa" keys demo --out "$keys" >/dev/null
ls "$keys" | sed 's/^/   /' | head -n 8

echo
echo "== sohoa run samples/inbox --store $store --seal-key $keys/seal.key.pem"
status=0
"$sohoa" run samples/inbox --store "$store" --seal-key "$keys/seal.key.pem" \
  --cert "$keys/seal.pem" --report "$out/report.json" || status=$?
python3 - "$out/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
print("%-28s %-11s %5s %6s %6s  %s" % ("dossier", "status", "pages", "conf", "review", "package"))
for d in r["dossiers"]:
    print("%-28s %-11s %5d %6.1f %6d  %s" % (d["folder"], d["status"], d["pages"],
          d["mean_confidence"], d["needs_review"], d["package"] or d["error"]))
t = r["totals"]
print("%d dossiers, %d pages in %.1f s (%.2f pages/s), %d quarantined" % (
      t["dossiers"], t["pages"], t["seconds"], t["pages_per_second"], t["quarantined"]))
PY

echo
echo "== run it again: nothing to do, every dossier already packaged"
start=$(date +%s.%N)
"$sohoa" run samples/inbox --store "$store" --seal-key "$keys/seal.key.pem" \
  --cert "$keys/seal.pem" || status=$?
python3 -c 'import sys,time; print("   %.3f s" % (time.time() - float(sys.argv[1])))' "$start"

echo
echo "== sohoa status --store $store"
"$sohoa" status --store "$store" | sed 's/^/   /'

echo
echo "== indexed as they were packaged: sohoa search --store $store --limit 3 \"kinh doanh\""
"$sohoa" search --store "$store" --limit 3 "kinh doanh" | sed 's/^/   /' || status=$?
echo "== sohoa lookup --store $store --citizen-id 048186007321"
"$sohoa" lookup --store "$store" --citizen-id 048186007321 | sed 's/^/   /' || status=$?

echo
echo "== a leader signs what awaits a leader: sohoa sign --pending --store $store --key leader-rsa.key.pem"
"$sohoa" sign --pending --store "$store" --key "$keys/leader-rsa.key.pem" \
  --cert "$keys/leader-rsa.pem" --yes 2>/dev/null | sed 's/^/   /' || status=$?

one="$store/packages/000.00.15.H40-231009-0032"
echo
echo "== sohoa verify --trust $keys/root-ca.pem $one"
"$sohoa" verify --trust "$keys/root-ca.pem" "$one" | sed 's/^/   /' || status=$?

echo
echo "== where the outputs are"
echo "   packages:   $store/packages/<dossier code>/  (package.xml, pages/, docs/)"
echo "   e.g. $one:"
(cd "$one" && find . -type f | sort | sed 's/^\.\//     /')
echo "   journal:    $store/catalog.sqlite (sohoa status [--json])"
echo "   report:     $out/report.json"
echo "   quarantine: $store/quarantine/ (one folder per failed dossier, with reason.txt)"
echo "Text of one document: $one/docs/1.txt; searchable PDF: $one/docs/1.pdf"
exit $status
