"""AP107: waiting on a `subprocess.Popen` object (`wait()`, `communicate()`)."""

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, Invalid


class BlockingPopenWait(BlockingCallRule):
    code = "AP107"
    name = "blocking-popen-wait"
    message = "{call} blocks the event loop until the child process exits; {instead}"
    explanation = """\
`Popen.wait()` and `Popen.communicate()` hold the calling thread until the child finishes (and
`communicate()` reads all its output). On the event loop that freezes every task for the lifetime
of the command. Start the process with `asyncio.create_subprocess_exec()` and
`await process.communicate()`, or wait in a worker thread: `await asyncio.to_thread(process.wait)`."""
    peers = """\
Neither flake8-async nor ruff has this rule. (ASYNC220 reports starting the process; this is the later wait on it.)"""
    methods = {catalogue.POPEN: frozenset({"wait", "communicate"})}
    instead = "use `asyncio.create_subprocess_exec(...)` or `await asyncio.to_thread(process.wait)`"

    VALID = (
        "import asyncio\nasync def main():\n    process = await asyncio.create_subprocess_exec('ls')\n    await process.wait()\n",
        "import subprocess\ndef main():\n    subprocess.Popen(['ls']).wait()\n",
        "async def main(process):\n    process.wait()\n",
    )
    INVALID = (
        Invalid("import subprocess\nasync def main():\n    subprocess.Popen(['ls']).wait()  # noqa: ASYNC220\n"),
        Invalid(
            "import subprocess\nasync def main():\n    process = subprocess.Popen(['ls'], stdout=subprocess.PIPE)  # noqa: ASYNC220\n"
            "    output, _ = process.communicate()\n"
        ),
    )
