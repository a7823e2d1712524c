#!/usr/bin/env bash
# Builds the release configuration and runs the benchmarks, each server and
# client in a process of its own on this host (127.0.0.1 and sockets in a
# scratch directory only), and writes their sections of docs/benchmarks.md:
#
#   tools/bench.sh [calls] [naming] [space]     (none given: all three)
#
# calls:  this ORB over TCP and over shared memory, omniORB over TCP and
#         over its Unix socket transport, and raw socket and shared-memory
#         floors. Also writes bench/results/latency.csv and docs/latency.png.
# naming: binds and resolves per second of orbd against omniNames.
# space:  the tuple space as a work queue against Redis lists.
#
# All three took five and a half minutes on 2 CPUs after the build.
#
# Other processes busy on the CPUs distort the numbers, so the script first
# waits (up to ORB_BENCH_QUIET_WAIT seconds, default 300) for the 1-minute
# load average to fall below half the CPU count; the record states the load
# either way. ORB_BENCH_BUILD_DIR picks the build directory (default
# build/release).
set -euo pipefail
cd "$(dirname "$0")/.."

benchmarks=("$@")
if [[ ${#benchmarks[@]} -eq 0 ]]; then
  benchmarks=(calls naming space)
fi
for benchmark in "${benchmarks[@]}"; do
  case "$benchmark" in
    calls | naming | space) ;;
    *)
      echo "bench: unknown benchmark '$benchmark'; expected calls, naming or space (none runs all three)" >&2
      exit 2
      ;;
  esac
done

tools/setup.sh

build_dir=${ORB_BENCH_BUILD_DIR:-build/release}
command="tools/bench.sh"
if [[ -n "${ORB_BENCH_BUILD_DIR:-}" ]]; then
  command="ORB_BENCH_BUILD_DIR=$build_dir $command"
fi

cmake --preset release -B "$build_dir" -DORB_BUILD_BENCHMARKS=ON > /dev/null
cmake --build "$build_dir" --target bench_driver naming_bench space_bench

cpus=$(nproc)
waited=0
limit=${ORB_BENCH_QUIET_WAIT:-300}
while awk -v cpus="$cpus" '{ exit !($1 >= cpus / 2) }' /proc/loadavg && ((waited < limit)); do
  if ((waited == 0)); then
    echo "bench: load average $(cut -d' ' -f1 /proc/loadavg) on $cpus CPUs; waiting up to $limit s for it to fall below $((cpus / 2))"
  fi
  sleep 10
  waited=$((waited + 10))
done

for benchmark in "${benchmarks[@]}"; do
  echo "bench: $benchmark"
  case "$benchmark" in
    calls)
      mkdir -p bench/results
      "$build_dir/bench/bench_driver" --markdown docs/benchmarks.md \
        --csv bench/results/latency.csv --notes bench/notes.md --command "$command calls"
      # The chart of latency by payload size that docs/benchmarks.md shows.
      bench/plot_latency.sh
      ;;
    naming)
      "$build_dir/bench/naming/naming_bench" --milliseconds 2000 --rounds 5 \
        --markdown docs/benchmarks.md
      ;;
    space)
      "$build_dir/bench/space_bench" --runs 5 --markdown docs/benchmarks.md
      ;;
  esac
done
