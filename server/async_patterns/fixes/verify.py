"""What every fix must prove, checked by the tests and by `benchmarks/fix_coverage.py`.

After applying a fix's edits: the text parses; the fixed finding is gone; no finding appears that
was not there before; and nothing changed outside the finding's statement, apart from lines added
to the module header (imports, the background-task set) and, for a suppression, its own line. The
statement of `x = <call>` or `x.method(...)` extends over the statements next to it in the same
block that use `x` (a fix may move one object's whole use into a worker thread).
"""

from __future__ import annotations

import ast
from collections import Counter

from async_patterns.analysis import Settings, analyze
from async_patterns.analysis.findings import Finding
from async_patterns.fixes.text import TextEdit, Offsets, apply_edits


def _key(finding: Finding, offsets: Offsets) -> tuple[str, str]:
    start = offsets.offset(finding.line, finding.column)
    return finding.code, offsets.text[start : offsets.offset(finding.end_line, finding.end_column)]


def _innermost_statement(tree: ast.Module, finding: Finding) -> ast.stmt | None:
    found = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno <= finding.line and finding.end_line <= (node.end_lineno or 0):
            if found is None or (node.lineno, -(node.end_lineno or 0)) >= (found.lineno, -(found.end_lineno or 0)):
                found = node
    return found


def _object_use_span(tree: ast.Module, statement: ast.stmt) -> tuple[int, int]:
    """The first and last line of the statement, with the neighbours in its block that use the
    object it binds (`x = ...`) or calls a method on (`x.m(...)`)."""
    names = _object_names(statement)
    block = next(
        (
            body
            for node in ast.walk(tree)
            for field in ("body", "orelse", "finalbody")
            if isinstance(body := getattr(node, field, None), list) and statement in body
        ),
        [statement],
    )
    uses = [any(_mentions(sibling, name) for name in names) for sibling in block]
    start = end = block.index(statement)
    while start > 0 and uses[start - 1]:
        start -= 1
    while end + 1 < len(block) and uses[end + 1]:
        end += 1
    return block[start].lineno, block[end].end_lineno or block[end].lineno


def _object_names(statement: ast.stmt) -> set[str]:
    names = set()
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
        names.add(statement.targets[0].id)
    value = getattr(statement, "value", None)
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and isinstance(value.func.value, ast.Name):
        names.add(value.func.value.id)
    return names


def _mentions(statement: ast.stmt, name: str) -> bool:
    return any(isinstance(node, ast.Name) and node.id == name for node in ast.walk(statement))


def _is_header_insertion(edit: TextEdit) -> bool:
    if (edit.line, edit.column) != (edit.end_line, edit.end_column) or edit.column != 0:
        return False
    try:
        added = ast.parse(edit.new_text.strip())
    except SyntaxError:
        return False
    return all(
        isinstance(statement, ast.Import)
        or (isinstance(statement, ast.Assign) and ast.unparse(statement.value) == "set()")
        for statement in added.body
    )


def problems_with_fix(
    source: str,
    finding: Finding,
    edits: list[TextEdit],
    settings: Settings | None = None,
    suppression: bool = False,
    kernel: bool = False,
) -> list[str]:
    """Why this fix breaks its promises; empty when it keeps them all (`kernel` as for `analyze`)."""
    fixed = apply_edits(source, edits)
    try:
        ast.parse(fixed)
    except SyntaxError as error:
        return [f"the fixed text does not parse: {error}"]
    old_offsets, new_offsets = Offsets(source), Offsets(fixed)
    before = Counter(_key(other, old_offsets) for other in analyze(source, settings, kernel=kernel).findings)
    after = Counter(_key(other, new_offsets) for other in analyze(fixed, settings, kernel=kernel).findings)
    problems = []
    fixed_key = _key(finding, old_offsets)
    if after[fixed_key] >= before[fixed_key]:
        problems.append(f"{finding.code} is still reported")
    appeared = after - before
    if appeared:
        problems.append(f"new findings: {sorted(appeared)}")
    tree = ast.parse(source)
    statement = _innermost_statement(tree, finding)
    if statement is None:
        return [*problems, "the finding is in no statement"]
    first_line, last_line = _object_use_span(tree, statement)
    region = (
        old_offsets.offset(first_line, 0),
        old_offsets.offset(last_line + 1, 0) if last_line < len(old_offsets.line_starts) else len(source),
    )
    for edit in edits:
        start, end = old_offsets.offset(edit.line, edit.column), old_offsets.offset(edit.end_line, edit.end_column)
        inside = region[0] <= start and end <= region[1]
        if suppression:
            inside = edit.line == edit.end_line == finding.line
        if not inside and not _is_header_insertion(edit):
            problems.append(f"edit outside the statement and the header: {edit}")
    return problems
