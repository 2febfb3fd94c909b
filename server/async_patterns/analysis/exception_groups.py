"""Exception groups as the rules about them (ASYNC123, ASYNC126, ASYNC400, ASYNC401) see them."""

from __future__ import annotations

import ast

from async_patterns.analysis.names import Scope

EXCEPTION_GROUPS = frozenset(
    {
        "builtins.ExceptionGroup",
        "builtins.BaseExceptionGroup",
        "exceptiongroup.ExceptionGroup",
        "exceptiongroup.BaseExceptionGroup",
    }
)
GROUP_CLASS_NAMES = frozenset({"ExceptionGroup", "BaseExceptionGroup"})
# What the walk's look at sync code searches for (an alias the module binds counts too).
WORDS = frozenset({*GROUP_CLASS_NAMES, "except*"})


def names_exception_group(expr: ast.expr, scope: Scope) -> bool:
    """`ExceptionGroup`, `BaseExceptionGroup` (builtin or from the `exceptiongroup` backport), also
    subscripted (`ExceptionGroup[ValueError]`); by the written name when it does not resolve."""
    if isinstance(expr, ast.Subscript):
        expr = expr.value
    qualname = scope.qualname_of(expr)
    if qualname is not None:
        return qualname in EXCEPTION_GROUPS
    written = expr.attr if isinstance(expr, ast.Attribute) else getattr(expr, "id", None)
    return written in GROUP_CLASS_NAMES


def handles_group(try_node: ast.AST, handler: ast.ExceptHandler, scope: Scope) -> bool:
    """The handler's name is bound to an exception group: any `except*`, or an `except` that
    catches `ExceptionGroup`/`BaseExceptionGroup` (alone or in a tuple)."""
    if type(try_node).__name__ == "TryStar":
        return True
    caught = handler.type
    members = caught.elts if isinstance(caught, ast.Tuple) else [caught] if caught is not None else []
    return any(names_exception_group(member, scope) for member in members)
