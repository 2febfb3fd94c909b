"""ASYNC119: `yield` inside an `async with` block of an async generator."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import enclosing_with_blocks, is_cancel_scope, is_context_manager_or_fixture
from async_patterns.analysis.engine import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class YieldInContextManager(NodeRule):
    code = "ASYNC119"
    name = "yield-in-context-manager"
    message = (
        "if the consumer stops iterating early, this block is only closed when the generator is garbage-collected, "
        "possibly never and outside any task; wrap iteration in `contextlib.aclosing(...)` or close the resource "
        "before yielding"
    )
    explanation = """\
An async generator that yields inside an `async with` block keeps the resource open while the
consumer runs. If the consumer breaks out of its `async for`, raises or is cancelled, the generator
is left suspended, and the block's asynchronous exit (closing a connection, releasing a lock) only
runs when the event loop finalizes the generator: later, in another task, or never when the loop
is closing, and an `await` in that clean-up can fail (PEP 533 describes the problem). Consumers
should iterate with `async with contextlib.aclosing(gen()) as items:`, or the generator should
collect what it needs and close the block before yielding. Plain `with` blocks are not reported:
their exit needs no `await`, so it still runs when the generator is finalized (such blocks are often
exception mappers). Generators decorated with `@asynccontextmanager` and pytest fixtures are fine;
TaskGroup and timeout blocks are reported by ASYNC101 instead."""

    node_types = (ast.Yield,)

    def check(self, node: ast.Yield, context: Context) -> Iterator[Report]:
        function = context.scope.node
        if not isinstance(function, ast.AsyncFunctionDef) or is_context_manager_or_fixture(function, context.scope):
            return
        blocks = [block for block in enclosing_with_blocks(context) if isinstance(block, ast.AsyncWith)]
        if blocks and not any(is_cancel_scope(block, context.scope) for block in blocks):
            yield Report(node, self.message)

    VALID = (
        "async def rows(pool):\n    async with pool.acquire() as connection:\n        found = await connection.fetch('q')\n"
        "    for row in found:\n        yield row\n",
        "from contextlib import asynccontextmanager\n@asynccontextmanager\nasync def connected(pool):\n"
        "    async with pool.acquire() as connection:\n        yield connection\n",
        "import pytest\n@pytest.fixture\nasync def client(app):\n    async with app.test_client() as client:\n        yield client\n",
        "def lines(path):\n    with open(path) as handle:\n        yield from handle\n",
        "async def parts(stream):\n    with map_exceptions():\n        async for part in stream:\n            yield part\n",
        "import asyncio\nasync def ticks():\n    async with asyncio.timeout(10):\n        yield 1\n",
    )
    INVALID = (
        Invalid("async def rows(pool):\n    async with pool.acquire() as connection:\n        async for row in connection.cursor('q'):\n            yield row\n"),
        Invalid("import aiofiles\nasync def chunks(path):\n    async with aiofiles.open(path, 'rb') as handle:\n"
                "        while chunk := await handle.read(65536):\n            yield chunk\n"),
    )
