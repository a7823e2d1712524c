#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors, and
# runs the whole test suite through CTest: the dev build (unit, interop and
# integration tests) and then the clang build of the fuzz targets, each
# fuzzed for ORB_FUZZ_SECONDS (30 by default).
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh

fuzz_seconds="${ORB_FUZZ_SECONDS:-30}"

cmake --preset dev -DORB_WERROR=ON
cmake --build --preset dev
ctest --preset dev --parallel 2

cmake --preset fuzz -DORB_WERROR=ON -DORB_FUZZ_SECONDS="$fuzz_seconds"
cmake --build --preset fuzz
ctest --preset fuzz --parallel 2
