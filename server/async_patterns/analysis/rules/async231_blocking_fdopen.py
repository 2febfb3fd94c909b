"""ASYNC231: `os.fdopen()` inside `async def`."""

from async_patterns.analysis.rule import BlockingCallRule, Invalid


class BlockingFdopen(BlockingCallRule):
    code = "ASYNC231"
    name = "blocking-fdopen"
    message = "{call} wraps a descriptor in a blocking file object on the event loop; {instead}"
    explanation = """\
`os.fdopen()` returns an ordinary synchronous file object: every read and write on it blocks the
thread, and inside `async def` that is the event loop. Do the file work in a worker thread with
`await asyncio.to_thread(...)`, or for pipes and sockets use asyncio's streams
(`loop.connect_read_pipe`, `asyncio.open_connection`)."""
    peers = """\
Same meaning as flake8-async's; ruff has no ASYNC231."""
    calls = frozenset({"os.fdopen"})
    instead = "do the file work in `await asyncio.to_thread(...)`"

    VALID = ("import os\ndef wrap(fd):\n    return os.fdopen(fd)\n",)
    INVALID = (Invalid("import os\nasync def main(fd):\n    stream = os.fdopen(fd, 'rb')\n"),)
