"""AP109: a call from async code to one of the project's own sync functions that blocks."""

from __future__ import annotations

from pathlib import PurePath

from async_patterns.analysis.code_spans import code_span
from async_patterns.analysis.project.index import Link
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

    def matches_beyond_tables(self, site: CallSite) -> bool:
        return self._chain(site) is not None

    @staticmethod
    def _chain(site: CallSite) -> tuple[Link, ...] | None:
        """The calls through which this call blocks, when it calls a project function that does."""
        project = site.scope.project
        callee = project.helper_called(site.node.func, site.scope, site.receiver_type) if project is not None else None
        return project.blocking_chain(callee) if project is not None and callee is not None else None

    def report(self, site: CallSite) -> Report:
        chain = self._chain(site) or ()
        data = {
            "call": site.qualname or site.name,
            "fix": self.fix,
            "chain": [link.to_dict() for link in chain],
            # Each link where the editor can open it (not for a module analysed on its own, with no path).
            "related": [
                {
                    "path": link.path,
                    "line": link.line,
                    "message": f"{code_span(link.function.rpartition('.')[2] + '()')} calls {link.call}",
                }
                for link in chain
                if link.path
            ],
        }
        return Report(site.node, self.describe_chain(site.display, chain), data)

    @classmethod
    def describe_chain(cls, display: str, chain: tuple[Link, ...]) -> str:
        steps = [
            f"{link.call} ({PurePath(link.path).name}:{link.line})" if link.path else f"{link.call} (line {link.line})"
            for link in chain
        ]
        instead = "use `await asyncio.to_thread(...)`"
        return cls.chain_message.format(call=display, chain=", which calls ".join(steps), instead=instead)

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
