"""Context managers that open a cancel scope or a task group in the task that enters them.

Such a block delivers cancellations into the code inside it (a timeout that expires, a task of the
group that fails). asyncio's own, anyio's (which runs on asyncio), and the context managers of
libraries that open one of those inside, each checked in the library's source on PyPI:

- `async_timeout.timeout/timeout_at` (5.0.1): cancels the task when the deadline passes.
- `taskgroup` (0.2.2, the backport): `TaskGroup`, `timeout`, `timeout_at`, as asyncio's.
- `asyncer.create_task_group` (0.0.18): an anyio task group.
- `anyio.from_thread.BlockingPortal` (4.16.0): `async with` enters an anyio task group.
- `apscheduler.AsyncScheduler` (4.0.0a6): `async with` enters an anyio task group.
- mcp (1.9.4 and 2.3.0): `stdio_client`, `sse_client`, `streamable_http_client` (in 1.x
  `streamablehttp_client`) and `stdio_server` yield inside an anyio task group; `ClientSession`
  and `Client` enter one.

Checked and left out: `anyio.from_thread.start_blocking_portal` (its task group runs in the portal's
own thread) and `asgi_lifespan.LifespanManager` (on asyncio it starts a plain task).
"""

from __future__ import annotations

import ast

from async_patterns.analysis.async_code import call_qualname
from async_patterns.analysis.names import Scope

# Timeouts that only work as `async with` (a plain `with` fails at run time with a TypeError).
ASYNC_ONLY_TIMEOUTS = frozenset(
    {
        *(f"asyncio.{name}" for name in ("timeout", "timeout_at", "Timeout")),
        *(f"asyncio.timeouts.{name}" for name in ("timeout", "timeout_at", "Timeout")),
        "async_timeout.timeout",
        "async_timeout.timeout_at",
        "taskgroup.timeout",
        "taskgroup.timeout_at",
        "taskgroup.timeouts.timeout",
        "taskgroup.timeouts.timeout_at",
    }
)
# anyio's cancel scopes are entered with a plain `with`.
ANYIO_CANCEL_SCOPES = frozenset(
    f"anyio.{name}" for name in ("move_on_after", "move_on_at", "fail_after", "fail_at", "CancelScope")
)
TIMEOUTS = ASYNC_ONLY_TIMEOUTS | ANYIO_CANCEL_SCOPES

TASK_GROUPS = frozenset(
    {
        "asyncio.TaskGroup",
        "asyncio.taskgroups.TaskGroup",
        "taskgroup.TaskGroup",
        "taskgroup.taskgroups.TaskGroup",
        "anyio.create_task_group",
        "asyncer.create_task_group",
        "anyio.from_thread.BlockingPortal",
        "apscheduler.AsyncScheduler",
        "apscheduler._schedulers.async_.AsyncScheduler",
        "mcp.stdio_client",
        "mcp.client.stdio.stdio_client",
        "mcp.client.sse.sse_client",
        "mcp.client.streamable_http.streamable_http_client",
        "mcp.client.streamable_http.streamablehttp_client",
        "mcp.stdio_server",
        "mcp.server.stdio.stdio_server",
        "mcp.ClientSession",
        "mcp.client.ClientSession",
        "mcp.client.session.ClientSession",
        "mcp.Client",
        "mcp.client.Client",
        "mcp.client.client.Client",
    }
)
CANCEL_SCOPES = TIMEOUTS | TASK_GROUPS
# What sync code can enter (a generator cannot `async with`): the names anyio's scopes are called by,
# for the walk's look at sync code (`with move_on_after(1): yield`).
SYNC_CANCEL_SCOPE_WORDS = frozenset(name.rpartition(".")[2] for name in ANYIO_CANCEL_SCOPES)


def opens_cancel_scope(block: ast.With | ast.AsyncWith, scope: Scope) -> bool:
    """A `with`/`async with` one of whose items opens a cancel scope or a task group."""
    return any(call_qualname(item.context_expr, scope) in CANCEL_SCOPES for item in block.items)
