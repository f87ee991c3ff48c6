#!/usr/bin/env bash
# Fails when a C++ file tracked (or about to be) by git is not formatted by the repo's .clang-format.
# Fix with: scripts/check-format.sh --fix
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.h' '*.cc' 2>/dev/null ||
                     find controller tests -name '*.h' -o -name '*.cc')
((${#files[@]})) || exit 0
if [[ ${1:-} == --fix ]]; then
  clang-format -i "${files[@]}"
else
  clang-format --dry-run --Werror "${files[@]}"
fi
