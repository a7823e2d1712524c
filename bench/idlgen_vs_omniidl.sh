#!/usr/bin/env bash
# Times idlgen against omniidl's C++ back end (omniidl -bcxx) on the same
# IDL files, Debian's omniorb-idl package, and compares the size of the C++
# each generates. Each compiler runs as one process per file (omniidl's C++
# back end takes one file at a time), writing to a scratch directory; the
# best of RUNS wall times of the whole set counts. Files that either
# compiler rejects are left out (idlgen rejects value types, omniidl some
# Security files). The result table replaces its section of
# docs/benchmarks.md.
#
# usage: bench/idlgen_vs_omniidl.sh IDLGEN [RUNS]
#   IDLGEN  an idlgen built with the release preset
#   RUNS    repetitions per compiler (default 5)
set -euo pipefail
idlgen_argument=$1
idlgen=$(realpath "$1")
runs=${2:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=/usr/share/idl/omniORB
includes=(-I"$corpus" -I"$corpus/COS" -I"$root/tests/idl/corpus_support")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The files both compilers accept; the others are listed in the report.
files=()
rejected=()
for idl in "$corpus"/COS/*.idl "$corpus"/*.idl; do
  if ! "$idlgen" "${includes[@]}" -o "$work/probe" "$idl" > /dev/null 2>&1; then
    rejected+=("$(basename "$idl") (idlgen)")
  elif ! omniidl -bcxx "${includes[@]}" -C"$work/probe" "$idl" > /dev/null 2>&1; then
    rejected+=("$(basename "$idl") (omniidl)")
  else
    files+=("$idl")
  fi
done

# Runs the command once per file, with the file as its last argument, and
# fails on the first failure.
run_each() {
  for idl in "${files[@]}"; do
    "$@" "$idl" || return 1
  done
}

# Prints the best wall time in seconds of `runs` runs of the command, which
# writes into the directory $out (emptied before each run).
best_time() {
  local best="" start end elapsed
  for ((i = 0; i < runs; i++)); do
    rm -rf "$out" && mkdir -p "$out"
    start=$(date +%s.%N)
    "$@" > /dev/null 2> "$work/stderr" || { cat "$work/stderr"; exit 1; }
    end=$(date +%s.%N)
    elapsed=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f", e - s }')
    if [[ -z $best ]] || awk -v a="$elapsed" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$elapsed
    fi
  done
  echo "$best"
}

out="$work/idlgen"
idlgen_time=$(best_time run_each "$idlgen" "${includes[@]}" -o "$out")
idlgen_bytes=$(cat "$out"/* | wc -c)
idlgen_count=$(ls "$out" | wc -l)

out="$work/omniidl"
omniidl_time=$(best_time run_each omniidl -bcxx "${includes[@]}" -C"$out")
omniidl_bytes=$(cat "$out"/* | wc -c)
omniidl_count=$(ls "$out" | wc -l)

speedup=$(awk -v a="$omniidl_time" -v b="$idlgen_time" 'BEGIN { printf "%.1f", a / b }')
size_ratio=$(awk -v a="$idlgen_bytes" -v b="$omniidl_bytes" 'BEGIN { printf "%.3f", a / b }')
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
omniidl_version="omniidl $(dpkg-query -W -f '${Version}' omniidl 2> /dev/null || omniidl -V 2>&1 | head -n 1)"
load=$(cut -d ' ' -f 1-3 /proc/loadavg)

section=$(cat << TABLE
<!-- idlgen-vs-omniidl:begin -->
## idlgen against omniidl -bcxx

The ${#files[@]} files of Debian's omniorb-idl package (COS services and
top-level files) that both compilers accept, one process per file for each
compiler; best of $runs runs of the wall time of the whole set. Left out,
with the compiler that rejects them: $(IFS=,; echo "${rejected[*]}" | sed 's/,/, /g').

| | idlgen | omniidl -bcxx |
|---|---|---|
| time | ${idlgen_time} s | ${omniidl_time} s |
| generated files | ${idlgen_count} | ${omniidl_count} |
| generated C++ | ${idlgen_bytes} bytes | ${omniidl_bytes} bytes |

idlgen is ${speedup}x as fast, and its output is ${size_ratio} of omniidl's
size. idlgen writes X.hpp, X.cpp, X_servant.hpp and X_servant.cpp per file;
omniidl writes X.hh and XSK.cc. The first run of each compiler also warms
the page cache, which the best-of-$runs time leaves out.

Command: \`bench/idlgen_vs_omniidl.sh ${idlgen_argument} $runs\`
(idlgen built with the release preset; ${omniidl_version} from Debian).
Machine: $(nproc) cores, ${cpu}; load average ${load} after the runs, so
other work shared the CPUs. Date: $(date -u +%Y-%m-%d).
<!-- idlgen-vs-omniidl:end -->
TABLE
)

doc="$root/docs/benchmarks.md"
if [[ ! -f $doc ]]; then
  printf '# Benchmarks\n\nMeasured numbers, with the command and the machine behind each.\n' > "$doc"
fi
if grep -q 'idlgen-vs-omniidl:begin' "$doc"; then
  awk -v section="$section" '
    /idlgen-vs-omniidl:begin/ { print section; skip = 1; next }
    /idlgen-vs-omniidl:end/ { skip = 0; next }
    !skip { print }' "$doc" > "$work/doc" && cp "$work/doc" "$doc"
else
  printf '\n%s\n' "$section" >> "$doc"
fi
echo "$section"
