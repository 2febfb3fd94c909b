"""Language servers side by side, driven by the same small stdio LSP client:

(a) didChange -> publishDiagnostics latency while typing a line into an `async def` of a large file;
(b) didOpen -> first publishDiagnostics in a running server (a small file was opened first and the
    folder indexed: start-up is `startup_bench.py`'s), next to `ast.parse` of the same file and a
    no-op visit of every node of its tree (the least a rule walk in Python adds), and the median of
    open minus parse over the files;
(d) the server's peak RSS with the 50 largest corpus files open;
(e) the first keystroke in a large file after another file was opened (and later keystrokes).

    python benchmarks/corpus.py && python benchmarks/lsp_bench.py [--edits-per-file N]

Peers: this server and `ruff server` with ASYNC and RUF006 selected (ruff.toml next to the copied
files). Typing is what VS Code sends: one change per keystroke, `(` auto-closed, and the next key only
after the diagnostics for the previous version arrived, so latencies do not queue up.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import largest  # noqa: E402

VENV_BIN = Path(sys.executable).parent
SERVERS = {
    "async-patterns": [sys.executable, "-m", "async_patterns", "server"],
    "ruff server": [str(VENV_BIN / "ruff"), "server"],
}
RUFF_SETTINGS = {"lint": {"select": ["ASYNC", "RUF006"]}}
TYPED = "await asyncio.sleep(1); time.sleep(1)"
# After the first file is open, a server has settled (indexed the folder, say) once it used less
# than this much CPU time over one poll.
IDLE_CPU_SECONDS = 0.01
POLL_SECONDS = 0.5


class Client:
    """Just enough LSP over stdio: requests, notifications, and waiting for diagnostics by version."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.next_id = 0
        self.responses: dict[int, asyncio.Future] = {}
        self.diagnostics: dict[tuple[str, int | None], asyncio.Future] = {}
        self.reader = asyncio.create_task(self._read())

    @classmethod
    async def start(cls, command: list[str], root: Path) -> Client:
        process = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL, cwd=root
        )
        client = cls(process)
        await client.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root.as_uri(),
                "capabilities": {"textDocument": {"publishDiagnostics": {"versionSupport": True}}},
                "initializationOptions": {"settings": RUFF_SETTINGS},
            },
        )
        client.notify("initialized", {})
        return client

    def _send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    async def request(self, method: str, params: dict) -> object:
        self.next_id += 1
        future = self.responses[self.next_id] = asyncio.get_running_loop().create_future()
        self._send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return await future

    def notify(self, method: str, params: dict) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def expect_diagnostics(self, uri: str, version: int | None) -> asyncio.Future:
        future = self.diagnostics[uri, version] = asyncio.get_running_loop().create_future()
        return future

    async def _read(self) -> None:
        stream = self.process.stdout
        while True:
            header = await stream.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.lower().startswith(b"content-length"))
            message = json.loads(await stream.readexactly(length))
            received = time.perf_counter()
            if "id" in message and "method" not in message:
                self.responses.pop(message["id"]).set_result(message.get("result"))
            elif "id" in message:  # a request from the server (configuration, registration)
                result = [RUFF_SETTINGS] if message["method"] == "workspace/configuration" else None
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": result})
            elif message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                for key in ((params["uri"], params.get("version")), (params["uri"], None)):
                    future = self.diagnostics.pop(key, None)
                    if future is not None and not future.done():
                        future.set_result((received, params["diagnostics"]))
                        break

    async def open(self, uri: str, text: str) -> tuple[float, list]:
        waiting = self.expect_diagnostics(uri, None)
        sent = time.perf_counter()
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}})
        received, diagnostics = await asyncio.wait_for(waiting, 120)
        return received - sent, diagnostics

    async def change(self, uri: str, version: int, line: int, character: int, end_character: int, text: str) -> float:
        waiting = self.expect_diagnostics(uri, version)
        sent = time.perf_counter()
        change = {
            "range": {"start": {"line": line, "character": character}, "end": {"line": line, "character": end_character}},
            "text": text,
        }
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
        received, _ = await asyncio.wait_for(waiting, 120)
        return received - sent

    async def settled(self, most_seconds: float = 60) -> None:
        """Waits until the server process is idle: what it does in the background (indexing) is done."""
        used = self.cpu_seconds()
        for _ in range(int(most_seconds / POLL_SECONDS)):
            await asyncio.sleep(POLL_SECONDS)
            now = self.cpu_seconds()
            if now - used < IDLE_CPU_SECONDS:
                return
            used = now

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")) / 1024

    async def stop(self) -> None:
        await self.request("shutdown", {})
        self.notify("exit", {})
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except asyncio.TimeoutError:
            self.process.kill()
        self.reader.cancel()


def keystrokes(text: str) -> list[tuple[str, int]]:
    """(inserted text, cursor advance) per key, with `(` auto-closed and `)` typed over."""
    keys = []
    for char in text:
        if char == ")":
            keys.append(("", 1))
        elif char == "(":
            keys.append(("()", 1))
        else:
            keys.append((char, 1))
    return keys


def typing_lines(source: str, count: int) -> list[tuple[int, str]]:
    """Lines (0-based) after which to type: spread over the file, inside `async def` bodies."""
    tree = ast.parse(source)
    places = []
    for node in ast.walk(tree):
        if isinstance(node, ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if first.end_lineno == first.lineno:
                places.append((first.end_lineno, " " * first.col_offset))
    places.sort()
    step = max(1, len(places) // count)
    return places[::step][:count]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def typing_latencies(client: Client, uri: str, source: str, places: int) -> list[float]:
    latencies = []
    version = 1
    for line, indent in typing_lines(source, places):
        version += 1
        latencies.append(await client.change(uri, version, line, 0, 0, indent + "\n"))
        column = len(indent)
        for inserted, advance in keystrokes(TYPED):
            if not inserted:
                column += advance
                continue
            version += 1
            latencies.append(await client.change(uri, version, line, column, column, inserted))
            column += advance
        version += 1
        latencies.append(await client.change(uri, version, line, 0, column + 1, ""))  # the typed line, emptied
    return latencies


async def keystrokes_after_opening(client: Client, edited: Path, opened: list[Path]) -> tuple[list[float], list[float]]:
    """Milliseconds of the first keystroke in `edited` after each file of `opened` is opened, and of
    the keystrokes after it (a new line with a character typed in an `async def`, then emptied)."""
    line, indent = typing_lines(edited.read_text(), 1)[0]
    version, first, later = 1, [], []
    for other in opened:
        await client.open(other.as_uri(), other.read_text())
        for key in range(4):
            version += 1
            if key % 2 == 0:
                latency = await client.change(edited.as_uri(), version, line, 0, 0, indent + "x\n")
            else:
                latency = await client.change(edited.as_uri(), version, line, 0, len(indent) + 2, "")
            (later if key else first).append(1000 * latency)
    return first, later


def median_ms(work, repeat: int = 5) -> float:
    """Median time of `work()` with the cyclic garbage collector off, as `timeit` times: its passes
    depend on what else this process holds, not on the work."""
    timings = []
    gc.disable()
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            work()
            timings.append(time.perf_counter() - started)
    finally:
        gc.enable()
    return 1000 * statistics.median(timings)


def parse_and_visit_ms(source: str) -> tuple[float, float]:
    """`ast.parse` of the text, and a visit of every node of its tree that does nothing: the least
    any rule walk written in Python adds to the parse."""
    tree = ast.parse(source)
    return median_ms(lambda: ast.parse(source)), median_ms(lambda: ast.NodeVisitor().visit(tree))


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--places", type=int, default=4, help="lines typed per file")
    parser.add_argument("--files", type=int, default=3, help="large files typed into")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "ruff.toml").write_text('[lint]\nselect = ["ASYNC", "RUF006"]\n')
        candidates = largest(50)
        copies = []
        for number, path in enumerate(candidates):
            # A name that is a module name: the server indexes the folder as the project it is.
            copy = root / f"m{number:02d}_{path.name}"
            shutil.copyfile(path, copy)
            copies.append(copy)
        typed_into = [copy for copy in copies if typing_lines(copy.read_text(), 1)][: arguments.files]

        print("(a) didChange -> publishDiagnostics while typing, ms (same client, same run)")
        print("(b) didOpen -> first diagnostics in a running server, ms, next to ast.parse of the file")
        warm_up = root / "warm_up.py"
        warm_up.write_text("import asyncio\n\n\nasync def main():\n    await asyncio.sleep(1)\n")
        beyond_parse: dict[str, list[float]] = {name: [] for name in SERVERS}
        for copy in typed_into:
            source = copy.read_text()
            parse, visit = parse_and_visit_ms(source)
            print(
                f"\n  {copy.name[4:]}: {len(source.splitlines()):,} lines, ast.parse {parse:.1f} ms,"
                f" a no-op visit of every node {visit:.1f} ms"
            )
            for name, command in SERVERS.items():
                client = await Client.start(command, root)
                await client.open(warm_up.as_uri(), warm_up.read_text())
                await client.settled()
                opened, diagnostics = await client.open(copy.as_uri(), source)
                beyond_parse[name].append(1000 * opened - parse)
                latencies = await typing_latencies(client, copy.as_uri(), source, arguments.places)
                await client.stop()
                print(
                    f"    {name:<15} open {1000 * opened:7.1f}   edit median {1000 * statistics.median(latencies):6.1f}"
                    f"   p95 {1000 * percentile(latencies, 0.95):6.1f}   max {1000 * max(latencies):6.1f}"
                    f"   ({len(latencies)} edits, {len(diagnostics)} diagnostics on open)"
                )

        if typed_into:
            print("\n  open minus ast.parse of the file, median over the files, ms:")
            for name, differences in beyond_parse.items():
                print(f"    {name:<15} {statistics.median(differences):+7.1f}")

        print(f"\n(d) peak RSS with the {len(copies)} largest corpus files open")
        total_lines = sum(len(copy.read_text().splitlines()) for copy in copies)
        for name, command in SERVERS.items():
            client = await Client.start(command, root)
            for copy in copies:
                await client.open(copy.as_uri(), copy.read_text())
            if typed_into:
                await typing_latencies(client, typed_into[0].as_uri(), typed_into[0].read_text(), 1)
            print(f"    {name:<15} {client.peak_rss_mb():6.1f} MB  ({total_lines:,} lines open)")
            await client.stop()

        if typed_into:
            edited, opened = typed_into[0], [copy for copy in copies if copy not in typed_into][:6]
            print(f"\n(e) a line typed in {edited.name[4:]} after each of {len(opened)} other files is opened, ms")
            for name, command in SERVERS.items():
                client = await Client.start(command, root)
                await client.open(edited.as_uri(), edited.read_text())
                await client.settled()
                first, later = await keystrokes_after_opening(client, edited, opened)
                await client.stop()
                print(
                    f"    {name:<15} first keystroke after an open: median {statistics.median(first):6.1f}"
                    f"  max {max(first):6.1f}   later keystrokes: median {statistics.median(later):5.1f}"
                )


if __name__ == "__main__":
    asyncio.run(main())
