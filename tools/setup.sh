#!/usr/bin/env bash
# Installs every package that building, testing and running the demo needs,
# from Debian's archive by package name. Safe to run again: when everything
# is present it prints one line and touches nothing.
set -euo pipefail

packages=(
  # compiler and build
  g++ cmake ninja-build ccache pkg-config git
  # libraries the ORB links
  libboost-dev libspdlog-dev libfmt-dev
  # tests and benchmarks
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # fuzzing: clang with the libFuzzer and sanitizer runtimes
  clang libclang-rt-14-dev
  # omniORB, the interop peer and benchmark baseline
  omniorb omniidl libomniorb4-dev omniorb-nameserver omniorb-idl
  # the benchmark chart, and Redis, the tuple space's benchmark baseline
  # (redis-tools has the program; the redis-server package would also
  # install and start a system service)
  gnuplot-nox redis-tools
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} packages are installed"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  sudo_cmd=()
else
  sudo_cmd=(sudo)
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: installed ${#missing[@]} packages"
