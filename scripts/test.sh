#!/usr/bin/env bash
# Runs every test: Python (rules, fixes, CLI, server over stdio, docs, fuzzing), the client's unit
# tests, and the end-to-end test in a real VS Code (code-server) driven by headless Chromium.
# Installs what it needs first: .venv (scripts/setup.sh), node modules, and the e2e tools.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
echo "== Python tests"
.venv/bin/python -m pytest -q -p no:cacheprovider -n 2
echo "== Client unit tests"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
fi
npm test
echo "== End-to-end test in a real VS Code"
bash scripts/e2e.sh
