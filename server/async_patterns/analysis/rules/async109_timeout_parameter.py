"""ASYNC109: an `async def` that implements its own deadline through a `timeout` parameter."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import walk_same_scope
from async_patterns.analysis.code_spans import code_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

# Where a timeout becomes this function's own deadline.
_DEADLINE_FUNCTIONS = frozenset(
    {
        "asyncio.wait_for",
        "asyncio.wait",
        "asyncio.timeout",
        "asyncio.timeout_at",
        "asyncio.as_completed",
        "asyncio.tasks.wait_for",
        "async_timeout.timeout",
        "async_timeout.timeout_at",
    }
)
# `loop.time() + timeout`, `time.monotonic() + timeout`: a deadline computed by hand.
_CLOCKS = frozenset({"time", "monotonic", "perf_counter"})


class TimeoutParameter(NodeRule):
    code = "ASYNC109"
    name = "timeout-parameter"
    message = (
        "{parameter} makes {function} enforce a deadline of its own, which cannot combine with the caller's and is "
        "easy to lose in nested calls; drop the parameter and let callers write `async with asyncio.timeout(...)`"
    )
    explanation = """\
An `async def` that takes a `timeout` and applies it with `asyncio.wait_for()`, `asyncio.timeout()`
or its own clock arithmetic makes every caller thread a number through, and its deadline does not
compose with the caller's: nested calls each restart their own clock, and an outer deadline cannot
shorten an inner one. `async with asyncio.timeout(seconds):` (Python 3.11+) around the call does the
same job for any coroutine, nests correctly and raises `TimeoutError` at the caller. The rule
reports only what proves the parameter is this function's deadline: it (or a local name computed
from it) is handed to `asyncio.wait_for/wait/timeout/timeout_at/as_completed` (or
`async_timeout.timeout`), or added to a clock reading (`loop.time() + timeout`). A `timeout` that is a
setting for another library, the filed false alarm for HTTP clients (`session.get(url,
timeout=timeout)`, `aiohttp.ClientTimeout(total=timeout)`, `self.timeout = timeout`), stubs and
unused parameters are therefore never reported, and neither are `@overload`, `@override` and
`@abstractmethod` signatures, whose interface is decided elsewhere."""
    peers = """\
flake8-async and ruff report every `async def` with a `timeout` parameter; here only a proven own
deadline (the parameter reaches `wait_for`, `timeout()` or clock arithmetic), because a `timeout`
handed to an HTTP client or stored as a setting is the most reported false alarm of that rule."""

    node_types = (ast.AsyncFunctionDef,)

    def check(self, node: ast.AsyncFunctionDef, context: Context) -> Iterator[Report]:
        arguments = node.args
        for parameter in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            if parameter.arg == "timeout" and self._is_own_deadline(node, parameter, context):
                message = self.message.format(parameter=code_span(parameter.arg), function=code_span(f"{node.name}()"))
                yield Report(parameter, message)

    def _is_own_deadline(self, function: ast.AsyncFunctionDef, parameter: ast.arg, context: Context) -> bool:
        if _is_interface(function):
            return False
        carriers = {parameter.arg}
        for node in walk_same_scope(function.body):
            if isinstance(node, ast.Assign) and _mentions(node.value, carriers):
                carriers.update(target.id for target in node.targets if isinstance(target, ast.Name))
        for node in walk_same_scope(function.body):
            if isinstance(node, ast.Call) and context.scope.qualname_of(node.func) in _DEADLINE_FUNCTIONS:
                if any(_mentions(value, carriers) for value in (*node.args, *(k.value for k in node.keywords))):
                    return True
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                operands = (node.left, node.right)
                if any(_reads_clock(operand) for operand in operands) and any(_mentions(o, carriers) for o in operands):
                    return True
        return False

    VALID = (
        "async def target_call(bot, method, timeout: int = None):\n    return timeout\n",
        "import aiohttp\nasync def fetch(session, url, timeout=10):\n    async with session.get(url, timeout=timeout) as response:\n"
        "        return await response.text()\n",
        "import aiohttp\nasync def fetch(url, timeout: aiohttp.ClientTimeout | None = None):\n    pass\n",
        "class Client:\n    async def connect(self, host, timeout=5.0):\n        self.timeout = timeout\n        await self._open(host)\n",
        "async def fetch(url, timeout=None):\n    ...\n",
        "async def fetch(url, timeout=None):\n    return await get(url)\n",
        "import asyncio\nasync def fetch(url):\n    async with asyncio.timeout(5):\n        return await get(url)\n",
        "import asyncio\ndef fetch(url, timeout=5):\n    return asyncio.run(asyncio.wait_for(get(url), timeout))\n",
        "from typing import overload\nclass Base:\n    @overload\n    async def read(self, timeout: float) -> bytes:\n"
        "        return await asyncio.wait_for(self.raw(), timeout)\n",
    )
    INVALID = (
        Invalid("import asyncio\nasync def fetch(url, timeout=5):\n    return await asyncio.wait_for(get(url), timeout)\n"),
        Invalid(
            "import asyncio\nasync def wait_ready(ready, *, timeout: float):\n    async with asyncio.timeout(timeout):\n"
            "        await ready.wait()\n"
        ),
        Invalid(
            "import asyncio\nasync def poll(check, timeout=10):\n    deadline = asyncio.get_running_loop().time() + timeout\n"
            "    while not check():\n        await asyncio.sleep(0.1)\n"
        ),
    )


def _is_interface(function: ast.AsyncFunctionDef) -> bool:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name in ("overload", "override", "abstractmethod"):
            return True
    return False


def _mentions(expr: ast.expr, names: set[str]) -> bool:
    return any(isinstance(node, ast.Name) and node.id in names for node in ast.walk(expr))


def _reads_clock(expr: ast.expr) -> bool:
    return (
        isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) and expr.func.attr in _CLOCKS
    )
