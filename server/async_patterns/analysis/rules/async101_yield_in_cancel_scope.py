"""ASYNC101: `yield` inside a TaskGroup or timeout block of an async generator."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import enclosing_with_blocks, is_cancel_scope, is_context_manager_or_fixture
from async_patterns.analysis.engine import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class YieldInCancelScope(NodeRule):
    code = "ASYNC101"
    name = "yield-in-cancel-scope"
    message = (
        "while this `yield` waits for the consumer, the TaskGroup or timeout around it can cancel the consumer's "
        "code or raise into the wrong frame; collect results first, or make this an `@asynccontextmanager`"
    )
    explanation = """\
A `TaskGroup` or an `asyncio.timeout()` block works by cancelling the task it runs in and catching
that cancellation when the block exits. When an async generator yields from inside such a block,
the block stays open while the *consumer* runs: a timeout that expires, or a task of the group that
fails, cancels whatever the consumer is awaiting at that moment, and the error surfaces in the
consumer's code, far from the block that caused it (or is lost when the generator is never
resumed). Restructure so the block closes before yielding (gather the results, then yield them), or
when the generator really is a context manager, decorate it with
`@contextlib.asynccontextmanager` (a pytest fixture is also fine): there the `yield` hands control
to a `with` body in the same task, which is safe."""

    node_types = (ast.Yield,)

    def check(self, node: ast.Yield, context: Context) -> Iterator[Report]:
        function = context.scope.node
        if not isinstance(function, ast.AsyncFunctionDef) or is_context_manager_or_fixture(function, context.scope):
            return
        if any(is_cancel_scope(block, context.scope) for block in enclosing_with_blocks(context)):
            yield Report(node, self.message)

    VALID = (
        "import asyncio\nasync def results():\n    async with asyncio.TaskGroup() as tg:\n        task = tg.create_task(work())\n"
        "    yield task.result()\n",
        "import asyncio, contextlib\n@contextlib.asynccontextmanager\nasync def running():\n"
        "    async with asyncio.TaskGroup() as tg:\n        yield tg\n",
        "import asyncio, pytest_asyncio\n@pytest_asyncio.fixture\nasync def group():\n"
        "    async with asyncio.TaskGroup() as tg:\n        yield tg\n",
        "async def rows(connection):\n    async with connection.transaction():\n        yield 1\n",
    )
    INVALID = (
        Invalid("import asyncio\nasync def ticks():\n    async with asyncio.timeout(10):\n        while True:\n            yield await next_tick()\n"),
        Invalid(
            "import asyncio\nasync def results(urls):\n    async with asyncio.TaskGroup() as tg:\n        for url in urls:\n"
            "            yield tg.create_task(fetch(url))\n"
        ),
    )
