"""ASYNC100: an `asyncio.timeout()` block with nothing in it that can be timed out."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import has_checkpoint, is_timeout
from async_patterns.analysis.engine import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class TimeoutWithoutAwait(NodeRule):
    code = "ASYNC100"
    name = "timeout-without-await"
    message = (
        "nothing in this `asyncio.timeout()` block awaits, so the deadline can never interrupt it; "
        "put the `await` that may hang inside the block, or remove the block"
    )
    explanation = """\
`asyncio.timeout()` and `asyncio.timeout_at()` enforce their deadline by cancelling the task at its
next `await`. A block that contains no `await`, `async for` or `async with` never gives them that
chance: the code runs to the end however long it takes, and the timeout only adds overhead and a
false sense of safety. Usually the `await` that should be limited ended up outside the block, or
the block was left over after a refactoring. Move the awaited call into the block, or remove the
`async with` line and dedent its body. A later item of the same `async with` statement counts as an
await, since entering it awaits."""

    node_types = (ast.AsyncWith,)

    def check(self, node: ast.AsyncWith, context: Context) -> Iterator[Report]:
        for position, item in enumerate(node.items):
            if not is_timeout(item.context_expr, context.scope):
                continue
            if position == len(node.items) - 1 and not has_checkpoint(node.body):
                removable = len(node.items) == 1 and item.optional_vars is None
                yield Report(item.context_expr, self.message, {"fix": "remove_with"} if removable else {})

    VALID = (
        "import asyncio\nasync def main():\n    async with asyncio.timeout(5):\n        await work()\n",
        "import asyncio\nasync def main():\n    async with asyncio.timeout(5), lock:\n        counter += 1\n",
        "import asyncio\nasync def main():\n    async with asyncio.timeout(5):\n        async for item in feed():\n            print(item)\n",
        "import asyncio\nasync def main():\n    async with asyncio.timeout(5):\n        results = [await fetch(url) for url in urls]\n",
        "async def main(timeout):\n    async with timeout(5):\n        pass\n",
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
    )
