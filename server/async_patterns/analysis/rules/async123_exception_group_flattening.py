"""ASYNC123: raising an exception taken out of an exception group."""

import ast
from typing import Iterator

from async_patterns.analysis import exception_groups
from async_patterns.analysis.async_code import walk_in_order
from async_patterns.analysis.code_spans import leaving_span
from async_patterns.analysis.context import Context
from async_patterns.analysis.rule import Invalid, NodeRule, Report

_GROUP_METHODS = frozenset({"subgroup", "split"})


class ExceptionGroupFlattening(NodeRule):
    code = "ASYNC123"
    name = "exception-group-flattening"
    message = (
        "{statement} raises an exception taken out of the group being handled, which replaces its own `__context__` "
        "with the group and drops the group's traceback, so where it came from is lost; let the group propagate or "
        "handle it with `except*`"
    )
    explanation = """\
A `TaskGroup` (or anyio's task group) raises an `ExceptionGroup` holding its tasks' errors. Picking
one out and raising it (`raise group.exceptions[0]`, or `for error in group.exceptions: raise error`)
looks like a simple way back to a single exception, but raising it inside the handler sets its
`__context__` to the group (losing the context it had, such as the error that happened while the
task was handling another) and the frames the group passed through are not in its traceback. Let
the group propagate, handle its parts with `except*`, or, when one leaf must be raised, keep its
own context (save `error.__context__` and restore it after the raise, the problem PEP 785
describes). Names bound to a group's `exceptions`, to an element of it, or to `subgroup()`/`split()`
results are followed within the handler. Not reported: `raise error from error.__cause__ or
error.__context__`, which carries the exception's own chain over on purpose."""
    peers = """\
Same meaning as flake8-async's, except that a `raise error from error.__cause__ or ...` that carries
the exception's own chain over is not reported here. ruff has no ASYNC123."""

    node_types = (ast.Try, getattr(ast, "TryStar", ast.Try))
    only_in_async = False
    sync_code_words = exception_groups.WORDS

    def check(self, node: ast.Try, context: Context) -> Iterator[Report]:
        for handler in node.handlers:
            if handler.name and exception_groups.handles_group(node, handler, context.scope):
                yield from self._raised_children(handler)

    def _raised_children(self, handler: ast.ExceptHandler) -> Iterator[Report]:
        names = _GroupNames({handler.name})  # type: ignore[arg-type]
        for inner in walk_in_order(handler.body):
            if isinstance(inner, (ast.Assign, ast.AnnAssign)) and inner.value is not None:
                targets = inner.targets if isinstance(inner, ast.Assign) else [inner.target]
                names.bind(targets, inner.value)
            elif isinstance(inner, ast.For) and names.is_list(inner.iter) and isinstance(inner.target, ast.Name):
                names.children.add(inner.target.id)
            elif isinstance(inner, ast.Raise) and inner.exc is not None and names.is_child(inner.exc):
                if not _keeps_own_chain(inner):
                    yield Report(inner, self.message.format(statement=leaving_span(inner)))

    VALID = (
        "async def main():\n    try:\n        await run_all()\n    except* ValueError as group:\n        log(group)\n        raise\n",
        "async def main():\n    try:\n        await run_all()\n    except ExceptionGroup as group:\n        raise RuntimeError('failed') from group\n",
        "async def main():\n    try:\n        await run_all()\n    except ValueError as error:\n        errors = [error]\n        raise errors[0]\n",
        "def main():\n    try:\n        run_all()\n    except* OSError as group:\n        first = group.exceptions\n        log(first)\n",
        "async def main():\n    try:\n        await run_all()\n    except BaseExceptionGroup as group:\n        error = group.exceptions[0]\n"
        "        context = None if error.__suppress_context__ else error.__context__\n        raise error from error.__cause__ or context\n",
    )
    INVALID = (
        Invalid("async def main():\n    try:\n        await run_all()\n    except ExceptionGroup as group:\n        raise group.exceptions[0]\n"),
        Invalid("async def main():\n    try:\n        await run_all()\n    except* OSError as group:\n        for error in group.exceptions:\n"
                "            raise error\n"),
        Invalid("def main():\n    try:\n        run_all()\n    except BaseExceptionGroup as group:\n        matched, rest = group.split(OSError)\n"
                "        errors = matched.exceptions\n        first = errors[0]\n        raise first\n"),
    )


def _keeps_own_chain(statement: ast.Raise) -> bool:
    """`raise error from error.__cause__ or error.__context__`: the code carries the exception's own
    chain over on purpose (the group stays only as the suppressed context)."""
    return statement.cause is not None and any(
        isinstance(node, ast.Attribute)
        and node.attr in ("__cause__", "__context__")
        and ast.dump(node.value) == ast.dump(statement.exc)  # type: ignore[arg-type]
        for node in ast.walk(statement.cause)
    )


class _GroupNames:
    """Names that hold a group, a group's list of exceptions, or one exception taken out of it."""

    def __init__(self, groups: set[str]) -> None:
        self.groups, self.lists, self.children = groups, set[str](), set[str]()

    def is_group(self, expr: ast.expr) -> bool:
        if isinstance(expr, ast.Name) and expr.id in self.groups:
            return True
        if self.is_child(expr):  # an exception inside a group may be a group itself
            return True
        return (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Attribute)
            and expr.func.attr in _GROUP_METHODS
            and self.is_group(expr.func.value)
        )

    def is_list(self, expr: ast.expr) -> bool:
        return (isinstance(expr, ast.Name) and expr.id in self.lists) or (
            isinstance(expr, ast.Attribute) and expr.attr == "exceptions" and self.is_group(expr.value)
        )

    def is_child(self, expr: ast.expr) -> bool:
        return (isinstance(expr, ast.Name) and expr.id in self.children) or (
            isinstance(expr, ast.Subscript) and self.is_list(expr.value)
        )

    def bind(self, targets: list[ast.expr], value: ast.expr) -> None:
        names = [target.id for target in targets if isinstance(target, ast.Name)]
        if self.is_child(value):
            self.children.update(names)
        elif self.is_list(value):
            self.lists.update(names)
        elif self.is_group(value):
            unpacked = (element for target in targets if isinstance(target, ast.Tuple) for element in target.elts)
            self.groups.update([*names, *(element.id for element in unpacked if isinstance(element, ast.Name))])
