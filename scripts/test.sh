#!/usr/bin/env bash
# Runs every test: builds the .vsix for every VS Code target (their offline-install checks are
# part of the Python tests), the Python tests (rules, fixes, CLI, server over stdio, docs, fuzzing,
# packaging), the rules, CLI and server tests again under every other supported CPython this
# machine has, the client's unit tests, and the end-to-end test in a real VS Code (code-server)
# driven by headless Chromium. Installs what it needs first: .venv (scripts/setup.sh), a
# .venv-py3.N per other Python, node modules, and the e2e tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$SECONDS
bash scripts/setup.sh
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
fi

# The end-to-end tools (Debian's chromium, code-server from npm) mostly wait on downloads: fetch
# them while the Python tests keep the cores busy.
mkdir -p .e2e-cache
bash scripts/e2e-setup.sh > .e2e-cache/setup.log 2>&1 &
e2e_setup=$!

echo "== Building the extension for every VS Code target"
bash scripts/build-extension.sh --all

default_version="$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
echo "== Python tests (Python $default_version)"
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2

echo "== Rules, CLI and server tests under the other supported Pythons"
version_tests=(tests/test_rules.py tests/test_cli.py tests/test_server*.py tests/test_fixes_examples.py
  tests/test_examples.py tests/test_newer_syntax.py tests/test_settings.py tests/test_positions.py
  tests/test_project_index.py)
ran=("$default_version (every test)")
skipped=()
why_not="$(mktemp)"
trap 'rm -f "$why_not"' EXIT
for version in $(.venv/bin/python scripts/pythons.py supported); do
  [ "$version" != "$default_version" ] || continue
  if ! interpreter="$(.venv/bin/python scripts/pythons.py find "$version" 2> "$why_not")"; then
    skipped+=("$version: $(cat "$why_not")")
    echo "-- Python $version: skipped ($(cat "$why_not"))"
    continue
  fi
  echo "-- Python $version ($interpreter)"
  bash scripts/setup.sh --venv ".venv-py$version" --python "$interpreter" --extras test
  ".venv-py$version/bin/python" -m pytest -q -p no:cacheprovider -n 2 "${version_tests[@]}"
  ran+=("$version")
done

echo "== Client unit tests"
npm test

echo "== End-to-end test in a real VS Code"
e2e_setup_status=0
wait "$e2e_setup" || e2e_setup_status=$?
cat .e2e-cache/setup.log
[ "$e2e_setup_status" -eq 0 ] || { echo "the end-to-end tools could not be installed (exit $e2e_setup_status)"; exit 1; }
bash scripts/e2e.sh

echo "== Done in $((SECONDS - started)) s"
echo "Pythons tested: ${ran[*]}"
for reason in ${skipped[@]+"${skipped[@]}"}; do
  echo "Python skipped: $reason"
done
