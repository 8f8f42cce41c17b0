#!/usr/bin/env bash
# scripts/deps.sh: install every Debian 12 package sohoa needs to build, test,
# run the demo and regenerate the samples, and the xadesjs test oracle's Node
# packages (`npm ci` in tests/signer/xadesjs/ when its node_modules is missing).
# Idempotent: installs only what is missing, and runs `apt-get update` only
# when something is.
#   scripts/deps.sh            build + test + demo + samples
#   scripts/deps.sh --bench    also the benchmark peers and load tools
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config clang libclang-rt-14-dev gettext curl ca-certificates
  # libraries (found with pkg-config)
  libtesseract-dev libleptonica-dev libtiff-dev libssl-dev libxml2-dev
  libsqlite3-dev libp11-dev libmicrohttpd-dev libgnutls28-dev libcurl4-openssl-dev libcmocka-dev libicu-dev
  libpoppler-glib-dev libcairo2-dev
  # OCR models
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng tesseract-ocr-osd
  # test oracles and tools
  softhsm2 opensc xmlsec1 libxml2-utils poppler-utils qpdf sqlite3 openssl
  # sample renderer
  python3 pango1.0-tools imagemagick libtiff-tools fonts-liberation2 fonts-dejavu-core
  fonts-freefont-ttf
)
# Node and npm for the xadesjs oracle, from Debian unless some node is there
# already (a NodeSource nodejs bundles npm and conflicts with Debian's npm).
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk hyperfine time ocrmypdf python3-levenshtein)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} > 0)); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "deps.sh: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
    sudo="sudo"
  fi
  echo "deps.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The xadesjs oracle (tests/signer/test_xadesjs.c): exact versions from the
# committed package-lock.json, into the source tree's tests/signer/xadesjs/;
# again when that lockfile is newer than the install (npm writes
# node_modules/.package-lock.json last, so a broken install is redone too).
xadesjs="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/signer/xadesjs"
if [[ ! "$xadesjs/node_modules/.package-lock.json" -nt "$xadesjs/package-lock.json" ]]; then
  echo "deps.sh: npm ci in $xadesjs" >&2
  (cd "$xadesjs" && npm ci --no-audit --no-fund --loglevel=error)
fi
