#!/usr/bin/env bash
# Builds the VS Code extension: the bundled client, the snippets, and the language server with
# every dependency as wheels, so the extension installs it offline.
#
#   bash scripts/build-extension.sh             this machine's target (npm run package)
#   bash scripts/build-extension.sh --all       every target, plus the universal package (npm run package:all)
#   bash scripts/build-extension.sh TARGET...   the named targets (see scripts/targets.py)
#   --if-stale                                  only when a package is missing or older than its sources
#
# One .vsix per target in dist/, named as vsce names them (python-async-patterns-<target>-<version>.vsix),
# each with the target in its manifest and only that platform's wheels for every supported Python
# (scripts/pythons.py). Prints each file's size and fails above 25 MB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ -n "${PYTHON:-}" ]; then
  python="$PYTHON"
elif [ -x .venv/bin/python ]; then
  python=.venv/bin/python
else
  python=python3
fi

only_if_stale=false
targets=()
for argument in "$@"; do
  case "$argument" in
    --if-stale) only_if_stale=true ;;
    --all) read -r -a all_targets <<< "$("$python" scripts/targets.py list)"; targets+=("${all_targets[@]}") ;;
    -*) echo "build-extension: unknown option $argument" >&2; exit 2 ;;
    *) targets+=("$argument") ;;
  esac
done
[ "${#targets[@]}" -gt 0 ] || targets=("$("$python" scripts/targets.py host)")

packages=()
for target in "${targets[@]}"; do
  packages+=("$("$python" scripts/targets.py vsix-path "$target")")
done

if $only_if_stale; then
  sources=(package.json package-lock.json package.nls.json package.nls.ja.json l10n LICENSE .vscodeignore
    CHANGELOG.md client/src client/README.md client/media client/icon snippets server/async_patterns pyproject.toml
    scripts/build-extension.sh scripts/targets.py scripts/pythons.py)
  stale=false
  for package in "${packages[@]}"; do
    if [ ! -f "$package" ] || [ -n "$(find -L "${sources[@]}" -type f -newer "$package" -not -path '*/__pycache__/*' -print -quit)" ]; then
      stale=true
    fi
  done
  if ! $stale; then
    echo "build-extension: up to date: ${packages[*]}"
    exit 0
  fi
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
fi

npm run --silent typecheck
rm -rf client/out
npm run --silent bundle -- --minify --log-level=warning
"$python" client/icon/draw_icon.py client/out/icon.png 128

# Built from a scratch copy: setuptools writes build/ and *.egg-info next to the sources.
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/source"
cp -R pyproject.toml server snippets "$scratch/source/"
[ -f README.md ] && cp README.md "$scratch/source/"
[ -f LICENSE ] && cp LICENSE "$scratch/source/"
rm -rf "$scratch/source/server/"*.egg-info
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$scratch/server" "$scratch/source" 2> "$scratch/wheel.log" \
  || { cat "$scratch/wheel.log" >&2; exit 1; }
server_wheel="$(ls "$scratch/server"/python_async_patterns-*.whl)"
# The package's snippets folder is a symlink to snippets/; the wheel must hold the file itself.
"$python" -c 'import sys, zipfile; sys.exit("async_patterns/snippets/python.code-snippets" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$server_wheel" \
  || { echo "build-extension: $server_wheel lacks the snippets" >&2; exit 1; }

echo "build-extension: downloading wheels for ${targets[*]} (Pythons $("$python" scripts/pythons.py supported))"
"$python" scripts/targets.py download --server-wheel "$server_wheel" --dest "$scratch/wheels" "${targets[@]}"

# vsce runs in a staging folder per target: in the repository it would walk every virtualenv and
# cache before .vscodeignore drops them (seconds per package). .vscodeignore still decides what ships.
mkdir -p dist
# The README sits in client/ with its screenshots in client/media/: its relative image links are
# made absolute from there, for the marketplace page (the images also ship in the package).
images_url="$(node -p "require('./package.json').repository.url.replace(/\\.git\$/, '') + '/raw/HEAD/client'")"
for index in "${!targets[@]}"; do
  target="${targets[$index]}"
  package="$root/${packages[$index]}"
  stage="$scratch/stage-$target"
  mkdir -p "$stage/client"
  cp -R package.json package.nls.json package.nls.ja.json l10n LICENSE CHANGELOG.md .vscodeignore snippets "$stage/"
  cp -R client/out client/README.md client/media "$stage/client/"
  cp -R "$scratch/wheels/$target" "$stage/client/out/wheels"
  target_option=()
  [ "$target" = universal ] || target_option=(--target "$target")
  rm -f "$package"
  (cd "$stage" && "$root/node_modules/.bin/vsce" package --no-dependencies --readme-path client/README.md --baseImagesUrl "$images_url" \
    ${target_option[@]+"${target_option[@]}"} --out "$package") > "$scratch/vsce.log" 2>&1 \
    || { cat "$scratch/vsce.log" >&2; exit 1; }
done
echo "build-extension: built"
"$python" scripts/targets.py sizes "${packages[@]}"
