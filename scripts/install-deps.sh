#!/usr/bin/env bash
# Installs what Cellar needs to build, test and run its demo on Debian bookworm: the compiler and
# build tools, the libraries, PostgreSQL (server and pg_dump, for the tests and the demo) and
# bubblewrap (the test cluster runs Jobs' containers in it). Installs only what is missing, so a
# second run costs a second.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config clang-format
  libcpprest-dev libssl-dev libyaml-cpp-dev libpq-dev libspdlog-dev
  googletest libgtest-dev libgmock-dev
  nlohmann-json3-dev libhowardhinnant-date-dev prometheus-cpp-dev
  postgresql postgresql-client bubblewrap util-linux tzdata procps ca-certificates
)

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
