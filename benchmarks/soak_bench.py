"""A day of editing for one server: resident memory after each round of opening and closing files.

    python benchmarks/corpus.py && python benchmarks/soak_bench.py [--rounds 5] [--projects aiogram textual]

Each round opens every .py file of the chosen corpus projects in turn, waits for its diagnostics,
and closes it again; every 20th file also gets an edit (a line typed at its end, then removed) and
a hover, as a user reading code would, and is also opened as a Jupyter notebook (one cell per
top-level statement) and closed again. After each round the server's resident memory is read from
/proc. Peers, in the same run, with the same client: this server and `ruff server`. What a
server keeps of closed documents shows as growth from round to round.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import CORPUS  # noqa: E402
from lsp_bench import SERVERS, Client  # noqa: E402

_EDIT_EVERY = 20


def resident_mb(client: Client) -> float:
    status = Path(f"/proc/{client.process.pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")) / 1024


def project_files(names: list[str]) -> list[Path]:
    return sorted(path for name in names for path in (CORPUS / name).glob("*/**/*.py") if path.is_file())


async def one_round(client: Client, files: list[Path], version_base: int) -> None:
    for number, path in enumerate(files):
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8", errors="replace")
        await client.open(uri, text)
        if number % _EDIT_EVERY == 0:
            lines = text.split("\n")
            last = len(lines) - 1
            typed = "\nvalue = compute()  # typed"
            version = version_base + 2 * number
            await client.change(uri, version, last, len(lines[last]), len(lines[last]), typed)
            await client.change(uri, version + 1, last + 1, 0, len(typed) - 1, "")
            await client.request(
                "textDocument/hover",
                {"textDocument": {"uri": uri}, "position": {"line": min(3, last), "character": 8}},
            )
            await open_and_close_as_notebook(client, path, text)
        client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})


async def open_and_close_as_notebook(client: Client, path: Path, text: str) -> None:
    """The module as a notebook, one code cell per top-level statement; waits for its first cell."""
    uri = path.with_suffix(".ipynb").as_uri()
    try:
        starts = [node.lineno - 1 for node in ast.parse(text).body] or [0]
    except SyntaxError:
        starts = [0]
    lines = text.split("\n")
    bounds = list(zip(starts, [*starts[1:], len(lines)]))
    cells = [(f"{uri}#cell{number}", "\n".join(lines[start:end])) for number, (start, end) in enumerate(bounds)]
    waiting = client.expect_diagnostics(cells[0][0], None)
    client.notify(
        "notebookDocument/didOpen",
        {
            "notebookDocument": {
                "uri": uri,
                "notebookType": "jupyter-notebook",
                "version": 1,
                "cells": [{"kind": 2, "document": cell_uri} for cell_uri, _ in cells],
            },
            "cellTextDocuments": [
                {"uri": cell_uri, "languageId": "python", "version": 1, "text": cell_text} for cell_uri, cell_text in cells
            ],
        },
    )
    await asyncio.wait_for(waiting, 120)
    client.notify(
        "notebookDocument/didClose",
        {"notebookDocument": {"uri": uri}, "cellTextDocuments": [{"uri": cell_uri} for cell_uri, _ in cells]},
    )


async def soak(command: list[str], root: Path, files: list[Path], rounds: int) -> list[float]:
    client = await Client.start(command, root)
    memory = []
    for number in range(rounds):
        await one_round(client, files, 10 + number * 4 * len(files))
        await asyncio.sleep(1)  # let the last closes be handled
        memory.append(resident_mb(client))
    await client.stop()
    return memory


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--projects", nargs="+", default=["aiogram", "textual"])
    arguments = parser.parse_args()
    files = project_files(arguments.projects)
    if not files:
        raise SystemExit("no corpus files: run `python benchmarks/corpus.py` first")
    print(f"{len(files)} files of {', '.join(arguments.projects)}, {arguments.rounds} rounds; resident memory after each round, MB")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "ruff.toml").write_text('[lint]\nselect = ["ASYNC", "RUF006"]\n')
        for name, command in SERVERS.items():
            memory = await soak(command, root, files, arguments.rounds)
            growth = memory[-1] - memory[1] if len(memory) > 1 else 0.0
            rounds = "  ".join(f"{value:6.1f}" for value in memory)
            print(f"  {name:<15} {rounds}   growth from round 2 on: {growth:+.1f} MB")


if __name__ == "__main__":
    asyncio.run(main())
