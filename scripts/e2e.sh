#!/usr/bin/env bash
# End-to-end test in a real VS Code: installs what it needs (cached in .e2e-cache/), builds the
# .vsix when it is missing or older than its sources, then drives code-server in headless Chromium.
# Screenshots land in .e2e-artifacts/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/e2e-setup.sh

vsix="dist/$(node -p 'const m = require("./package.json"); `${m.name}-${m.version}.vsix`')"
sources=(package.json package-lock.json package.nls.json package.nls.ja.json l10n client/src snippets server/async_patterns pyproject.toml)
if [ ! -f "$vsix" ] || [ -n "$(find -L "${sources[@]}" -type f -newer "$vsix" -not -path '*/__pycache__/*' -print -quit)" ]; then
  bash scripts/build-extension.sh
fi

node --test --test-concurrency=1 tests/e2e/
