"""ASYNC119: `yield` inside a `with` or `async with` block of an async generator."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import enclosing_with_blocks, is_context_manager_or_fixture
from async_patterns.analysis.cancel_scopes import opens_cancel_scope
from async_patterns.analysis.code_spans import with_span, yield_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class YieldInContextManager(NodeRule):
    code = "ASYNC119"
    name = "yield-in-context-manager"
    message = (
        "{yield_} inside {block} leaves the block open while the consumer runs: if the consumer stops iterating "
        "early, it is only closed when the generator is garbage-collected, possibly never and outside any task; "
        "wrap iteration in `contextlib.aclosing(...)` or close the resource before yielding"
    )
    explanation = """\
An async generator that yields inside a `with` or `async with` block keeps the block open while the
consumer runs. If the consumer breaks out of its `async for`, raises or is cancelled, the generator
is left suspended, and the block's exit (closing a connection, releasing a lock, restoring state)
only runs when the generator is closed: by `aclose()`, which for a generator nobody closes is called
by the event loop's finalizer, later, in another task, or never when the loop is closing, and an
`await` in that clean-up can fail (PEP 533 describes the problem). That holds for a plain `with`
too: its exit runs no earlier than `aclose()`. Consumers should iterate with
`async with contextlib.aclosing(gen()) as items:`, or the generator should collect what it needs
and close the block before yielding.

Not reported: generators decorated with `@asynccontextmanager` and pytest fixtures (their `yield`
hands control to a `with` body or to the fixture's teardown, which finish them); a private
(`_name`) async generator whose every use in the module is a consumer that closes it
(`async with aclosing(self._rows())`, or `rows = self._rows()` and `await rows.aclose()` in a
`finally:`). TaskGroup and cancel-scope blocks are reported by ASYNC101 instead."""
    peers = """\
Same meaning as flake8-async's (plain `with` and `async with`; `@asynccontextmanager` and pytest
fixtures excepted) and ruff's (in preview). Not reported besides: a private async generator whose
every use in the module closes it, and blocks that are task groups or cancel scopes, which are
ASYNC101's."""

    node_types = (ast.Yield,)

    def check(self, node: ast.Yield, context: Context) -> Iterator[Report]:
        function = context.scope.node
        if not isinstance(function, ast.AsyncFunctionDef) or is_context_manager_or_fixture(function, context.scope):
            return
        if function.name in context.module.closed_private_generators:
            return
        blocks = list(enclosing_with_blocks(context))
        if blocks and not any(opens_cancel_scope(block, context.scope) for block in blocks):
            yield Report(node, self.message.format(yield_=yield_span(node), block=with_span(blocks[0])))

    VALID = (
        "async def rows(pool):\n    async with pool.acquire() as connection:\n        found = await connection.fetch('q')\n"
        "    for row in found:\n        yield row\n",
        "from contextlib import asynccontextmanager\n@asynccontextmanager\nasync def connected(pool):\n"
        "    async with pool.acquire() as connection:\n        yield connection\n",
        "import pytest\n@pytest.fixture\nasync def client(app):\n    async with app.test_client() as client:\n        yield client\n",
        "def lines(path):\n    with open(path) as handle:\n        yield from handle\n",
        "import asyncio\nasync def ticks():\n    async with asyncio.timeout(10):\n        yield 1\n",
        "import contextlib\nasync def _rows(pool):\n    async with pool.acquire() as connection:\n        yield 1\n"
        "async def main(pool):\n    async with contextlib.aclosing(_rows(pool)) as rows:\n        async for row in rows:\n            break\n",
        "import aiofiles\nclass Bot:\n    async def __reader(self, path):\n        async with aiofiles.open(path) as f:\n"
        "            while chunk := await f.read(65536):\n                yield chunk\n"
        "    async def download(self, path, local):\n        stream = None\n        if local:\n            stream = self.__reader(path)\n"
        "        try:\n            await self.save(stream)\n        finally:\n            if local:\n                await stream.aclose()\n",
    )
    INVALID = (
        Invalid("async def rows(pool):\n    async with pool.acquire() as connection:\n        async for row in connection.cursor('q'):\n            yield row\n"),
        Invalid("import aiofiles\nasync def chunks(path):\n    async with aiofiles.open(path, 'rb') as handle:\n"
                "        while chunk := await handle.read(65536):\n            yield chunk\n"),
        Invalid("async def parts(stream):\n    with map_exceptions():\n        async for part in stream:\n            yield part\n"),
        Invalid("async def lines(path):\n    with open(path) as handle:  # noqa: ASYNC230\n        for line in handle:\n            yield line\n"),
        Invalid("import contextlib\nasync def _rows(pool):\n    async with pool.acquire() as connection:\n        yield 1\n"
                "async def main(pool):\n    async with contextlib.aclosing(_rows(pool)) as rows:\n        pass\n"
                "    async for row in _rows(pool):\n        break\n"),
        Invalid("async def _rows(pool):\n    async with pool.acquire() as connection:\n        yield 1\n"),
        Invalid("async def rows(pool):\n    async with pool.acquire() as connection:\n        yield 1\n"
                "async def main(pool):\n    stream = rows(pool)\n    try:\n        pass\n    finally:\n        await stream.aclose()\n"),
    )
