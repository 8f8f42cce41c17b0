#!/usr/bin/env bash
# scripts/test.sh: install dependencies, build with -Werror under ASan+UBSan,
# run every test with ctest. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
tesseract=$(scripts/tesseract.sh)

jobs=$(nproc)
build=${SOHOA_TEST_BUILD:-build-test}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSOHOA_WERROR=ON -DSOHOA_SANITIZE=ON -DSOHOA_TESTS=ON -DSOHOA_TESSERACT_DIR="$tesseract"
cmake --build "$build" -j"$jobs"
(cd "$build" && ctest --output-on-failure -j"$jobs")

# The fuzz targets must keep building and must replay their seed corpora.
if [[ -f fuzz/CMakeLists.txt ]] && command -v clang >/dev/null; then
  CC=clang cmake -S . -B "$build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSOHOA_WERROR=ON -DSOHOA_SANITIZE=ON -DSOHOA_TESTS=OFF -DSOHOA_FUZZ=ON \
    -DSOHOA_TESSERACT_DIR="$tesseract"
  cmake --build "$build-fuzz" -j"$jobs"
  (cd "$build-fuzz" && ctest --output-on-failure -j"$jobs")
fi
