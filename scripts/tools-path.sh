# Sourced by the scripts: puts the project-local tool folder (kubectl and helm that
# scripts/install-deps.sh fetched because the machine had none recent enough) first on the PATH, so
# every script, and the tests they run, use the same binaries. The tests look there first too
# (tests/support/tool_path.cc).
cellar_tools="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/bin"
case ":$PATH:" in
  *":$cellar_tools:"*) ;;
  *) export PATH="$cellar_tools:$PATH" ;;
esac
