#!/usr/bin/env bash
# Installs what is missing, builds the release configuration and shows
# what the project does so far.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh

cmake --preset release > /dev/null
cmake --build --preset release

echo
echo "demo: built in build/release:"
find build/release -maxdepth 3 -type f -perm -u+x ! -name '*.so*' ! -path '*/CMakeFiles/*' \
  ! -name '*_test' -printf '  %P\n' | sort
# TODO: run orbd, the bank, chat and wordcount examples once the ORB core,
# the naming service and the tuple space exist.
