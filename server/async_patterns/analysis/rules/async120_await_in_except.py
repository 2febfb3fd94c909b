"""ASYNC120: an `await` inside `except` that a cancellation turns into losing the handled exception (off by default)."""

import ast
from typing import Iterator

from async_patterns.analysis.async_code import receives_cancellation, walk_in_order
from async_patterns.analysis.code_spans import code_span, with_span, written
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

_CHECKPOINTS = (ast.Await, ast.AsyncFor, ast.AsyncWith)
# Closing calls meant for clean-up: they do not wait for anything worth cancelling.
_CLOSING = frozenset({"aclose", "aclose_forcefully"})


class AwaitInExcept(NodeRule):
    code = "ASYNC120"
    name = "await-in-except"
    enabled_by_default = False
    message = (
        "{checkpoint} in an `except` block can be cancelled, and then the `CancelledError` replaces the exception "
        "being handled and the `raise` below never runs; keep the handler free of awaits, or accept that a "
        "cancellation wins"
    )
    explanation = """\
In an `except` block that re-raises, an `await` (or `async for`/`async with`) before the `raise` is
a point where the task can be cancelled. If it is, `CancelledError` propagates from that line and
the `raise` never runs: the caller sees a cancellation instead of the error that was being handled
(it survives only as the cancellation's `__context__`). flake8-async reports each such checkpoint
(`await x.aclose()` excepted); `asyncio.shield()` does not help, since the `await` on the shield is
still cancelled. Handlers that catch the cancellation itself (bare `except:`, `BaseException`,
`CancelledError`) are ASYNC103/ASYNC104's concern and are not reported here.

Off by default: under asyncio a cancellation that arrives during clean-up is usually what should
win (the task is being stopped), and `except Exception: await conn.close(); raise` is a common,
deliberate pattern. Turn it on with `extend-select = ["ASYNC120"]` to audit error paths where the
original exception must reach the caller."""
    peers = """\
Same meaning as flake8-async's (a checkpoint before a `raise` in an `except` block that does not
catch the cancellation; `aclose()` excepted), but off by default here, while flake8-async has it
on. ruff has no ASYNC120."""

    node_types = (ast.Try, getattr(ast, "TryStar", ast.Try))

    def check(self, node: ast.Try, context: Context) -> Iterator[Report]:
        cancellation_caught = False
        for handler in node.handlers:
            if not cancellation_caught and (receives_cancellation(handler, context.scope) or _names_cancelled_error(handler)):
                cancellation_caught = True
                continue
            waiting: list[ast.AST] = []
            for inner in walk_in_order(handler.body, skip=(ast.ExceptHandler,)):
                if isinstance(inner, _CHECKPOINTS) and not _is_closing(inner):
                    waiting.append(inner)
                elif isinstance(inner, ast.Raise):
                    for checkpoint in waiting:
                        yield Report(checkpoint, self.message.format(checkpoint=_span(checkpoint)))
                    waiting.clear()

    EXAMPLE_SETTINGS = {"extend-select": ["ASYNC120"]}
    VALID = (
        "async def main(conn):\n    try:\n        await conn.send(b'x')\n    except OSError:\n        log()\n        raise\n",
        "async def main(conn):\n    try:\n        await conn.send(b'x')\n    except OSError:\n        await conn.aclose()\n        raise\n",
        "async def main(conn):\n    try:\n        await conn.send(b'x')\n    except OSError:\n        await conn.reconnect()\n",
        "async def main(conn):\n    try:\n        await conn.send(b'x')\n    except BaseException:\n        await conn.close()\n        raise\n",
        "async def main(conn):\n    try:\n        await conn.send(b'x')\n    except OSError:\n        raise\n    finally:\n        await conn.close()\n",
        "async def main(conn):\n    try:\n        await conn.send(b'x')\n    except OSError:\n        async def later():\n"
        "            await conn.close()\n        raise\n",
        "from . import exceptions\nasync def main(conn):\n    try:\n        await conn.send(b'x')\n    except exceptions.CancelledError:\n"
        "        await conn.close()\n        raise\n",
    )
    INVALID = (
        Invalid("async def main(conn):\n    try:\n        await conn.send(b'x')\n    except OSError:\n        await conn.close()\n        raise\n"),
        Invalid("import asyncio\nasync def main(conn):\n    try:\n        await conn.send(b'x')\n    except asyncio.CancelledError:\n"
                "        raise\n    except Exception as error:\n        await asyncio.shield(conn.close())\n        raise RuntimeError() from error\n"),
        Invalid("async def main(conn):\n    try:\n        await conn.send(b'x')\n    except ValueError:\n        if conn.open:\n"
                "            async with conn.lock:\n                pass\n            raise\n"),
    )


def _names_cancelled_error(handler: ast.ExceptHandler) -> bool:
    """`except CancelledError` by a name this module cannot resolve (asyncio's own modules import
    it relatively): the handler is about the cancellation, not a case for this rule."""
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(
        (member.attr if isinstance(member, ast.Attribute) else getattr(member, "id", None)) == "CancelledError"
        for member in caught
        if member is not None
    )


def _span(checkpoint: ast.AST) -> str:
    """`await conn.close()`, `async with conn.lock`, `async for item in feed()`."""
    if isinstance(checkpoint, ast.Await):
        return code_span(f"await {written(checkpoint.value)}")
    if isinstance(checkpoint, ast.AsyncWith):
        return with_span(checkpoint)
    assert isinstance(checkpoint, ast.AsyncFor)
    return code_span(f"async for {written(checkpoint.target)} in {written(checkpoint.iter)}")


def _is_closing(checkpoint: ast.AST) -> bool:
    if not isinstance(checkpoint, ast.Await) or not isinstance(checkpoint.value, ast.Call):
        return False
    call = checkpoint.value
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", None)
    return name in _CLOSING and (name == "aclose_forcefully" or not (call.args or call.keywords))
