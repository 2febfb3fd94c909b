"""ASYNC112: a TaskGroup whose only job is to run one task."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import is_task_group
from async_patterns.analysis.code_spans import expression_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class SingleTaskGroup(NodeRule):
    code = "ASYNC112"
    name = "single-task-group"
    message = (
        "{group} starts one task and waits for it, which costs a task and wraps its errors in an "
        "`ExceptionGroup`; `await` the coroutine directly"
    )
    explanation = """\
`async with asyncio.TaskGroup() as tg: tg.create_task(work())` runs a single coroutine in a new task
and waits for it: the same as `await work()`, except that it is slower, the coroutine runs in a
copy of the context (so `contextvars` it sets are lost), and any error arrives wrapped in an
`ExceptionGroup` that callers must unwrap with `except*`. Await the coroutine directly. A group that
passes itself to the task (`tg.create_task(serve(tg))`) can grow more tasks and is not reported."""
    peers = """\
flake8-async's meaning (a task group that only starts one task), for `asyncio.TaskGroup`; ruff has
no ASYNC112."""

    node_types = (ast.AsyncWith,)

    def check(self, node: ast.AsyncWith, context: Context) -> Iterator[Report]:
        if len(node.items) != 1 or len(node.body) != 1:
            return
        item = node.items[0]
        if not (is_task_group(item.context_expr, context.scope) and isinstance(item.optional_vars, ast.Name)):
            return
        group = item.optional_vars.id
        statement = node.body[0]
        call = statement.value if isinstance(statement, ast.Expr) else None
        if not (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "create_task"
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == group
        ):
            return
        passes_group_on = any(
            isinstance(name, ast.Name) and name.id == group
            for argument in (*call.args, *(keyword.value for keyword in call.keywords))
            for name in ast.walk(argument)
        )
        if not passes_group_on:
            yield Report(item.context_expr, self.message.format(group=expression_span(item.context_expr)))

    VALID = (
        "import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(a())\n        tg.create_task(b())\n",
        "import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(serve(tg))\n",
        "import asyncio\nasync def main(jobs):\n    async with asyncio.TaskGroup() as tg:\n        for job in jobs:\n            tg.create_task(job())\n",
    )
    INVALID = (
        Invalid("import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(work())\n"),
        Invalid("from asyncio import TaskGroup\nasync def main():\n    async with TaskGroup() as group:\n        group.create_task(work(), name='w')\n"),
    )
    NOTEBOOK_INVALID = (Invalid("import asyncio\n# %%\nasync with asyncio.TaskGroup() as tg:\n    tg.create_task(work())\n"),)
