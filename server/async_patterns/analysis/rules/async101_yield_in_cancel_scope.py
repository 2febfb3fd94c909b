"""ASYNC101: `yield` inside a TaskGroup or cancel-scope block of a generator."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import FUNCTIONS, enclosing_with_blocks, is_context_manager_or_fixture
from async_patterns.analysis.cancel_scopes import SYNC_CANCEL_SCOPE_WORDS, opens_cancel_scope
from async_patterns.analysis.code_spans import yield_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class YieldInCancelScope(NodeRule):
    code = "ASYNC101"
    name = "yield-in-cancel-scope"
    message = (
        "{yield_} waits for the consumer inside a TaskGroup or cancel scope, which can cancel the consumer's code "
        "or raise into the wrong frame meanwhile; collect results first, or make this an `@asynccontextmanager`"
    )
    explanation = """\
A task group or a cancel scope (`asyncio.TaskGroup`, `asyncio.timeout()`, anyio's
`create_task_group()`, `move_on_after()`, `fail_after()`, `CancelScope()`) works by cancelling the
task it runs in and catching that cancellation when the block exits. When a generator yields from
inside such a block, the block stays open while the *consumer* runs: a timeout that expires, or a
task of the group that fails, cancels whatever the consumer is awaiting at that moment, and the
error surfaces in the consumer's code, far from the block that caused it (or is lost when the
generator is never resumed); anyio also refuses scopes left in the wrong order. Restructure so the
block closes before yielding (gather the results, then yield them), or when the generator really
is a context manager, decorate it with `@contextlib.asynccontextmanager` (or `@contextmanager`; a
pytest fixture is also fine): there the `yield` hands control to a `with` body in the same task,
which is safe.

Also reported: the timeouts of `async_timeout` and of the `taskgroup` backport, `asyncer`'s task
group, and context managers that open a task group inside: anyio's `BlockingPortal`, APScheduler's
`AsyncScheduler`, and mcp's `ClientSession`, `Client`, `stdio_client`, `sse_client`,
`streamable_http_client` and `stdio_server` (each checked in the library's source)."""
    peers = """\
Same meaning as flake8-async's (ruff has no ASYNC101), for the task groups and cancel scopes of
asyncio, anyio and the asyncio-capable libraries listed above; trio's are left out, as are
`start_blocking_portal` and `asgi_lifespan.LifespanManager`, which flake8-async lists but which
open no scope in the caller's task on asyncio. Where both ASYNC101 and ASYNC119 apply, flake8-async
reports both; here only ASYNC101 is reported."""

    node_types = (ast.Yield, ast.YieldFrom)
    only_in_async = False
    sync_code_words = SYNC_CANCEL_SCOPE_WORDS

    def check(self, node: ast.Yield | ast.YieldFrom, context: Context) -> Iterator[Report]:
        function = context.scope.node
        if not isinstance(function, FUNCTIONS) or is_context_manager_or_fixture(function, context.scope):
            return
        if any(opens_cancel_scope(block, context.scope) for block in enclosing_with_blocks(context)):
            yield Report(node, self.message.format(yield_=yield_span(node)))

    VALID = (
        "import asyncio\nasync def results():\n    async with asyncio.TaskGroup() as tg:\n        task = tg.create_task(work())\n"
        "    yield task.result()\n",
        "import asyncio, contextlib\n@contextlib.asynccontextmanager\nasync def running():\n"
        "    async with asyncio.TaskGroup() as tg:\n        yield tg\n",
        "import asyncio, pytest_asyncio\n@pytest_asyncio.fixture\nasync def group():\n"
        "    async with asyncio.TaskGroup() as tg:\n        yield tg\n",
        "async def rows(connection):\n    async with connection.transaction():\n        yield 1\n",
        "import anyio, contextlib\n@contextlib.contextmanager\ndef bounded():\n    with anyio.move_on_after(1) as scope:\n"
        "        yield scope\n",
        "from anyio.from_thread import start_blocking_portal\ndef portal():\n    with start_blocking_portal() as portal:\n"
        "        yield portal\n",
        "import anyio\ndef lines(path):\n    with open(path) as handle:\n        yield from handle\n",
    )
    INVALID = (
        Invalid("import asyncio\nasync def ticks():\n    async with asyncio.timeout(10):\n        while True:\n            yield await next_tick()\n"),
        Invalid(
            "import asyncio\nasync def results(urls):\n    async with asyncio.TaskGroup() as tg:\n        for url in urls:\n"
            "            yield tg.create_task(fetch(url))\n"
        ),
        Invalid("import anyio\nasync def ticks():\n    with anyio.move_on_after(5):\n        yield 1\n"),
        Invalid("import anyio\nasync def results():\n    async with anyio.create_task_group() as group:\n        yield group\n"),
        Invalid("from anyio import fail_after as deadline\ndef bounded(items):\n    with deadline(1):\n        yield from items\n"),
        Invalid("import anyio\ndef scoped():\n    with anyio.CancelScope() as scope:\n        yield scope\n"),
        Invalid("import async_timeout\nasync def chunks(stream):\n    async with async_timeout.timeout(5):\n        yield await stream.read()\n"),
        Invalid("from mcp import ClientSession\nasync def sessions(read, write):\n    async with ClientSession(read, write) as session:\n"
                "        yield session\n"),
        Invalid("from mcp.client.stdio import stdio_client\nasync def streams(params):\n    async with stdio_client(params) as pair:\n"
                "        yield pair\n"),
        Invalid("from anyio.from_thread import BlockingPortal\nasync def portals():\n    async with BlockingPortal() as portal:\n"
                "        yield portal\n"),
        Invalid("from apscheduler import AsyncScheduler\nasync def schedulers():\n    async with AsyncScheduler() as scheduler:\n"
                "        yield scheduler\n"),
    )
