"""The call one line of code consists of: where a fix can be offered for a line known from elsewhere
(a loop stall recorded at run time), without analysing the module around it."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from async_patterns.analysis import parse
from async_patterns.analysis.names import dotted_name
from async_patterns.analysis.positions import LineIndex

# Statements whose value is what they do: `f(x)`, `y = f(x)`, `y: T = f(x)`, `y += f(x)`, `return f(x)`.
_VALUE_STATEMENTS = (ast.Expr, ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Return)


@dataclass(frozen=True, slots=True)
class LineCall:
    """The call's code-point columns in the line, and the callee as written (`json.loads`)."""

    column: int
    end_column: int
    callee: str


def plain_call_on_line(line_text: str) -> LineCall | None:
    """The call a line is, when the line is one whole statement that only calls a named function
    (maybe keeping the result); None for anything else (an `await`, a condition, a continued line)."""
    code = line_text.strip()
    if not code:
        return None
    tree = parse(code)
    if isinstance(tree, ast.Module) and len(tree.body) == 1 and isinstance(tree.body[0], _VALUE_STATEMENTS):
        call = tree.body[0].value
        callee = dotted_name(call.func) if isinstance(call, ast.Call) else None
        if callee is not None:
            assert isinstance(call, ast.Call)
            indent = len(line_text) - len(line_text.lstrip())
            stripped = LineIndex([code])
            return LineCall(
                indent + stripped.codepoint_from_utf8(1, call.col_offset),
                indent + stripped.codepoint_from_utf8(1, call.end_col_offset or len(code)),
                callee,
            )
    return None
