"""ASYNC103: a handler that receives the task's cancellation can finish without re-raising it."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import can_complete, cancellation_handlers, excludes_cancellation, keyword_span
from async_patterns.analysis.code_spans import handler_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report


class CancellationSwallowed(NodeRule):
    code = "ASYNC103"
    name = "cancellation-swallowed"
    message = (
        "{handler} receives the task's cancellation and can carry on without re-raising it, so `task.cancel()`, "
        "timeouts and shutdown stop working for this task; end the handler with a bare `raise`"
    )
    explanation = """\
asyncio cancels a task by raising `asyncio.CancelledError` at the `await` where it is suspended.
Since Python 3.8 `CancelledError` derives from `BaseException`, so `except Exception` lets it
through, but a bare `except:`, `except BaseException` and `except asyncio.CancelledError` catch it.
When such a handler can finish without re-raising, the task keeps running after it was cancelled:
`asyncio.timeout()` and `wait_for()` cannot stop it, `TaskGroup` and `asyncio.run()` wait for it on
shutdown, and whoever cancelled it never learns it ignored the request. Clean up in the handler and
end it with a bare `raise` (or catch `Exception` instead). Handlers are not reported when the `try`
body has no `await` (nothing there can be cancelled), when the handler checks the cancellation itself
(`isinstance(error, asyncio.CancelledError)`, `task.cancelling()`, `uncancel()`), when it hands the
exception on to be raised later (`errors.append(error)`, `future.set_exception(error)`), and when
the `try` only awaits an existing task (`await self._task`, or any await right after `.cancel()`):
there the `CancelledError` is that task's own, the idiom the asyncio documentation shows. That holds
for a bare `except:` or `except BaseException` too when the code cancels the awaited task itself,
anywhere it can see: another method of the class (`self._task.cancel()`), or the function that
binds a closure variable, also through a callback (`loop.call_later(5, task.cancel)`). A handler
that always ends by raising or by a call that never returns (`sys.exit()`, `pytest.fail()`) does
not swallow anything."""
    peers = """\
flake8-async reports it in any function; here only where a cancellation can arrive: in async code,
around a `try` body that awaits. Handlers that decide about the cancellation visibly (an
`isinstance` check, `cancelling()`/`uncancel()`, handing the exception on) or that only await a task
the code itself cancels are not reported. ruff has no ASYNC103."""

    node_types = (ast.Try, getattr(ast, "TryStar", ast.Try))

    def check(self, node: ast.Try, context: Context) -> Iterator[Report]:
        for handler in cancellation_handlers(node, context):
            if can_complete(handler.body, excludes_cancellation(handler, context.scope), context.scope):
                message = self.message.format(handler=handler_span(node, handler))
                yield Report(keyword_span(handler, len("except")), message, {}, handler.type)

    VALID = (
        "import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n"
        "        await cleanup()\n        raise\n",
        "async def main():\n    try:\n        await work()\n    except Exception:\n        pass\n",
        "import json\nasync def main(text):\n    try:\n        return json.loads(text)\n    except:\n        return None\n",
        "import asyncio\nasync def main(task):\n    task.cancel()\n    try:\n        await task\n"
        "    except asyncio.CancelledError:\n        pass\n",
        "import asyncio\nasync def main():\n    try:\n        await work()\n    except BaseException as error:\n"
        "        if isinstance(error, asyncio.CancelledError):\n            raise\n        log(error)\n",
        "import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n"
        "        raise\n    except BaseException:\n        log()\n",
        "async def main():\n    try:\n        await work()\n    except BaseException as error:\n        log()\n        raise error\n",
        "import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n"
        "        if asyncio.current_task().cancelling():\n            raise\n",
        "def main():\n    try:\n        work()\n    except BaseException:\n        pass\n",
        "import asyncio\nasync def close_all(exits):\n    errors = []\n    for leave in exits:\n        try:\n            await leave()\n"
        "        except (Exception, asyncio.CancelledError) as error:\n            errors.append(error)\n"
        "    if errors:\n        raise errors[0]\n",
        "import asyncio\nasync def close(self):\n    try:\n        await self._task\n    except asyncio.CancelledError:\n        pass\n",
        "async def main():\n    try:\n        await work()\n    except BaseException as error:\n"
        "        if isinstance(error, OSError):\n            log(error)\n        else:\n            raise\n",
        "class Pump:\n    def stop(self):\n        self._task.cancel()\n    async def wait_stopped(self):\n        try:\n"
        "            await self._task\n        except BaseException:\n            pass\n",
        "import asyncio\nasync def main(loop):\n    task = asyncio.ensure_future(work())\n    loop.call_later(5, task.cancel)\n"
        "    async def waiter():\n        try:\n            await task\n        except:\n            log()\n    await waiter()\n",
        "import asyncio, sys\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n"
        "        log('stopping')\n        sys.exit(1)\n",
        "import asyncio, pytest\nasync def test_work():\n    try:\n        await work()\n    except BaseException:\n"
        "        pytest.fail('work was cancelled')\n",
    )
    INVALID = (
        Invalid("import asyncio\nasync def main():\n    try:\n        await work()\n    except asyncio.CancelledError:\n        pass\n"),
        Invalid("async def main():\n    try:\n        await work()\n    except:\n        log()\n"),
        Invalid(
            "async def main():\n    try:\n        await work()\n    except BaseException as error:\n"
            "        if error.args:\n            raise\n        log(error)\n"
        ),
        Invalid("from asyncio import CancelledError\nasync def main():\n    try:\n        async with lock:\n            pass\n"
                "    except (OSError, CancelledError):\n        pass\n"),
        Invalid("class Pump:\n    async def wait_stopped(self):\n        try:\n            await self._task\n"
                "        except BaseException:\n            pass\n"),
        Invalid("import asyncio\nasync def main(other):\n    task = asyncio.ensure_future(work())\n    other.cancel()\n"
                "    async def waiter():\n        try:\n            await task\n        except:\n            log()\n    await waiter()\n"),
    )
    # A cell's top level runs inside the kernel's task: `asyncio.timeout()` there cancels it.
    NOTEBOOK_INVALID = (
        Invalid("import asyncio\n# %%\nasync with asyncio.timeout(1):\n    try:\n        await work()\n    except asyncio.CancelledError:\n        pass\n"),
    )
