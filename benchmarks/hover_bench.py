"""Hover latency on a 5,000+-line real file: this server next to jedi-language-server and
basedpyright (Pylance's open-source core), all driven by the same stdio LSP client.

    python benchmarks/corpus.py && python benchmarks/hover_bench.py

The peers are installed by this script into benchmarks/.peers/ (git-ignored). Each server hovers
`asyncio.gather`, `asyncio.Queue` and a `Queue.get` through a variable, in a probe function added to
the largest corpus file: first with the document unchanged ("warm"), then right after an edit
elsewhere in the file ("after edit"). Printed: median and p95 in ms, and the hover's length in words.
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import largest  # noqa: E402
from lsp_bench import Client, percentile  # noqa: E402

from async_patterns.docs import entry_count  # noqa: E402

PEERS_VENV = Path(__file__).resolve().parent / ".peers"
PROBE = """

async def _hover_probe(items):
    jobs = asyncio.Queue()
    await jobs.get()
    return await asyncio.gather(*items)
"""
ROUNDS = 30


def peer_servers() -> dict[str, list[str]]:
    if not (PEERS_VENV / "bin" / "jedi-language-server").exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run(
            [str(PEERS_VENV / "bin" / "pip"), "install", "-q", "jedi-language-server", "basedpyright"], check=True
        )
    return {
        "jedi-language-server": [str(PEERS_VENV / "bin" / "jedi-language-server")],
        "basedpyright": [str(PEERS_VENV / "bin" / "basedpyright-langserver"), "--stdio"],
    }


async def start(command: list[str], root: Path) -> Client:
    process = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, cwd=root
    )
    client = Client(process)
    capabilities = {"textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"]}}}
    await client.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": capabilities})
    client.notify("initialized", {})
    return client


def _words(hover: object) -> int:
    if not isinstance(hover, dict):
        return 0
    contents = hover.get("contents")
    value = contents.get("value", "") if isinstance(contents, dict) else str(contents)
    return len(value.split())


async def hover_ms(client: Client, uri: str, line: int, character: int) -> tuple[float, int]:
    started = time.perf_counter()
    result = await asyncio.wait_for(
        client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        120,
    )
    return 1000 * (time.perf_counter() - started), _words(result)


async def measure(name: str, command: list[str], text: str, targets: list[tuple[int, int]]) -> dict:
    root = Path(tempfile.mkdtemp(prefix="hover-bench-"))
    path = root / "large_module.py"
    path.write_text(text, encoding="utf-8")
    uri = path.as_uri()
    client = await start(command, root)
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
    for line, character in targets:  # the first answer includes each server's start-up work
        await hover_ms(client, uri, line, character)
    warm, after_edit, words = [], [], []
    for _ in range(ROUNDS):
        for line, character in targets:
            elapsed, count = await hover_ms(client, uri, line, character)
            warm.append(elapsed)
            words.append(count)
    for version in range(2, 2 + ROUNDS):
        change = {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "text": "#"}
        client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        line, character = targets[version % len(targets)]
        after_edit.append((await hover_ms(client, uri, line, character))[0])
    await client.stop()
    shutil.rmtree(root, ignore_errors=True)
    return {
        "server": name,
        "warm median": statistics.median(warm),
        "warm p95": percentile(warm, 0.95),
        "after edit median": statistics.median(after_edit),
        "after edit p95": percentile(after_edit, 0.95),
        "words": statistics.median(words),
    }


async def main() -> None:
    source_file = largest(1)[0]
    original = source_file.read_text(encoding="utf-8")
    text = "import asyncio\n" + original.rstrip("\n") + PROBE
    lines = text.split("\n")
    probe = len(lines) - 5
    targets = [(probe + 1, lines[probe + 1].index("Queue") + 2), (probe + 2, lines[probe + 2].index("get") + 1),
               (probe + 3, lines[probe + 3].index("gather") + 2)]
    print(f"file: {source_file.name}, {len(lines):,} lines; hover entries: {entry_count()}")
    servers = {"async-patterns": [sys.executable, "-m", "async_patterns", "server"], **peer_servers()}
    rows = [await measure(name, command, text, targets) for name, command in servers.items()]
    print(f"{'server':<22}{'warm median':>13}{'warm p95':>10}{'after edit med':>16}{'after edit p95':>16}{'words':>7}")
    for row in rows:
        print(
            f"{row['server']:<22}{row['warm median']:>11.1f}ms{row['warm p95']:>8.1f}ms"
            f"{row['after edit median']:>14.1f}ms{row['after edit p95']:>14.1f}ms{row['words']:>7.0f}"
        )


if __name__ == "__main__":
    asyncio.run(main())
