#!/usr/bin/env bash
# Installs what the end-to-end test needs: Debian's chromium (plus ripgrep and libkrb5-dev for
# code-server's install), code-server pinned to VS Code 1.100.3, and the project's node modules
# (playwright-core). Idempotent; code-server is cached under .e2e-cache/ between runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.e2e-cache"
code_server_version="4.100.3"
code_server_dir="$cache/code-server-$code_server_version"
mkdir -p "$cache"

missing_debs=()
[ -x /usr/bin/chromium ] || missing_debs+=(chromium)
[ -x /usr/bin/rg ] || missing_debs+=(ripgrep)
[ -f /usr/include/gssapi.h ] || [ -f /usr/include/gssapi/gssapi.h ] || missing_debs+=(libkrb5-dev)
# The test points the extension at Debian's python3, which must be able to create a venv.
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import ensurepip, venv" 2>/dev/null || missing_debs+=(python3 python3-venv)
if [ "${#missing_debs[@]}" -gt 0 ]; then
  echo "e2e-setup: apt-get install ${missing_debs[*]}"
  run_as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  run_as_root apt-get update -qq
  run_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing_debs[@]}" > "$cache/apt-install.log" 2>&1 || { cat "$cache/apt-install.log" >&2; exit 1; }
fi

if [ ! -x "$code_server_dir/node_modules/.bin/code-server" ]; then
  echo "e2e-setup: installing code-server@$code_server_version into $code_server_dir"
  rm -rf "$code_server_dir"
  mkdir -p "$code_server_dir"
  scratch_tmp="$(mktemp -d "$cache/install-tmp.XXXXXX")"
  # @vscode/ripgrep would download its binary from GitHub; it first looks in this cache file,
  # so a tarball holding Debian's rg satisfies it offline.
  ripgrep_cache="$scratch_tmp/vscode-ripgrep-cache-1.15.11"
  mkdir -p "$ripgrep_cache"
  cp /usr/bin/rg "$scratch_tmp/rg"
  tar -czf "$ripgrep_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$scratch_tmp" rg
  (
    cd "$code_server_dir"
    echo '{"name": "e2e-code-server", "private": true}' > package.json
    # node-pty's postinstall runs `npx node-gyp` (needs yes=true); code-server's postinstall
    # refuses root without unsafe_perm; nodedir stops node-gyp from downloading headers.
    TMPDIR="$scratch_tmp" \
    npm_config_yes=true \
    npm_config_unsafe_perm=true \
    npm_config_nodedir=/usr \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false \
      npm install --no-save --loglevel=error "code-server@$code_server_version"
  )
  rm -rf "$scratch_tmp"
fi

if [ ! -d "$root/node_modules/playwright-core" ]; then
  (cd "$root" && npm ci --no-fund --no-audit --loglevel=error)
fi
echo "e2e-setup: ready (chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), code-server $code_server_version)"
