#!/usr/bin/env bash
# Installs the build tree BUILD_DIR under a scratch prefix, builds
# examples/hello out of tree against the installed package and runs its
# server and client on a loopback port, then builds examples/bank, which
# links the installed naming service library. Usage: hello_out_of_tree.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$1
source_dir=$2

scratch=$(mktemp -d "${TMPDIR:-/tmp}/orb-install-test.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

cmake --install "$build_dir" --prefix "$scratch/prefix" > "$scratch/install.log"
test -x "$scratch/prefix/bin/idlgen"
test -f "$scratch/prefix/lib/pkgconfig/orb.pc"
test -x "$scratch/prefix/bin/orbd"
# orb.pc names its prefix relative to its own folder, so pkg-config finds
# the installed headers under any --prefix.
includedir=$(PKG_CONFIG_PATH="$scratch/prefix/lib/pkgconfig" pkg-config --variable=includedir orb)
test "$(realpath "$includedir")" = "$(realpath "$scratch/prefix/include")"

cmake -S "$source_dir/examples/hello" -B "$scratch/build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE=Debug > "$scratch/configure.log"
cmake --build "$scratch/build" > "$scratch/build.log"

port=$((20000 + RANDOM % 30000))
"$scratch/build/hello_server" -ORBListen "tcp://127.0.0.1:$port" -ORBLogLevel warn \
  -ORBShmDirectory "$scratch/shm" > "$scratch/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  grep -q '^IOR:' "$scratch/server.log" && break
  sleep 0.05
done
reply=$("$scratch/build/hello_client" "corbaloc::127.0.0.1:$port/greeter" installer)
echo "$reply"
test "$reply" = "Hello, installer!"

cmake -S "$source_dir/examples/bank" -B "$scratch/bank" -G Ninja \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" -DCMAKE_BUILD_TYPE=Debug > "$scratch/bank-configure.log"
cmake --build "$scratch/bank" > "$scratch/bank-build.log"
test -x "$scratch/bank/bank_client"
