#!/usr/bin/env bash
# scripts/tesseract.sh: build Debian 12's own Tesseract source (the version of
# the installed libtesseract-dev, 5.3.0) as a shared library with link-time
# optimisation, into .deps/tesseract-<version>/, and print that directory.
#
# Why: Debian compiles libtesseract without LTO, so the small accessors of the
# LSTM's bookkeeping (StrideMap::Index, NetworkIO) are out-of-line calls
# through the PLT. The same source built with -flto -fno-semantic-interposition
# recognises the same text byte for byte with about a fifth less CPU
# (docs/ocr.md, "The Tesseract library").
# The LSTM's element-wise steps branched on the sign of every value, a coin
# toss for the branch predictor: scripts/tesseract/*.patch take those
# branches out (same results, bit for bit).
# The models stay Debian's (tesseract-ocr-vie/-eng/-osd). Tesseract's CMake
# compiles its dot products with -march=native: the result is for this machine,
# so .deps/ is per clone and never copied elsewhere.
#
# Idempotent: does nothing when the stamp of a finished build by this very
# script and its patches (their checksum) is there; a changed script or
# patch builds again.
# Needs only what scripts/deps.sh installs (cmake, g++, libleptonica-dev, curl).
#   scripts/tesseract.sh          build if needed, print the install prefix
# When the source cannot be had or built (no network, a failed build), it says
# so on stderr and prints nothing: callers then build with Debian's
# libtesseract (the same text, slower) rather than not at all.
#   SOHOA_DEPS_DIR=DIR            build under DIR instead of <repo>/.deps
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

version=5.3.0
# From Debian's tesseract_5.3.0-2.dsc (Checksums-Sha256).
sha256=7e70870f8341e5ea228af2836ce79a36eefa11b01b56177b4a8997f330c014b8
url=${SOHOA_TESSERACT_URL:-https://deb.debian.org/debian/pool/main/t/tesseract/tesseract_${version}.orig.tar.gz}

# give_up REASON: fall back to Debian's library (see above).
give_up() {
  echo "tesseract.sh: $1; using Debian's libtesseract instead (same text, about a fifth more CPU)" >&2
  exit 0
}

deps=${SOHOA_DEPS_DIR:-$root/.deps}
prefix=$deps/tesseract-$version
stamp=$prefix/.sohoa-built
patches=("$root"/scripts/tesseract/*.patch)
recipe=$(cat "${BASH_SOURCE[0]}" "${patches[@]}" | sha256sum | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$recipe" ]]; then
  echo "$prefix"
  exit 0
fi

installed=$(dpkg-query -W -f='${Version}' libtesseract-dev 2>/dev/null || true)
[[ "${installed%%-*}" == "$version" ]] ||
  give_up "libtesseract-dev is '${installed:-not installed}', not $version-* (Debian 12)"

work=$(mktemp -d "${TMPDIR:-/tmp}/sohoa-tesseract.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "tesseract.sh: building Tesseract $version with LTO into $prefix (about 4 minutes on 2 cores)" >&2
curl -fsSL --retry 3 -o "$work/src.tar.gz" "$url" || give_up "cannot download $url"
echo "$sha256  $work/src.tar.gz" | sha256sum -c --status ||
  give_up "$url does not match Debian's checksum $sha256"
tar -xzf "$work/src.tar.gz" -C "$work" || give_up "cannot unpack $url"

# Our patches (scripts/tesseract/): the LSTM's per-element steps without
# data-dependent branches (tanh and logistic by table, the rounding of its
# outputs to int8, the max-pool). Same arithmetic, the same text and
# confidences byte for byte; about 15% less CPU per page (docs/ocr.md).
for patch in "${patches[@]}"; do
  patch -d "$work/tesseract-$version" -p1 -s --forward < "$patch" ||
    give_up "cannot apply $(basename "$patch")"
done

# On a CPU with AVX512-VNNI, the step of the int8 matrix product that the
# LSTM spends its time in (weights times four inputs: sign, multiply-add
# twice, add) is one vpdpbusd instruction. Same sums, same text byte for
# byte; about 3% less CPU per page (docs/ocr.md). Built for this machine
# only, like the -march=native dot products: the kernel is chosen at run
# time by AVX2 support, so this library must not run on a CPU without VNNI.
kernel=$work/tesseract-$version/src/arch/intsimdmatrixavx2.cpp
if grep -qw avx512_vnni /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo; then
  perl -0pi -e 's/(  weights = _mm256_sign_epi8\(weights, weights\);\n)/$1#  if defined(__AVX512VNNI__) \&\& defined(__AVX512VL__)\n  (void)ones;\n  result = _mm256_dpbusd_epi32(result, weights, reps);\n  return;\n#  endif\n/' "$kernel"
  perl -pi -e 's/set\(AVX2_COMPILE_FLAGS "-mavx2"\)/set(AVX2_COMPILE_FLAGS "-mavx2 -mavx512vnni -mavx512vl")/' \
    "$work/tesseract-$version/CMakeLists.txt"
  # (either edit alone leaves the AVX2 code as it was)
  if grep -q _mm256_dpbusd_epi32 "$kernel" && grep -q mavx512vnni "$work/tesseract-$version/CMakeLists.txt"; then
    echo "tesseract.sh: this CPU has AVX512-VNNI; the int8 matrix product uses it" >&2
  else
    echo "tesseract.sh: could not set $kernel up for AVX512-VNNI; it stays AVX2" >&2
  fi
fi

# Debian's library looks for models in /usr/share/tesseract-ocr/5/tessdata;
# so does this one (Tesseract's CMake build would otherwise look in ./).
cat > "$work/debian-paths.cmake" <<'EOF'
add_compile_definitions(TESSDATA_PREFIX="/usr/share/tesseract-ocr/5")
EOF

cmake -S "$work/tesseract-$version" -B "$work/build" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCMAKE_PROJECT_INCLUDE="$work/debian-paths.cmake" \
  -DCMAKE_CXX_FLAGS="-fno-semantic-interposition" \
  -DBUILD_SHARED_LIBS=ON -DENABLE_LTO=ON -DOPENMP_BUILD=OFF \
  -DBUILD_TRAINING_TOOLS=OFF -DGRAPHICS_DISABLED=ON -DDISABLE_ARCHIVE=ON \
  -DDISABLE_CURL=ON -DSW_BUILD=OFF -DINSTALL_CONFIGS=OFF >"$work/configure.log" 2>&1 ||
  { tail -n 30 "$work/configure.log" >&2; give_up "configuring the build failed"; }
cmake --build "$work/build" -j"$(nproc)" >"$work/build.log" 2>&1 ||
  { grep -m 20 -B 2 -A 5 'error' "$work/build.log" >&2; give_up "the build failed"; }
rm -rf "$prefix"
cmake --install "$work/build" >/dev/null || { rm -rf "$prefix"; give_up "installing into $prefix failed"; }
echo "$recipe" > "$stamp"
echo "$prefix"
