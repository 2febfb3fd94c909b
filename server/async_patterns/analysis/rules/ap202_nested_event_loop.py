"""AP202: starting an event loop from code that already runs on one."""

import ast
from typing import Iterator

from async_patterns.analysis.code_spans import expression_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

_LOOP_STARTERS = frozenset({"asyncio.run", "asyncio.runners.run"})
# Only event loops have this method; its receiver needs no further evidence.
_LOOP_RUN_METHODS = frozenset({"run_until_complete"})


class NestedEventLoop(NodeRule):
    code = "AP202"
    imports_read = frozenset({"nest_asyncio"})
    name = "nested-event-loop"
    message = (
        "{call} inside a coroutine raises `RuntimeError` because an event loop is already running in this thread; "
        "`await` the coroutine instead"
    )
    notebook_message = (
        "{call} in a notebook cell raises `RuntimeError` because the kernel's event loop is already running; "
        "`await` the coroutine instead (a cell may use `await` at its top level)"
    )
    explanation = """\
`asyncio.run()` and `loop.run_until_complete()` start an event loop and block until a coroutine
finishes. Inside `async def` a loop is already running in this thread, so they raise
`RuntimeError` ("asyncio.run() cannot be called from a running event loop" / "This event loop is
already running") — often only on the code path that tests did not take. The same happens at the
top level of a Jupyter notebook cell, which runs on the kernel's event loop; there `await work()`
works as it is. Await the coroutine (`await work()`, offered as a quick fix when the call is given
just the coroutine), or start it as a task. A sync helper that is meant to be called from both
worlds should take the coroutine's result from its caller instead. Nested functions that are not
async are not reported, since they may run in a worker thread, and modules that import
`nest_asyncio` (which patches the loop to allow this) are left alone."""
    peers = """\
Neither flake8-async nor ruff has this rule."""

    node_types = (ast.Call,)

    def check(self, node: ast.Call, context: Context) -> Iterator[Report]:
        if "nest_asyncio" in context.module.imported_modules:
            return
        func = node.func
        starts_loop = context.scope.qualname_of(func) in _LOOP_STARTERS or (
            isinstance(func, ast.Attribute) and func.attr in _LOOP_RUN_METHODS
        )
        if not starts_loop:
            return
        template = self.message if context.in_async else self.notebook_message
        # Only the coroutine given alone can simply be awaited; `debug=True` and the like change more.
        alone = len(node.args) == 1 and not node.keywords and not isinstance(node.args[0], ast.Starred)
        yield Report(node, template.format(call=expression_span(node)), {"fix": "await_argument"} if alone else {}, func)

    VALID = (
        "import asyncio\nasync def main():\n    await work()\n",
        "import asyncio\ndef main():\n    asyncio.run(work())\n",
        "import asyncio\nasync def main():\n    def in_thread():\n        return asyncio.run(work())\n"
        "    return await asyncio.to_thread(in_thread)\n",
        "import asyncio, nest_asyncio\nnest_asyncio.apply()\nasync def main(loop):\n    loop.run_until_complete(work())\n",
        "async def main(runner):\n    runner.run(work())\n",
        "import asyncio\nasyncio.run(main())\n",
    )
    INVALID = (
        Invalid(
            "import asyncio\nasync def main():\n    asyncio.run(work())\n",
            fixed="import asyncio\nasync def main():\n    await work()\n",
        ),
        Invalid(
            "import asyncio\nasync def main():\n    loop = asyncio.get_event_loop()\n    return loop.run_until_complete(work())\n",
            fixed="import asyncio\nasync def main():\n    loop = asyncio.get_event_loop()\n    return await work()\n",
        ),
        Invalid("from asyncio import run\nclass Bot:\n    async def restart(self):\n        run(self.start())\n"),
        Invalid("import asyncio\nasync def main():\n    asyncio.run(work(), debug=True)\n"),
        Invalid(
            "import asyncio\nasync def main(fast):\n    return asyncio.run(a() if fast else b())\n",
            fixed="import asyncio\nasync def main(fast):\n    return await (a() if fast else b())\n",
        ),
    )
    NOTEBOOK_VALID = (
        "import asyncio\nasync def main():\n    pass\n# %%\nawait main()\n",
        "import asyncio\nimport nest_asyncio\nnest_asyncio.apply()\n# %%\nasyncio.run(main())\n",
        "import asyncio\ndef run_in_script():\n    asyncio.run(main())\n",
    )
    NOTEBOOK_INVALID = (
        Invalid(
            "import asyncio\nasync def main():\n    await asyncio.sleep(1)\n# %%\nasyncio.run(main())\n",
            fixed="import asyncio\nasync def main():\n    await asyncio.sleep(1)\n# %%\nawait main()\n",
        ),
        Invalid(
            "import asyncio\nloop = asyncio.get_event_loop()\n# %%\nresult = loop.run_until_complete(fetch())\n",
            fixed="import asyncio\nloop = asyncio.get_event_loop()\n# %%\nresult = await fetch()\n",
        ),
        Invalid("import asyncio\n# %%\nclass Job:\n    outcome = asyncio.run(compute())\n"),
        Invalid("import asyncio\n# %%\n%time asyncio.run(main())\n"),
    )
