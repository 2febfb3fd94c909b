"""ASYNC300: a task is created and its only reference thrown away."""

import ast
import re
from typing import Iterator

from async_patterns.analysis import catalogue
from async_patterns.analysis.async_code import dropped_values, enclosing_task_group, receiver_type
from async_patterns.analysis.engine import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

_TASK_FUNCTIONS = frozenset(
    {"asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task", "asyncio.tasks.ensure_future"}
)
# Without a type, the receiver's name is the evidence that `x.create_task` is an event loop's:
# `loop`, `self._loop`, `event_loop`. Anything else (a TaskGroup `tg`, a nursery) keeps its tasks.
_LOOP_NAME = re.compile(r"(^|_)loop$")
# Methods whose result is not the task, so calling them on a new task still drops it.
_TASK_CHAINING_METHODS = frozenset({"add_done_callback", "set_name"})


class DanglingTask(NodeRule):
    code = "ASYNC300"
    name = "dangling-task"
    message = (
        "the event loop keeps only a weak reference to this task, so it can be garbage-collected before it "
        "finishes and its exception is never seen; keep a reference or create it in a TaskGroup"
    )
    explanation = """\
`asyncio.create_task()`, `asyncio.ensure_future()` and `loop.create_task()` schedule a coroutine and
return the task. The event loop holds tasks only weakly, so a task nobody references can be
garbage-collected in the middle of its work, silently; and when it fails, nobody ever sees the
exception. This also happens when the task is created inside a list, a ternary or a comprehension
whose value is thrown away, or when only `add_done_callback` is called on it. Keep the task: await
it, store it, or put it in a set of background tasks that discards finished ones
(`background_tasks.add(task); task.add_done_callback(background_tasks.discard)`, the pattern from the
asyncio documentation). Inside an `async with asyncio.TaskGroup() as tg:` block, `tg.create_task()`
keeps the reference and waits for the task, so it is never reported."""

    node_types = (ast.Expr,)

    def check(self, node: ast.Expr, context: Context) -> Iterator[Report]:
        for value in dropped_values(node.value):
            task_call = self._created_task(value, context)
            if task_call is None:
                continue
            yield Report(task_call, self.message, self._fix(node, value, task_call, context))

    def _created_task(self, expr: ast.expr, context: Context) -> ast.Call | None:
        if not isinstance(expr, ast.Call):
            return None
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr in _TASK_CHAINING_METHODS:
            return self._created_task(func.value, context)
        if context.scope.qualname_of(func) in _TASK_FUNCTIONS:
            return expr
        if isinstance(func, ast.Attribute) and func.attr == "create_task" and self._is_event_loop(func.value, context):
            return expr
        return None

    @staticmethod
    def _is_event_loop(receiver: ast.expr, context: Context) -> bool:
        if receiver_type(receiver, context) == catalogue.EVENT_LOOP:
            return True
        name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
        return bool(_LOOP_NAME.search(name))

    @staticmethod
    def _fix(statement: ast.Expr, value: ast.expr, task_call: ast.Call, context: Context) -> dict[str, str]:
        if value is not task_call or statement.value is not value:
            return {}
        group = enclosing_task_group(context)
        if group is not None and context.scope.qualname_of(task_call.func) == "asyncio.create_task":
            return {"fix": "use_task_group", "task_group": group[1]}
        return {"fix": "keep_task_reference"}

    VALID = (
        "import asyncio\nasync def main():\n    task = asyncio.create_task(work())\n    await task\n",
        "import asyncio\nasync def main():\n    await asyncio.create_task(work())\n",
        "import asyncio\nasync def main():\n    return asyncio.create_task(work())\n",
        "import asyncio\nasync def main(tasks):\n    tasks.append(asyncio.create_task(work()))\n",
        "import asyncio\nasync def main(tasks):\n    tasks.add(asyncio.ensure_future(work()))\n",
        "import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n        tg.create_task(work())\n",
        "async def main(nursery):\n    nursery.create_task(work())\n",
        "import asyncio\nasync def main():\n    tasks = [asyncio.create_task(work(n)) for n in range(3)]\n    await asyncio.gather(*tasks)\n",
        "import asyncio\nasync def main():\n    await asyncio.gather(*[asyncio.create_task(work(n)) for n in range(3)])\n",
        "import asyncio\nasync def main():\n    self.task = asyncio.create_task(work())\n",
        "import asyncio\ndef start():\n    return asyncio.create_task(work())\n",
        "import asyncio\nasync def main():\n    if (task := asyncio.create_task(work())):\n        await task\n",
    )
    INVALID = (
        Invalid(
            "import asyncio\n\n\nasync def main():\n    asyncio.create_task(work())\n",
            fixed=(
                "import asyncio\n\nbackground_tasks = set()\n\n\nasync def main():\n"
                "    task = asyncio.create_task(work())\n    background_tasks.add(task)\n"
                "    task.add_done_callback(background_tasks.discard)\n"
            ),
        ),
        Invalid(
            "import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n"
            "        tg.create_task(work())\n        asyncio.create_task(other())\n",
            fixed=(
                "import asyncio\nasync def main():\n    async with asyncio.TaskGroup() as tg:\n"
                "        tg.create_task(work())\n        tg.create_task(other())\n"
            ),
        ),
        Invalid("from asyncio import ensure_future\nasync def main():\n    ensure_future(work())\n"),
        Invalid("import asyncio\nasync def main():\n    loop = asyncio.get_running_loop()\n    loop.create_task(work())\n"),
        Invalid("class Client:\n    async def start(self):\n        self._loop.create_task(self.run())\n"),
        Invalid("import asyncio\nasync def main():\n    [asyncio.create_task(work(n)) for n in range(3)]\n"),
        Invalid("import asyncio\nasync def main(fast):\n    asyncio.create_task(a()) if fast else asyncio.create_task(b())\n"),
        Invalid("import asyncio\nasync def main():\n    with lock:\n        asyncio.create_task(work())\n"),
        Invalid("import asyncio\nasync def main():\n    asyncio.create_task(work()).add_done_callback(print)\n"),
        Invalid("import asyncio\nasync def main():\n    asyncio.create_task(a()), asyncio.create_task(b())\n"),
    )
