"""Code that runs on a worker thread rather than on the event loop of the code around it.

Two shapes, both decided from what the code says:
- a function decorated with a thread runner: its body runs in another thread, and an `async def`
  so decorated runs on that thread's own event loop, not on the caller's. Blocking there stalls no
  task of the caller's loop. The known runners are listed here (each checked in the library's
  source); a project adds its own with the `thread-decorators` setting.
- a lazy iterator handed to a worker thread (`await asyncio.to_thread(list, path.glob("*.json"))`):
  the call on the loop only creates the iterator; the thread iterates it, which is where the file
  system is read.

The walk (engine) and any rule that needs to know where a function's body runs use this module.
"""

from __future__ import annotations

import ast
import fnmatch
from typing import Iterable, Iterator

from async_patterns.analysis import catalogue
from async_patterns.analysis.names import Scope, dotted_name

# Decorators that run the decorated function on a worker thread, by qualified name, with the
# keyword arguments that must be given as a literal True for it (empty: always).
# - textual's `@work(thread=True)`: the worker calls the function in `loop.run_in_executor`, and a
#   coroutine function there through `asyncio.run` (textual/worker.py, `Worker._run_threaded`).
# Checked and left out, because the coroutine runs on a loop shared with other tasks:
# - asgiref's `async_to_sync` runs the coroutine on the outer (main) event loop when there is one;
# - unsync's `@unsync` runs every decorated coroutine on one shared loop in unsync's thread.
KNOWN_THREAD_RUNNERS: dict[str, frozenset[str]] = {
    "textual.work": frozenset({"thread"}),
    "textual._work_decorator.work": frozenset({"thread"}),
}

# Calls that run a callable in a worker thread, and the position of the first argument handed to
# that callable (the ones before it are the executor and the callable itself).
_THREAD_HANDOFFS: dict[str, int] = {
    "asyncio.to_thread": 1,
    "anyio.to_thread.run_sync": 1,
    "starlette.concurrency.run_in_threadpool": 1,
}
_EXECUTOR_METHOD = "run_in_executor"


def runs_in_worker_thread(
    function: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope, project_runners: Iterable[str] = ()
) -> bool:
    """Whether a decorator of `function` runs it on a worker thread: a known runner, or one whose
    qualified (or, when it does not resolve, written) name matches a `thread-decorators` pattern."""
    patterns = tuple(project_runners)
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualname = scope.qualname_of(target)
        required = KNOWN_THREAD_RUNNERS.get(qualname) if qualname else None
        if required is not None and _gives_true(decorator, required):
            return True
        names = [name for name in (qualname, dotted_name(target)) if name]
        if any(fnmatch.fnmatchcase(name, pattern) for name in names for pattern in patterns):
            return True
    return False


def _gives_true(decorator: ast.expr, keywords: frozenset[str]) -> bool:
    if not keywords:
        return True
    if not isinstance(decorator, ast.Call):
        return False
    given = {keyword.arg: keyword.value for keyword in decorator.keywords if keyword.arg}
    return all(isinstance(given.get(name), ast.Constant) and given[name].value is True for name in keywords)


def arguments_handed_to_thread(call: ast.Call, qualname: str | None) -> Iterator[ast.expr]:
    """The arguments a call (whose callee resolves to `qualname`) passes on to a callable it runs
    in a worker thread."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == _EXECUTOR_METHOD:
        first = 2
    else:
        first = _THREAD_HANDOFFS.get(qualname) if qualname else None
        if first is None:
            return
    for argument in call.args[first:]:
        if isinstance(argument, ast.Starred):
            return
        yield argument


def creates_lazy_listing(expr: ast.expr, scope: Scope) -> bool:
    """A call that only creates an iterator over the file system; iterating it reads the disk.

    Measured with strace on CPython 3.10-3.13 (no file-system call until the first `next`):
    `Path.glob`, `Path.rglob`, `Path.walk`, `os.walk`, `os.fwalk`, `glob.iglob`. Not lazy:
    `os.scandir` opens the directory when called, and `Path.iterdir` lists it when called on 3.13.
    """
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    if isinstance(func, ast.Attribute) and func.attr in catalogue.LAZY_LISTING_PATH_METHODS:
        if scope.type_of(func.value) == catalogue.PATH:
            return True
    return scope.qualname_of(func) in catalogue.LAZY_LISTING_CALLS
