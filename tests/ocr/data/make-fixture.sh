#!/usr/bin/env bash
# tests/ocr/data/make-fixture.sh: renders page.txt into page.tif, the clean
# 300 dpi bilevel G4 page the OCR tests degrade in memory (rotation, skew,
# seal, speckle, fading, JPEG, missing resolution). Rerun after editing page.txt.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pango-view --font="Liberation Serif 13" --dpi=300 --margin=150 \
  -q -o "$tmp/page.png" page.txt
convert "$tmp/page.png" -colorspace gray -threshold 60% -density 300 -units PixelsPerInch \
  -compress Group4 -define tiff:rows-per-strip=4096 +set date:create +set date:modify \
  -strip page.tif
