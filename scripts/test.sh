#!/usr/bin/env bash
# Runs every test: Python (rules, CLI, server over stdio, fixes, docs), the client's unit tests,
# and the end-to-end test in a real VS Code in headless Chromium.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
.venv/bin/python -m pytest -q -p no:cacheprovider
