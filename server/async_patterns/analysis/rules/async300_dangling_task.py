"""ASYNC300: a task is created and its only reference thrown away."""

import ast
import re
from typing import Iterator

from async_patterns.analysis import catalogue
from async_patterns.analysis.async_code import (
    call_qualname,
    dropped_values,
    enclosing_task_group,
    expected_to_raise,
    receiver_type,
    returned_to_the_loop,
    tested_expressions,
)
from async_patterns.analysis.code_spans import expression_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

_TASK_FUNCTIONS = frozenset(
    {"asyncio.create_task", "asyncio.ensure_future", "asyncio.tasks.create_task", "asyncio.tasks.ensure_future"}
)
# Without a type, the receiver's name is the evidence that `x.create_task` is an event loop's:
# `loop`, `self._loop`, `event_loop`. Anything else (a TaskGroup `tg`, a nursery) keeps its tasks.
_LOOP_NAME = re.compile(r"(^|_)loop$")
# Methods whose result is not the task, so calling them on a new task still drops it.
_TASK_CHAINING_METHODS = frozenset({"add_done_callback", "set_name"})
# Consumers that only test what they iterate: `any(create_task(job) for job in jobs)` drops the tasks.
_TRUTH_CONSUMERS = frozenset({"builtins.any", "builtins.all"})
class DanglingTask(NodeRule):
    code = "ASYNC300"
    name = "dangling-task"
    message = (
        "{call} creates a task nothing keeps: the event loop holds only a weak reference to it, so it can be "
        "garbage-collected before it finishes and its exception is never seen; keep a reference or create it in a "
        "TaskGroup"
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
keeps the reference and waits for the task, so it is never reported.

Also reported: a task only tested for truth (`x = a if create_task(...) else b`, the `if` of a
comprehension, `any(create_task(job) for job in jobs)`), a generator expression of tasks whose
value is thrown away, `with create_task(...):` (a task is no context manager), a lambda handed to
`add_done_callback`/`call_soon`/`call_later`... that returns a new task (the caller of a callback
drops what it returns), and all of this in sync code as well: a sync callback, a done callback or a sync method that schedules a task and
drops it loses it the same way. Not reported inside `with pytest.raises(...)` or
`with self.assertRaises(...)`, where the test expects the call to fail."""
    peers = """\
flake8-async reports a dropped `asyncio.create_task(...)` (in any function, nested forms included);
ruff's RUF006 also `asyncio.ensure_future`, but only as a whole statement. Here all three ways to
make a task (`loop.create_task` too), every nested form, in async and sync code."""

    node_types = (ast.Expr, ast.If, ast.While, ast.Assert, ast.IfExp, ast.comprehension, ast.With, ast.AsyncWith, ast.Call)
    only_in_async = False
    sync_code_words = frozenset({"create_task", "ensure_future"})

    def check(self, node: ast.AST, context: Context) -> Iterator[Report]:
        if isinstance(node, ast.Expr):
            for value in dropped_values(node.value, through_generators=True):
                yield from self._report(node, value, context, self._fix(node, value, context))
        elif isinstance(node, ast.Call):
            yield from self._tested_by_consumer(node, context)
            for value in returned_to_the_loop(node):
                yield from self._report(node, value, context, {})
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                yield from self._report(node, item.context_expr, context, {})
        else:
            for value in tested_expressions(node):
                yield from self._report(node, value, context, {})

    def _report(self, node: ast.AST, expr: ast.expr, context: Context, fix: dict[str, str]) -> Iterator[Report]:
        task_call = self._created_task(expr, context)
        if task_call is not None and not expected_to_raise(node, context):
            message = self.message.format(call=expression_span(task_call))
            yield Report(task_call, message, fix if task_call is expr else {})

    def _tested_by_consumer(self, call: ast.Call, context: Context) -> Iterator[Report]:
        """`any(...)`/`all(...)` of a generator or comprehension: each element is only tested."""
        if len(call.args) == 1 and isinstance(call.args[0], (ast.GeneratorExp, ast.ListComp, ast.SetComp)):
            if call_qualname(call, context.scope) in _TRUTH_CONSUMERS:
                yield from self._report(call, call.args[0].elt, context, {})

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
    def _fix(statement: ast.Expr, value: ast.expr, context: Context) -> dict[str, str]:
        """For a task call that is the whole statement: into the enclosing TaskGroup, or kept."""
        if statement.value is not value or not isinstance(value, ast.Call):
            return {}
        group = enclosing_task_group(context)
        if group is not None and context.scope.qualname_of(value.func) == "asyncio.create_task":
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
        "import asyncio\nasync def main(jobs):\n    tasks = (asyncio.create_task(job()) for job in jobs)\n    await asyncio.gather(*tasks)\n",
        "import asyncio\ndef on_message(loop, message, pending):\n    pending.add(loop.create_task(handle(message)))\n",
        "import asyncio\ndef start(jobs):\n    return [asyncio.ensure_future(job()) for job in jobs if job is not None]\n",
        "import asyncio, pytest\ndef test_needs_a_loop(coro):\n    with pytest.raises(RuntimeError):\n        asyncio.ensure_future(coro)\n",
        "import asyncio\ndef watch(future, tasks):\n    future.add_done_callback(lambda _: tasks.add(asyncio.ensure_future(reconnect())))\n",
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
        Invalid("import asyncio\nasync def main(fast):\n    x = 1 if asyncio.create_task(work()) else 2\n"),
        Invalid("import asyncio\nasync def main(jobs):\n    started = [job for job in jobs if asyncio.create_task(job())]\n"),
        Invalid("import asyncio\nasync def main(jobs):\n    (asyncio.create_task(job()) for job in jobs)\n"),
        Invalid("import asyncio\nasync def main(jobs):\n    started = any(asyncio.create_task(job()) for job in jobs)\n"),
        Invalid("import asyncio\nasync def main():\n    with asyncio.create_task(work()):\n        pass\n"),
        Invalid(
            "import asyncio\n\n\ndef on_message(loop, message):\n    loop.create_task(handle(message))\n",
            fixed=(
                "import asyncio\n\nbackground_tasks = set()\n\n\ndef on_message(loop, message):\n"
                "    task = loop.create_task(handle(message))\n    background_tasks.add(task)\n"
                "    task.add_done_callback(background_tasks.discard)\n"
            ),
        ),
        Invalid("import asyncio\ndef on_done(future):\n    asyncio.ensure_future(cleanup())\n"),
        Invalid("class Client:\n    def connection_lost(self, exc):\n        self._loop.create_task(self.reconnect())\n"),
        Invalid("from asyncio import ensure_future as schedule\ndef later():\n    schedule(work())\n"),
        Invalid("import asyncio\ndef watch(future, reconnect):\n    future.add_done_callback(lambda _: asyncio.ensure_future(reconnect()))\n"),
        Invalid("import asyncio\nasync def main(loop):\n    loop.call_later(5, lambda: loop.create_task(refresh()))\n"),
    )
    NOTEBOOK_VALID = (
        "import asyncio\n# %%\ntask = asyncio.create_task(work())\n# %%\nawait task\n",
        "import asyncio\n# %%\nasync with asyncio.TaskGroup() as tg:\n    tg.create_task(work())\n",
    )
    NOTEBOOK_INVALID = (
        Invalid(
            "import asyncio\n# %%\nasyncio.create_task(work())\n",
            fixed=(
                "import asyncio\n# %%\nbackground_tasks = set()\n\ntask = asyncio.create_task(work())\n"
                "background_tasks.add(task)\ntask.add_done_callback(background_tasks.discard)\n"
            ),
        ),
        Invalid("import asyncio\n# %%\nasyncio.get_running_loop().create_task(work())\n"),
    )
