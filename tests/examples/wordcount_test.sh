#!/usr/bin/env bash
# Runs the wordcount example against orbd's tuple space on a loopback port
# with 1, 2 and 4 workers over /usr/share/common-licenses, checks that the
# three runs count every word alike, and compares the top 20 with a count
# made by a shell pipeline (a word is a maximal run of ASCII letters,
# compared without case; symbolic links to files are followed).
# Usage: wordcount_test.sh ORBD WORDCOUNT
set -euo pipefail
export LC_ALL=C  # byte order for sort, as the C++ side compares
orbd=$1
wordcount=$2
corpus=/usr/share/common-licenses

scratch=$(mktemp -d "${TMPDIR:-/tmp}/orb-wordcount-test.XXXXXX")
orbd_pid=""
cleanup() {
  if [[ -n "$orbd_pid" ]]; then
    kill "$orbd_pid" 2> /dev/null || true
    wait "$orbd_pid" 2> /dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

port=""
for _ in $(seq 20); do
  candidate=$((20000 + RANDOM % 30000))
  "$orbd" --listen "tcp://127.0.0.1:$candidate" --data-dir "$scratch/data" \
    --ior-file "$scratch/orbd.ior" -ORBLogLevel warn -ORBShmDirectory "$scratch/shm" \
    > "$scratch/orbd.log" 2>&1 &
  orbd_pid=$!
  for _ in $(seq 100); do
    [[ -s "$scratch/orbd.ior" ]] && break
    kill -0 "$orbd_pid" 2> /dev/null || break
    sleep 0.05
  done
  if [[ -s "$scratch/orbd.ior" ]]; then
    port=$candidate
    break
  fi
  wait "$orbd_pid" 2> /dev/null || true
  orbd_pid=""
done
if [[ -z "$port" ]]; then
  echo "wordcount_test: orbd did not start; its log:" >&2
  cat "$scratch/orbd.log" >&2
  exit 1
fi
space="corbaloc::127.0.0.1:$port/TupleSpace"

for workers in 1 2 4; do
  "$wordcount" --space "$space" --workers "$workers" --top 1000000 -ORBLogLevel warn \
    > "$scratch/run-$workers.txt"
  head -n 1 "$scratch/run-$workers.txt"
  tail -n +2 "$scratch/run-$workers.txt" > "$scratch/counts-$workers.txt"
done
cmp "$scratch/counts-1.txt" "$scratch/counts-2.txt"
cmp "$scratch/counts-1.txt" "$scratch/counts-4.txt"

# The same count made independently, most frequent first, ties by word.
find -L "$corpus" -type f -print0 | sort -z | xargs -0 cat |
  tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' | grep -v '^$' | sort | uniq -c |
  sort -k1,1nr -k2,2 > "$scratch/pipeline.txt"
awk 'NR <= 20 { printf "%8d %s\n", $1, $2 }' "$scratch/pipeline.txt" > "$scratch/expected.txt"
awk 'NR <= 20' "$scratch/counts-4.txt" > "$scratch/actual.txt"
if ! diff "$scratch/expected.txt" "$scratch/actual.txt"; then
  echo "wordcount_test: top 20 differs from the shell pipeline (expected < > actual)" >&2
  exit 1
fi
echo "wordcount_test: 1, 2 and 4 workers agree, and the top 20 matches the pipeline"
