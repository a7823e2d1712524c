#!/usr/bin/env bash
# The end-to-end demo: installs what is missing, builds the release
# configuration, starts orbd (naming service and tuple space) on a
# loopback port, runs the bank example over shared memory and over TCP,
# the chat example with two clients, and wordcount with 4 workers over
# /usr/share/common-licenses. It stops every process it started and
# keeps their logs in build/demo.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh

cmake --preset release -DORB_BUILD_TESTS=OFF -DORB_BUILD_BENCHMARKS=OFF > /dev/null
cmake --build --preset release

bin=build/release
logs=$PWD/build/demo
rm -rf "$logs"
mkdir -p "$logs"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2> /dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2> /dev/null || true
  done
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

# A port on 127.0.0.1 that nothing listens on, with the next two free too.
free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (: > "/dev/tcp/127.0.0.1/$port") 2> /dev/null &&
      ! (: > "/dev/tcp/127.0.0.1/$((port + 1))") 2> /dev/null &&
      ! (: > "/dev/tcp/127.0.0.1/$((port + 2))") 2> /dev/null; then
      echo "$port"
      return
    fi
  done
  echo "demo: no free port found on 127.0.0.1" >&2
  exit 1
}

# Waits up to 10 s for TEXT to appear in FILE.
wait_for() {
  local file=$1 text=$2
  for _ in $(seq 200); do
    if grep -q -- "$text" "$file" 2> /dev/null; then
      return
    fi
    sleep 0.05
  done
  echo "demo: '$text' did not appear in $file" >&2
  exit 1
}

port=$(free_port)
names="-ORBInitRef NameService=corbaloc::127.0.0.1:$port/NameService"
space="corbaloc::127.0.0.1:$port/TupleSpace"

step "orbd: naming service and tuple space on 127.0.0.1:$port"
"$bin/tools/orbd/orbd" --listen "tcp://127.0.0.1:$port" --data-dir "$logs/orbd-data" \
  --ior-file "$logs/orbd.ior" > "$logs/orbd.log" 2>&1 &
pids+=($!)
wait_for "$logs/orbd.ior" "IOR:"
echo "orbd is up; its root naming context is in $logs/orbd.ior"

step "bank: server registers bank/alice and bank/bob in the naming service"
# shellcheck disable=SC2086 # $names is two words on purpose
"$bin/examples/bank/bank_server" -ORBListen "tcp://127.0.0.1:$((port + 1))" $names \
  -ORBLogLevel warn > "$logs/bank_server.log" 2>&1 &
pids+=($!)
wait_for "$logs/bank_server.log" "registered bank/bob"
cat "$logs/bank_server.log"

step "bank: client on the same host (shared memory chosen automatically)"
# shellcheck disable=SC2086
"$bin/examples/bank/bank_client" $names -ORBLogLevel warn

step "bank: client with -ORBShm off (TCP)"
# shellcheck disable=SC2086
"$bin/examples/bank/bank_client" $names -ORBLogLevel warn -ORBShm off

step "chat: alice and bob join a room; the server calls each of them back"
"$bin/examples/chat/chat_server" -ORBListen "tcp://127.0.0.1:$((port + 2))" -ORBLogLevel warn \
  > "$logs/chat_server.log" 2>&1 &
pids+=($!)
wait_for "$logs/chat_server.log" "IOR:"
room="corbaloc::127.0.0.1:$((port + 2))/room"
"$bin/examples/chat/chat_client" "$room" alice -ORBLogLevel warn --members 2 \
  --say "hello bob" --expect 1 > "$logs/chat_alice.log" 2>&1 &
alice=$!
"$bin/examples/chat/chat_client" "$room" bob -ORBLogLevel warn --members 2 \
  --say "hi alice" --expect 1 > "$logs/chat_bob.log" 2>&1
wait "$alice"
echo "alice saw: $(cat "$logs/chat_alice.log")"
echo "bob saw:   $(cat "$logs/chat_bob.log")"

step "wordcount: 4 workers take one task tuple per file from the tuple space"
"$bin/examples/wordcount/wordcount" --space "$space" --workers 4 -ORBLogLevel warn

step "done: logs are in $logs"
