"""ASYNC100: a timeout block with nothing in it that can be timed out, or entered with a plain `with`."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import call_qualname, has_checkpoint
from async_patterns.analysis.cancel_scopes import ASYNC_ONLY_TIMEOUTS, TASK_GROUPS, TIMEOUTS
from async_patterns.analysis.code_spans import expression_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class TimeoutWithoutAwait(NodeRule):
    code = "ASYNC100"
    name = "timeout-without-await"
    message = (
        "{timeout} guards a block where nothing awaits, so the deadline can never interrupt it; "
        "put the `await` that may hang inside the block, or remove the block"
    )
    plain_with_message = (
        "{timeout} is an asynchronous context manager: entering it with a plain `with` fails at run time "
        "(TypeError); write `async with`"
    )
    explanation = """\
A timeout (`asyncio.timeout()`, `asyncio.timeout_at()`, and anyio's `fail_after()`,
`move_on_after()`, `fail_at()`, `move_on_at()`, `CancelScope()`) enforces its deadline by cancelling
the task at its next `await`. A block that contains no `await`, `async for` or `async with` never
gives it that chance: the code runs to the end however long it takes, and the timeout only adds
overhead and a false sense of safety. Usually the `await` that should be limited ended up outside
the block, or the block was left over after a refactoring. Move the awaited call into the block,
or remove the `with` line and dedent its body. A later item of the same `async with` statement
counts as an await, since entering it awaits; a `yield` counts too (the consumer runs, and may
await, in the same task).

asyncio's timeouts (and those of `async_timeout` and the `taskgroup` backport) are asynchronous
context managers: `with asyncio.timeout(5):` fails at run time with a TypeError, whatever the
block holds. That is reported as well, with a fix that writes `async with` when the block awaits
(anyio's cancel scopes are entered with a plain `with`, which is right for them)."""
    peers = """\
Same meaning as flake8-async's and ruff's, `yield` counting as a checkpoint as there. Covers
asyncio's, anyio's, `async_timeout`'s and the `taskgroup` backport's timeouts (not trio's). Also
reports an asyncio timeout entered with a plain `with` whose body awaits (it fails at run time),
which neither peer reports."""

    node_types = (ast.With, ast.AsyncWith)

    def check(self, node: ast.With | ast.AsyncWith, context: Context) -> Iterator[Report]:
        is_async = isinstance(node, ast.AsyncWith)
        for position, item in enumerate(node.items):
            timeout = call_qualname(item.context_expr, context.scope)
            if timeout not in TIMEOUTS:
                continue
            interruptible = has_checkpoint(node.body, yields_count=True)
            removable = len(node.items) == 1 and item.optional_vars is None
            timeout_call = expression_span(item.context_expr)
            if not is_async and timeout in ASYNC_ONLY_TIMEOUTS:
                yield Report(
                    item.context_expr,
                    self.plain_with_message.format(timeout=timeout_call),
                    self._plain_with_fix(node, context, interruptible, removable),
                )
            elif not interruptible and not (is_async and position < len(node.items) - 1):
                fix = {"fix": "remove_with"} if removable else {}
                yield Report(item.context_expr, self.message.format(timeout=timeout_call), fix)

    @staticmethod
    def _plain_with_fix(node: ast.With, context: Context, interruptible: bool, removable: bool) -> dict[str, str]:
        if not interruptible:
            return {"fix": "remove_with"} if removable else {}
        asynchronous_only = ASYNC_ONLY_TIMEOUTS | TASK_GROUPS
        if all(call_qualname(item.context_expr, context.scope) in asynchronous_only for item in node.items):
            return {"fix": "async_with"}
        return {}

    VALID = (
        "import asyncio\nasync def main():\n    async with asyncio.timeout(5):\n        await work()\n",
        "import asyncio\nasync def main():\n    async with asyncio.timeout(5), lock:\n        counter += 1\n",
        "import asyncio\nasync def main():\n    async with asyncio.timeout(5):\n        async for item in feed():\n            print(item)\n",
        "import asyncio\nasync def main():\n    async with asyncio.timeout(5):\n        results = [await fetch(url) for url in urls]\n",
        "async def main(timeout):\n    async with timeout(5):\n        pass\n",
        "import anyio\nasync def main():\n    with anyio.move_on_after(5):\n        await work()\n",
        "import asyncio\nasync def ticks():\n    async with asyncio.timeout(5):\n        yield 1\n",
    )
    INVALID = (
        Invalid(
            "import asyncio\nasync def main():\n    async with asyncio.timeout(5):\n        print('hi')\n        total = 1\n    await work()\n",
            fixed="import asyncio\nasync def main():\n    print('hi')\n    total = 1\n    await work()\n",
        ),
        Invalid("from asyncio import timeout_at\nasync def main(when):\n    async with timeout_at(when) as scope:\n        pass\n"),
        Invalid(
            "import asyncio\nasync def main():\n    async with asyncio.timeout(5):\n        def later():\n            return 1\n"
        ),
        Invalid(
            "import asyncio\nasync def main():\n    with asyncio.timeout(5):\n        await work()\n",
            fixed="import asyncio\nasync def main():\n    async with asyncio.timeout(5):\n        await work()\n",
        ),
        Invalid(
            "import asyncio\nasync def main():\n    with asyncio.timeout(5):\n        print('hi')\n",
            fixed="import asyncio\nasync def main():\n    print('hi')\n",
        ),
        Invalid("import asyncio\nasync def main(path):\n    with open(path) as f, asyncio.timeout(5):  # noqa: ASYNC230\n        await send(f)\n"),
        Invalid("import asyncio\nasync def main(lock):\n    async with lock, asyncio.timeout(5):\n        print('hi')\n"),
        Invalid("import anyio\nasync def main():\n    with anyio.fail_after(5):\n        print('hi')\n"),
        Invalid("import async_timeout\nasync def main():\n    async with async_timeout.timeout(5):\n        print('hi')\n"),
    )
    NOTEBOOK_INVALID = (
        Invalid(
            "import asyncio\n# %%\nasync with asyncio.timeout(5):\n    print('hi')\nawait work()\n",
            fixed="import asyncio\n# %%\nprint('hi')\nawait work()\n",
        ),
    )
