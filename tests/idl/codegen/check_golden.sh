#!/usr/bin/env bash
# Runs idlgen on every tests/idl/golden/<name>.idl and compares the four
# generated files byte for byte with the checked-in tests/idl/golden/<name>/.
# After an intended change to the generator, regenerate the golden files
# with --update and review the diff before committing:
#
#   tests/idl/codegen/check_golden.sh build/dev/tools/idlgen/idlgen \
#       tests/idl/golden /tmp/idl_golden --update
#
# usage: check_golden.sh IDLGEN GOLDEN_DIR WORK_DIR [--update]
set -euo pipefail
idlgen=$(realpath "$1") golden=$(realpath "$2") work=$3 mode=${4:-}
mkdir -p "$work"
work=$(realpath "$work")

status=0
count=0
for idl in "$golden"/*.idl; do
  name=$(basename "$idl" .idl)
  rm -rf "${work:?}/$name"
  # Run from the golden directory so that the output cannot depend on the
  # path idlgen was given.
  (cd "$golden" && "$idlgen" -o "$work/$name" "$name.idl")
  if [[ $mode == --update ]]; then
    rm -rf "${golden:?}/$name"
    cp -r "$work/$name" "$golden/$name"
    echo "check_golden: updated $name"
  elif ! diff -r -u "$golden/$name" "$work/$name"; then
    echo "check_golden: $name.idl: output differs from $golden/$name (run with --update)"
    status=1
  fi
  count=$((count + 1))
done
echo "check_golden: compared the output of $count IDL files"
exit $status
