#!/usr/bin/env bash
# Fails when a tracked C++ file differs from what clang-format makes of it
# with the repository's .clang-format. Golden files of generated code are
# compared byte for byte by their own tests, so they are left out here.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^tests/idl/golden/' || true)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "check-format: no C++ files tracked"
  exit 0
fi
clang-format --dry-run --Werror "${files[@]}"
echo "check-format: ${#files[@]} files formatted as .clang-format requires"
