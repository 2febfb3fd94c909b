"""ASYNC121: `return`, `break` or `continue` out of a TaskGroup block."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import escaping_statements, is_task_group
from async_patterns.analysis.code_spans import leaving_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class ControlFlowInTaskGroup(NodeRule):
    code = "ASYNC121"
    name = "control-flow-in-task-group"
    message = (
        "{statement} out of a TaskGroup block does not leave at once: it first waits for every task of the group "
        "to finish; cancel the tasks first, or move the statement after the block"
    )
    explanation = """\
`return`, `break` and `continue` inside `async with asyncio.TaskGroup() as tg:` look like an
immediate exit, but the group's `__aexit__` runs first and waits for all of its tasks, however long
they take. Code that means "stop now" (a found result, a shutdown flag) then hangs until unrelated
background tasks are done, and a failing task turns the `return` into an `ExceptionGroup`. Make the
intent explicit: cancel the remaining tasks before leaving, or record the result and leave after the
block. Jumps inside a loop that is itself inside the block stay in the block and are fine."""
    peers = """\
flake8-async's meaning (`return`, `break` or `continue` out of a task group), for
`asyncio.TaskGroup`; ruff has no ASYNC121."""

    node_types = (ast.AsyncWith,)

    def check(self, node: ast.AsyncWith, context: Context) -> Iterator[Report]:
        if not any(is_task_group(item.context_expr, context.scope) for item in node.items):
            return
        for statement in escaping_statements(node.body, None):
            if not isinstance(statement, ast.Raise):
                yield Report(statement, self.message.format(statement=leaving_span(statement)))

    VALID = (
        "import asyncio\nasync def main(jobs):\n    async with asyncio.TaskGroup() as tg:\n        for job in jobs:\n"
        "            if job is None:\n                continue\n            tg.create_task(job())\n",
        "import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n        task = tg.create_task(work())\n    return task.result()\n",
        "import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n        def pick():\n            return 1\n        tg.create_task(work(pick))\n",
    )
    INVALID = (
        Invalid("import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n        task = tg.create_task(work())\n        return 1\n"),
        Invalid(
            "import asyncio\nasync def main(queue):\n    while True:\n        async with asyncio.TaskGroup() as tg:\n"
            "            tg.create_task(work())\n            if queue.empty():\n                break\n"
        ),
    )
    NOTEBOOK_INVALID = (
        Invalid(
            "import asyncio\n# %%\nfor batch in batches:\n    async with asyncio.TaskGroup() as tg:\n"
            "        tg.create_task(work(batch))\n        if batch.last:\n            break\n"
        ),
    )
