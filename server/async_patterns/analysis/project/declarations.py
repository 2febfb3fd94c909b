"""What one module declares that other modules may need: its names, functions, classes, their
annotations and attributes. Plain data (JSON-able), built from the module's syntax tree alone.

Types are kept as the source text of the annotation or value that gives them (`"Path | None"`,
`"Database(path)"`) and evaluated only when another module asks, in this module's own names: what
they mean may depend on modules that change later.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterator

from async_patterns.analysis.names import Scope, _statements, collect_bindings, functions_rebinding_globals
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.project.layout import make_imports_absolute
from async_patterns.analysis.worker_threads import runs_in_worker_thread

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_PROPERTIES = frozenset({"property", "functools.cached_property", "cached_property", "builtins.property"})
# A type given by an annotation, or by the value assigned (evaluated as an expression).
ANNOTATION, VALUE = "a", "v"


@dataclass
class FunctionDeclaration:
    is_async: bool
    is_generator: bool
    returns: str | None
    decorators: list[str]
    is_property: bool = False
    is_static: bool = False
    # The body only says it is not written here: `...`, `pass`, a docstring or `raise NotImplementedError`.
    is_stub: bool = False
    # A thread runner's decorator (known, or a `thread-decorators` pattern) runs it on a worker thread.
    runs_in_thread: bool = False


@dataclass
class ClassDeclaration:
    bases: list[str]
    # attribute -> [(ANNOTATION or VALUE, source text)], from the class body and `self.x = ...` in methods.
    attributes: dict[str, list[tuple[str, str]]]
    methods: dict[str, FunctionDeclaration]


@dataclass
class ModuleDeclarations:
    # name -> [qualname, type, definition] of the module's own scope (imports made absolute).
    bindings: dict[str, list[str | None]]
    functions: dict[str, FunctionDeclaration] = field(default_factory=dict)
    classes: dict[str, ClassDeclaration] = field(default_factory=dict)
    # module-level names -> how each assignment gives its type.
    variables: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def module_scope(tree: ast.Module, module: str, package: bool) -> Scope:
    """The module's own names, imports made absolute (`from ..db import x` in `app.web.views`)."""
    scope = Scope(ast.Module(body=[], type_ignores=[]), is_async=False, parent=None)
    collect_bindings(scope, tree.body)
    make_imports_absolute(scope, module, package)
    return scope


def declarations_of(
    tree: ast.Module, module: str, package: bool, thread_decorators: tuple[str, ...] = (), source: str | None = None
) -> ModuleDeclarations:
    """With the module's `source`, what its text rules out (a `yield`, a `global`) is not looked for."""
    scope = module_scope(tree, module, package)
    lines = source.split("\n") if source is not None else None
    declared = ModuleDeclarations(
        {name: [binding.qualname, binding.type, binding.definition] for name, binding in scope.bindings.items()}
    )
    for statement in _statements(tree.body):
        if isinstance(statement, _FUNCTIONS):
            declared.functions[statement.name] = _function(statement, scope, thread_decorators, lines)
        elif isinstance(statement, ast.ClassDef):
            declared.classes[statement.name] = _class(statement, scope, thread_decorators, lines)
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name):
                declared.variables.setdefault(target.id, []).append((VALUE, ast.unparse(statement.value)))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            declared.variables.setdefault(statement.target.id, []).append((ANNOTATION, ast.unparse(statement.annotation)))
    # A function that declares a name `global` may bind it to anything: its type is unknown.
    index = LineIndex(lines) if lines is not None else None
    for function in functions_rebinding_globals(tree.body, index) if source is None or "global" in source else ():
        for statement in ast.walk(function):
            if isinstance(statement, ast.Global):
                for name in statement.names:
                    declared.variables.setdefault(name, []).append((VALUE, ""))
    return declared


def own_nodes(function: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function's body that run when it runs (not those of nested functions or classes)."""
    pending = list(ast.iter_child_nodes(function))
    while pending:
        node = pending.pop()
        yield node
        if not isinstance(node, _NESTED):
            pending.extend(ast.iter_child_nodes(node))


def _decorator_names(function: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> list[str]:
    names = []
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualname = scope.qualname_of(target)
        names.append(qualname or ast.unparse(target))
    return names


def _is_stub(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for statement in function.body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring or `...`
        if isinstance(statement, ast.Raise):
            continue
        return False
    return True


def _function(
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    scope: Scope,
    thread_decorators: tuple[str, ...],
    lines: list[str] | None,
) -> FunctionDeclaration:
    decorators = _decorator_names(function, scope)
    text_yields = lines is None or any(
        "yield" in line for line in lines[function.lineno - 1 : function.end_lineno or function.lineno]
    )
    # Only the function's own statements: a `yield` in a nested function is that function's.
    is_generator = text_yields and any(isinstance(node, (ast.Yield, ast.YieldFrom)) for node in own_nodes(function))
    return FunctionDeclaration(
        is_async=isinstance(function, ast.AsyncFunctionDef),
        is_generator=is_generator,
        returns=ast.unparse(function.returns) if function.returns is not None else None,
        decorators=decorators,
        is_property=any(name in _PROPERTIES or name.endswith(".cached_property") for name in decorators),
        is_static=any(name in ("staticmethod", "builtins.staticmethod") for name in decorators),
        is_stub=_is_stub(function),
        runs_in_thread=runs_in_worker_thread(function, scope, thread_decorators),
    )


def _class(node: ast.ClassDef, scope: Scope, thread_decorators: tuple[str, ...], lines: list[str] | None) -> ClassDeclaration:
    methods: dict[str, FunctionDeclaration] = {}
    attributes: dict[str, list[tuple[str, str]]] = {}
    for statement in _statements(node.body):
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    attributes.setdefault(target.id, []).append((VALUE, ast.unparse(statement.value)))
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            attributes.setdefault(statement.target.id, []).append((ANNOTATION, ast.unparse(statement.annotation)))
        elif isinstance(statement, _FUNCTIONS):
            methods[statement.name] = _function(statement, scope, thread_decorators, lines)
            for attribute, given in _instance_attributes(statement):
                attributes.setdefault(attribute, []).append(given)
    return ClassDeclaration([ast.unparse(base) for base in node.bases], attributes, methods)


def _instance_attributes(method: ast.FunctionDef | ast.AsyncFunctionDef) -> Iterator[tuple[str, tuple[str, str]]]:
    """`self.x = value` and `self.x: T = ...` in a method; `self.x = param` takes the parameter's annotation."""
    positional = [*method.args.posonlyargs, *method.args.args]
    if not positional:
        return
    instance = positional[0].arg
    parameters = [*positional[1:], *method.args.kwonlyargs, *filter(None, (method.args.vararg, method.args.kwarg))]
    annotated = {argument.arg: argument.annotation for argument in parameters if argument.annotation is not None}
    local_names: set[str] | None = None  # found when first needed: most values name no variable
    for statement in _statements(method.body):
        if isinstance(statement, ast.Assign):
            targets, annotation, value = statement.targets, None, statement.value
        elif isinstance(statement, ast.AnnAssign):
            targets, annotation, value = [statement.target], statement.annotation, statement.value
        else:
            continue
        for target in targets:
            if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == instance):
                continue
            if annotation is not None:
                yield target.attr, (ANNOTATION, ast.unparse(annotation))
            elif isinstance(value, ast.Name) and value.id in annotated:
                yield target.attr, (ANNOTATION, ast.unparse(annotated[value.id]))
            elif value is not None:
                named = {node.id for node in ast.walk(value) if isinstance(node, ast.Name)}
                if named and local_names is None:
                    local_names = {argument.arg for argument in parameters} | {
                        node.id for node in own_nodes(method) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
                    }
                # A value naming the method's own variables means nothing in the module's names: unknown.
                yield target.attr, (VALUE, "" if named & (local_names or set()) else ast.unparse(value))
