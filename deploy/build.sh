#!/usr/bin/env bash
# Configures (once) and builds everything into build/, reusing it across runs: a full gRPC
# build is slow on two cores, so the build directory is never thrown away.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${GATEHOUSE_BUILD_DIR:-build}
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build_dir" -j"${GATEHOUSE_JOBS:-2}"
