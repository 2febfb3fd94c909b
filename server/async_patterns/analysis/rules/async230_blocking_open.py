"""ASYNC230: opening a file synchronously (`open`, `io.open`, `Path.open`)."""

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, Invalid


class BlockingOpen(BlockingCallRule):
    code = "ASYNC230"
    name = "blocking-open"
    message = "{call} opens a file with blocking disk I/O on the event loop; {instead}"
    explanation = """\
Opening a file, and every read or write on the file object it returns, is synchronous disk I/O.
On a local SSD it is usually quick, but on a network file system, a busy disk or a large file it
can take many milliseconds to seconds, during which no other task runs. Do the whole file job in a
worker thread (`await asyncio.to_thread(path.read_text)`, or a small sync helper passed to
`asyncio.to_thread`), or use an async file library such as `aiofiles` or `anyio.Path`."""
    peers = """\
Same meaning as flake8-async's and ruff's (`Path.open()` included, as ruff has it)."""
    calls = frozenset({"builtins.open", "io.open", "io.open_code"})
    methods = {catalogue.PATH: frozenset({"open"})}
    instead = "do the file work in `await asyncio.to_thread(...)` or use an async file library"

    VALID = (
        "import aiofiles\nasync def main():\n    async with aiofiles.open('data.txt') as f:\n        return await f.read()\n",
        "def load():\n    with open('data.txt') as f:\n        return f.read()\n",
        "import asyncio\nasync def main():\n    def load():\n        with open('data.txt') as f:\n            return f.read()\n    return await asyncio.to_thread(load)\n",
        "async def main(open):\n    open('x')\n",
        "import anyio\nasync def main():\n    return await anyio.Path('x').read_text()\n",
    )
    INVALID = (
        Invalid("async def main():\n    with open('data.txt') as f:\n        return f.read()\n"),
        Invalid("import io\nasync def main():\n    handle = io.open('data.bin', 'rb')\n"),
        Invalid("from pathlib import Path\nasync def main():\n    with Path('data.txt').open() as f:\n        pass\n"),
        Invalid("async def main(path):\n    data = open(path).read()\n"),
        Invalid(
            "async def main(path):\n    f = open(path)\n    data = f.read()\n    f.close()\n    return data\n",
            fixed="import asyncio\n\nasync def main(path):\n    def blocking_read():\n        f = open(path)\n"
            "        data = f.read()\n        f.close()\n        return data\n    data = await asyncio.to_thread(blocking_read)\n"
            "    return data\n",
        ),
    )
