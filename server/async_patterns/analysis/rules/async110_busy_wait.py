"""ASYNC110: a loop that polls in-process state with `asyncio.sleep()` instead of waiting for it."""

import ast
from typing import Iterator

from async_patterns.analysis.code_spans import code_span, written
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

_SLEEPS = frozenset({"asyncio.sleep", "asyncio.tasks.sleep"})


class BusyWait(NodeRule):
    code = "ASYNC110"
    name = "busy-wait"
    message = (
        "{loop} wakes up on every sleep just to re-check its condition, adding latency and wasting CPU; "
        "have the code that changes it set an `asyncio.Event` and `await event.wait()` here"
    )
    explanation = """\
`while not self.ready: await asyncio.sleep(0.1)` polls: the task wakes up every interval to look at
the condition again, so it reacts up to a whole interval late, and with a short interval it keeps
the event loop busy for nothing. When the condition is state of this program (a flag or counter
that another task changes), let that task signal it: `asyncio.Event` (`set()` / `await wait()`),
`asyncio.Condition`, a `Queue` or a future. Only loops whose body is nothing but sleeping and whose
condition reads plain variables and attributes are reported: a `while True:` sleep-forever loop has
nothing to wait for, and a condition that calls something (`while not path.exists():`) or assigns
with `:=` polls something outside the program that cannot send an event."""
    peers = """\
flake8-async leaves asyncio's `sleep` out of this rule; ruff reports any `while` loop around
`asyncio.sleep`. Here only loops whose body only sleeps and whose condition reads plain variables or
attributes: a loop that polls something outside the program (a call, a `:=` condition) cannot be
replaced by an event."""

    node_types = (ast.While,)

    def check(self, node: ast.While, context: Context) -> Iterator[Report]:
        if isinstance(node.test, ast.Constant) or not _reads_program_state(node.test):
            return
        if all(self._only_sleeps(statement, context) for statement in node.body):
            yield Report(node, self.message.format(loop=code_span(f"while {written(node.test)}")), end_node=node.test)

    @staticmethod
    def _only_sleeps(statement: ast.stmt, context: Context) -> bool:
        if isinstance(statement, ast.Pass):
            return True
        return (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Await)
            and isinstance(statement.value.value, ast.Call)
            and context.scope.qualname_of(statement.value.value.func) in _SLEEPS
        )

    VALID = (
        "import asyncio\nasync def main():\n    while True:\n        await asyncio.sleep(3600)\n",
        "import asyncio\nasync def main(queue):\n    while (item := queue.poll()) is None:\n        await asyncio.sleep(1)\n",
        "import asyncio, os\nasync def main(path):\n    while not os.path.exists(path):\n        await asyncio.sleep(1)\n",
        "import asyncio\nasync def main(self):\n    while not self.ready:\n        await asyncio.sleep(1)\n        self.attempts += 1\n",
        "import asyncio\nasync def main(ready: asyncio.Event):\n    await ready.wait()\n",
        "import asyncio\nasync def main():\n    while 1:\n        await asyncio.sleep(1)\n",
    )
    INVALID = (
        Invalid("import asyncio\nclass Worker:\n    async def wait_ready(self):\n        while not self.ready:\n            await asyncio.sleep(0.1)\n"),
        Invalid("from asyncio import sleep\nasync def main(state):\n    while state.pending > 0 and not state.closed:\n        await sleep(0)\n"),
    )
    NOTEBOOK_INVALID = (Invalid("import asyncio\n# %%\nwhile not state.ready:\n    await asyncio.sleep(0.1)\n"),)


def _reads_program_state(test: ast.expr) -> bool:
    """Names, attributes, constants and operators on them: no calls, awaits, walruses or subscripts
    that could look at something outside the program."""
    allowed = (ast.Name, ast.Attribute, ast.Constant, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.BinOp, ast.Load)
    return all(isinstance(node, (*allowed, ast.unaryop, ast.boolop, ast.cmpop, ast.operator)) for node in ast.walk(test))
