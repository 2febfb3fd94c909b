"""ASYNC111: a task of a TaskGroup gets a value from a context manager that closes before the group."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import enclosing_task_group
from async_patterns.analysis.code_spans import code_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class TaskOutlivesContext(NodeRule):
    code = "ASYNC111"
    name = "task-outlives-context"
    message = (
        "{value} comes from a `with` block that closes before the TaskGroup waits for the task, so the task may use "
        "it after it was closed; open the context manager outside (before) the `async with asyncio.TaskGroup()`"
    )
    explanation = """\
Tasks created with `tg.create_task()` keep running until the `async with asyncio.TaskGroup()` block
exits, which is where the group waits for them. A context manager opened *inside* the group's block
(`async with pool.acquire() as connection:`) closes as soon as its own block ends, usually right
after the tasks were started and long before they finish. A task that received the managed value
then works with a closed connection, a released lock or a deleted temporary directory. Open the
context manager outside the TaskGroup, so that it closes after the group has waited for every task:
`async with pool.acquire() as connection, asyncio.TaskGroup() as tg:` orders them correctly."""
    peers = """\
flake8-async's meaning (a value from a context manager opened inside the group handed to one of its
tasks), for `asyncio.TaskGroup.create_task`; ruff has no ASYNC111."""

    node_types = (ast.Call,)

    def check(self, node: ast.Call, context: Context) -> Iterator[Report]:
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == "create_task" and isinstance(func.value, ast.Name)):
            return
        group = enclosing_task_group(context)
        if group is None or group[1] != func.value.id:
            return
        closing_first = _managed_names_inside(group[0], context)
        if not closing_first:
            return
        for argument in (*node.args, *(keyword.value for keyword in node.keywords)):
            for name in ast.walk(argument):
                if isinstance(name, ast.Name) and name.id in closing_first:
                    yield Report(name, self.message.format(value=code_span(name.id)))

    VALID = (
        "import asyncio\nasync def main(pool):\n    async with pool.acquire() as connection:\n"
        "        async with asyncio.TaskGroup() as tg:\n            tg.create_task(work(connection))\n",
        "import asyncio\nasync def main(pool):\n    async with pool.acquire() as connection, asyncio.TaskGroup() as tg:\n"
        "        tg.create_task(work(connection))\n",
        "import asyncio\nasync def main(pool):\n    async with asyncio.TaskGroup() as tg:\n        async with pool.acquire() as connection:\n"
        "            rows = await connection.fetch('q')\n        tg.create_task(work(rows))\n",
    )
    INVALID = (
        Invalid(
            "import asyncio\nasync def main(pool):\n    async with asyncio.TaskGroup() as tg:\n"
            "        async with pool.acquire() as connection:\n            tg.create_task(work(connection))\n"
        ),
        Invalid(
            "import asyncio\nasync def main(paths):\n    async with asyncio.TaskGroup() as tg:\n        for path in paths:\n"
            "            with open(path) as handle:\n                tg.create_task(upload(handle))\n"
        ),
    )


def _managed_names_inside(group: ast.AsyncWith, context: Context) -> set[str]:
    """Names bound by `with ... as name` blocks that enclose the node and sit inside the group's body."""
    names: set[str] = set()
    inside = False
    for node in context.parents:
        if node is group:
            inside = True
        elif inside and isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    names.update(target.id for target in ast.walk(item.optional_vars) if isinstance(target, ast.Name))
    return names
