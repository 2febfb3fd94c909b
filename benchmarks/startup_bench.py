"""Server start-up side by side: from spawning the process to the first diagnostics of a small file.

    python benchmarks/startup_bench.py [--runs N]

Printed per server (median and range over N runs, interleaved so machine noise hits all alike):
spawn -> `initialize` answered, and spawn -> first publishDiagnostics after didOpen of a small file.
Next to them, the floor a Python language server cannot go below on this interpreter: starting
Python (`-c pass`), and starting Python and importing pygls' server module (which loads lsprotocol),
without and with our start-up cache of the code attrs generates for lsprotocol's classes.
Peer: `ruff server` (a Rust binary) with ASYNC and RUF006 selected.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_bench import SERVERS, Client  # noqa: E402

SMALL_FILE = '''import asyncio
import time


async def fetch(url):
    time.sleep(1)
    return url


async def main(urls):
    return await asyncio.gather(*(fetch(url) for url in urls))
'''
FLOORS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -c 'import pygls.lsp.server'": [sys.executable, "-c", "import pygls.lsp.server"],
    # The same import with our cache of attrs-generated code warm (lsp/generated_code_cache.py).
    "the same, generated code from cache": [
        sys.executable,
        "-c",
        "from async_patterns.lsp.generated_code_cache import import_lsprotocol_types as load; load(); "
        "import pygls.lsp.server",
    ],
}


def process_seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


async def first_diagnostics(command: list[str], root: Path, source: Path) -> tuple[float, float]:
    """Seconds from spawn to the `initialize` answer, and to the first diagnostics of `source`."""
    started = time.perf_counter()
    client = await Client.start(command, root)
    initialized = time.perf_counter() - started
    await client.open(source.as_uri(), source.read_text())
    published = time.perf_counter() - started
    await client.stop()
    return initialized, published


def summary(seconds: list[float]) -> str:
    milliseconds = [1000 * value for value in seconds]
    return f"{statistics.median(milliseconds):7.0f} ms  ({min(milliseconds):.0f}-{max(milliseconds):.0f})"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    arguments = parser.parse_args()
    floors: dict[str, list[float]] = {name: [] for name in FLOORS}
    initialize: dict[str, list[float]] = {name: [] for name in SERVERS}
    publish: dict[str, list[float]] = {name: [] for name in SERVERS}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "ruff.toml").write_text('[lint]\nselect = ["ASYNC", "RUF006"]\n')
        source = root / "small.py"
        source.write_text(SMALL_FILE)
        for name, command in {**FLOORS, **SERVERS}.items():  # one warm-up each: .pyc files, disk cache
            if name in FLOORS:
                process_seconds(command)
            else:
                await first_diagnostics(command, root, source)
        for _ in range(arguments.runs):
            for name, command in FLOORS.items():
                floors[name].append(process_seconds(command))
            for name, command in SERVERS.items():
                initialized, published = await first_diagnostics(command, root, source)
                initialize[name].append(initialized)
                publish[name].append(published)
    print(f"Start-up on {sys.executable} (Python {sys.version.split()[0]}), {arguments.runs} runs, median (min-max)")
    for name, seconds in floors.items():
        print(f"  floor  {name:<38} {summary(seconds)}")
    for name in SERVERS:
        print(f"  {name:<15} spawn -> initialize answered {summary(initialize[name])}")
        print(f"  {name:<15} spawn -> first diagnostics   {summary(publish[name])}")
    floor = statistics.median(floors["python -c 'import pygls.lsp.server'"])
    ours = statistics.median(publish["async-patterns"])
    print(f"  async-patterns first diagnostics - pygls import floor: {1000 * (ours - floor):.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
