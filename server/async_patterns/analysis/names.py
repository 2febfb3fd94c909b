"""A light resolver for names, imports and receiver types, on `ast`, one scope at a time.

It knows what the code says and nothing else: imports and aliases, assignments, annotations and
`with ... as` targets in the same scope, and pytest's path fixtures. A name bound to two different
things in one scope is unknown, so rules that depend on it stay quiet; an annotated name is what its
latest annotation before the use says (type checkers hold a name to its declared type). Scopes form
a stack: a nested sync `def` or a `lambda` inside an `async def` is a scope of its own that is not
async. A function's `global` assignments rebind the module's name.
"""

from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

from async_patterns.analysis import catalogue
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.word_lines import WordSearch, statements_naming

if TYPE_CHECKING:
    from async_patterns.analysis.project.view import ProjectView

_BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass(frozen=True, slots=True)
class Binding:
    """What a name is bound to: an imported module/object (`qualname`), a value of a known type
    (`type`), a function or class the module itself defines (`definition`, its name; only in a
    module's own scope), or something else (all None) which hides any import of the same name."""

    qualname: str | None = None
    type: str | None = None
    definition: str | None = None


UNKNOWN = Binding()


def _canonical(qualname: str) -> str:
    head, _, rest = qualname.partition(".")
    alias = catalogue.MODULE_ALIASES.get(head)
    return f"{alias}.{rest}" if alias and rest else (alias or qualname)


# Where a declaration takes effect (the end of the annotated statement), and the type it declares.
Declaration = tuple[tuple[int, int], "str | None"]


@dataclass(slots=True)
class Scope:
    node: ast.AST
    is_async: bool
    parent: Scope | None
    bindings: dict[str, Binding] = field(default_factory=dict)
    # Annotated names: every annotation in source order (parameters first).
    declarations: dict[str, list[Declaration]] = field(default_factory=dict)
    # What the rest of the project says about names this module imports (None: this module alone).
    project: ProjectView | None = None

    def __post_init__(self) -> None:
        if self.project is None and self.parent is not None:
            self.project = self.parent.project

    def bind(self, name: str, binding: Binding) -> None:
        previous = self.bindings.get(name)
        self.bindings[name] = binding if previous is None or previous == binding else UNKNOWN

    def declare(self, name: str, where: ast.AST, declared: str | None) -> None:
        """`name: X` at `where`: from the end of that statement on, the name holds an X."""
        end = (where.end_lineno or where.lineno, where.end_col_offset or 0)  # type: ignore[attr-defined]
        self.declarations.setdefault(name, []).append((end, declared))
        self.bind(name, Binding(type=declared))

    def _declared_type_at(self, name: ast.Name) -> tuple[bool, str | None]:
        """(True, type) when an annotation in this scope decides what `name` holds where it is used."""
        declarations = self.declarations.get(name.id)
        if not declarations or not hasattr(name, "lineno"):
            return False, None
        used_at = (name.lineno, name.col_offset)
        before = [declared for end, declared in declarations if end <= used_at]
        return (True, before[-1]) if before else (False, None)

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

    def project_qualname_of(self, expr: ast.expr) -> str | None:
        """Like `qualname_of`, but a function or class this module defines is named too, as
        `<module>.<name>` (only with a project: the module's name is known then)."""
        if self.project is None:
            return None
        if isinstance(expr, ast.Name):
            binding = self.lookup(expr.id)
            if binding is None:
                return None
            if binding.definition is not None:
                return f"{self.project.module}.{binding.definition}"
            return binding.qualname
        if isinstance(expr, ast.Attribute):
            base = self.project_qualname_of(expr.value)
            return f"{base}.{expr.attr}" if base else None
        return None

    def type_of(self, expr: ast.expr) -> str | None:
        """The type of the value an expression evaluates to, when the code makes it certain."""
        if isinstance(expr, ast.Name):
            if expr.id in self.bindings:
                decided, declared = self._declared_type_at(expr)
                if decided:
                    return declared
            binding = self.lookup(expr.id)
            if binding is None:
                return None
            if binding.type or not binding.qualname:
                return binding.type
            known = catalogue.VALUE_TYPES.get(binding.qualname)
            return known or (self.project.global_type(binding.qualname) if self.project else None)
        if isinstance(expr, ast.Call):
            func = expr.func
            qualname = self.qualname_of(func)
            if qualname in catalogue.OPENS_FIRST_ARGUMENT and expr.args:
                if self.type_of(expr.args[0]) == catalogue.IN_MEMORY_BUFFER:
                    return catalogue.IN_MEMORY_BUFFER
            if qualname is not None:
                conditional = catalogue.CONDITIONAL_CONSTRUCTOR_TYPES.get(qualname)
                known = self._first_holding(conditional, expr) or catalogue.CONSTRUCTOR_TYPES.get(qualname)
                return known or (self.project.call_type(qualname) if self.project else None)
            if isinstance(func, ast.Attribute):
                receiver = self.type_of(func.value)
                if receiver is not None:
                    key = (receiver, func.attr)
                    conditional = catalogue.CONDITIONAL_METHOD_RETURN_TYPES.get(key)
                    known = self._first_holding(conditional, expr) or catalogue.METHOD_RETURN_TYPES.get(key)
                    return known or (self.project.call_type(f"{receiver}.{func.attr}") if self.project else None)
                return None
            if self.project is not None:
                own = self.project_qualname_of(func)  # a class or function the module defines
                if own is not None:
                    return self.project.call_type(own)
            # A value that is itself called: `SessionLocal()` where `SessionLocal = sessionmaker(...)`.
            called = self.type_of(func)
            return catalogue.CALL_RESULT_TYPES.get(called) if called else None
        if isinstance(expr, ast.Attribute):
            receiver = self.type_of(expr.value)
            if receiver is not None:
                # "*": every attribute of an SDK's resource object is another resource (`chat.completions`).
                attributes = catalogue.ATTRIBUTE_TYPES
                known = attributes.get((receiver, expr.attr)) or attributes.get((receiver, "*"))
                return known or (self.project.attribute_type(receiver, expr.attr) if self.project else None)
            qualname = self.qualname_of(expr)  # a module-level object: `openai.chat`
            known = catalogue.VALUE_TYPES.get(qualname) if qualname else None
            return known or (self.project.global_type(qualname) if self.project and qualname else None)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Div):
            left = self.type_of(expr.left)
            return left if left == catalogue.PATH else None
        if isinstance(expr, ast.IfExp):
            body = self.type_of(expr.body)
            return body if body == self.type_of(expr.orelse) else None
        if isinstance(expr, ast.NamedExpr):
            return self.type_of(expr.value)
        if isinstance(expr, ast.Subscript):
            container = self.type_of(expr.value)
            return catalogue.SUBSCRIPT_TYPES.get(container) if container else None
        if isinstance(expr, ast.Await) and isinstance(expr.value, ast.Call):
            qualname = self.qualname_of(expr.value.func)
            offloaded = self._offloaded_call(expr.value, qualname)
            if offloaded is not None:
                return self.type_of(offloaded)
            return catalogue.AWAITED_TYPES.get(qualname) if qualname else None
        return None

    def _first_holding(self, candidates: tuple[catalogue.Made, ...] | None, call: ast.Call) -> str | None:
        """The type made by the first of a call's argument-dependent results whose condition holds."""
        for candidate in candidates or ():
            if candidate.when is not None and candidate.when.holds(call, self):
                return candidate.type
        return None

    def _offloaded_call(self, call: ast.Call, qualname: str | None) -> ast.Call | None:
        """`f(*args, **kwargs)` for `asyncio.to_thread(f, *args, **kwargs)` and
        `loop.run_in_executor(executor, f, *args)`: awaiting either gives what `f(...)` returns."""
        if qualname == "asyncio.to_thread":
            arguments, keywords = call.args, call.keywords
        elif (
            isinstance(call.func, ast.Attribute)
            and call.func.attr == "run_in_executor"
            and self.type_of(call.func.value) == catalogue.EVENT_LOOP
        ):
            arguments, keywords = call.args[1:], []
        else:
            return None
        if not arguments or isinstance(arguments[0], ast.Starred):
            return None
        return ast.Call(func=arguments[0], args=list(arguments[1:]), keywords=list(keywords))

    def unpacked_types(self, value: ast.expr, count: int) -> tuple[str, ...] | None:
        """The types of the values `a, b = await asyncio.open_connection(...)` unpacks, when known."""
        if not (isinstance(value, ast.Await) and isinstance(value.value, ast.Call)):
            return None
        qualname = self.qualname_of(value.value.func)
        types = catalogue.AWAITED_TUPLE_TYPES.get(qualname) if qualname else None
        return types if types is not None and len(types) == count else None

    def annotation_type(self, annotation: ast.expr | None) -> str | None:
        """The type an annotation gives, seeing through `Optional[X]`, `Union[X, None]`, `X | None`
        and quotes: where the value is used as an X, it is an X."""
        if annotation is None:
            return None
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value.strip(), mode="eval").body
            except SyntaxError:
                return None
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            return self._one_known_type([annotation.left, annotation.right])
        if isinstance(annotation, ast.Subscript):
            wrapper = self.qualname_of(annotation.value)
            if wrapper in _OPTIONAL:
                return self.annotation_type(annotation.slice)
            if wrapper in _UNION:
                members = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
                return self._one_known_type(members)
            # A generic such as `queue.Queue[str]` or `typing.IO[bytes]` is still that type.
            return catalogue.ANNOTATION_TYPES.get(wrapper) if wrapper else None
        qualname = self.qualname_of(annotation)
        known = catalogue.ANNOTATION_TYPES.get(qualname) if qualname else None
        if known is None and self.project is not None:
            own = self.project_qualname_of(annotation)
            return self.project.class_type(own) if own else None
        return known

    def _one_known_type(self, members: list[ast.expr]) -> str | None:
        """A union's type when its members of known type (`None` is none) all give the same one:
        `Path | None` is a Path wherever the value is used as one."""
        types = {self.annotation_type(member) for member in members} - {None}
        return types.pop() if len(types) == 1 else None


_OPTIONAL = frozenset({"typing.Optional", "typing_extensions.Optional"})
_UNION = frozenset({"typing.Union", "typing_extensions.Union"})


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

_GLOBAL_WORD = WordSearch.of(["global"])
# The statements that hold statements of the same scope.
_COMPOUND_STATEMENTS = frozenset(
    getattr(ast, name)
    for name in ("If", "For", "AsyncFor", "While", "With", "AsyncWith", "Try", "TryStar", "Match")
    if hasattr(ast, name)
)


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
        if not module:
            qualname = alias.name
        else:  # `from . import x` is ".x", `from .a import x` is ".a.x"
            qualname = _canonical(f"{module}{alias.name}" if module.endswith(".") else f"{module}.{alias.name}")
        yield alias.asname or alias.name, Binding(qualname=qualname)


def _target_names(target: ast.expr) -> Iterator[str]:
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _target_names(element)
    elif isinstance(target, ast.Starred):
        yield from _target_names(target.value)


def _statements(body: Iterable[ast.stmt]) -> list[ast.stmt]:
    """Statements of one scope, through compound statements but not into nested scopes (the `except`
    clauses too: they bind names)."""
    found: list[ast.stmt] = []
    _gather_statements(body, found)
    return found


def _gather_statements(body: Iterable[ast.stmt], found: list[ast.stmt]) -> None:
    # A list filled by recursion: generators nested as deep as the code cost a step per level per statement.
    for statement in body:
        found.append(statement)
        if type(statement) not in _COMPOUND_STATEMENTS:
            continue
        for name in ("body", "orelse", "finalbody"):
            _gather_statements(getattr(statement, name, ()), found)
        for handler in getattr(statement, "handlers", ()):
            found.append(handler)  # type: ignore[arg-type]
            _gather_statements(handler.body, found)
        for case in getattr(statement, "cases", ()):
            _gather_statements(case.body, found)


def collect_bindings(scope: Scope, body: Iterable[ast.stmt]) -> None:
    """Bind every name the statements of one scope assign, in source order (a name declared
    `global` or `nonlocal`, which Python requires before any assignment to it, binds another
    scope's name and is left out)."""
    _Binder(scope, only=None, positions=True, skips_declared=scope.parent is not None).bind_all(body)


def collect_global_rebindings(module: Scope, body: list[ast.stmt], index: LineIndex | None = None) -> None:
    """What functions assign to names they declare `global` rebinds the module's name."""
    for function in functions_rebinding_globals(body, index):
        declared = frozenset(
            name for statement in _statements(function.body) if isinstance(statement, ast.Global) for name in statement.names
        )
        # Typed in the module's scope: what the function's own names hold is not known there.
        _Binder(module, only=declared, positions=False, skips_declared=False).bind_all(function.body)


def functions_rebinding_globals(
    body: list[ast.stmt], index: LineIndex | None = None
) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions at any depth below these statements that declare a name `global` (they may
    rebind it), found in one pass over the statements (expressions cannot hold a `global`); with
    the text's `index`, only through the statements whose lines say `global`."""
    found: dict[int, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    statements = body if index is None else statements_naming(body, index, _GLOBAL_WORD)
    pending: list[tuple[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef | None]] = [(statement, None) for statement in statements]
    while pending:
        statement, function = pending.pop()
        if isinstance(statement, ast.Global) and function is not None:
            found[id(function)] = function
            continue
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            function = statement
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            pending.extend((inner, function) for inner in getattr(statement, name, ()))
    return sorted(found.values(), key=lambda function: (function.lineno, function.col_offset))


@dataclass(slots=True)
class _Binder:
    """Binds names into `scope`: only those in `only` when given; with `skips_declared`, not the
    names declared `global`/`nonlocal` so far. `positions` records where annotations take effect
    (not for a function's `global` names, whose positions say nothing about module code)."""

    scope: Scope
    only: frozenset[str] | None
    positions: bool
    skips_declared: bool
    declared_elsewhere: set[str] = field(default_factory=set)

    def keeps(self, name: str) -> bool:
        if self.only is not None:
            return name in self.only
        return name not in self.declared_elsewhere

    def bind(self, name: str, binding: Binding) -> None:
        if self.keeps(name):
            self.scope.bind(name, binding)

    def declare(self, name: str, where: ast.AST, declared: str | None) -> None:
        if not self.keeps(name):
            return
        if self.positions:
            self.scope.declare(name, where, declared)
        else:
            self.scope.bind(name, Binding(type=declared))

    def bind_all(self, body: Iterable[ast.stmt]) -> None:
        scope = self.scope
        for statement in _statements(body):
            if isinstance(statement, (ast.Global, ast.Nonlocal)):
                if self.skips_declared:
                    self.declared_elsewhere.update(statement.names)
            elif isinstance(statement, (ast.Import, ast.ImportFrom)):
                for name, binding in _import_bindings(statement):
                    self.bind(name, binding)
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                defined_here = scope.parent is None and self.only is None
                self.bind(statement.name, Binding(definition=statement.name) if defined_here else UNKNOWN)
            elif isinstance(statement, ast.Assign):
                value_type = scope.type_of(statement.value)
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        self.bind(target.id, Binding(type=value_type))
                    elif not self._bind_unpacked(target, statement.value):
                        for name in _target_names(target):
                            self.bind(name, UNKNOWN)
            elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                declared = scope.annotation_type(statement.annotation)
                if declared is None and statement.value is not None:
                    declared = scope.type_of(statement.value)
                self.declare(statement.target.id, statement, declared)
            elif isinstance(statement, (ast.For, ast.AsyncFor)):
                for name in _target_names(statement.target):
                    self.bind(name, UNKNOWN)
            elif isinstance(statement, (ast.With, ast.AsyncWith)):
                same_type = (
                    catalogue.CONTEXT_MANAGER_SELF
                    if isinstance(statement, ast.With)
                    else catalogue.ASYNC_CONTEXT_MANAGER_SELF
                )
                for item in statement.items:
                    if item.optional_vars is None:
                        continue
                    managed = scope.type_of(item.context_expr)
                    if managed in same_type:
                        bound_type = managed
                    elif isinstance(statement, ast.With) and managed:
                        # Entering some values gives another type: `with engine.begin() as conn`.
                        bound_type = catalogue.CONTEXT_MANAGER_ENTER_TYPES.get(managed)
                    else:
                        bound_type = None
                    if isinstance(item.optional_vars, ast.Name):
                        self.bind(item.optional_vars.id, Binding(type=bound_type))
                    else:
                        for name in _target_names(item.optional_vars):
                            self.bind(name, UNKNOWN)
            elif isinstance(statement, ast.ExceptHandler) and statement.name:
                self.bind(statement.name, UNKNOWN)

    def _bind_unpacked(self, target: ast.expr, value: ast.expr) -> bool:
        if not isinstance(target, ast.Tuple) or not all(isinstance(element, ast.Name) for element in target.elts):
            return False
        types = self.scope.unpacked_types(value, len(target.elts))
        if types is None:
            return False
        for element, element_type in zip(target.elts, types):
            self.bind(element.id, Binding(type=element_type))  # type: ignore[attr-defined]
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
        if argument.annotation is not None:
            scope.declare(argument.arg, argument, declared)
        else:
            scope.bind(argument.arg, Binding(type=declared))
