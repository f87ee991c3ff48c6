#!/usr/bin/env bash
# Runs every Cellar test on a Debian bookworm machine: installs what is missing, builds, and runs
# ctest (unit tests, then end-to-end tests that start cellar-test-cluster, kubectl and PostgreSQL
# themselves on free loopback ports).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools-path.sh
scripts/install-deps.sh
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure --timeout 600 -j2 "$@"
