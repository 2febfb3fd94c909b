"""How many findings in real async projects get a quick fix, and whether every fix keeps its promises.

    .venv/bin/python benchmarks/fix_coverage.py [--projects aiohttp starlette ...] [--max-files N]

Downloads each project's sdist into benchmarks/.corpus/<name> (git-ignored; never commit it), then
for every finding computes every offered fix, checks it with `async_patterns.fixes.verify`, and
prints per-code counts: findings, fixed (at least one fix applies), and broken promises (must be 0).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import time
import zipfile
from collections import Counter
from pathlib import Path

from async_patterns.analysis import analyze
from async_patterns.files import read_source
from async_patterns.fixes import compute_fix, offered_fixes
from async_patterns.fixes.verify import problems_with_fix

CORPUS = Path(__file__).resolve().parent / ".corpus"
PROJECTS = ("aiohttp", "starlette", "uvicorn", "aiogram", "httpx", "textual")


def fetch(name: str) -> Path:
    folder = CORPUS / name
    if not any(folder.glob("*/")):
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "--dest", str(folder), name],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        for archive in folder.iterdir():
            if archive.name.endswith((".tar.gz", ".tgz")):
                with tarfile.open(archive) as tar:
                    tar.extractall(folder, filter="data")
            elif archive.suffix == ".zip":
                with zipfile.ZipFile(archive) as zipped:
                    zipped.extractall(folder)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", nargs="*", default=list(PROJECTS))
    parser.add_argument("--max-files", type=int, default=0, help="files per project with findings (0: all)")
    arguments = parser.parse_args()
    findings_by_code, fixed_by_code, broken = Counter(), Counter(), []
    started = time.perf_counter()
    for name in arguments.projects:
        checked = 0
        for path in sorted(fetch(name).rglob("*.py")):
            try:
                source = read_source(path.read_bytes())
            except ValueError:
                continue
            findings = analyze(source).findings if "async" in source else []
            if not findings:
                continue
            checked += 1
            if arguments.max_files and checked > arguments.max_files:
                break
            for finding in findings:
                findings_by_code[finding.code] += 1
                fixed = False
                for offer in offered_fixes(finding):
                    edits = compute_fix(source, finding, offer.recipe)
                    if edits is None:
                        continue
                    fixed = True
                    problems = problems_with_fix(source, finding, edits)
                    if problems:
                        broken.append((path, finding, offer.recipe, problems))
                fixed_by_code[finding.code] += fixed
    total, fixed_total = sum(findings_by_code.values()), sum(fixed_by_code.values())
    print(f"{'code':10} {'findings':>8} {'fixed':>6}")
    for code in sorted(findings_by_code):
        print(f"{code:10} {findings_by_code[code]:8} {fixed_by_code[code]:6}")
    share = fixed_total / total if total else 0.0
    print(f"{'total':10} {total:8} {fixed_total:6}  ({share:.0%} of findings got a fix)")
    print(f"broken promises: {len(broken)}; {time.perf_counter() - started:.0f} s")
    for path, finding, recipe, problems in broken:
        print(f"  {path}:{finding.line}:{finding.column + 1} {finding.code} [{recipe}] {'; '.join(problems)}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
