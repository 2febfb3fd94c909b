"""Regenerate the facts the hover documentation is checked against and shows.

    .venv/bin/python scripts/docs_facts/regenerate.py [asyncio] [aiohttp]

asyncio: runs probe_asyncio.py under every CPython 3.6+ that pyenv holds (PYENV_ROOT, default
~/.pyenv) and writes server/async_patterns/docs/facts/asyncio.json. aiohttp: downloads the wheels
listed in AIOHTTP_RELEASES into the git-ignored .docs-facts-cache/ (never committed), reads their
source with aiohttp_source.py and writes facts/aiohttp.json. Run it when a new Python or aiohttp
release appears; the tests compare every entry's text with these files.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

FACTS = ROOT / "server" / "async_patterns" / "docs" / "facts"
CACHE = ROOT / ".docs-facts-cache"
PROBE = Path(__file__).resolve().parent / "probe_asyncio.py"

# The last release of every minor since 2.3 (so "first seen in 3.N" means "added in 3.N"),
# each with a CPython it has a manylinux wheel for.
AIOHTTP_RELEASES = {
    "2.3.10": "3.6", "3.0.9": "3.6", "3.1.3": "3.6", "3.2.1": "3.6", "3.3.2": "3.6", "3.4.4": "3.6",
    "3.5.4": "3.7", "3.6.3": "3.7", "3.7.4": "3.9", "3.8.6": "3.11", "3.9.5": "3.12", "3.10.11": "3.12",
    "3.11.18": "3.13", "3.12.15": "3.13", "3.13.5": "3.13", "3.14.5": "3.13",
}


def pyenv_pythons() -> list[Path]:
    versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = []
    for folder in versions.iterdir():
        match = re.fullmatch(r"3\.(\d+)\.\d+", folder.name)
        if match and int(match[1]) >= 6 and (folder / "bin" / "python").exists():
            found.append((int(match[1]), folder / "bin" / "python"))
    return [python for _, python in sorted(found)]


def segments(per_version: dict[str, dict]) -> dict[str, list]:
    """name -> [[first version, last version, record], ...] over the versions that have it."""
    versions = list(per_version)
    merged: dict[str, list] = {}
    for version in versions:
        for name, record in per_version[version].items():
            runs = merged.setdefault(name, [])
            previous = versions[versions.index(version) - 1] if versions.index(version) else None
            if runs and runs[-1][2] == record and runs[-1][1] == previous:
                runs[-1][1] = version
            else:
                runs.append([version, version, record])
    return dict(sorted(merged.items()))


def regenerate_asyncio() -> None:
    from async_patterns.docs.hover import known_names

    wanted = "\n".join(name for name in sorted(known_names()) if name.startswith("asyncio."))
    per_version: dict[str, dict] = {}
    behaviour: dict[str, dict] = {}
    for python in pyenv_pythons():
        completed = subprocess.run(
            [str(python), "-I", "-W", "ignore", str(PROBE)], input=wanted, capture_output=True, text=True, check=True
        )
        probe = json.loads(completed.stdout)
        per_version[probe["python"]] = probe["names"]
        for fact, outcome in probe["behaviour"].items():
            behaviour.setdefault(fact, {})[probe["python"]] = outcome
        print(f"asyncio on Python {probe['python']}: {len(probe['names'])} names", file=sys.stderr)
    write(FACTS / "asyncio.json", {"versions": list(per_version), "names": segments(per_version), "behaviour": behaviour})


def regenerate_aiohttp() -> None:
    from aiohttp_source import describe_release

    from async_patterns.docs.hover import known_names

    documented = {name.rpartition(".")[0] for name in known_names() if name.startswith("aiohttp.")}

    CACHE.mkdir(exist_ok=True)
    per_version: dict[str, dict] = {}
    for release in AIOHTTP_RELEASES:
        archive = next(CACHE.glob(f"aiohttp-{release}-*.whl"), None)
        if archive is None:
            # The wheels hold the same Python source as the sdists and need no build to download.
            platforms = ("manylinux1_x86_64", "manylinux2014_x86_64", "manylinux_2_17_x86_64")
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                 "--python-version", AIOHTTP_RELEASES[release], *(f"--platform={p}" for p in platforms),
                 "-d", str(CACHE), f"aiohttp=={release}"],
                check=True,
            )
            archive = next(CACHE.glob(f"aiohttp-{release}-*.whl"))
        per_version[release] = describe_release(archive, documented)
        print(f"aiohttp {release}: {len(per_version[release])} names", file=sys.stderr)
    write(FACTS / "aiohttp.json", {"versions": list(per_version), "names": segments(per_version)})


def write(path: Path, data: dict) -> None:
    path.parent.mkdir(exist_ok=True)
    text = json.dumps(data, indent=None, sort_keys=False, separators=(",", ":"))
    # One name per line keeps diffs readable when a new Python changes a few names.
    text = text.replace(',"asyncio.', ',\n"asyncio.').replace(',"aiohttp.', ',\n"aiohttp.')
    path.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    chosen = sys.argv[1:] or ["asyncio", "aiohttp"]
    if "asyncio" in chosen:
        regenerate_asyncio()
    if "aiohttp" in chosen:
        regenerate_aiohttp()
