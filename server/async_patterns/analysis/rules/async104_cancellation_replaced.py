"""ASYNC104: a handler that receives the task's cancellation returns, jumps or raises something else."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import cancellation_handlers, escaping_statements, excludes_cancellation
from async_patterns.analysis.code_spans import handler_span, leaving_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class CancellationReplaced(NodeRule):
    code = "ASYNC104"
    name = "cancellation-replaced"
    message = (
        "{statement} out of {handler} turns the cancellation it caught into a normal return or a different error, "
        "so whoever cancelled the task never sees it stop; re-raise with a bare `raise`"
    )
    explanation = """\
A handler that receives `asyncio.CancelledError` (a bare `except:`, `except BaseException` or
`except asyncio.CancelledError`) must let it continue. A `return`, a `break`/`continue` out of the
handler, or `raise OtherError(...)` replaces the cancellation: the task ends as if it had finished
or failed, `asyncio.timeout()` cannot convert it into `TimeoutError`, and `TaskGroup` sees an error
where there was a cancellation. Do the clean-up and then `raise` the same exception; if the code
really means to stop a cancellation, it should check `asyncio.current_task().cancelling()` and call
`uncancel()`, which this rule accepts as a deliberate decision. A `try` body without `await` cannot
be cancelled and is not reported."""
    peers = """\
As ASYNC103: flake8-async's meaning (a `return`, a jump or another exception out of a handler that
caught the cancellation), only in async code around a `try` that awaits. ruff has no ASYNC104."""

    node_types = (ast.Try, getattr(ast, "TryStar", ast.Try))

    def check(self, node: ast.Try, context: Context) -> Iterator[Report]:
        for handler in cancellation_handlers(node, context):
            unreachable = excludes_cancellation(handler, context.scope)
            handler_code = handler_span(node, handler)
            for statement in escaping_statements(handler.body, handler.name, unreachable):
                yield Report(statement, self.message.format(statement=leaving_span(statement), handler=handler_code))

    VALID = (
        "import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n"
        "        await cleanup()\n        raise\n",
        "import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError as error:\n"
        "        raise error\n",
        "async def main():\n    try:\n        await work()\n    except Exception:\n        return None\n",
        "import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n"
        "        for item in pending:\n            if item:\n                break\n        raise\n",
        "import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n"
        "        if asyncio.current_task().uncancel() == 0:\n            return None\n        raise\n",
        "async def main():\n    try:\n        await work()\n    except BaseException:\n        def describe():\n"
        "            return 'failed'\n        raise\n",
        "async def parse(stream):\n    try:\n        await stream.read()\n    except BaseException as error:\n"
        "        if isinstance(error, ValueError):\n            raise ParseError() from error\n        raise\n",
        "async def connect(retry):\n    try:\n        await open()\n    except BaseException as error:\n"
        "        if retry and isinstance(error, OSError):\n            raise RetrySignal() from error\n        raise\n",
        "class Pump:\n    def stop(self):\n        self._task.cancel()\n    async def wait_stopped(self):\n        try:\n"
        "            await self._task\n        except BaseException:\n            return False\n",
    )
    INVALID = (
        Invalid("import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n        return None\n"),
        Invalid("async def main():\n    while True:\n        try:\n            await work()\n        except:\n            continue\n"),
        Invalid(
            "import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n"
            "        raise TimeoutError('gave up') from None\n"
        ),
    )
