#!/usr/bin/env bash
# Draws docs/latency.png from bench/results/latency.csv: the median round
# trip of an echo call against its payload size, one line per target (our
# ORB over TCP and shared memory, omniORB over TCP and Unix sockets, and
# the raw socket and shared-memory floors). Needs gnuplot (Debian package
# gnuplot-nox, which tools/setup.sh installs).
set -euo pipefail
cd "$(dirname "$0")/.."

csv=bench/results/latency.csv
png=docs/latency.png
scratch=$(mktemp -d "${TMPDIR:-/tmp}/orb-plot.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

targets=(ours-tcp ours-shm omni-tcp omni-unix raw-tcp raw-shm)
titles=("this ORB, TCP" "this ORB, shared memory" "omniORB, TCP" "omniORB, Unix socket"
  "raw TCP socket" "raw shared memory")
plots=()
for i in "${!targets[@]}"; do
  awk -F, -v target="${targets[$i]}" '$1 == target && $2 == "echo" { print $3, $4 }' "$csv" \
    > "$scratch/${targets[$i]}.dat"
  if [[ -s "$scratch/${targets[$i]}.dat" ]]; then
    plots+=("'$scratch/${targets[$i]}.dat' using 1:2 with linespoints title '${titles[$i]}'")
  fi
done
if [[ ${#plots[@]} -eq 0 ]]; then
  echo "plot_latency: no echo rows in $csv; run tools/bench.sh first" >&2
  exit 1
fi

joined=$(IFS=,; echo "${plots[*]}")
gnuplot <<GNUPLOT
set terminal pngcairo size 900,560 noenhanced
set output '$png'
set title 'Echo of sequence<octet>: median round trip by payload size'
set xlabel 'payload (bytes)'
set ylabel 'median round trip (microseconds)'
set logscale xy
set grid
set key top left
plot $joined
GNUPLOT
echo "plot_latency: wrote $png"
