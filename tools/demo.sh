#!/usr/bin/env bash
# Installs what is missing, builds the release configuration and shows
# what works so far: our IOR decoder reading the object reference of a
# live omniORB naming service. The naming service listens on 127.0.0.1
# only, keeps its data in a scratch folder, and is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh

cmake --preset release -DORB_BUILD_TESTS=OFF > /dev/null
cmake --build --preset release

scratch=$(mktemp -d "${TMPDIR:-/tmp}/orb-demo.XXXXXX")
names_pid=""
cleanup() {
  if [[ -n "$names_pid" ]]; then
    kill "$names_pid" 2> /dev/null || true
    wait "$names_pid" 2> /dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# Start omniNames on a random loopback port; try another port if it is taken.
ior=""
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 30000))
  mkdir -p "$scratch/names-$port"
  omniNames -start "$port" -datadir "$scratch/names-$port" \
    -ORBendPoint "giop:tcp:127.0.0.1:$port" > "$scratch/names-$port.log" 2>&1 &
  names_pid=$!
  for _ in $(seq 50); do
    ior=$(grep -o 'IOR:[0-9a-fA-F]*' "$scratch/names-$port.log" | head -n 1 || true)
    if [[ -n "$ior" ]] || ! kill -0 "$names_pid" 2> /dev/null; then
      break
    fi
    sleep 0.1
  done
  if [[ -n "$ior" ]]; then
    break
  fi
  kill "$names_pid" 2> /dev/null || true
  wait "$names_pid" 2> /dev/null || true
  names_pid=""
  echo "demo: omniNames did not start on port $port (attempt $attempt); retrying"
done
if [[ -z "$ior" ]]; then
  echo "demo: omniNames failed to start; see the logs in $scratch" >&2
  trap - EXIT
  exit 1
fi

echo
echo "demo: omniNames is serving on 127.0.0.1:$port; its root context decodes as:"
build/release/tools/orb-ior/orb-ior "$ior"
echo
echo "demo: the same service named by a corbaname: URL:"
build/release/tools/orb-ior/orb-ior "corbaname::127.0.0.1:$port#demo/hello.obj"
# TODO: run orbd, the bank, chat and wordcount examples once the ORB core,
# the naming service and the tuple space exist.
