#!/usr/bin/env bash
# Sets everything up and runs the main job: installs the project into .venv, builds the VS Code
# extension for this machine's VS Code target when Node.js is available, and checks the bundled
# example project.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
if [ -f scripts/build-extension.sh ] && command -v npm >/dev/null 2>&1; then
  bash scripts/build-extension.sh
  target="$(.venv/bin/python scripts/targets.py host)"
  echo "VS Code extension ($target): install it with: code --install-extension $(.venv/bin/python scripts/targets.py vsix-path "$target")"
fi
echo "== async-patterns check examples/ (the examples are meant to have findings)"
status=0
.venv/bin/async-patterns check examples/ || status=$?
# Exit 1 means "findings", which is what the examples are for; anything else is a real failure.
[ "$status" -le 1 ] || exit "$status"
