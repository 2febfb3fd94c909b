"""ASYNC124: an `async def` function that never awaits (off by default)."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import decorator_names, has_checkpoint, keyword_span, walk_same_scope
from async_patterns.analysis.code_spans import code_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class AsyncWithoutAwait(NodeRule):
    code = "ASYNC124"
    name = "async-without-await"
    enabled_by_default = False
    message = (
        "{function} never awaits, so every caller pays for a coroutine and an `await` that never suspend; "
        "make it a plain `def` unless an interface requires a coroutine"
    )
    explanation = """\
A coroutine function without any `await`, `async for` or `async with` runs straight through when
awaited: it cannot wait for anything and cannot be cancelled part-way, yet every call allocates a
coroutine and forces the caller to `await` it (and so to be async itself). Often it is a plain
function that became `async def` by habit, or an `await` was forgotten inside it. Methods are not
reported (they may implement an async interface), nor async generators, `@overload` signatures or
pytest fixtures. Frameworks often require `async def` for handlers, which is why this rule is off by
default; turn it on with `select = ["ASYNC124"]`."""
    peers = """\
flake8-async's ASYNC124 and ruff's RUF029 (in preview) report the same; methods are left out here
as in flake8-async, and so are async generators and pytest fixtures, which flake8-async reports.
Off by default."""

    node_types = (ast.AsyncFunctionDef,)

    def check(self, node: ast.AsyncFunctionDef, context: Context) -> Iterator[Report]:
        if _is_method(context):
            return
        if any(name.rpartition(".")[2] in ("overload", "fixture") for name in decorator_names(node, context.scope)):
            return
        if has_checkpoint(node.body) or any(isinstance(inner, ast.Yield) for inner in walk_same_scope(node.body)):
            return
        # The range covers `async def name`, assuming the usual single spaces.
        message = self.message.format(function=code_span(f"async def {node.name}()"))
        yield Report(keyword_span(node, len("async def ") + len(node.name)), message)

    EXAMPLE_SETTINGS = {"select": ["ASYNC124"]}
    VALID = (
        "async def fetch(client):\n    return await client.get('/')\n",
        "class Handler:\n    async def on_message(self, message):\n        print(message)\n",
        "import typing\nclass Filter:\n    if typing.TYPE_CHECKING:\n        pass\n    else:\n        async def __call__(self):\n            return True\n",
        "async def numbers():\n    yield 1\n",
        "import pytest\n@pytest.fixture\nasync def value():\n    return 1\n",
        "async def read(stream):\n    async for chunk in stream:\n        return chunk\n",
    )
    INVALID = (
        Invalid("async def add(a, b):\n    return a + b\n"),
        Invalid("async def main():\n    async def inner():\n        await work()\n    return inner\n"),
    )


def _is_method(context: Context) -> bool:
    """Defined in a class body, also under `if TYPE_CHECKING:` or `try:` there."""
    for parent in reversed(context.parents):
        if isinstance(parent, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            return isinstance(parent, ast.ClassDef)
    return False
