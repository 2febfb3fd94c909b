"""AP202: starting an event loop from code that already runs on one."""

import ast
from typing import Iterator

from async_patterns.analysis.engine import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

_LOOP_STARTERS = frozenset({"asyncio.run", "asyncio.runners.run"})
# Only event loops have this method; its receiver needs no further evidence.
_LOOP_RUN_METHODS = frozenset({"run_until_complete"})


class NestedEventLoop(NodeRule):
    code = "AP202"
    name = "nested-event-loop"
    message = (
        "{call} inside a coroutine raises `RuntimeError` because an event loop is already running in this thread; "
        "`await` the coroutine instead"
    )
    explanation = """\
`asyncio.run()` and `loop.run_until_complete()` start an event loop and block until a coroutine
finishes. Inside `async def` a loop is already running in this thread, so they raise
`RuntimeError` ("asyncio.run() cannot be called from a running event loop" / "This event loop is
already running") — often only on the code path that tests did not take. Await the coroutine
(`await work()`), or start it as a task. A sync helper that is meant to be called from both worlds
should take the coroutine's result from its caller instead. Nested functions that are not async are
not reported, since they may run in a worker thread, and modules that import `nest_asyncio` (which
patches the loop to allow this) are left alone."""

    node_types = (ast.Call,)

    def check(self, node: ast.Call, context: Context) -> Iterator[Report]:
        if "nest_asyncio" in context.module.imported_modules:
            return
        func = node.func
        starts_loop = context.scope.qualname_of(func) in _LOOP_STARTERS or (
            isinstance(func, ast.Attribute) and func.attr in _LOOP_RUN_METHODS
        )
        if starts_loop:
            yield Report(node, self.message.format(call=f"`{ast.unparse(func)}()`"), end_node=func)

    VALID = (
        "import asyncio\nasync def main():\n    await work()\n",
        "import asyncio\ndef main():\n    asyncio.run(work())\n",
        "import asyncio\nasync def main():\n    def in_thread():\n        return asyncio.run(work())\n"
        "    return await asyncio.to_thread(in_thread)\n",
        "import asyncio, nest_asyncio\nnest_asyncio.apply()\nasync def main(loop):\n    loop.run_until_complete(work())\n",
        "async def main(runner):\n    runner.run(work())\n",
    )
    INVALID = (
        Invalid("import asyncio\nasync def main():\n    asyncio.run(work())\n"),
        Invalid("import asyncio\nasync def main():\n    loop = asyncio.get_event_loop()\n    return loop.run_until_complete(work())\n"),
        Invalid("from asyncio import run\nclass Bot:\n    async def restart(self):\n        run(self.start())\n"),
    )
