"""How often each rule fires on real async projects' code.

Fetches each project's source distribution from PyPI (`pip download --no-binary :all:`) into
benchmarks/.corpus/<name>/ (git-ignored: never commit it), unpacks it, analyses every .py file with
every rule switched on (also the ones that are off by default) and prints one row per rule.

    python benchmarks/rule_frequency.py                      # the default projects
    python benchmarks/rule_frequency.py aiohttp httpx        # chosen projects
    python benchmarks/rule_frequency.py --show ASYNC300      # also print each finding with its line
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

from async_patterns.analysis import analyze
from async_patterns.analysis.rules import rule_classes
from async_patterns.analysis.settings import Settings

CORPUS = Path(__file__).resolve().parent / ".corpus"
DEFAULT_PROJECTS = ("aiohttp", "httpx", "starlette", "asyncpg", "aiogram", "textual")


def fetch(name: str) -> Path:
    """The unpacked source tree of the newest sdist of `name`, downloaded once."""
    folder = CORPUS / name
    unpacked = folder / "src"
    if unpacked.is_dir():
        return unpacked
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:", "--dest", str(folder), name],
        check=True,
    )
    archive = next(path for path in folder.iterdir() if path.name.endswith((".tar.gz", ".zip", ".tar.bz2")))
    if archive.name.endswith(".zip"):
        with zipfile.ZipFile(archive) as bundle:
            bundle.extractall(unpacked)
    else:
        with tarfile.open(archive) as bundle:
            bundle.extractall(unpacked, filter="data")
    return unpacked


def every_rule_on() -> Settings:
    codes = tuple(rule.code for rule in rule_classes())
    return Settings(select=codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("projects", nargs="*", default=DEFAULT_PROJECTS)
    parser.add_argument("--show", action="append", default=[], metavar="CODE", help="print every finding of CODE")
    options = parser.parse_args()

    settings = every_rule_on()
    counts: dict[str, collections.Counter[str]] = {}
    sizes: dict[str, tuple[int, int, float]] = {}
    for project in options.projects:
        root = fetch(project)
        found: collections.Counter[str] = collections.Counter()
        files = lines = 0
        started = time.perf_counter()
        for path in sorted(root.rglob("*.py")):
            source = path.read_text(encoding="utf-8", errors="replace")
            files += 1
            lines += source.count("\n")
            source_lines = source.splitlines()
            for finding in analyze(source, settings).findings:
                found[finding.code] += 1
                if finding.code in options.show:
                    where = path.relative_to(root)
                    print(f"{finding.code} {where}:{finding.line}: {source_lines[finding.line - 1].strip()}")
        counts[project] = found
        sizes[project] = (files, lines, time.perf_counter() - started)

    projects = list(counts)
    width = max(len(project) for project in projects) + 2
    print()
    print(f"{'project':<{width}}" + "".join(f"{'files':>8}{'lines':>9}{'seconds':>9}"))
    for project in projects:
        files, lines, seconds = sizes[project]
        print(f"{project:<{width}}{files:>8}{lines:>9}{seconds:>9.2f}")
    print()
    print(f"{'rule':<10}" + "".join(f"{project[:11]:>12}" for project in projects) + f"{'total':>8}")
    for rule in rule_classes():
        row = [counts[project][rule.code] for project in projects]
        off = "" if rule.enabled_by_default else "  (off by default)"
        print(f"{rule.code:<10}" + "".join(f"{count:>12}" for count in row) + f"{sum(row):>8}{off}")


if __name__ == "__main__":
    main()
