"""How often each rule fires on real async projects' code.

Takes each project's source distribution from benchmarks/.corpus/<name>/ (git-ignored: never commit
it; corpus.py downloads and unpacks what is missing), analyses every .py file with
every rule switched on (also the ones that are off by default) and prints one row per rule.

    python benchmarks/rule_frequency.py                      # the default projects
    python benchmarks/rule_frequency.py aiohttp httpx        # chosen projects
    python benchmarks/rule_frequency.py --show ASYNC300      # also print each finding with its line
    python benchmarks/rule_frequency.py --folder /tmp/apps/src/khoj   # any unpacked project too
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

from async_patterns.analysis import analyze
from async_patterns.analysis.rules import rule_classes
from async_patterns.analysis.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import unpacked  # noqa: E402

DEFAULT_PROJECTS = ("aiohttp", "httpx", "starlette", "asyncpg", "aiogram", "textual")


def every_rule_on() -> Settings:
    codes = tuple(rule.code for rule in rule_classes())
    return Settings(select=codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("projects", nargs="*")
    parser.add_argument("--folder", action="append", default=[], type=Path, help="also an unpacked project's folder")
    parser.add_argument("--show", action="append", default=[], metavar="CODE", help="print every finding of CODE")
    options = parser.parse_args()

    settings = every_rule_on()
    counts: dict[str, collections.Counter[str]] = {}
    sizes: dict[str, tuple[int, int, float]] = {}
    projects = options.projects or ([] if options.folder else list(DEFAULT_PROJECTS))
    chosen = [(project, None) for project in projects] + [(folder.name, folder) for folder in options.folder]
    for project, given in chosen:
        root = given or unpacked(project)
        found: collections.Counter[str] = collections.Counter()
        files = lines = 0
        started = time.perf_counter()
        for path in sorted(root.rglob("*.py")):
            source = path.read_text(encoding="utf-8", errors="replace")
            files += 1
            lines += source.count("\n")
            source_lines = source.splitlines()
            for finding in analyze(source, settings).findings:
                # Hint-level suggestions (code that is not wrong) are counted apart, as `CODE hint`.
                found[f"{finding.code} hint" if finding.is_suggestion else finding.code] += 1
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
    print(f"{'rule':<14}" + "".join(f"{project[:11]:>12}" for project in projects) + f"{'total':>8}")
    for rule in rule_classes():
        row = [counts[project][rule.code] for project in projects]
        off = "" if rule.enabled_by_default else "  (off by default)"
        print(f"{rule.code:<14}" + "".join(f"{count:>12}" for count in row) + f"{sum(row):>8}{off}")
    for hint in sorted({code for found in counts.values() for code in found if code.endswith(" hint")}):
        row = [counts[project][hint] for project in projects]
        print(f"{hint:<14}" + "".join(f"{count:>12}" for count in row) + f"{sum(row):>8}  (suggestions, not problems)")


if __name__ == "__main__":
    main()
