"""What name is under the cursor: the qualified name hover documentation is looked up by.

Resolved through imports and aliases (`import asyncio as aio`, `from asyncio import gather as g`)
and through values whose class the code shows: `q = asyncio.Queue()` then `q.get` is
`asyncio.Queue.get`; `async with asyncio.TaskGroup() as tg` then `tg.create_task` is
`asyncio.TaskGroup.create_task`; a parameter annotated `session: aiohttp.ClientSession`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import lru_cache

from async_patterns.analysis import parse
from async_patterns.analysis.findings import ParseProblem
from async_patterns.analysis.names import Scope, bind_parameters, collect_bindings
from async_patterns.analysis.positions import LineIndex, split_lines

# Calls whose result is an instance of another class than the callee's name says.
_FACTORY_RESULTS = {
    "asyncio.create_task": "asyncio.Task",
    "asyncio.ensure_future": "asyncio.Task",
    "asyncio.timeout": "asyncio.Timeout",
    "asyncio.timeout_at": "asyncio.Timeout",
    "asyncio.get_running_loop": "asyncio.AbstractEventLoop",
    "asyncio.get_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.new_event_loop": "asyncio.AbstractEventLoop",
    "asyncio.start_server": "asyncio.Server",
    "asyncio.create_subprocess_exec": "asyncio.subprocess.Process",
    "asyncio.create_subprocess_shell": "asyncio.subprocess.Process",
}
# Methods whose result type is known, by the receiver's class.
_METHOD_RESULTS = {
    **{("asyncio.TaskGroup", "create_task"): "asyncio.Task", ("asyncio.AbstractEventLoop", "create_task"): "asyncio.Task"},
    **{
        ("aiohttp.ClientSession", verb): "aiohttp.ClientResponse"
        for verb in ("get", "post", "put", "patch", "delete", "head", "options", "request")
    },
    ("aiohttp.ClientSession", "ws_connect"): "aiohttp.ClientWebSocketResponse",
}


@dataclass(frozen=True, slots=True)
class Symbol:
    """A resolved name and where it stands (1-based line, code-point columns)."""

    qualname: str
    line: int
    column: int
    end_column: int


def _contains(node: ast.AST, line: int, byte_column: int) -> bool:
    start = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    end = (node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    return start <= (line, byte_column) <= end


def _name_at(tree: ast.Module, line: int, byte_column: int) -> tuple[ast.AST | None, list[ast.AST]]:
    """The innermost Name, Attribute or imported name under the position, and the functions around it."""
    functions: list[ast.AST] = []
    found: ast.AST | None = None
    imported_from: dict[int, str] = {}
    nodes: list[ast.AST] = list(tree.body)
    while nodes:
        node = nodes.pop()
        if not hasattr(node, "lineno"):  # withitem, arguments, comprehension: no position of their own
            nodes.extend(ast.iter_child_nodes(node))
            continue
        if not _contains(node, line, byte_column):
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            functions.append(node)
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported_from.update((id(alias), node.module) for alias in node.names)
        if isinstance(node, (ast.Name, ast.Attribute)):
            found = node
        elif isinstance(node, ast.alias):
            module = imported_from.get(id(node))
            found = ast.Constant(f"{module}.{node.name}" if module else node.name)
            ast.copy_location(found, node)
        nodes = list(ast.iter_child_nodes(node))
    return found, functions


def _scope_at(module: Scope, functions: list[ast.AST]) -> Scope:
    scope = module
    for function in functions:
        scope = Scope(function, is_async=isinstance(function, ast.AsyncFunctionDef), parent=scope)
        bind_parameters(scope, function.args)  # type: ignore[attr-defined]
        body = function.body  # type: ignore[attr-defined]
        if isinstance(body, list):
            collect_bindings(scope, body)
    return scope


# A line that starts a top-level statement: anything at column 0 but blanks, comments and the
# closing brackets of a statement that began above.
_TOP_LEVEL_START = re.compile(r"[^\s#)\]}]")
_MODULE_BINDING = re.compile(
    r"^(?:from\s[^\n(]*\([^)]*\)|(?:import|from)\s.*|[A-Za-z_]\w*[ \t]*(?::[^=\n]*)?=(?!=).*)", re.MULTILINE
)


_WIDENINGS = 3


def _unit_bounds(lines: list[str], line: int) -> tuple[int, int]:
    """0-based [start, end) of the top-level statement around a 1-based line, by indentation."""
    start = line - 1
    while start > 0 and not _TOP_LEVEL_START.match(lines[start]):
        start -= 1
    while start > 0 and lines[start - 1].startswith("@"):
        start -= 1
    end = line
    while end < len(lines) and not _TOP_LEVEL_START.match(lines[end]):
        end += 1
    return start, end


@lru_cache(maxsize=4)
def _module_statements(source: str) -> tuple[ast.stmt, ...]:
    """Top-level imports and assignments, each parsed on its own so one broken line costs nothing.

    Cached by text: hovering again over an unchanged document costs a dictionary lookup.
    """
    statements: list[ast.stmt] = []
    for match in _MODULE_BINDING.finditer(source):
        tree = parse(match.group())
        if not isinstance(tree, ParseProblem):
            statements.extend(tree.body)
    return tuple(statements)


def _resolution_context(source: str, line: int) -> tuple[ast.Module, int, Scope] | None:
    """A tree holding the cursor, its first line's offset in the document, and the module scope.

    Only the statement around the cursor is parsed (plus the module's imports and assignments),
    which keeps hovers fast in large files and working while another part has a syntax error.
    """
    lines = split_lines(source)
    start, end = _unit_bounds(lines, line)
    module = Scope(None, is_async=False, parent=None)  # type: ignore[arg-type]
    # A continuation line at column 0 splits a statement: widen to the next statement start a few times.
    for _ in range(_WIDENINGS):
        unit = parse("\n".join(lines[start:end]))
        if not isinstance(unit, ParseProblem):
            collect_bindings(module, _module_statements(source))
            return unit, start, module
        if end >= len(lines):
            break
        end = _unit_bounds(lines, end + 1)[1]
    whole = parse(source)
    if isinstance(whole, ParseProblem):
        return None
    collect_bindings(module, whole.body)
    return whole, 0, module


def _class_of_call(call: ast.expr, scope: Scope) -> str | None:
    if isinstance(call, ast.Await):
        call = call.value
    if not isinstance(call, ast.Call):
        return None
    qualname = scope.qualname_of(call.func)
    if qualname is not None:
        if qualname in _FACTORY_RESULTS:
            return _FACTORY_RESULTS[qualname]
        # A call of a capitalised name makes an instance of that class.
        return qualname if qualname.rpartition(".")[2][:1].isupper() else None
    if isinstance(call.func, ast.Attribute):
        receiver = _class_of_value(call.func.value, scope)
        return _METHOD_RESULTS.get((receiver, call.func.attr)) if receiver else None
    return None


def _class_of_name(name: str, scope: Scope) -> str | None:
    """The class a local name was made from: its assignment, `with` target or annotation."""
    known = scope.type_of(ast.Name(id=name))
    if known is not None:
        return known
    current: Scope | None = scope
    while current is not None:
        function = current.node
        arguments = getattr(function, "args", None)
        if isinstance(arguments, ast.arguments):
            for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
                if argument.arg == name and argument.annotation is not None:
                    return (current.parent or current).qualname_of(argument.annotation)
        body = getattr(function, "body", [])
        for node in ast.walk(ast.Module(body=body if isinstance(body, list) else [], type_ignores=[])):
            if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == name for target in node.targets
            ):
                return _class_of_call(node.value, current)
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name:
                return current.qualname_of(node.annotation) or (
                    _class_of_call(node.value, current) if node.value else None
                )
            if isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if isinstance(item.optional_vars, ast.Name) and item.optional_vars.id == name:
                        return _class_of_call(item.context_expr, current)
        if name in current.bindings:
            return None
        current = current.parent
    return None


def _class_of_value(expr: ast.expr, scope: Scope) -> str | None:
    if isinstance(expr, ast.Name):
        return _class_of_name(expr.id, scope)
    # `client.chat.completions`: an attribute whose type the resolver's tables know.
    return _class_of_call(expr, scope) or scope.type_of(expr)


def _resolve(node: ast.expr, scope: Scope) -> str | None:
    qualname = scope.qualname_of(node)
    if qualname is not None or not isinstance(node, ast.Attribute):
        return qualname
    receiver = _class_of_value(node.value, scope)
    return f"{receiver}.{node.attr}" if receiver else None


def symbol_at(source: str, line: int, column: int) -> Symbol | None:
    """The symbol at a 1-based line and code-point column, or None."""
    context = _resolution_context(source, line)
    if context is None:
        return None
    tree, offset, module = context
    index = LineIndex.of(source)
    text = index.line_text(line)
    byte_column = len(text[:column].encode("utf-8"))
    node, functions = _name_at(tree, line - offset, byte_column)
    if node is None:
        return None
    if isinstance(node, ast.Constant):  # a name in an import statement: already qualified
        hovered_line = node.lineno + offset
        start = index.codepoint_from_utf8(hovered_line, node.col_offset)
        return Symbol(node.value, hovered_line, start, index.codepoint_from_utf8(hovered_line, node.end_col_offset))
    qualname = _resolve(node, _scope_at(module, functions))
    if qualname is None:
        return None
    if isinstance(node, ast.Attribute):
        hovered_line = (node.end_lineno or node.lineno) + offset
        end = index.codepoint_from_utf8(hovered_line, node.end_col_offset or 0)
        start = end - len(node.attr)
    else:
        hovered_line = node.lineno + offset
        start = index.codepoint_from_utf8(hovered_line, node.col_offset)
        end = start + len(node.id)
    return Symbol(qualname.removeprefix("builtins."), hovered_line, start, end)
