"""The module header a fix may need: `import asyncio` and the set that keeps background tasks alive.

Both go where a reader looks for them: the import after the docstring and `__future__` imports,
in sorted order within the first group of imports; the set right after the imports.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
import libcst.helpers

from async_patterns.fixes.syntax import ParsedModule

BACKGROUND_TASKS = "background_tasks"


@dataclass(frozen=True)
class Header:
    """The names fixes use for asyncio and for the background-task set, and what must be added."""

    asyncio: str
    add_import: bool
    background_tasks: str
    add_background_tasks: bool

    @classmethod
    def of(cls, parsed: ParsedModule) -> Header | None:
        """None when `asyncio` cannot be referred to without rebinding something the code uses."""
        imported = _top_level_asyncio_name(parsed.module)
        asyncio = imported or "asyncio"
        if not parsed.only_used_as_module(asyncio):
            return None
        existing_set = _existing_background_set(parsed.module)
        return cls(
            asyncio,
            imported is None,
            existing_set or parsed.fresh_name(BACKGROUND_TASKS),
            existing_set is None,
        )


def _top_level_asyncio_name(module: cst.Module) -> str | None:
    for statement in module.body:
        for small in _imports_of(statement):
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if libcst.helpers.get_full_name_for_node(alias.name) == "asyncio":
                        return alias.asname.name.value if alias.asname else "asyncio"  # type: ignore[union-attr]
    return None


def _existing_background_set(module: cst.Module) -> str | None:
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and small.targets[0].target.value.startswith(BACKGROUND_TASKS)
                and isinstance(small.value, cst.Call)
                and isinstance(small.value.func, cst.Name)
                and small.value.func.value == "set"
                and not small.value.args
            ):
                return small.targets[0].target.value
    return None


def _imports_of(statement: cst.BaseStatement) -> list[cst.BaseSmallStatement]:
    if isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body
    ):
        return list(statement.body)
    return []


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_future_import(statement: cst.BaseStatement) -> bool:
    imports = _imports_of(statement)
    return bool(imports) and all(
        isinstance(small, cst.ImportFrom)
        and small.module is not None
        and libcst.helpers.get_full_name_for_node(small.module) == "__future__"
        for small in imports
    )


def _first_after_preamble(body: list[cst.BaseStatement]) -> int:
    index = 1 if body and _is_docstring(body[0]) else 0
    while index < len(body) and _is_future_import(body[index]):
        index += 1
    return index


def _sort_key(statement: cst.BaseStatement) -> str:
    small = _imports_of(statement)[0]
    if isinstance(small, cst.Import):
        return libcst.helpers.get_full_name_for_node(small.names[0].name) or ""
    if small.relative or small.module is None:
        return "\uffff"  # relative imports come last
    return libcst.helpers.get_full_name_for_node(small.module) or ""


def _import_statement(name: str) -> cst.SimpleStatementLine:
    alias = cst.ImportAlias(
        cst.Name("asyncio"), asname=None if name == "asyncio" else cst.AsName(name=cst.Name(name))
    )
    return cst.SimpleStatementLine([cst.Import(names=[alias])])


def _with_import(body: list[cst.BaseStatement], name: str) -> list[cst.BaseStatement]:
    start = _first_after_preamble(body)
    new = _import_statement(name)
    if start == len(body) or not _imports_of(body[start]):
        if start > 0:
            new = new.with_changes(leading_lines=[cst.EmptyLine()])
        return [*body[:start], new, *_separated(body[start:])]
    end = start + 1
    while end < len(body) and _imports_of(body[end]) and not _has_blank_line_above(body[end]):
        end += 1
    position = next((index for index in range(start, end) if _sort_key(body[index]) > "asyncio"), end)
    if position == start:
        # The group's leading comments and blank lines stay above the group.
        first = body[start]
        new = new.with_changes(leading_lines=first.leading_lines)
        return [*body[:start], new, first.with_changes(leading_lines=[]), *body[start + 1 :]]
    return [*body[:position], new, *body[position:]]


def _has_blank_line_above(statement: cst.BaseStatement) -> bool:
    return any(line.comment is None for line in statement.leading_lines)


def _with_background_set(body: list[cst.BaseStatement], name: str) -> list[cst.BaseStatement]:
    position = _first_after_preamble(body)
    while position < len(body) and _imports_of(body[position]):
        position += 1
    assignment = cst.SimpleStatementLine(
        [cst.Assign([cst.AssignTarget(cst.Name(name))], cst.Call(cst.Name("set")))],
        leading_lines=[cst.EmptyLine()] if position else [],
    )
    return [*body[:position], assignment, *_separated(body[position:])]


def _separated(following: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
    """The statements after an insertion, the first one a blank line away from what was inserted."""
    if following and not following[0].leading_lines:
        return [following[0].with_changes(leading_lines=[cst.EmptyLine()]), *following[1:]]
    return following


def with_header(module: cst.Module, header: Header, needs_import: bool, needs_set: bool) -> cst.Module:
    body = list(module.body)
    if needs_set and header.add_background_tasks:
        body = _with_background_set(body, header.background_tasks)
    if needs_import and header.add_import:
        body = _with_import(body, header.asyncio)
    return module.with_changes(body=body)
