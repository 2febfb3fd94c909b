"""AP109: a call from async code to one of the project's own sync functions that blocks."""

from __future__ import annotations

import dataclasses
from pathlib import PurePath
from typing import Iterable

from async_patterns.analysis.findings import Finding
from async_patterns.analysis.project.index import Link
from async_patterns.analysis.project.view import ProjectView
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid, Report


class BlockingHelperCall(BlockingCallRule):
    code = "AP109"
    name = "blocking-helper"
    message = "{call} is a function of this project that blocks the event loop; {instead}"
    # What a finding says: the chain of calls down to the blocking one.
    chain_message = "{call} blocks the event loop: it calls {chain}; {instead}"
    explanation = """\
A sync function or method of your own project that blocks (it sleeps, reads a file, runs a
subprocess, queries a sync database driver, or calls another of your functions that does) blocks
the event loop just as much when a coroutine calls it: the call runs its whole body on the loop's
thread. The message names the chain of calls down to the blocking one, with file and line, and the
editor lists each link. Run the helper in a worker thread (`await asyncio.to_thread(helper, ...)`),
or make it async.

The project's modules are read as a whole: helpers in other modules (`from .storage import load`),
methods of the same class or its project base classes (`self._read()`), and methods reached through
typed attributes (`self.db.downloaded()` where `self.db: Database` or `self.db = Database(...)`),
at any depth and through import cycles. Not reported: generator functions (calling one runs
nothing; a `@contextmanager` one runs its body in the `with`, so it is), `async def` helpers,
helpers handed to `to_thread`/`run_in_executor`, helpers a thread runner decorates (the
`thread-decorators` setting), and stubs. A helper with a decorator we do not know is assumed to run
its body when called (most decorators — caching, retrying, logging, timing — do); when the call is
awaited, the decorator made it async and nothing is reported."""
    peers = """\
Neither flake8-async nor ruff has this rule: both look at one file at a time and know only the
blocking calls of the standard library and a few HTTP clients, not what your own functions do."""
    calls = frozenset()
    # A call configured as blocking (ASYNC200) or found in a library's catalogue says more.
    matched_last = True
    pending_message = "{call} calls a project function that may block the event loop"

    def matches_beyond_tables(self, site: CallSite) -> bool:
        return self._callee(site) is not None

    @staticmethod
    def _callee(site: CallSite) -> str | None:
        project = site.scope.project
        return project.helper_called(site.node.func, site.scope, site.receiver_type) if project is not None else None

    def report(self, site: CallSite) -> Report:
        # Whether the helper blocks is known only once the whole project is summarised: the finding
        # is pending until `confirmed_helper_findings` looks its callee up.
        data = {"call": site.qualname or site.name, "fix": self.fix, "callee": self._callee(site), "display": site.display}
        return Report(site.node, self.pending_message.format(call=site.display), data)

    @classmethod
    def describe_chain(cls, display: str, chain: tuple[Link, ...]) -> str:
        steps = [f"{link.call} ({PurePath(link.path).name}:{link.line})" if link.path else f"{link.call} (line {link.line})" for link in chain]
        return cls.chain_message.format(call=display, chain=", which calls ".join(steps), instead="use `await asyncio.to_thread(...)`")

    VALID = (
        # A helper that does not block.
        "def total(items):\n    return sum(items)\nasync def main(items):\n    return total(items)\n",
        # Handed to a worker thread, not called.
        "import asyncio, time\ndef pause():\n    time.sleep(1)\nasync def main():\n    await asyncio.to_thread(pause)\n",
        # A generator function: calling it runs nothing.
        "def lines(path):\n    with open(path) as f:\n        yield from f\nasync def main():\n    return lines('a.txt')\n",
        # An async helper is awaited; its own body is checked where it is.
        "import asyncio\nasync def pause():\n    await asyncio.sleep(1)\nasync def main():\n    await pause()\n",
        # Called from sync code: nothing runs on the loop.
        "import time\ndef pause():\n    time.sleep(1)\ndef main():\n    pause()\n",
        # Recursion that never blocks.
        "def walk(n):\n    return walk(n - 1) if n else 0\nasync def main():\n    return walk(3)\n",
        "import time\ndef pause():\n    time.sleep(1)\nasync def main():\n    pause()  # noqa: AP109\n",
    )
    INVALID = (
        Invalid(
            "import asyncio\nimport time\n\n\ndef pause():\n    time.sleep(1)\n\n\nasync def main():\n    pause()\n",
            fixed="import asyncio\nimport time\n\n\ndef pause():\n    time.sleep(1)\n\n\nasync def main():\n"
            "    await asyncio.to_thread(pause)\n",
        ),
        # Through another helper, and through a method of the same class.
        Invalid(
            "from pathlib import Path\n\ndef read(name):\n    return Path(name).read_text()\n\ndef load(name):\n"
            "    return read(name).split()\n\nclass Store:\n    def names(self):\n        return load('names.txt')\n\n"
            "    async def handle(self):\n        return self.names()\n"
        ),
        # A method reached through a typed attribute.
        Invalid(
            "import sqlite3\n\nclass Database:\n    def __init__(self, path: str):\n        self.path = path\n\n"
            "    def downloaded(self, url):\n        with sqlite3.connect(self.path) as db:\n"
            "            return db.execute('select 1 from done where url = ?', (url,)).fetchone()\n\n"
            "class Bot:\n    def __init__(self):\n        self.db = Database('bot.db')\n\n"
            "    async def on_message(self, url):\n        if self.db.downloaded(url):\n            return\n"
        ),
    )


def confirmed_helper_findings(findings: Iterable[Finding], project: ProjectView) -> list[Finding]:
    """The findings with each pending AP109 kept only when its callee blocks, with the chain in its
    message and in `data["chain"]` (one link per call, for the editor's related information)."""
    confirmed = []
    chains: dict[str, tuple[Link, ...] | None] = {}
    for finding in findings:
        if finding.code != BlockingHelperCall.code or "callee" not in finding.data:
            confirmed.append(finding)
            continue
        callee = finding.data["callee"]
        if callee not in chains:
            chains[callee] = project.blocking_chain(callee)
        chain = chains[callee]
        if chain is None:
            continue
        data = {key: value for key, value in finding.data.items() if key != "display"}
        data["chain"] = [link.to_dict() for link in chain]
        # Each link where the editor can open it (not for a module analysed on its own, with no path).
        data["related"] = [
            {"path": link.path, "line": link.line, "message": f"`{link.function.rpartition('.')[2]}()` calls {link.call}"}
            for link in chain
            if link.path
        ]
        message = BlockingHelperCall.describe_chain(finding.data.get("display", "this call"), chain)
        confirmed.append(dataclasses.replace(finding, message=message, data=data))
    return confirmed
