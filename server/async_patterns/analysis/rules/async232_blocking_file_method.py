"""ASYNC232: a method of a synchronous file object (`f.read()`, `f.write()`, ...)."""

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, Invalid


class BlockingFileMethod(BlockingCallRule):
    code = "ASYNC232"
    name = "blocking-file-method"
    message = "{call} on a synchronous file object blocks the event loop on disk I/O; {instead}"
    explanation = """\
A file object from `open()` (or annotated as `io.TextIOWrapper`, `BufferedReader`, ...) reads and
writes synchronously. Each call blocks the event loop for as long as the disk takes. Read or write
the whole file in a worker thread with `await asyncio.to_thread(f.read)` (or better, move the whole
`with open(...)` block into a helper run by `asyncio.to_thread`), or use an async file library.
Only receivers the code shows to be files are reported."""
    methods = {catalogue.FILE: frozenset({"*"})}
    instead = "use `await asyncio.to_thread(...)` or an async file library"

    VALID = (
        "import aiofiles\nasync def main():\n    async with aiofiles.open('x') as f:\n        await f.read()\n",
        "async def main(stream):\n    await stream.read()\n",
        "async def main(reader):\n    reader.read()\n",
    )
    INVALID = (
        Invalid("async def main():\n    with open('x') as f:  # noqa: ASYNC230\n        return f.read()\n"),
        Invalid("async def main():\n    f = open('x', 'w')  # noqa: ASYNC230\n    f.write('data')\n"),
        Invalid("import io\nasync def main(f: io.TextIOWrapper):\n    f.readline()\n"),
    )
