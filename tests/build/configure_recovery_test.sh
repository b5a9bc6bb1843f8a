#!/usr/bin/env bash
# A configure that failed or was interrupted leaves CMakeCache.txt but no generated build files;
# the next `make` must configure again and build, without `rm -rf`. Usage: SCRIPT SOURCE_DIR
set -euo pipefail
root=$1
# Run as a fresh make, not as part of the make that may be running ctest.
unset MAKEFLAGS MFLAGS MAKELEVEL
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build="$tmp/build"

# The state a failed configure leaves: a cache and no Makefile. (A real configure, then the
# generated files removed, as when CMake stops before its generate step.)
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DEMLKIT_BUILD_TESTS=OFF >/dev/null
rm -f "$build/Makefile" "$build/CMakeFiles/Makefile2"
[[ -f "$build/CMakeCache.txt" ]] || { echo "FAIL: setup left no CMakeCache.txt"; exit 1; }

# make must notice and configure again, then build (one small target: the point is the configure).
if ! make -C "$root" BUILD="$build" CMAKE_ARGS=-DEMLKIT_BUILD_TESTS=OFF TARGET=emlkit_common build \
     > "$tmp/make.log" 2>&1; then
  cat "$tmp/make.log"; echo "FAIL: make did not recover from the broken build folder"; exit 1
fi
grep -q -- "-- Build files have been written to" "$tmp/make.log" ||
  { cat "$tmp/make.log"; echo "FAIL: make did not re-run the configure step"; exit 1; }
[[ -f "$build/Makefile" ]] || { echo "FAIL: no $build/Makefile after make"; exit 1; }
[[ -f "$build/lib/libemlkit_common.a" ]] || { echo "FAIL: emlkit_common was not built"; exit 1; }

# A configured folder is not configured again.
make -C "$root" BUILD="$build" TARGET=emlkit_common build > "$tmp/make2.log" 2>&1
if grep -q -- "-- Configuring done" "$tmp/make2.log"; then
  cat "$tmp/make2.log"; echo "FAIL: make re-ran configure on a configured folder"; exit 1
fi
echo "PASS: a build folder left by a failed configure is configured again and builds"
