"""ASYNC220: starting a process with `subprocess.Popen`, `os.popen` or `os.spawn*` (not P_WAIT)."""

import ast

from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid

SPAWN_FUNCTIONS = frozenset(
    f"os.{name}" for name in ("spawnl", "spawnle", "spawnlp", "spawnlpe", "spawnv", "spawnve", "spawnvp", "spawnvpe")
)


def spawn_waits(site: CallSite) -> bool:
    """`os.spawn*` runs the child to completion with `P_WAIT` (`os.P_WAIT`, an imported `P_WAIT`,
    any `x.P_WAIT`, positional or `mode=`) or with no mode at all; any other mode returns at once."""
    call = site.node
    mode = next((keyword.value for keyword in call.keywords if keyword.arg == "mode"), None)
    if mode is None:
        if not call.args:
            return True
        mode = call.args[0]
    return (isinstance(mode, ast.Attribute) and mode.attr == "P_WAIT") or (
        isinstance(mode, ast.Name) and mode.id == "P_WAIT"
    )


class BlockingProcessStart(BlockingCallRule):
    code = "ASYNC220"
    name = "blocking-process-start"
    message = "{call} starts a process with blocking pipes that the event loop cannot wait on; {instead}"
    explanation = """\
`subprocess.Popen`, `os.popen` and `os.spawn*` with a mode other than `P_WAIT` (`P_NOWAIT`,
`P_DETACH`, a variable) fork and exec synchronously, and the object they return can only be waited
on or read from by blocking the thread (`wait()`, `communicate()`, reading
its pipes). In a coroutine that thread is the event loop. `asyncio.create_subprocess_exec()` (or
`create_subprocess_shell()` for a shell command line) gives a `Process` whose `wait()` and
`communicate()` are awaitable and whose pipes are async streams."""
    peers = """\
Same meaning as flake8-async's and ruff's, `os.spawn*` by mode (`P_WAIT` or no mode is ASYNC221)."""
    calls = frozenset({"subprocess.Popen", "os.popen"}) | SPAWN_FUNCTIONS
    instead = "use `asyncio.create_subprocess_exec(...)` (awaited)"
    fix = "subprocess"

    def accepts(self, site: CallSite) -> bool:
        return site.qualname not in SPAWN_FUNCTIONS or not spawn_waits(site)

    VALID = (
        "import asyncio\nasync def main():\n    process = await asyncio.create_subprocess_exec('ls')\n    await process.wait()\n",
        "import subprocess\ndef main():\n    subprocess.Popen(['ls'])\n",
        "import os\nasync def main():\n    os.spawnl(os.P_WAIT, '/bin/ls', 'ls')  # noqa: ASYNC221\n",
        "import os\nasync def main(args):\n    os.spawnv(mode=os.P_WAIT, file='/bin/ls', args=args)  # noqa: ASYNC221\n",
        "from os import P_WAIT, spawnl\nasync def main():\n    spawnl(P_WAIT, '/bin/ls', 'ls')  # noqa: ASYNC221\n",
    )
    INVALID = (
        Invalid("import subprocess\nasync def main():\n    process = subprocess.Popen(['ls'])\n"),
        Invalid("import os\nasync def main():\n    listing = os.popen('ls').read()\n"),
        Invalid("import os\nasync def main():\n    os.spawnv(os.P_NOWAIT, '/bin/ls', ['ls'])\n"),
        Invalid("import os\nasync def main(args):\n    os.spawnv(mode=os.P_DETACH, file='/bin/ls', args=args)\n"),
        Invalid("import os\nasync def main(mode):\n    os.spawnlp(mode, 'ls', 'ls')\n"),
        Invalid("from subprocess import Popen\nasync def main():\n    Popen('ls', shell=True)\n"),
    )
