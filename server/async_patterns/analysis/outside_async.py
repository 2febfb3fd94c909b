"""`await`, `async for`, `async with` and async comprehensions in a module's own top-level code.

`ast.parse` accepts them anywhere; CPython's compiler refuses them outside `async def` ("'await'
outside function"), so such a file never runs. A Jupyter kernel compiles each cell with
`PyCF_ALLOW_TOP_LEVEL_AWAIT` and runs its top level on its event loop, so in a notebook they are
legal. This finds the first of them in a module's top level (class bodies included, function and
lambda bodies excluded), as the compiler would report it.
"""

from __future__ import annotations

import ast
import re
from typing import Iterable, Iterator

from async_patterns.analysis.findings import ParseProblem
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.word_lines import WordSearch, statements_naming

# `await`, or `async` other than in `async def` (whose own line says nothing about the code around).
_ASYNC_WORDS = WordSearch(("await", "async"), re.compile(r"\bawait\b|\basync\b(?!\s*def\b)"))
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp)
_ASYNC_STATEMENTS = {
    ast.AsyncFor: "'async for' outside async function",
    ast.AsyncWith: "'async with' outside async function",
}


def top_level_async_problem(statements: Iterable[ast.stmt], index: LineIndex) -> ParseProblem | None:
    """The compiler's error for the first async construct in module-level code, or None."""
    # Only code that names `await`, or `async` other than `async def`, can hold one: of functions,
    # the lines before their body.
    naming = statements_naming(statements, index, _ASYNC_WORDS, function_headers=True)
    first = min(_offenders(list(naming)), key=lambda found: (found[0].lineno, found[0].col_offset), default=None)  # type: ignore[attr-defined]
    if first is None:
        return None
    node, message = first
    line = node.lineno  # type: ignore[attr-defined]
    return ParseProblem(f"syntax error: {message}", line, index.codepoint_from_utf8(line, node.col_offset) + 1)  # type: ignore[attr-defined]


def _offenders(nodes: list[ast.AST]) -> Iterator[tuple[ast.AST, str]]:
    stack = nodes
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Await):
            yield node, "'await' outside function"
        elif type(node) in _ASYNC_STATEMENTS:
            yield node, _ASYNC_STATEMENTS[type(node)]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            stack.extend(_evaluated_at_definition(node))
        elif isinstance(node, ast.GeneratorExp):
            # An async generator expression is legal anywhere; only its first iterable runs here.
            stack.append(node.generators[0].iter)
        elif isinstance(node, _COMPREHENSIONS):
            if _is_async_comprehension(node):
                yield node, "asynchronous comprehension outside of an asynchronous function"
            stack.append(node.generators[0].iter)
        else:
            stack.extend(ast.iter_child_nodes(node))


def _evaluated_at_definition(function: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> Iterator[ast.AST]:
    arguments = function.args
    yield from arguments.defaults
    yield from (default for default in arguments.kw_defaults if default is not None)
    if isinstance(function, ast.Lambda):
        return
    yield from function.decorator_list
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
    yield from (argument.annotation for argument in every if argument is not None and argument.annotation is not None)
    if function.returns is not None:
        yield function.returns


def _is_async_comprehension(node: ast.ListComp | ast.SetComp | ast.DictComp) -> bool:
    """`async for` in it, or an `await` in the part that runs in the comprehension's own scope."""
    if any(generator.is_async for generator in node.generators):
        return True
    own_scope: list[ast.AST] = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
    for number, generator in enumerate(node.generators):
        own_scope += [generator.target, *generator.ifs]
        if number:
            own_scope.append(generator.iter)
    stack = own_scope
    while stack:
        inner = stack.pop()
        if isinstance(inner, ast.Await) or (isinstance(inner, _COMPREHENSIONS) and _is_async_comprehension(inner)):
            return True
        if not isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.GeneratorExp, *_COMPREHENSIONS)):
            stack.extend(ast.iter_child_nodes(inner))
    return False
