#!/usr/bin/env bash
# crds/ is the one source of truth for Cellar's CustomResourceDefinitions. The Helm chart
# (charts/cellar/crds/) and the kustomize base (manifests/crds/: kustomize loads nothing from
# outside a base's folder) carry copies, written by this script. `--check` writes nothing and
# fails, with a diff, when a copy differs from what this script would write (a ctest runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
check=""
if [[ ${1:-} == --check ]]; then check=1; fi

copies=(charts/cellar/crds manifests/crds)
expected=$(mktemp -d)
trap 'rm -rf "$expected"' EXIT
for src in crds/*.yaml; do
  name=$(basename "$src")
  {
    echo "# Generated from crds/$name by scripts/sync-crds.sh: edit that file, then run the script."
    cat "$src"
  } >"$expected/$name"
done

status=0
for dir in "${copies[@]}"; do
  if [[ -n $check ]]; then
    if ! diff -ru "$expected" "$dir" >&2; then
      echo "cellar: $dir differs from crds/; run scripts/sync-crds.sh" >&2
      status=1
    fi
  else
    mkdir -p "$dir"
    rm -f "$dir"/*.yaml
    cp "$expected"/*.yaml "$dir"/
  fi
done
exit $status
