"""Notebooks: the corpus's async modules as Jupyter notebooks, checked next to ruff, and the cost of
re-analysing a notebook after an edit in one cell.

    python benchmarks/corpus.py && python benchmarks/notebook_bench.py [--notebooks N]

Each module with `async def` becomes a notebook with a cell per top-level statement group of about
`--cell-lines` lines, and IPython lines at the top (`!pip install`, `%load_ext`) as notebooks have.
(a) the command line over all of them, ours next to `ruff check` (which reads notebooks too);
(b) the time per edit for notebooks of about 100, 300, 1,000 and 3,000 lines: as the server
analyses a notebook (incrementally: the statements around the edit), analysed whole (as the
command line does), and the same code as one file.
"""

from __future__ import annotations

import argparse
import ast
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import python_files  # noqa: E402

from async_patterns.analysis import Settings  # noqa: E402
from async_patterns.analysis.incremental import IncrementalAnalysis  # noqa: E402
from async_patterns.analysis.notebook import IncrementalNotebookAnalysis, analyze_notebook  # noqa: E402

BIN = Path(sys.executable).parent
HEADER_CELL = "!pip install aiohttp\n%load_ext autoreload\n%autoreload 2"


def cells_of(source: str, cell_lines: int) -> list[str] | None:
    """The module cut between top-level statements into cells of about `cell_lines` lines."""
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError):
        return None
    lines = source.split("\n")
    cuts = [0]
    for statement in body:
        first = min([statement.lineno, *(decorator.lineno for decorator in getattr(statement, "decorator_list", []))]) - 1
        if first - cuts[-1] >= cell_lines:
            cuts.append(first)
    cuts.append(len(lines))
    return [HEADER_CELL] + ["\n".join(lines[start:end]).strip("\n") for start, end in zip(cuts, cuts[1:]) if start < end]


def notebook_json(cells: list[str]) -> str:
    notebook = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": cell.splitlines(keepends=True)}
            for cell in cells
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, indent=1)


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def edit_times(cells: list[str], edits: int) -> dict[str, list[float]]:
    """Seconds per edit: the notebook as the server analyses it (incrementally), the notebook
    analysed whole (as the command line does), and the same code as one file, incrementally."""
    settings = Settings()
    times: dict[str, list[float]] = {"server": [], "whole": [], "file": []}
    notebook, file = IncrementalNotebookAnalysis(), IncrementalAnalysis()
    notebook.update(cells, settings)
    file.update("\n".join(cells[1:]), settings)
    middle = len(cells) // 2
    for number in range(edits):
        edited = [*cells]
        edited[middle] = cells[middle] + f"\n# edit {number}"
        for name, run in (
            ("server", lambda: notebook.update(edited, settings)),
            ("whole", lambda: analyze_notebook(edited, settings)),
            ("file", lambda: file.update("\n".join(edited[1:]), settings)),
        ):
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notebooks", type=int, default=400, help="how many corpus modules become notebooks")
    parser.add_argument("--cell-lines", type=int, default=25)
    parser.add_argument("--edits", type=int, default=20)
    arguments = parser.parse_args()
    notebooks = []
    for path in python_files():
        source = path.read_text(encoding="utf-8", errors="replace")
        cells = cells_of(source, arguments.cell_lines) if "async def" in source else None
        if cells:
            notebooks.append(cells)
        if len(notebooks) == arguments.notebooks:
            break
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for number, cells in enumerate(notebooks):
            (root / f"nb{number}.ipynb").write_text(notebook_json(cells), encoding="utf-8")
        lines = sum(cell.count("\n") + 1 for cells in notebooks for cell in cells)
        ruff = timed([str(BIN / "ruff"), "check", "--no-cache", "--select", "ASYNC,RUF006", "--exit-zero", "--quiet", "."], root)
        ours = timed([str(BIN / "async-patterns"), "check", "--no-cache", "--format", "json", "."], root)
        print(f"(a) CLI over {len(notebooks)} notebooks, {sum(map(len, notebooks)):,} cells, {lines:,} lines (seconds, wall clock)")
        print(f"    {'ruff check --no-cache':<40} {ruff:8.2f} s")
        print(f"    {'async-patterns check --no-cache':<40} {ours:8.2f} s   {ours / ruff:6.1f}x ruff")
    print("(b) a comment typed in the middle cell, then the analysis (ms per edit: median / max)")
    columns = {"server": "notebook, incremental (server)", "whole": "notebook, whole (CLI)", "file": "same code as a file"}
    print(f"    {'cells':>5} {'lines':>6}" + "".join(f"   {title:>30}" for title in columns.values()))
    for wanted in (100, 300, 1000, 3000):
        cells = min(notebooks, key=lambda cells: abs(sum(cell.count("\n") + 1 for cell in cells) - wanted))
        times = edit_times(cells, arguments.edits)
        size = sum(cell.count("\n") + 1 for cell in cells)
        figures = "".join(
            f"   {1000 * statistics.median(times[name]):21.1f} / {1000 * max(times[name]):6.1f}" for name in columns
        )
        print(f"    {len(cells):>5} {size:>6}{figures}")


if __name__ == "__main__":
    main()
