#!/usr/bin/env bash
# `make demo` in a tree with no build folder installs the build packages before it runs CMake, and
# `make test` installs the test set first. Usage: SCRIPT SOURCE_DIR
set -euo pipefail
root=$1
unset MAKEFLAGS MFLAGS MAKELEVEL
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check_order() {  # TARGET EXPECTED_BOOTSTRAP_LINE
  local target=$1 want=$2 log="$tmp/$1.log"
  make -n -C "$root" BUILD="$tmp/no-build-yet" "$target" > "$log" 2>&1 ||
    { cat "$log"; echo "FAIL: make -n $target failed"; exit 1; }
  local boot cm
  boot=$(grep -n -x -F -- "$want" "$log" | head -n 1 | cut -d: -f1 || true)
  cm=$(grep -n -- "cmake -S . -B $tmp/no-build-yet" "$log" | head -n 1 | cut -d: -f1 || true)
  [[ -n "$boot" ]] || { cat "$log"; echo "FAIL: make $target does not run '$want'"; exit 1; }
  [[ -n "$cm" ]] || { cat "$log"; echo "FAIL: make $target does not configure the build folder"; exit 1; }
  (( boot < cm )) || { cat "$log"; echo "FAIL: make $target runs CMake before '$want'"; exit 1; }
}
check_order demo "scripts/bootstrap --build"
check_order test "scripts/bootstrap"

# The build set is part of the test set, and the demo needs no cross toolchain.
build_set=$("$root/scripts/bootstrap" --list --build)
test_set=$("$root/scripts/bootstrap" --list)
for p in $build_set; do
  grep -qx -- "$p" <<< "$test_set" || { echo "FAIL: $p is in the build set but not the test set"; exit 1; }
done
if grep -qE 'arm-none-eabi|qemu|gtest' <<< "$build_set"; then
  echo "FAIL: the build set installs test-only packages: $build_set"; exit 1
fi
echo "PASS: demo bootstraps the build set, test the test set, both before CMake"
