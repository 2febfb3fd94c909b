"""ASYNC222: `os.wait*()` inside `async def`."""

from async_patterns.analysis.rule import BlockingCallRule, Invalid


class BlockingProcessWait(BlockingCallRule):
    code = "ASYNC222"
    name = "blocking-process-wait"
    message = "{call} blocks the event loop until a child process changes state; {instead}"
    explanation = """\
`os.wait`, `os.wait3`, `os.wait4`, `os.waitid` and `os.waitpid` block the calling thread until a
child exits (unless called with `WNOHANG`). Start children with `asyncio.create_subprocess_exec()`
and `await process.wait()`, or run the wait in a worker thread with `await asyncio.to_thread(...)`."""
    peers = """\
Same meaning as flake8-async's and ruff's."""
    calls = frozenset({"os.wait", "os.wait3", "os.wait4", "os.waitid", "os.waitpid"})
    instead = "use `await process.wait()` on an asyncio subprocess or `await asyncio.to_thread(...)`"

    VALID = (
        "import os\ndef reap():\n    os.waitpid(-1, 0)\n",
        "import asyncio\nasync def main(process):\n    await process.wait()\n",
    )
    INVALID = (
        Invalid("import os\nasync def main(pid):\n    os.waitpid(pid, 0)\n"),
        Invalid("from os import wait\nasync def main():\n    wait()\n"),
    )
