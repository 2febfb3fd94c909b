"""(c) The command line over the whole corpus, cold and warm, next to ruff and flake8-async, same run.

    python benchmarks/corpus.py && python benchmarks/cli_bench.py [--flake8-files N]

flake8-async takes minutes on the whole corpus, so it runs on the first N files (default 200) and
its time is scaled to the corpus by line count; the ratio printed says so. The floor of any checker
built on Python's own parser is shown too: `ast.parse` of every file, in one process per core.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import python_files  # noqa: E402

import async_patterns  # noqa: E402

BIN = Path(sys.executable).parent
PACKAGE = Path(async_patterns.__file__).parent


def timed(command: list[str], cwd: Path, runs: int = 1) -> float:
    """Wall-clock seconds of a command, the median of `runs` runs (short runs vary by tens of ms)."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def _parse(path: Path) -> None:
    try:
        ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        pass


def parse_floor(files: list[Path]) -> float:
    """Seconds to read and `ast.parse` every file, one process per core, process start-up included."""
    started = time.perf_counter()
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(_parse, files, chunksize=64))
    return time.perf_counter() - started


def lines_in(files: list[Path]) -> int:
    return sum(len(path.read_bytes().splitlines()) for path in files)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--flake8-files", type=int, default=200)
    arguments = parser.parse_args()
    files = python_files()
    # As installing the wheel does (pip compiles what it installs): an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise compile every module of ours on every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(PACKAGE)], check=True)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        listed = [str(path) for path in files]
        ours = [str(BIN / "async-patterns"), "check", "--format", "json", *listed]
        ruff = [str(BIN / "ruff"), "check", "--no-cache", "--select", "ASYNC,RUF006", "--exit-zero", "--quiet", *listed]
        sample = listed[: arguments.flake8_files]
        flake8 = [str(BIN / "flake8"), "--select", "ASYNC", "--exit-zero", *sample]
        total, sampled = lines_in(files), lines_in(files[: arguments.flake8_files])
        figures = {
            "ruff check --no-cache (cold, median of 7)": timed(ruff, root, runs=7),
            f"ast.parse of every file ({os.cpu_count()} processes)": parse_floor(files),
            "async-patterns check --no-cache (cold)": timed([*ours, "--no-cache"], root),
        }
        shutil.rmtree(root / ".async-patterns-cache", ignore_errors=True)
        figures["async-patterns check (first run, fills cache)"] = timed(ours, root)
        figures["async-patterns check (warm cache, median of 7)"] = timed(ours, root, runs=7)
        flake8_seconds = timed(flake8, root)
        figures[f"flake8 --select ASYNC (scaled from {len(sample)} files)"] = flake8_seconds * total / sampled
        print(f"(c) CLI over {len(files):,} files, {total:,} lines (seconds, wall clock)")
        ruff_cold = figures["ruff check --no-cache (cold, median of 7)"]
        for name, seconds in figures.items():
            print(f"    {name:<52} {seconds:8.3f} s   {seconds / ruff_cold:7.2f}x ruff cold")


if __name__ == "__main__":
    main()
