"""ASYNC221: running a process to completion (`subprocess.run`, `os.system`, ...)."""

from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid
from async_patterns.analysis.rules.async220_blocking_process_start import SPAWN_FUNCTIONS, spawn_waits


class BlockingProcessRun(BlockingCallRule):
    code = "ASYNC221"
    name = "blocking-process-run"
    message = "{call} blocks the event loop until the child process exits; {instead}"
    explanation = """\
`subprocess.run/call/check_call/check_output/getoutput/getstatusoutput`, `os.system`,
`os.posix_spawn[p]` and `os.spawn*` with `P_WAIT` (or with no mode) wait for the child process to finish. Inside
`async def` the event loop waits with it, for as long as the command runs. Start the process with
`await asyncio.create_subprocess_exec(...)` and `await process.communicate()`, or move the whole
call to a worker thread with `await asyncio.to_thread(subprocess.run, ...)`."""
    peers = """\
Same meaning as flake8-async's and ruff's, `os.spawn*` with `P_WAIT` or no mode included."""
    calls = frozenset(
        {f"subprocess.{name}" for name in ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput")}
        | {"os.system", "os.posix_spawn", "os.posix_spawnp"}
    )
    instead = "use `asyncio.create_subprocess_exec(...)` or `await asyncio.to_thread(...)`"
    fix = "subprocess"

    def matches_beyond_tables(self, site: CallSite) -> bool:
        return site.qualname in SPAWN_FUNCTIONS and spawn_waits(site)

    VALID = (
        "import asyncio\nasync def main():\n    process = await asyncio.create_subprocess_exec('ls')\n    await process.communicate()\n",
        "import asyncio, subprocess\nasync def main():\n    await asyncio.to_thread(subprocess.run, ['ls'])\n",
        "import subprocess\ndef build():\n    subprocess.run(['make'], check=True)\n",
        "import os\nasync def main():\n    os.spawnl(os.P_NOWAIT, '/bin/ls', 'ls')  # noqa: ASYNC220\n",
    )
    INVALID = (
        Invalid(
            "import subprocess\nasync def main():\n    subprocess.run(['ls', '-l'], check=True)\n",
            fixed="import asyncio\nimport subprocess\nasync def main():\n"
            "    await asyncio.to_thread(subprocess.run, ['ls', '-l'], check=True)\n",
        ),
        Invalid("import os\nasync def main():\n    os.system('ls')\n"),
        Invalid("from subprocess import check_output\nasync def main():\n    return check_output(['git', 'status'])\n"),
        Invalid("import os\nasync def main():\n    os.spawnl(os.P_WAIT, '/bin/ls', 'ls')\n"),
        Invalid("from os import P_WAIT, spawnv\nasync def main(args):\n    spawnv(P_WAIT, '/bin/ls', args)\n"),
        Invalid("import os\nasync def main(args):\n    os.spawnv(mode=os.P_WAIT, file='/bin/ls', args=args)\n"),
        Invalid("import os, posix\nasync def main(args):\n    os.spawnve(posix.P_WAIT, '/bin/ls', args, {})\n"),
        Invalid("import os\nasync def main():\n    os.spawnl()\n"),
    )
