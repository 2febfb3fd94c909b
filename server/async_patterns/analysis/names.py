"""A light resolver for names, imports and receiver types, on `ast`, one scope at a time.

It knows what the code says and nothing else: imports and aliases, assignments, annotations and
`with ... as` targets in the same scope, and pytest's path fixtures. A name bound to two different
things in one scope is unknown, so rules that depend on it stay quiet. Scopes form a stack: a nested
sync `def` or a `lambda` inside an `async def` is a scope of its own that is not async.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from async_patterns.analysis import catalogue

_BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass(frozen=True, slots=True)
class Binding:
    """What a name is bound to: an imported module/object (`qualname`), a value of a known type
    (`type`), or something else (both None) which hides any import of the same name."""

    qualname: str | None = None
    type: str | None = None


UNKNOWN = Binding()


def _canonical(qualname: str) -> str:
    head, _, rest = qualname.partition(".")
    alias = catalogue.MODULE_ALIASES.get(head)
    return f"{alias}.{rest}" if alias and rest else (alias or qualname)


@dataclass(slots=True)
class Scope:
    node: ast.AST
    is_async: bool
    parent: Scope | None
    bindings: dict[str, Binding] = field(default_factory=dict)

    def bind(self, name: str, binding: Binding) -> None:
        previous = self.bindings.get(name)
        self.bindings[name] = binding if previous is None or previous == binding else UNKNOWN

    def lookup(self, name: str) -> Binding | None:
        scope: Scope | None = self
        while scope is not None:
            found = scope.bindings.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None

    # -- resolution -------------------------------------------------------------------------------

    def qualname_of(self, expr: ast.expr) -> str | None:
        """The dotted name an expression refers to through imports ("time.sleep"), or None."""
        if isinstance(expr, ast.Name):
            binding = self.lookup(expr.id)
            if binding is None:
                return f"builtins.{expr.id}" if expr.id in _BUILTIN_NAMES else None
            return binding.qualname
        if isinstance(expr, ast.Attribute):
            base = self.qualname_of(expr.value)
            return f"{base}.{expr.attr}" if base else None
        return None

    def type_of(self, expr: ast.expr) -> str | None:
        """The type of the value an expression evaluates to, when the code makes it certain."""
        if isinstance(expr, ast.Name):
            binding = self.lookup(expr.id)
            return binding.type if binding else None
        if isinstance(expr, ast.Call):
            func = expr.func
            qualname = self.qualname_of(func)
            if qualname is not None:
                return catalogue.CONSTRUCTOR_TYPES.get(qualname)
            if isinstance(func, ast.Attribute):
                receiver = self.type_of(func.value)
                if receiver is not None:
                    return catalogue.METHOD_RETURN_TYPES.get((receiver, func.attr))
            return None
        if isinstance(expr, ast.Attribute):
            receiver = self.type_of(expr.value)
            return catalogue.ATTRIBUTE_TYPES.get((receiver, expr.attr)) if receiver else None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            left = self.type_of(expr.left)
            return left if left == catalogue.PATH else None
        if isinstance(expr, ast.IfExp):
            body = self.type_of(expr.body)
            return body if body == self.type_of(expr.orelse) else None
        if isinstance(expr, ast.NamedExpr):
            return self.type_of(expr.value)
        if isinstance(expr, ast.Await) and isinstance(expr.value, ast.Call):
            qualname = self.qualname_of(expr.value.func)
            return catalogue.AWAITED_TYPES.get(qualname) if qualname else None
        return None

    def unpacked_types(self, value: ast.expr, count: int) -> tuple[str, ...] | None:
        """The types of the values `a, b = await asyncio.open_connection(...)` unpacks, when known."""
        if not (isinstance(value, ast.Await) and isinstance(value.value, ast.Call)):
            return None
        qualname = self.qualname_of(value.value.func)
        types = catalogue.AWAITED_TUPLE_TYPES.get(qualname) if qualname else None
        return types if types is not None and len(types) == count else None

    def annotation_type(self, annotation: ast.expr | None) -> str | None:
        if annotation is None:
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return None
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            # `Path | None`: the value is a Path wherever it is used as one.
            types = {self.annotation_type(annotation.left), self.annotation_type(annotation.right)} - {None}
            return types.pop() if len(types) == 1 else None
        if isinstance(annotation, ast.Subscript):
            wrapper = self.qualname_of(annotation.value)
            if wrapper == "typing.Optional":
                return self.annotation_type(annotation.slice)
            # A generic such as `queue.Queue[str]` or `typing.IO[bytes]` is still that type.
            return catalogue.ANNOTATION_TYPES.get(wrapper) if wrapper else None
        qualname = self.qualname_of(annotation)
        return catalogue.ANNOTATION_TYPES.get(qualname) if qualname else None


def dotted_name(expr: ast.expr) -> str | None:
    """The callee as written ("self.db.query"), for user-configured patterns."""
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if not isinstance(expr, ast.Name):
        return None
    parts.append(expr.id)
    return ".".join(reversed(parts))


# -- collecting a scope's bindings ------------------------------------------------------------------

_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _import_bindings(node: ast.Import | ast.ImportFrom) -> Iterator[tuple[str, Binding]]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                yield alias.asname, Binding(qualname=_canonical(alias.name))
            else:
                top = alias.name.partition(".")[0]
                yield top, Binding(qualname=_canonical(top))
        return
    module = "." * node.level + (node.module or "")
    for alias in node.names:
        if alias.name == "*":
            continue
        qualname = _canonical(f"{module}.{alias.name}") if module else alias.name
        yield alias.asname or alias.name, Binding(qualname=qualname)


def _target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _statements(body: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of one scope, through compound statements but not into nested scopes."""
    for statement in body:
        yield statement
        if isinstance(statement, _NESTED_SCOPES):
            continue
        for name in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(statement, name, ()))
        for handler in getattr(statement, "handlers", ()):
            yield handler  # type: ignore[misc]
            yield from _statements(handler.body)
        for case in getattr(statement, "cases", ()):
            yield from _statements(case.body)


def collect_bindings(scope: Scope, body: Iterable[ast.stmt]) -> None:
    """Bind every name the statements of one scope assign, in source order."""
    for statement in _statements(body):
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for name, binding in _import_bindings(statement):
                scope.bind(name, binding)
        elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            scope.bind(statement.name, UNKNOWN)
        elif isinstance(statement, ast.Assign):
            value_type = scope.type_of(statement.value)
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    scope.bind(target.id, Binding(type=value_type))
                elif _bind_unpacked(scope, target, statement.value):
                    continue
                else:
                    for name in _target_names(target):
                        scope.bind(name, UNKNOWN)
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            declared = scope.annotation_type(statement.annotation)
            if declared is None and statement.value is not None:
                declared = scope.type_of(statement.value)
            scope.bind(statement.target.id, Binding(type=declared))
        elif isinstance(statement, (ast.For, ast.AsyncFor)):
            for name in _target_names(statement.target):
                scope.bind(name, UNKNOWN)
        elif isinstance(statement, ast.With):
            for item in statement.items:
                if item.optional_vars is None:
                    continue
                managed = scope.type_of(item.context_expr)
                bound_type = managed if managed in catalogue.CONTEXT_MANAGER_SELF else None
                if isinstance(item.optional_vars, ast.Name):
                    scope.bind(item.optional_vars.id, Binding(type=bound_type))
                else:
                    for name in _target_names(item.optional_vars):
                        scope.bind(name, UNKNOWN)
        elif isinstance(statement, ast.AsyncWith):
            for item in statement.items:
                if item.optional_vars is not None:
                    for name in _target_names(item.optional_vars):
                        scope.bind(name, UNKNOWN)
        elif isinstance(statement, ast.ExceptHandler) and statement.name:
            scope.bind(statement.name, UNKNOWN)


def _bind_unpacked(scope: Scope, target: ast.expr, value: ast.expr) -> bool:
    if not isinstance(target, ast.Tuple) or not all(isinstance(element, ast.Name) for element in target.elts):
        return False
    types = scope.unpacked_types(value, len(target.elts))
    if types is None:
        return False
    for element, element_type in zip(target.elts, types):
        scope.bind(element.id, Binding(type=element_type))  # type: ignore[attr-defined]
    return True


def bind_parameters(scope: Scope, arguments: ast.arguments) -> None:
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg is not None]
    for argument in every:
        declared = scope.parent.annotation_type(argument.annotation) if scope.parent else None
        if declared is None and argument.annotation is None:
            declared = catalogue.FIXTURE_TYPES.get(argument.arg)
        if argument in (arguments.vararg, arguments.kwarg):
            declared = None
        scope.bind(argument.arg, Binding(type=declared))
