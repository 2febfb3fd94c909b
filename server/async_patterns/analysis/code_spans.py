"""How a finding's message names code: every message begins with a short code span naming the call or
construct it is about (`loop.create_task()`, `except BaseException`, `async def fetch()`).

Editors show messages as plain text, backticks and all (VS Code's Problems panel does), so a span
is kept short: calls lose their arguments and long names their leading parts.
"""

from __future__ import annotations

import ast
import copy

# The longest code span a message holds, backticks included: a longer one buries the sentence.
SPAN_LIMIT = 40
_ELLIPSIS = "…"
_LEAVING_KEYWORDS = {ast.Return: "return", ast.Break: "break", ast.Continue: "continue", ast.Raise: "raise"}


def code_span(code: str) -> str:
    """`code` in backticks, shortened to fit SPAN_LIMIT: a dotted name keeps its last parts
    (`…completions.create()`), anything else its beginning (`while state.pending > 0 and…`)."""
    room = SPAN_LIMIT - len("``")
    if len(code) <= room:
        return f"`{code}`"
    room -= len(_ELLIPSIS)
    if " " not in code:
        for position, character in enumerate(code):
            rest = code[position + 1 :]
            if character == "." and rest[:1].isidentifier() and len(rest) <= room:
                return f"`{_ELLIPSIS}{rest}`"
    kept = code[:room]
    if " " in kept:
        kept = kept.rsplit(" ", 1)[0]  # whole words only
    return f"`{kept}{_ELLIPSIS}`"


def written(expr: ast.expr) -> str:
    """An expression as written, without what makes it long: calls without their arguments
    (`asyncio.get_running_loop().create_task()`), a subscript other than a name or a constant as
    `[...]`."""
    return ast.unparse(_WithoutArguments().visit(copy.deepcopy(expr)))


class _WithoutArguments(ast.NodeTransformer):
    def visit_Call(self, node: ast.Call) -> ast.Call:
        return ast.Call(self.visit(node.func), [], [])

    def visit_Subscript(self, node: ast.Subscript) -> ast.Subscript:
        index = node.slice if isinstance(node.slice, (ast.Name, ast.Constant)) else ast.Constant(...)
        return ast.Subscript(self.visit(node.value), index, node.ctx)


def expression_span(expr: ast.expr) -> str:
    """An expression as written, as a code span: `loop.create_task()`, `self._lock`."""
    return code_span(written(expr))


def handler_span(try_node: ast.Try, handler: ast.ExceptHandler) -> str:
    """`except asyncio.CancelledError`, `except* OSError`, `except:`."""
    keyword = "except*" if type(try_node).__name__ == "TryStar" else "except"
    return code_span(f"{keyword} {written(handler.type)}" if handler.type is not None else f"{keyword}:")


def leaving_span(statement: ast.stmt) -> str:
    """A statement that leaves a block: `return`, `break`, `continue`, `raise TimeoutError()`."""
    keyword = _LEAVING_KEYWORDS[type(statement)]
    exception = statement.exc if isinstance(statement, ast.Raise) else None
    return code_span(f"{keyword} {written(exception)}" if exception is not None else keyword)


def yield_span(node: ast.Yield | ast.YieldFrom) -> str:
    """`yield row`, `yield from items`, `yield`."""
    keyword = "yield from" if isinstance(node, ast.YieldFrom) else "yield"
    return code_span(f"{keyword} {written(node.value)}" if node.value is not None else keyword)


def with_span(block: ast.With | ast.AsyncWith) -> str:
    """`with open()`, `async with pool.acquire()`: a block by its first context manager."""
    keyword = "async with" if isinstance(block, ast.AsyncWith) else "with"
    return code_span(f"{keyword} {written(block.items[0].context_expr)}")
