#!/usr/bin/env bash
# Installs what Cellar needs to build, test and run its demo on Debian bookworm: the compiler and
# build tools, the libraries, PostgreSQL (server and pg_dump, for the tests and the demo),
# bubblewrap (the test cluster runs Jobs' containers in it), CLI11 (the controller's flags),
# prometheus (its promtool checks the controller's /metrics), and the S3 test harness: s3rver (from
# the npm registry, into tests/support/s3rver/node_modules), python3-botocore (the verifying front
# recomputes each request's signature with it) and awscli (reads back what the agent stored).
# Installs only what is missing, so a second run costs a second.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config clang-format
  libcpprest-dev libssl-dev libyaml-cpp-dev libpq-dev libspdlog-dev libcurl4-openssl-dev
  googletest libgtest-dev libgmock-dev
  nlohmann-json3-dev libhowardhinnant-date-dev prometheus-cpp-dev libcli11-dev
  prometheus
  postgresql postgresql-client bubblewrap util-linux tzdata procps ca-certificates
  python3-botocore awscli openssl
)
# Node and npm for s3rver: any node that has npm will do (some machines carry a newer Node.js whose
# package provides npm and conflicts with Debian's npm package), else Debian's.
if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "cellar: installing ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# kubectl does not come from Debian's archive in a version recent enough (Debian's
# kubernetes-client is 1.20: no `wait --for=jsonpath`, no `--subresource`); these machines carry
# one at /usr/bin/kubectl. Say so plainly when it is missing instead of failing later.
if ! command -v kubectl >/dev/null; then
  echo "cellar: warning: kubectl not found on PATH; the kubectl tests and the demo need one (1.27+)" >&2
fi

# s3rver, pinned by tests/support/s3rver/package-lock.json, installed beside it (git-ignored).
s3rver_dir=tests/support/s3rver
cd "$(dirname "$0")/.."
if [[ ! -x $s3rver_dir/node_modules/.bin/s3rver ]] ||
  ! cmp -s $s3rver_dir/package-lock.json $s3rver_dir/node_modules/.package-lock.json.installed; then
  echo "cellar: installing s3rver into $s3rver_dir/node_modules"
  npm ci --prefix "$s3rver_dir" --no-audit --no-fund --loglevel=error
  cp $s3rver_dir/package-lock.json $s3rver_dir/node_modules/.package-lock.json.installed
fi
