#!/usr/bin/env bash
# Runs idlgen on every IDL file of Debian's omniorb-idl package (the COS
# services and the top-level files) and compiles all the generated C++ with
# warnings as errors. Files that declare value types must fail in idlgen
# with the front end's "is not supported yet" error; every other file must
# generate and compile. Prints how many did. Exits 77 (skipped) when the
# package is not installed.
#
# usage: corpus.sh IDLGEN CXX SOURCE_ROOT WORK_DIR [JOBS]
set -euo pipefail
idlgen=$1 cxx=$2 root=$3 work=$4 jobs=${5:-2}
corpus=/usr/share/idl/omniORB
if [[ ! -d $corpus/COS ]]; then
  echo "corpus: $corpus not found; install omniorb-idl"
  exit 77
fi

out="$work/generated"
rm -rf "$out"
mkdir -p "$out"
flags=(-I"$corpus" -I"$corpus/COS" -I"$root/tests/idl/corpus_support" -o "$out")

# IOP.idl, which some COS files include but the package lacks, is generated
# too so that their headers find IOP.hpp; it is not counted.
"$idlgen" "${flags[@]}" "$root/tests/idl/corpus_support/IOP.idl"

# True when the file declares a value type outside // comments.
declares_valuetype() { sed 's|//.*||' "$1" | grep -q '\bvaluetype\b'; }

generated=0 expected_failures=0 unexpected=0 total=0
for idl in "$corpus"/COS/*.idl "$corpus"/*.idl; do
  total=$((total + 1))
  if errors=$("$idlgen" "${flags[@]}" "$idl" 2>&1); then
    generated=$((generated + 1))
  elif declares_valuetype "$idl" && ! grep 'error:' <<< "$errors" | grep -qv 'is not supported yet'; then
    expected_failures=$((expected_failures + 1))
  else
    echo "corpus: idlgen failed on $idl:"
    echo "$errors" | head -n 10
    unexpected=$((unexpected + 1))
  fi
done
echo "corpus: $generated of $total files generated, $expected_failures value-type files" \
     "rejected as expected, $unexpected unexpected failures"

status=0
"$(dirname "$0")/compile_generated.sh" "$cxx" "$root" "$jobs" "$out" || status=1
[[ $unexpected -eq 0 && $status -eq 0 ]]
