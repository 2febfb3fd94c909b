"""ASYNC125: an absolute deadline given as a constant (`asyncio.timeout_at(10)`)."""

import ast
import math
from typing import Iterator

from async_patterns.analysis import catalogue
from async_patterns.analysis.async_code import expected_to_raise
from async_patterns.analysis.code_spans import expression_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report, keyword_value

# Calls taking an absolute deadline on the event loop's clock, the keyword it may be given by, and
# the call that takes the same number as a delay (None: no such call).
_ABSOLUTE_DEADLINES: dict[str, tuple[str, str | None]] = {
    "asyncio.timeout_at": ("when", "timeout"),
    "asyncio.timeouts.timeout_at": ("when", "timeout"),
    "asyncio.Timeout": ("when", None),
    "asyncio.timeouts.Timeout": ("when", None),
    "async_timeout.timeout_at": ("deadline", "timeout"),
    "taskgroup.timeout_at": ("when", "timeout"),
    "anyio.fail_at": ("deadline", "fail_after"),
    "anyio.move_on_at": ("deadline", "move_on_after"),
}


def _is_constant_time(expr: ast.expr | None) -> bool:
    """A finite number written in the code (`10`, `-1`, `3 * 60`): no clock reading in it."""
    if isinstance(expr, ast.Constant):
        return isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool) and math.isfinite(expr.value)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, (ast.USub, ast.UAdd)):
        return _is_constant_time(expr.operand)
    if isinstance(expr, ast.BinOp):
        return _is_constant_time(expr.left) and _is_constant_time(expr.right)
    return False


class ConstantAbsoluteDeadline(NodeRule):
    code = "ASYNC125"
    name = "constant-absolute-deadline"
    message = (
        "{call} takes a deadline on the event loop's clock (`loop.time()`, which counts from an arbitrary start), "
        "so a constant one has long passed or lies at an unknown time; give a delay to the relative form "
        "(`timeout()`, `fail_after()`, `move_on_after()`) or compute the deadline from the clock"
    )
    explanation = """\
`asyncio.timeout_at(when)`, `asyncio.Timeout(when)`, `Timeout.reschedule(when)`, anyio's
`fail_at()`, `move_on_at()` and `CancelScope(deadline=...)` (and `async_timeout.timeout_at()`) take
an absolute time on the event loop's monotonic clock, whose zero is arbitrary (often the machine's
boot). A number written in the code (`timeout_at(10)`) is therefore almost never the intended
moment: usually it has long passed and the block times out at once. Either give a delay to the
relative form (`asyncio.timeout(10)`, `anyio.fail_after(10)`, `anyio.move_on_after(10)`), or
compute the deadline from the clock: `loop.time() + 10`, `anyio.current_time() + 10`. `None` and
infinity (no deadline) are fine. The fix to the relative form is offered where the call is written
as `module.function(...)`; it is not applied by "fix all", since it changes when the block times out.
A call inside `with pytest.raises(...)` or `with self.assertRaises(...)` (a test of the error) is
not reported."""
    peers = """\
flake8-async reports trio's and anyio's absolute deadlines (`fail_at`, `move_on_at`,
`CancelScope(deadline=...)`); here anyio's and asyncio's (`timeout_at`, `Timeout`, `reschedule`),
`async_timeout`'s and the `taskgroup` backport's, not trio's. ruff has no ASYNC125."""

    node_types = (ast.Call,)

    def check(self, node: ast.Call, context: Context) -> Iterator[Report]:
        func = node.func
        qualname = context.scope.qualname_of(func)
        if qualname in _ABSOLUTE_DEADLINES:
            keyword, relative = _ABSOLUTE_DEADLINES[qualname]
            deadline = keyword_value(node, keyword, 0)
        elif qualname == "anyio.CancelScope":
            relative, deadline = None, keyword_value(node, "deadline")
        elif isinstance(func, ast.Attribute) and func.attr == "reschedule" and _is_timeout(func.value, context):
            relative, deadline = None, keyword_value(node, "when", 0)
        else:
            return
        if not _is_constant_time(deadline) or expected_to_raise(node, context):
            return
        fixable = relative is not None and isinstance(func, ast.Attribute) and len(node.args) == 1 and not node.keywords
        data = {"fix": "rename_callee", "replacement": relative} if fixable else {}
        yield Report(deadline, self.message.format(call=expression_span(node)), data)  # type: ignore[arg-type]

    VALID = (
        "import asyncio\nasync def main():\n    loop = asyncio.get_running_loop()\n    async with asyncio.timeout_at(loop.time() + 10):\n"
        "        await work()\n",
        "import asyncio\nasync def main():\n    async with asyncio.timeout_at(None):\n        await work()\n",
        "import anyio\nasync def main():\n    with anyio.CancelScope(deadline=anyio.current_time() + 5):\n        await work()\n",
        "import anyio, math\nasync def main():\n    with anyio.CancelScope(deadline=math.inf):\n        await work()\n",
        "import asyncio\nasync def main():\n    async with asyncio.timeout(10):\n        await work()\n",
        "import asyncio, pytest\nasync def test_finished():\n    async with asyncio.timeout(0.01) as cm:\n        pass\n"
        "    with pytest.raises(RuntimeError):\n        cm.reschedule(0.02)\n",
    )
    INVALID = (
        Invalid(
            "import asyncio\nasync def main():\n    async with asyncio.timeout_at(10):\n        await work()\n",
            fixed="import asyncio\nasync def main():\n    async with asyncio.timeout(10):\n        await work()\n",
        ),
        Invalid("import anyio\nasync def main():\n    with anyio.fail_at(deadline=60 * 5):\n        await work()\n"),
        Invalid("import anyio\nasync def main():\n    with anyio.move_on_at(-1):\n        await work()\n"),
        Invalid("import anyio\nasync def main():\n    with anyio.CancelScope(deadline=30):\n        await work()\n"),
        Invalid("import asyncio\nasync def main():\n    async with asyncio.timeout(None) as deadline:\n        deadline.reschedule(5)\n"
                "        await work()\n"),
        Invalid("from asyncio import Timeout\nasync def main():\n    async with Timeout(2.5):\n        await work()\n"),
    )


def _is_timeout(receiver: ast.expr, context: Context) -> bool:
    return context.scope.type_of(receiver) == catalogue.ASYNC_TIMEOUT
