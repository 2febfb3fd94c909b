"""ASYNC220: starting a process with `subprocess.Popen`, `os.popen` or `os.spawn*` (not P_WAIT)."""

from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid

SPAWN_FUNCTIONS = frozenset(
    f"os.{name}" for name in ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe")
)


def spawn_waits(site: CallSite) -> bool:
    """`os.spawn*(os.P_WAIT, ...)` runs the child to completion; other modes return at once."""
    mode = site.node.args[0] if site.node.args else None
    return mode is not None and site.scope.qualname_of(mode) == "os.P_WAIT"


class BlockingProcessStart(BlockingCallRule):
    code = "ASYNC220"
    name = "blocking-process-start"
    message = "{call} starts a process with blocking pipes that the event loop cannot wait on; {instead}"
    explanation = """\
`subprocess.Popen`, `os.popen` and `os.spawn*` fork and exec synchronously, and the object they
return can only be waited on or read from by blocking the thread (`wait()`, `communicate()`, reading
its pipes). In a coroutine that thread is the event loop. `asyncio.create_subprocess_exec()` (or
`create_subprocess_shell()` for a shell command line) gives a `Process` whose `wait()` and
`communicate()` are awaitable and whose pipes are async streams."""
    calls = frozenset({"subprocess.Popen", "os.popen"}) | SPAWN_FUNCTIONS
    instead = "use `await asyncio.create_subprocess_exec(...)`"
    fix = "subprocess"

    def accepts(self, site: CallSite) -> bool:
        return site.qualname not in SPAWN_FUNCTIONS or not spawn_waits(site)

    VALID = (
        "import asyncio\nasync def main():\n    process = await asyncio.create_subprocess_exec('ls')\n    await process.wait()\n",
        "import subprocess\ndef main():\n    subprocess.Popen(['ls'])\n",
        "import os\nasync def main():\n    os.spawnl(os.P_WAIT, '/bin/ls', 'ls')  # noqa: ASYNC221\n",
    )
    INVALID = (
        Invalid("import subprocess\nasync def main():\n    process = subprocess.Popen(['ls'])\n"),
        Invalid("import os\nasync def main():\n    listing = os.popen('ls').read()\n"),
        Invalid("import os\nasync def main():\n    os.spawnv(os.P_NOWAIT, '/bin/ls', ['ls'])\n"),
        Invalid("from subprocess import Popen\nasync def main():\n    Popen('ls', shell=True)\n"),
    )
