"""AP201: a coroutine function is called and the coroutine is dropped or tested for truth."""

import ast
from typing import Iterable, Iterator

from async_patterns.analysis import catalogue
from async_patterns.analysis.async_code import (
    attribute_names,
    attribute_type,
    class_coroutine_functions,
    coroutine_function_names,
    defining_scope,
    dropped_values,
    expected_to_raise,
    instance_class,
    receiver_type,
    returned_to_the_loop,
    tested_expressions,
)
from async_patterns.analysis.code_spans import code_span, written
from async_patterns.analysis.context import Context, ModuleFacts
from async_patterns.analysis.names import Scope
from async_patterns.analysis.rule import Invalid, NodeRule, Report

# Returns a future rather than a coroutine: the awaitables run, but their results and errors are lost.
_FUTURE_FUNCTIONS = frozenset({"asyncio.gather"})
_ASYNCIO_AWAITABLE_FUNCTIONS = catalogue.ASYNCIO_COROUTINE_FUNCTIONS | _FUTURE_FUNCTIONS


class ForgottenAwait(NodeRule):
    code = "AP201"
    name = "forgotten-await"
    message = "{call} only creates a coroutine, which never runs (Python warns it was never awaited); write {awaited}"
    sync_message = (
        "{call} only creates a coroutine, which never runs (Python warns it was never awaited), and this sync "
        "function cannot await it; make the function `async` or schedule the coroutine as a task you keep"
    )
    future_message = "{call} runs its awaitables but nobody waits for their results or sees their errors{advice}"
    explanation = """\
Calling an `async def` function does not run it: it returns a coroutine object, and nothing happens
until that coroutine is awaited (or wrapped in a task). When the call stands alone as a statement,
the work silently never happens and Python prints "coroutine ... was never awaited" at some later
garbage collection; when it is used as a condition (`if client.connect():`) the coroutine object is
always true. This rule reports calls of `async def` functions defined in the same module (also
methods called through `self.`/`cls.` in their own class), asyncio's coroutine functions
(`asyncio.sleep`, `wait_for`, `open_connection`, `start_server`, `create_subprocess_exec/shell`,
`to_thread`...), and coroutine methods of values known to be asyncio objects (`Queue.get/put`,
`Lock.acquire`, `Event.wait`, `StreamWriter.drain`, `Process.wait`...). A dropped
`asyncio.gather(...)` is reported too: its awaitables run, but nobody sees their results or errors.
Passing a coroutine on (to `gather`, `create_task`, a variable that is awaited later) is fine and
never reported. Functions whose decorators might turn them into something else are not assumed
to be coroutine functions.

Sync code is checked too (a callback, a done callback, `__del__`, a sync method), and so is a
lambda handed to `call_soon`, `call_later`, `add_done_callback`... (whatever it returns is
dropped): there a coroutine is as lost, and the fix is not an `await` but making the function `async`, or scheduling
the coroutine as a task that something keeps. Calls inside `with pytest.raises(...)` or
`with self.assertRaises(...)` are expected to fail and are not reported."""
    peers = """\
flake8-async's and ruff's ASYNC105 do this for trio's functions only; type checkers do it by type
(Pyright's `reportUnusedCoroutine`, mypy's `unused-coroutine`). Without types this rule reports the
coroutine functions the module defines and asyncio's, in async and sync code alike."""

    node_types = (ast.Expr, ast.If, ast.While, ast.Assert, ast.IfExp, ast.comprehension, ast.Call)
    only_in_async = False
    sync_code_words = frozenset(name.rpartition(".")[2] for name in _ASYNCIO_AWAITABLE_FUNCTIONS)

    def module_words(self, module: ModuleFacts) -> Iterable[str]:
        """The module's coroutine functions, and names it binds to asyncio's objects and functions."""
        yield from module.coroutine_functions
        for name, binding in module.scope.bindings.items():
            if (binding.qualname or "").startswith("asyncio.") or binding.type in catalogue.COROUTINE_METHODS:
                yield name

    def class_words(self, class_node: ast.ClassDef, scope: Scope) -> Iterable[str]:
        """The class's coroutine methods, and its attributes that hold asyncio objects."""
        yield from class_coroutine_functions(class_node, scope)
        for attribute in attribute_names(class_node):
            if attribute_type(class_node, attribute, scope) in catalogue.COROUTINE_METHODS:
                yield attribute

    def check(self, node: ast.AST, context: Context) -> Iterator[Report]:
        in_async = context.can_await
        if isinstance(node, ast.Expr):
            for value in dropped_values(node.value):
                yield from self._report(node, value, context, fixable=in_async and value is node.value)
        elif isinstance(node, ast.Call):
            for value in returned_to_the_loop(node):
                yield from self._report(node, value, context, fixable=False)
        else:
            statement_test = not isinstance(node, ast.comprehension)
            for value in tested_expressions(node):
                yield from self._report(node, value, context, fixable=in_async and statement_test)

    def _report(self, node: ast.AST, expr: ast.expr, context: Context, fixable: bool) -> Iterator[Report]:
        if not isinstance(expr, ast.Call):
            return
        kind = self._awaitable_kind(expr, context)
        if kind is None or expected_to_raise(node, context):
            return
        call = f"{written(expr.func)}(...)"
        awaited = code_span(f"await {call}")
        if kind == "future":
            advice = f"; write {awaited}" if context.can_await else ""
            message = self.future_message.format(call=code_span(call), advice=advice)
        else:
            template = self.message if context.can_await else self.sync_message
            message = template.format(call=code_span(call), awaited=awaited)
        yield Report(expr, message, {"fix": "add_await"} if fixable else {})

    def _awaitable_kind(self, call: ast.Call, context: Context) -> str | None:
        scope = context.scope
        func = call.func
        qualname = scope.qualname_of(func)
        if qualname in catalogue.ASYNCIO_COROUTINE_FUNCTIONS:
            return "coroutine"
        if qualname in _FUTURE_FUNCTIONS:
            return "future"
        if isinstance(func, ast.Name) and self._is_coroutine_function_name(func.id, context):
            return "coroutine"
        if isinstance(func, ast.Attribute):
            class_node = instance_class(func.value, context)
            if class_node is not None and func.attr in class_coroutine_functions(class_node, scope):
                return "coroutine"
            owner_type = receiver_type(func.value, context)
            if owner_type is not None and func.attr in catalogue.COROUTINE_METHODS.get(owner_type, ()):
                return "coroutine"
        return None

    @staticmethod
    def _is_coroutine_function_name(name: str, context: Context) -> bool:
        owner = defining_scope(context.scope, name)
        if owner is None:
            return False
        if owner is context.module.scope:
            return name in context.module.coroutine_functions
        body = getattr(owner.node, "body", None)
        return isinstance(body, list) and name in coroutine_function_names(body, owner)

    VALID = (
        "async def work():\n    pass\nasync def main():\n    await work()\n",
        "import asyncio\nasync def work():\n    pass\nasync def main():\n    asyncio.create_task(work())\n",
        "import asyncio\nasync def work():\n    pass\nasync def main():\n    await asyncio.gather(work(), work())\n",
        "async def work():\n    pass\nasync def main():\n    pending = work()\n    await pending\n",
        "async def work():\n    pass\nasync def main():\n    return work()\n",
        "async def work():\n    pass\ndef main():\n    return work()\n",
        "async def work():\n    pass\ndef main(loop):\n    loop.run_until_complete(work())\n",
        "import asyncio, unittest\nclass Test(unittest.TestCase):\n    def test_gather_needs_a_loop(self):\n"
        "        with self.assertRaisesRegex(RuntimeError, 'no current event loop'):\n            asyncio.gather()\n",
        "from contextlib import asynccontextmanager\n@asynccontextmanager\nasync def session():\n    yield\n"
        "async def main():\n    async with session():\n        pass\n",
        "from asgiref.sync import async_to_sync\n@async_to_sync\nasync def fetch():\n    pass\nasync def main():\n    fetch()\n",
        "async def work():\n    pass\nasync def main(work):\n    work()\n",
        "async def work():\n    pass\nwork = wrap(work)\nasync def main():\n    work()\n",
        "import queue\nasync def main():\n    jobs = queue.Queue()\n    jobs.put_nowait(1)\n",
        "import asyncio\nasync def main(jobs: asyncio.Queue):\n    jobs.put_nowait(1)\n    jobs.task_done()\n",
        "class Client:\n    @property\n    async def ready(self):\n        pass\n    async def run(self):\n        self.ready()\n",
        "async def main(client):\n    client.close()\n",
    )
    INVALID = (
        Invalid(
            "async def work():\n    pass\n\n\nasync def main():\n    work()\n",
            fixed="async def work():\n    pass\n\n\nasync def main():\n    await work()\n",
        ),
        Invalid(
            "import asyncio\nasync def main():\n    asyncio.sleep(1)\n",
            fixed="import asyncio\nasync def main():\n    await asyncio.sleep(1)\n",
        ),
        Invalid(
            "class Client:\n    async def connect(self):\n        pass\n    async def run(self):\n        if self.connect():\n            pass\n",
            fixed=(
                "class Client:\n    async def connect(self):\n        pass\n"
                "    async def run(self):\n        if await self.connect():\n            pass\n"
            ),
        ),
        Invalid("import asyncio\nasync def main(jobs: asyncio.Queue[int]):\n    jobs.put(1)\n"),
        Invalid(
            "import asyncio\nasync def main():\n    reader, writer = await asyncio.open_connection('h', 1)\n"
            "    writer.write(b'x')\n    writer.drain()\n"
        ),
        Invalid("import asyncio\nclass Worker:\n    def __init__(self):\n        self.done = asyncio.Event()\n"
                "    async def run(self):\n        self.done.wait()\n"),
        Invalid("import asyncio\nasync def main():\n    asyncio.gather(a(), b())\n"),
        Invalid("async def main():\n    async def step(n):\n        pass\n    [step(n) for n in range(3)]\n"),
        Invalid("import asyncio\nasync def main():\n    proc = await asyncio.create_subprocess_exec('ls')\n    proc.wait()\n"),
        Invalid("class Worker:\n    @staticmethod\n    async def tick():\n        pass\n    async def run(self):\n        self.tick()\n"),
        Invalid("async def work():\n    pass\ndef main():\n    work()\n"),
        Invalid("class Client:\n    async def close(self):\n        pass\n    def __del__(self):\n        self.close()\n"),
        Invalid("import asyncio\nclass Worker:\n    def __init__(self):\n        self.done = asyncio.Event()\n"
                "    def on_signal(self):\n        self.done.wait()\n"),
        Invalid("from asyncio import sleep as pause\ndef on_done(future):\n    pause(0)\n"),
        Invalid("async def ready(n):\n    return n\nasync def main(items):\n    return [n for n in items if ready(n)]\n"),
        Invalid("class Client:\n    async def close(self):\n        pass\n    def shutdown(self, loop):\n"
                "        loop.call_soon(lambda: self.close())\n"),
    )
    NOTEBOOK_VALID = (
        "import asyncio\nasync def work():\n    pass\n# %%\nawait work()\n",
        "async def work():\n    pass\n# %%\ntask = asyncio.create_task(work())\n",
    )
    NOTEBOOK_INVALID = (
        Invalid(
            "async def work():\n    pass\n# %%\nwork()\n",
            fixed="async def work():\n    pass\n# %%\nawait work()\n",
        ),
        Invalid("import asyncio\n# %%\nasyncio.sleep(1)\n", fixed="import asyncio\n# %%\nawait asyncio.sleep(1)\n"),
        Invalid("async def connected():\n    return True\n# %%\nif connected():\n    print('up')\n"),
    )
