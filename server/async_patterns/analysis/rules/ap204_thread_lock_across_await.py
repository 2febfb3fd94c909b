"""AP204: a threading lock held across an `await`."""

import ast
from typing import Iterator

from async_patterns.analysis import catalogue
from async_patterns.analysis.async_code import has_checkpoint, receiver_type
from async_patterns.analysis.code_spans import expression_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

_THREAD_LOCKS = frozenset({catalogue.THREAD_LOCK, catalogue.THREAD_CONDITION})


class ThreadLockAcrossAwait(NodeRule):
    code = "AP204"
    name = "thread-lock-across-await"
    message = (
        "{lock} (a thread lock) stays held while the task is suspended at an `await`, so the next task that "
        "takes it blocks the event loop and the holder can never resume to release it; use an `asyncio.Lock` "
        "with `async with`"
    )
    explanation = """\
A `threading.Lock` (or `RLock`, `Semaphore`, `Condition`) belongs to a thread, and all tasks of an
event loop share one thread. When a task holds it across an `await`, other tasks run in the
meantime; the first of them that reaches `with lock:` blocks the whole thread waiting for the lock,
so the event loop stops, the holder is never resumed, and the program deadlocks (an `RLock` instead
lets the second task in, which is no exclusion at all). Between tasks use `asyncio.Lock` and
`async with lock:`; if the lock also protects data shared with other threads, hold it only around
code without `await`. Locks are recognised from their constructor or annotation, also as `self.x`
attributes assigned in the same class."""
    peers = """\
Neither flake8-async nor ruff has this rule."""

    node_types = (ast.With,)

    def check(self, node: ast.With, context: Context) -> Iterator[Report]:
        if not has_checkpoint(node.body):
            return
        for item in node.items:
            if receiver_type(item.context_expr, context) in _THREAD_LOCKS:
                yield Report(item.context_expr, self.message.format(lock=expression_span(item.context_expr)))

    VALID = (
        "import asyncio\nlock = asyncio.Lock()\nasync def main():\n    async with lock:\n        await work()\n",
        "import threading\nlock = threading.Lock()\nasync def main():\n    with lock:\n        counter = 1\n    await work()\n",
        "async def main(lock):\n    with lock:\n        await work()\n",
        "import threading\nlock = threading.Lock()\nasync def main():\n    with lock:\n        def later():\n            return 1\n",
    )
    INVALID = (
        Invalid("import threading\nlock = threading.Lock()\nasync def main():\n    with lock:\n        await work()\n"),
        Invalid(
            "import threading\nclass Cache:\n    def __init__(self):\n        self._lock = threading.RLock()\n"
            "    async def refresh(self):\n        with self._lock:\n            self.data = await load()\n"
        ),
        Invalid("from threading import Lock\nasync def main(guard: Lock):\n    with guard:\n        async for row in rows():\n            pass\n"),
    )
    NOTEBOOK_INVALID = (Invalid("import threading\nlock = threading.Lock()\n# %%\nwith lock:\n    await work()\n"),)
