#!/usr/bin/env bash
# scripts/demo.sh: install dependencies, build sohoa, and run the furthest stage
# that exists on samples/, showing its output. It grows with each capability.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh

build=${SOHOA_DEMO_BUILD:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSOHOA_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
sohoa="$build/cli/sohoa"

echo "== $("$sohoa" --version | head -n1) built at $sohoa"
"$sohoa" --version | tail -n +2
echo
echo "== sample dossiers in samples/inbox"
for d in samples/inbox/*/; do
  code=$(basename "$d")
  pages=$(find "$d" -maxdepth 1 -type f ! -name dossier.xml | wc -l)
  title=$(grep -o '<procedure[^>]*>[^<]*' "$d/dossier.xml" | sed 's/.*>//')
  printf '  %-28s %-40s %d page files\n' "$code" "$title" "$pages"
done
echo
echo "== commands"
"$sohoa" --help | sed -n '/^Commands:/,/^$/p'
