#!/usr/bin/env bash
# Configures and builds Cellar into ./build (Ninja, RelWithDebInfo unless BUILD_TYPE says otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${BUILD_DIR:-build}
if [[ ! -f $build_dir/build.ninja ]]; then
  cmake -G Ninja -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
fi
cmake --build "$build_dir" -j"$(nproc)"
