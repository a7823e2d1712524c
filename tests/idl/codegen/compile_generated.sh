#!/usr/bin/env bash
# Compiles the C++ that idlgen generated, warnings as errors, to show that
# the generated code is valid and warning-free. Each IDL file's X.cpp and
# X_servant.cpp are compiled together as one translation unit with
# -fsyntax-only (full semantic checks and template instantiation, no
# object code), JOBS at a time.
#
# usage: compile_generated.sh CXX SOURCE_ROOT JOBS DIR...
#   CXX          the C++ compiler
#   SOURCE_ROOT  the repository root, for the <orb/...> headers
#   DIR          directories holding generated X.hpp, X.cpp, X_servant.*
set -euo pipefail
cxx=$1 root=$2 jobs=$3
shift 3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
: > "$work/units"

for dir in "$@"; do
  dir=$(cd "$dir" && pwd)
  for header in "$dir"/*.hpp; do
    base=$(basename "$header" .hpp)
    [[ $base == *_servant ]] && continue
    unit="$work/$(basename "$dir")__$base.cpp"
    printf '#include "%s.cpp"\n#include "%s_servant.cpp"\n' "$dir/$base" "$dir/$base" > "$unit"
    echo "$unit $dir" >> "$work/units"
  done
done

total=$(wc -l < "$work/units")
export CXX_BIN="$cxx" SOURCE_ROOT="$root" WORK="$work"
# Each unit writes its diagnostics next to it and its name to "failed".
xargs -P "$jobs" -n 2 sh -c '
  if ! "$CXX_BIN" -std=c++20 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
       -I"$SOURCE_ROOT" -I"$2" "$1" > "$1.log" 2>&1; then
    echo "$1" >> "$WORK/failed"
  fi' sh < "$work/units"

failed=0
if [[ -f $work/failed ]]; then
  failed=$(wc -l < "$work/failed")
  while read -r unit; do
    echo "FAILED: $(basename "$unit" .cpp)"
    head -n 20 "$unit.log"
  done < "$work/failed"
fi
echo "compile_generated: $((total - failed)) of $total IDL files compile without warnings"
[[ $failed -eq 0 ]]
