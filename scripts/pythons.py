"""The CPython versions the project supports, and where this machine keeps them.

The supported versions are one fact: the `Programming Language :: Python :: 3.N` classifiers in
pyproject.toml, whose oldest must be `requires-python`'s lower bound. The wheel matrix of the
.vsix, the test matrix and the client's minimum all come from here (tests/test_supported_pythons.py
checks the places that cannot read it).

    python scripts/pythons.py supported      prints them, oldest first ("3.10 3.11 ...")
    python scripts/pythons.py find 3.12      prints an interpreter of that version, or says on
                                             stderr why there is none (exit 1)

Runs on every supported Python, so it reads pyproject.toml without tomllib (new in 3.11).
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

_CLASSIFIER = re.compile(r'"Programming Language :: Python :: (3\.\d+)"')
_REQUIRES_PYTHON = re.compile(r'^requires-python\s*=\s*">=\s*(3\.\d+)"\s*$', re.MULTILINE)


class VersionsDisagree(Exception):
    pass


def version_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


def supported_versions(pyproject_text: str | None = None) -> list[str]:
    """The supported versions, oldest first; raises when pyproject.toml contradicts itself."""
    text = PYPROJECT.read_text(encoding="utf-8") if pyproject_text is None else pyproject_text
    versions = sorted(set(_CLASSIFIER.findall(text)), key=version_key)
    requires = _REQUIRES_PYTHON.search(text)
    if not versions or requires is None:
        raise VersionsDisagree('pyproject.toml needs requires-python = ">=3.N" and "Programming Language :: Python :: 3.N" classifiers')
    if requires.group(1) != versions[0]:
        raise VersionsDisagree(f"requires-python says >={requires.group(1)}, the classifiers start at {versions[0]}")
    minors = [version_key(version)[1] for version in versions]
    if minors != list(range(minors[0], minors[-1] + 1)):
        raise VersionsDisagree(f"the classifiers skip a version: {' '.join(versions)}")
    return versions


def _pyenv_candidates(version: str) -> list[str]:
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    installed = glob.glob(os.path.join(pyenv_root, "versions", f"{version}.*", "bin", f"python{version}"))
    # Newest patch release first; pre-releases ("3.14.0rc1") sort as their numeric prefix.
    return sorted(installed, key=lambda path: [int(part) for part in re.findall(r"\d+", Path(path).parent.parent.name)], reverse=True)


def _problem_with(interpreter: str, version: str) -> str | None:
    """Why this interpreter cannot serve as Python `version` for a test venv, or None."""
    check = (
        "import sys, venv, ensurepip; "
        "print('%d.%d %s' % (sys.version_info[0], sys.version_info[1], sys.implementation.name))"
    )
    try:
        completed = subprocess.run([interpreter, "-c", check], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"{interpreter} does not run ({error})"
    if completed.returncode != 0:
        last_line = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        if "ensurepip" in completed.stderr or "venv" in completed.stderr:
            return f"{interpreter} cannot create virtual environments ({last_line}; on Debian or Ubuntu install python{version}-venv)"
        return f"{interpreter} fails: {last_line}"
    if completed.stdout.split() != [version, "cpython"]:
        return f"{interpreter} is {completed.stdout.strip()}, not CPython {version}"
    return None


def find_interpreter(version: str) -> tuple[str | None, str]:
    """(interpreter, "") for the first working CPython `version`, else (None, why there is none)."""
    candidates = _pyenv_candidates(version)
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(on_path)
    problems = []
    for candidate in candidates:
        problem = _problem_with(candidate, version)
        if problem is None:
            return candidate, ""
        problems.append(problem)
    if not problems:
        return None, f"no python{version} on PATH or under the pyenv root's versions/"
    return None, "; ".join(problems)


def main(arguments: list[str]) -> int:
    if arguments == ["supported"]:
        try:
            print(" ".join(supported_versions()))
        except VersionsDisagree as error:
            print(f"pythons.py: {error}", file=sys.stderr)
            return 1
        return 0
    if len(arguments) == 2 and arguments[0] == "find":
        interpreter, reason = find_interpreter(arguments[1])
        if interpreter is None:
            print(reason, file=sys.stderr)
            return 1
        print(interpreter)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
