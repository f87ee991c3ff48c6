#!/usr/bin/env bash
# Cellar's benchmark: starts the test cluster with a stand-in agent that ends at once
# (tests/bench/bench-agent.sh), applies the CRDs, and runs cellar_bench, which starts
# cellar-controller itself and prints the figures DESIGN.md promises. Arguments go to cellar_bench,
# e.g. `scripts/bench.sh --only latency --backups 300` (see tests/bench/bench_main.cc).
# It prints; it judges nothing. Run it on a quiet machine: the figures are only as steady as that.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools-path.sh
scripts/install-deps.sh
scripts/build.sh
root=$(pwd)
build_dir=$root/${BUILD_DIR:-build}

work=$(mktemp -d /tmp/cellar-bench.XXXXXX)
chmod 755 "$work"
cluster_pid=""
cleanup() {
  if [[ -n $cluster_pid ]]; then kill "$cluster_pid" 2>/dev/null || true; wait "$cluster_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

export KUBECONFIG=$work/kubeconfig
coproc CLUSTER { exec "$build_dir/tests/cluster/cellar-test-cluster" --kubeconfig-out "$KUBECONFIG" \
  --volume-root "$work/volumes" --image "cellar-agent:bench=$root/tests/bench/bench-agent.sh" \
  2>"$work/cluster.log"; }
cluster_pid=$CLUSTER_PID
if ! timeout 30 grep -q -m1 '^ready$' <&"${CLUSTER[0]}"; then
  echo "the test cluster did not start; its log:" >&2
  cat "$work/cluster.log" >&2
  exit 1
fi
kubectl apply -f crds/ >/dev/null
kubectl wait --for=condition=Established crd --all --timeout=30s >/dev/null
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
"$build_dir/tests/bench/cellar_bench" --kubeconfig "$KUBECONFIG" \
  --controller "$build_dir/controller/cellar-controller" --agent-image cellar-agent:bench "$@"
