#!/usr/bin/env bash
# End-to-end test in a real VS Code: installs what it needs (cached in .e2e-cache/), builds the
# .vsix for this machine's target when it is missing or older than its sources, then drives
# code-server in headless Chromium. Screenshots land in .e2e-artifacts/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/e2e-setup.sh

bash scripts/build-extension.sh --if-stale
python="$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)"
E2E_VSIX="$root/$("$python" scripts/targets.py vsix-path "$("$python" scripts/targets.py host)")"
export E2E_VSIX

node --test --test-concurrency=1 tests/e2e/
