#!/usr/bin/env bash
# Creates a virtual environment with the project installed (editable, with its test tools):
#   bash scripts/setup.sh                               .venv from $PYTHON or python3, extras test and bench
#   bash scripts/setup.sh --venv .venv-py3.12 --python /usr/bin/python3.12 --extras test
# A venv of another Python version is made anew; a venv whose pyproject.toml and extras have not
# changed since its last install is left as it is.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="${PYTHON:-python3}"
venv=.venv
extras=test,bench
while [ "$#" -gt 0 ]; do
  case "$1" in
    --venv) venv="$2"; shift 2 ;;
    --python) python="$2"; shift 2 ;;
    --extras) extras="$2"; shift 2 ;;
    *) echo "setup: unknown argument $1" >&2; exit 2 ;;
  esac
done

python_version() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }
wanted_version="$(python_version "$python")"
if [ -x "$venv/bin/python" ] && [ "$(python_version "$venv/bin/python" 2>/dev/null)" != "$wanted_version" ]; then
  echo "setup: $venv is not Python $wanted_version; making it anew"
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi

stamp="$venv/.async-patterns-installed"
installed="$(cat pyproject.toml; echo "extras=$extras")"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$installed" ]; then
  exit 0
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -e ".[$extras]"
printf '%s' "$installed" > "$stamp"
