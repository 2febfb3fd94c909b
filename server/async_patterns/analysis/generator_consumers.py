"""Who consumes a module's private async generators, and whether every consumer closes them.

A private (`_name`) async function is only used inside its module. When every use of it there is a
call whose generator is closed by the consumer (`async with contextlib.aclosing(gen())`, or
`stream = gen()` in a function whose `finally:` awaits `stream.aclose()`), an early stop of the
consumer still runs the generator's clean-up at once, in the consumer's task: ASYNC119's concern
is answered. Module-wide facts, so incremental analysis keys on them (see `consumption_key`).
"""

from __future__ import annotations

import ast
from typing import Iterable, Iterator

from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.word_lines import WordSearch, first_line, lines_may_name, statements_naming

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_YIELD_WORD = WordSearch.of(["yield"])


def private_async_generators(body: Iterable[ast.stmt], index: LineIndex | None = None) -> frozenset[str]:
    """Names of the private async generators that yield inside a `with` block (`async def _name`,
    at module level or directly in a top-level class): the ones ASYNC119 may be about. With the
    text's `index`, a function whose lines do not say `yield` is not looked into."""
    names = set()
    for statement in body:
        members = statement.body if isinstance(statement, ast.ClassDef) else [statement]
        names.update(
            member.name
            for member in members
            if isinstance(member, ast.AsyncFunctionDef)
            and member.name.startswith("_")
            and (index is None or lines_may_name(index, first_line(member), member.end_lineno or member.lineno, _YIELD_WORD))
            and _yields_in_with(member)
        )
    return frozenset(names)


def _yields_in_with(function: ast.AsyncFunctionDef) -> bool:
    stack: list[tuple[ast.AST, bool]] = [(statement, False) for statement in function.body]
    while stack:
        node, in_with = stack.pop()
        if isinstance(node, ast.Yield) and in_with:
            return True
        if not isinstance(node, (*_FUNCTIONS, ast.Lambda, ast.ClassDef)):
            inner = in_with or isinstance(node, (ast.With, ast.AsyncWith))
            stack.extend((child, inner) for child in ast.iter_child_nodes(node))
    return False


def closed_generators(body: list[ast.stmt], candidates: frozenset[str], index: LineIndex | None = None) -> frozenset[str]:
    """The candidates used at least once in `body`, and only by consumers that close them (with the
    text's `index`, statements whose lines do not name a candidate are not looked into)."""
    if not candidates:
        return frozenset()
    closed: dict[str, bool] = {}
    for name, is_closed in references(body, candidates, index):
        closed[name] = closed.get(name, True) and is_closed
    return frozenset(name for name, all_closed in closed.items() if all_closed)


def consumption_key(
    statements: Iterable[ast.stmt], candidates: frozenset[str], index: LineIndex | None = None
) -> tuple[tuple[str, bool], ...]:
    """What `closed_generators` reads from these statements (for incremental analysis' facts keys)."""
    return tuple(sorted(references(statements, candidates, index))) if candidates else ()


def references(
    statements: Iterable[ast.stmt], candidates: frozenset[str], index: LineIndex | None = None
) -> list[tuple[str, bool]]:
    """Each mention of a candidate in `statements` (a name, or an attribute of that name), and
    whether it is the callee of a call whose generator the consumer closes."""
    finder = _Consumers(candidates)
    nodes: Iterable[ast.AST] = statements if index is None else statements_naming(statements, index, WordSearch.of(candidates))
    for node in nodes:
        finder.visit(node, None)
    return [(name, id(node) in finder.closing_callees) for name, node in finder.mentions]


class _Consumers:
    def __init__(self, candidates: frozenset[str]) -> None:
        self.candidates = candidates
        self.mentions: list[tuple[str, ast.AST]] = []
        self.closing_callees: set[int] = set()
        self._closed_names: dict[int, frozenset[str]] = {}

    def visit(self, node: ast.AST, function: ast.AST | None) -> None:
        if isinstance(node, ast.Name) and node.id in self.candidates:
            self.mentions.append((node.id, node))
        elif isinstance(node, ast.Attribute) and node.attr in self.candidates:
            self.mentions.append((node.attr, node))
        elif isinstance(node, ast.Call) and _names_aclosing(node.func):
            self.closing_callees.update(id(argument.func) for argument in node.args if isinstance(argument, ast.Call))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)) and function is not None:
            self._assignment(node, function)
        inner = node if isinstance(node, (*_FUNCTIONS, ast.Lambda)) else function
        for child in ast.iter_child_nodes(node):
            self.visit(child, inner)

    def _assignment(self, node: ast.Assign | ast.AnnAssign, function: ast.AST) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if len(targets) == 1 and isinstance(targets[0], ast.Name) and isinstance(node.value, ast.Call):
            # Only a candidate's call can matter, and finding the names a function closes walks it.
            if self._is_mention(node.value.func) and targets[0].id in self._names_closed_in(function):
                self.closing_callees.add(id(node.value.func))

    def _is_mention(self, node: ast.expr) -> bool:
        return (isinstance(node, ast.Name) and node.id in self.candidates) or (
            isinstance(node, ast.Attribute) and node.attr in self.candidates
        )

    def _names_closed_in(self, function: ast.AST) -> frozenset[str]:
        """Names whose generator the function closes: `await name.aclose()` in a `finally:`, or
        `async with aclosing(name)`."""
        found = self._closed_names.get(id(function))
        if found is None:
            found = self._closed_names[id(function)] = frozenset(_closed_names(function))
        return found


def _closed_names(function: ast.AST) -> Iterator[str]:
    for node in ast.walk(function):
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            for inner in (inner for statement in node.finalbody for inner in ast.walk(statement)):  # type: ignore[attr-defined]
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr == "aclose"
                    and isinstance(inner.func.value, ast.Name)
                ):
                    yield inner.func.value.id
        elif isinstance(node, ast.AsyncWith):
            for item in node.items:
                call = item.context_expr
                if isinstance(call, ast.Call) and _names_aclosing(call.func):
                    yield from (argument.id for argument in call.args if isinstance(argument, ast.Name))


def _names_aclosing(func: ast.expr) -> bool:
    """`aclosing(...)` or `contextlib.aclosing(...)` (any module's: the name says what it does)."""
    return (isinstance(func, ast.Name) and func.id == "aclosing") or (
        isinstance(func, ast.Attribute) and func.attr == "aclosing"
    )
