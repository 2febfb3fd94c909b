#!/usr/bin/env bash
# Builds dist/python-async-patterns-<version>.vsix: the bundled client, the snippets, and the
# language server with every dependency as wheels, so the extension installs it offline.
# The wheels match this machine's platform, so the .vsix is marked for it (e.g. linux-x64).
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
# Interpreters the private environment can be built from; each gets its own compiled wheels.
python_versions=(3.10 3.11 3.12 3.13 3.14)
# pip evaluates environment markers against the interpreter running pip, not --python-version,
# so the dependencies that only Python 3.10 needs (pyproject's tomli, cattrs' exceptiongroup) are named.
python_310_backports=(tomli exceptiongroup)

version="$(node -p 'require("./package.json").version')"
name="$(node -p 'require("./package.json").name')"
vsix="dist/$name-$version.vsix"
vsce_target="$(node -p 'process.platform + "-" + process.arch')"

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-fund --no-audit --loglevel=error
fi

npm run --silent typecheck
rm -rf client/out
npm run --silent bundle -- --minify --log-level=warning

# Built from a scratch copy: setuptools writes build/ and *.egg-info next to the sources.
wheels="$root/client/out/wheels"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp -R pyproject.toml server snippets "$scratch/"
[ -f README.md ] && cp README.md "$scratch/"
[ -f LICENSE ] && cp LICENSE "$scratch/"
rm -rf "$scratch/server/"*.egg-info
"$python" -m pip wheel --quiet --no-deps --wheel-dir "$wheels" "$scratch" 2> "$scratch/wheel.log" \
  || { cat "$scratch/wheel.log" >&2; exit 1; }
server_wheel="$(ls "$wheels"/python_async_patterns-*.whl)"
# The package's snippets folder is a symlink to snippets/; the wheel must hold the file itself.
"$python" -c 'import sys, zipfile; sys.exit("async_patterns/snippets/python.code-snippets" not in zipfile.ZipFile(sys.argv[1]).namelist())' "$server_wheel" \
  || { echo "build-extension: $server_wheel lacks the snippets" >&2; exit 1; }
for python_version in "${python_versions[@]}"; do
  backports=()
  [ "$python_version" = 3.10 ] && backports=("${python_310_backports[@]}")
  "$python" -m pip download --disable-pip-version-check --only-binary=:all: \
    --python-version "$python_version" --dest "$wheels" "$server_wheel" ${backports[@]+"${backports[@]}"} \
    > "$scratch/download.log" 2>&1 || { cat "$scratch/download.log" >&2; exit 1; }
  compgen -G "$wheels/*-cp${python_version/./}-*.whl" > /dev/null \
    || { echo "build-extension: no compiled wheels for Python $python_version" >&2; exit 1; }
done

mkdir -p dist
rm -f "$vsix"
npx vsce package --no-dependencies --readme-path client/README.md --target "$vsce_target" --out "$vsix"
echo "build-extension: $vsix ($(du -h "$vsix" | cut -f1), $(ls "$wheels" | wc -l) wheels, $vsce_target)"
