#!/usr/bin/env bash
# Checks what idlgen writes for a file that includes another: the depfile
# names both IDL files, and the generated headers include the headers
# generated from the included file.
#
# usage: check_includes.sh IDLGEN WORK_DIR
set -euo pipefail
idlgen=$1 work=$2
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"

"$idlgen" -o "$work" -M "$work/include_main.d" "$here/include_main.idl"
status=0
expect() {  # FILE PATTERN: the file must contain a line matching PATTERN
  if ! grep -q -- "$2" "$1"; then
    echo "check_includes: $(basename "$1") lacks '$2'"
    status=1
  fi
}
expect "$work/include_main.d" "^$work/include_main.hpp:"
expect "$work/include_main.d" "include_main.idl"
expect "$work/include_main.d" "include_base.idl"
expect "$work/include_main.hpp" '^#include "include_base.hpp"$'
expect "$work/include_main_servant.hpp" '^#include "include_base_servant.hpp"$'
[[ $status -eq 0 ]] && echo "check_includes: depfile and includes as expected"
exit $status
