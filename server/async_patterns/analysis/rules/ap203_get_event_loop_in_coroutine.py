"""AP203: `asyncio.get_event_loop()` inside a coroutine."""

import ast
from typing import Iterator

from async_patterns.analysis.code_spans import expression_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

_GET_EVENT_LOOP = frozenset({"asyncio.get_event_loop", "asyncio.events.get_event_loop"})


class GetEventLoopInCoroutine(NodeRule):
    code = "AP203"
    name = "get-event-loop-in-coroutine"
    message = (
        "{call} hides whether a loop is running: if this code is ever moved to a thread or a sync callback "
        "it returns or creates a loop that is not running instead of failing; use `asyncio.get_running_loop()`"
    )
    explanation = """\
Inside a coroutine the running loop is what you want, and `asyncio.get_running_loop()` says so: it
returns that loop, and raises `RuntimeError` when called where no loop runs. `asyncio.get_event_loop()`
is the older, policy-based call: inside a coroutine it happens to return the running loop, but the
same line in a thread or a sync callback hands back (or, before Python 3.12, creates) a loop that is
not running, so callbacks and futures scheduled on it never run; since 3.10 that case also warns,
and newer versions raise. Writing `get_running_loop()` in coroutines keeps the intent visible and
the failure loud. In a coroutine the replacement is always safe and is offered as a fix."""
    peers = """\
Neither flake8-async nor ruff has this rule."""

    node_types = (ast.Call,)
    # At a notebook cell's top level the code cannot move to a thread or a callback, and
    # `get_event_loop()` there is the kernel's running loop: nothing hidden to warn about.
    at_notebook_top_level = False

    def check(self, node: ast.Call, context: Context) -> Iterator[Report]:
        if not node.args and not node.keywords and context.scope.qualname_of(node.func) in _GET_EVENT_LOOP:
            message = self.message.format(call=expression_span(node))
            yield Report(node, message, {"fix": "replace_call", "replacement": "asyncio.get_running_loop"})

    VALID = (
        "import asyncio\nasync def main():\n    loop = asyncio.get_running_loop()\n",
        "import asyncio\ndef main():\n    loop = asyncio.get_event_loop()\n",
        "import asyncio\nasync def main():\n    def callback():\n        return asyncio.get_event_loop()\n    return callback\n",
    )
    INVALID = (
        Invalid(
            "import asyncio\nasync def main():\n    loop = asyncio.get_event_loop()\n",
            fixed="import asyncio\nasync def main():\n    loop = asyncio.get_running_loop()\n",
        ),
        Invalid("from asyncio import get_event_loop\nclass Server:\n    async def start(self):\n        self.loop = get_event_loop()\n"),
    )
    NOTEBOOK_VALID = ("import asyncio\n# %%\nloop = asyncio.get_event_loop()\nloop.create_task(work())\n",)
    NOTEBOOK_INVALID = (
        Invalid(
            "import asyncio\n# %%\nasync def main():\n    loop = asyncio.get_event_loop()\n",
            fixed="import asyncio\n# %%\nasync def main():\n    loop = asyncio.get_running_loop()\n",
        ),
    )
