"""What the task, await and cancellation rules need to know about a piece of async code.

Everything here is computed on demand from the nodes a rule is looking at (never a second walk of
the whole module), and stays inside one scope: a nested `def`, `lambda` or `class` is somebody
else's code.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from async_patterns.analysis.names import Scope, _statements

if TYPE_CHECKING:
    from async_patterns.analysis.context import Context

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPE_BOUNDARIES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_LOOPS = (ast.For, ast.AsyncFor, ast.While)

TASK_GROUPS = frozenset({"asyncio.TaskGroup", "asyncio.taskgroups.TaskGroup"})
CANCELLED_ERRORS = frozenset({"asyncio.CancelledError", "asyncio.exceptions.CancelledError"})
# Decorators that leave an `async def` a coroutine function; any other decorator may wrap it in
# something else entirely (`asgiref.async_to_sync`, `asynccontextmanager`, a framework's registry).
_KEEPS_COROUTINE_FUNCTION = frozenset(
    {
        "builtins.staticmethod",
        "builtins.classmethod",
        "abc.abstractmethod",
        "typing.override",
        "typing_extensions.override",
        "functools.wraps",
    }
)


def walk_same_scope(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under `nodes` (themselves included) that runs in their scope."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, _SCOPE_BOUNDARIES):
            stack.extend(ast.iter_child_nodes(node))


def walk_in_order(nodes: Iterable[ast.AST], skip: tuple[type[ast.AST], ...] = ()) -> Iterator[ast.AST]:
    """The nodes under `nodes` in source order, staying in their scope and leaving out the subtrees
    of the `skip` types."""
    for node in nodes:
        if isinstance(node, skip):
            continue
        yield node
        if not isinstance(node, _SCOPE_BOUNDARIES):
            yield from walk_in_order(ast.iter_child_nodes(node), skip)


def has_checkpoint(nodes: Iterable[ast.AST], yields_count: bool = False) -> bool:
    """Whether the task can be suspended (and so cancelled) here: an await, `async for/with`; with
    `yields_count` also a `yield`, where the consumer's code runs (and may await) in the same task."""
    suspending = (ast.Await, ast.AsyncFor, ast.AsyncWith, *((ast.Yield, ast.YieldFrom) if yields_count else ()))
    for node in walk_same_scope(nodes):
        if isinstance(node, suspending):
            return True
        if isinstance(node, ast.comprehension) and node.is_async:
            return True
    return False


def dropped_values(expr: ast.expr, through_generators: bool = False) -> Iterator[ast.expr]:
    """`expr` and the expressions inside it whose values are lost when `expr`'s value is.

    A generator expression is followed only with `through_generators`: nothing in it runs unless
    somebody iterates it, but whatever it makes when iterated is lost with it.
    """
    yield expr
    if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
        for element in expr.elts:
            yield from dropped_values(element.value if isinstance(element, ast.Starred) else element, through_generators)
    elif isinstance(expr, ast.IfExp):
        yield from dropped_values(expr.body, through_generators)
        yield from dropped_values(expr.orelse, through_generators)
    elif isinstance(expr, ast.BoolOp):
        for value in expr.values:
            yield from dropped_values(value, through_generators)
    elif isinstance(expr, (ast.ListComp, ast.SetComp)) or (through_generators and isinstance(expr, ast.GeneratorExp)):
        yield from dropped_values(expr.elt, through_generators)
    elif isinstance(expr, ast.DictComp):
        yield from dropped_values(expr.value, through_generators)
    elif isinstance(expr, ast.Dict):
        for value in expr.values:
            yield from dropped_values(value, through_generators)


# Methods that register a callback and ignore what it returns.
_CALLBACK_REGISTRATIONS = frozenset(
    {
        "add_done_callback",
        "call_soon",
        "call_soon_threadsafe",
        "call_later",
        "call_at",
        "add_signal_handler",
        "add_reader",
        "add_writer",
    }
)


def returned_to_the_loop(call: ast.Call) -> Iterator[ast.expr]:
    """`future.add_done_callback(lambda _: make())`: the values a lambda handed to a callback
    registration returns, which whoever calls the callback throws away."""
    if isinstance(call.func, ast.Attribute) and call.func.attr in _CALLBACK_REGISTRATIONS:
        for argument in call.args:
            if isinstance(argument, ast.Lambda):
                yield from dropped_values(argument.body, through_generators=True)


def truth_tested(test: ast.expr) -> Iterator[ast.expr]:
    """The expressions whose truth value alone decides `test`: their values are kept nowhere."""
    yield test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        yield from truth_tested(test.operand)
    elif isinstance(test, ast.BoolOp):
        for value in test.values:
            yield from truth_tested(value)


def tested_expressions(node: ast.AST) -> Iterator[ast.expr]:
    """What a node tests for truth: the condition of `if`, `while`, `assert`, a conditional
    expression, and the `if` clauses of a comprehension."""
    if isinstance(node, (ast.If, ast.While, ast.Assert, ast.IfExp)):
        yield from truth_tested(node.test)
    elif isinstance(node, ast.comprehension):
        for condition in node.ifs:
            yield from truth_tested(condition)


def call_qualname(expr: ast.expr, scope: Scope) -> str | None:
    return scope.qualname_of(expr.func) if isinstance(expr, ast.Call) else None


def is_task_group(expr: ast.expr, scope: Scope) -> bool:
    return call_qualname(expr, scope) in TASK_GROUPS


def enclosing_task_group(context: Context) -> tuple[ast.AsyncWith, str] | None:
    """The innermost `async with asyncio.TaskGroup() as tg:` around the node, and `tg`."""
    for node in reversed(context.parents):
        if isinstance(node, _SCOPE_BOUNDARIES):
            return None
        if isinstance(node, ast.AsyncWith):
            for item in node.items:
                if is_task_group(item.context_expr, context.scope) and isinstance(item.optional_vars, ast.Name):
                    return node, item.optional_vars.id
    return None


def keyword_span(node: ast.stmt | ast.excepthandler, length: int) -> ast.AST:
    """A node covering the first `length` characters of `node`'s first line (its keyword)."""
    return ast.Pass(
        lineno=node.lineno, col_offset=node.col_offset, end_lineno=node.lineno, end_col_offset=node.col_offset + length
    )


# -- what the code defines -------------------------------------------------------------------------


def _keeps_coroutine_function(decorator: ast.expr, scope: Scope) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return scope.qualname_of(target) in _KEEPS_COROUTINE_FUNCTION


def _bound_names(statement: ast.AST) -> Iterator[str]:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield statement.name
    elif isinstance(statement, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            yield from (node.id for node in ast.walk(target) if isinstance(node, ast.Name))
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        yield from ((alias.asname or alias.name).partition(".")[0] for alias in statement.names)


def coroutine_function_names(body: list[ast.stmt], scope: Scope) -> frozenset[str]:
    """Names that `body` binds exactly once, to an `async def` that stays a coroutine function."""
    times_bound: dict[str, int] = {}
    coroutine_functions = set()
    for statement in _statements(body):
        for name in _bound_names(statement):
            times_bound[name] = times_bound.get(name, 0) + 1
        if isinstance(statement, ast.AsyncFunctionDef) and all(
            _keeps_coroutine_function(decorator, scope) for decorator in statement.decorator_list
        ):
            coroutine_functions.add(statement.name)
    return frozenset(name for name in coroutine_functions if times_bound[name] == 1)


# Stored on the class node, like the attribute table below: what a class's methods are does not
# change while the node lives (incremental analysis swaps a method in place only when its kind,
# name and decorators stay the same).
_COROUTINE_METHODS = "_async_patterns_coroutine_methods"


def class_coroutine_functions(class_node: ast.ClassDef, scope: Scope) -> frozenset[str]:
    """`coroutine_function_names` of a class's body, computed once per class."""
    found = getattr(class_node, _COROUTINE_METHODS, None)
    if found is None:
        found = coroutine_function_names(class_node.body, scope)
        setattr(class_node, _COROUTINE_METHODS, found)
    return found


def defining_scope(scope: Scope, name: str) -> Scope | None:
    """The scope whose binding of `name` the code at `scope` sees."""
    current: Scope | None = scope
    while current is not None:
        if name in current.bindings:
            return current
        current = current.parent
    return None


def enclosing_method(context: Context) -> tuple[ast.ClassDef, ast.FunctionDef | ast.AsyncFunctionDef] | None:
    """The class and the method of it that the node is in (possibly inside a nested function)."""
    parents = context.parents
    for index in range(len(parents) - 2, -1, -1):
        if isinstance(parents[index], ast.ClassDef) and isinstance(parents[index + 1], FUNCTIONS):
            return parents[index], parents[index + 1]  # type: ignore[return-value]
    return None


def _first_parameter(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    positional = [*function.args.posonlyargs, *function.args.args]
    return positional[0].arg if positional else None


def instance_class(receiver: ast.expr, context: Context) -> ast.ClassDef | None:
    """The class whose method's `self` (or `cls`) `receiver` is, when it is one."""
    if not isinstance(receiver, ast.Name):
        return None
    found = enclosing_method(context)
    if found is None:
        return None
    class_node, method = found
    if _first_parameter(method) != receiver.id:
        return None
    owner = defining_scope(context.scope, receiver.id)
    return class_node if owner is not None and owner.node is method else None


def _attribute_assignments(class_node: ast.ClassDef) -> Iterator[tuple[str, ast.expr | None, ast.expr | None]]:
    """(attribute, annotation, value) for class-level names and `self.x = ...` in methods."""
    for statement in class_node.body:
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    yield target.id, None, statement.value
        elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            yield statement.target.id, statement.annotation, statement.value
        elif isinstance(statement, FUNCTIONS):
            instance = _first_parameter(statement)
            for inner in _statements(statement.body):
                if isinstance(inner, ast.Assign):
                    targets, annotation = inner.targets, None
                elif isinstance(inner, ast.AnnAssign):
                    targets, annotation = [inner.target], inner.annotation
                else:
                    continue
                for target in targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id == instance
                    ):
                        yield target.attr, annotation, inner.value


# Stored on the class node itself, so the table lives exactly as long as the tree it describes.
# (Incremental analysis swaps a method in place only when its attribute assignments are unchanged.)
_ATTRIBUTE_TABLE = "_async_patterns_attribute_assignments"


def _attribute_table(class_node: ast.ClassDef) -> dict[str, list[tuple[ast.expr | None, ast.expr | None]]]:
    """Assignments by attribute name, collected once per class instead of once per query."""
    table = getattr(class_node, _ATTRIBUTE_TABLE, None)
    if table is None:
        table = {}
        for name, annotation, value in _attribute_assignments(class_node):
            table.setdefault(name, []).append((annotation, value))
        setattr(class_node, _ATTRIBUTE_TABLE, table)
    return table


def attribute_names(class_node: ast.ClassDef) -> Iterable[str]:
    """The attributes the class assigns (class-level names and `self.x = ...` in its methods)."""
    return _attribute_table(class_node).keys()


def attribute_type(class_node: ast.ClassDef, attribute: str, scope: Scope) -> str | None:
    """The type of `self.<attribute>` when every assignment to it in the class gives the same type."""
    found: set[str | None] = set()
    for annotation, value in _attribute_table(class_node).get(attribute, ()):
        declared = scope.annotation_type(annotation)
        if declared is None and value is not None:
            declared = scope.type_of(value)
        found.add(declared)
    return found.pop() if len(found) == 1 else None


def receiver_type(expr: ast.expr, context: Context) -> str | None:
    """What the resolver knows about `expr`, plus `self.attr` from the class's own assignments."""
    if isinstance(expr, ast.Attribute):
        class_node = instance_class(expr.value, context)
        if class_node is not None:
            return attribute_type(class_node, expr.attr, context.scope)
    return context.scope.type_of(expr)


def decorator_names(function: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope) -> Iterator[str]:
    """Each decorator's qualified name when it resolves, else its last dotted part."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualname = scope.qualname_of(target)
        if qualname:
            yield qualname
        elif isinstance(target, ast.Attribute):
            yield target.attr
        elif isinstance(target, ast.Name):
            yield target.id


def is_context_manager_or_fixture(function: ast.AST, scope: Scope) -> bool:
    """`@asynccontextmanager` and pytest fixtures: their `yield` hands control to a `with` block."""
    if not isinstance(function, FUNCTIONS):
        return False
    return any(
        name.endswith(("contextmanager", "fixture", "yield_fixture")) for name in decorator_names(function, scope)
    )


# -- statements and where they lead ----------------------------------------------------------------


BranchFilter = Callable[[ast.If], bool]


# Functions that never return: a statement calling one ends the path like a `raise`.
NEVER_RETURNING = frozenset(
    {
        "sys.exit",
        "os._exit",
        "os.abort",
        "pytest.fail",
        "pytest.skip",
        "pytest.xfail",
        "pytest.exit",
        "typing.assert_never",
        "typing_extensions.assert_never",
    }
)


def can_complete(body: list[ast.stmt], unreachable: BranchFilter | None = None, scope: Scope | None = None) -> bool:
    """Whether running `body` can reach its end (rather than always raising, returning or jumping).

    `unreachable(if_statement)` says that an `if`'s body cannot run on the path being followed;
    with a `scope`, a call of a function that never returns (`sys.exit()`, `pytest.fail()`) ends
    the path too.
    """
    return all(_statement_can_complete(statement, unreachable, scope) for statement in body)


def _statement_can_complete(statement: ast.stmt, unreachable: BranchFilter | None, scope: Scope | None) -> bool:
    if isinstance(statement, (ast.Raise, ast.Return, ast.Break, ast.Continue)):
        return False
    if isinstance(statement, ast.Expr) and scope is not None and call_qualname(statement.value, scope) in NEVER_RETURNING:
        return False
    if isinstance(statement, ast.If):
        body_runs = unreachable is None or not unreachable(statement)
        return (body_runs and can_complete(statement.body, unreachable, scope)) or can_complete(
            statement.orelse, unreachable, scope
        )
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return can_complete(statement.body, unreachable, scope)
    if isinstance(statement, (ast.Try, getattr(ast, "TryStar", ast.Try))):
        if not can_complete(statement.finalbody, unreachable, scope):
            return False
        return (
            can_complete(statement.body, unreachable, scope) and can_complete(statement.orelse, unreachable, scope)
        ) or any(can_complete(handler.body, unreachable, scope) for handler in statement.handlers)
    if isinstance(statement, ast.While) and isinstance(statement.test, ast.Constant) and statement.test.value:
        return any(isinstance(node, ast.Break) for node in escaping_statements(statement.body, None))
    return True


def escaping_statements(
    body: list[ast.stmt], caught: str | None, unreachable: BranchFilter | None = None
) -> Iterator[ast.stmt]:
    """`return`, `break`/`continue` to an outer loop, and `raise` of anything but the caught
    exception (`caught` is the handler's name), anywhere in `body` outside nested scopes."""
    for statement in body:
        yield from _escapes(statement, caught, False, unreachable)


def _escapes(
    statement: ast.stmt, caught: str | None, in_loop: bool, unreachable: BranchFilter | None
) -> Iterator[ast.stmt]:
    if isinstance(statement, ast.Return):
        yield statement
    elif isinstance(statement, (ast.Break, ast.Continue)):
        if not in_loop:
            yield statement
    elif isinstance(statement, ast.Raise):
        if not reraises(statement, caught):
            yield statement
    elif not isinstance(statement, _SCOPE_BOUNDARIES):
        nested_loop = in_loop or isinstance(statement, _LOOPS)
        skip_body = isinstance(statement, ast.If) and unreachable is not None and unreachable(statement)
        for name in ("body", "orelse", "finalbody"):
            if name == "body" and skip_body:
                continue
            for inner in getattr(statement, name, ()):
                yield from _escapes(inner, caught, nested_loop if name == "body" else in_loop, unreachable)
        for handler in getattr(statement, "handlers", ()):
            for inner in handler.body:
                yield from _escapes(inner, caught, in_loop, unreachable)
        for case in getattr(statement, "cases", ()):
            for inner in case.body:
                yield from _escapes(inner, caught, in_loop, unreachable)


def reraises(statement: ast.Raise, caught: str | None) -> bool:
    """`raise` or `raise error` where `error` is the handler's own name."""
    if statement.exc is None:
        return True
    return caught is not None and isinstance(statement.exc, ast.Name) and statement.exc.id == caught


# -- cancellation ----------------------------------------------------------------------------------


def _caught_types(handler: ast.ExceptHandler) -> list[ast.expr]:
    if handler.type is None:
        return []
    return list(handler.type.elts) if isinstance(handler.type, ast.Tuple) else [handler.type]


def receives_cancellation(handler: ast.ExceptHandler, scope: Scope) -> bool:
    """A bare `except:`, `except BaseException` or `except asyncio.CancelledError` (also in a tuple)."""
    if handler.type is None:
        return True
    return any(scope.qualname_of(caught) in (*CANCELLED_ERRORS, "builtins.BaseException") for caught in _caught_types(handler))


def _decides_about_cancellation(handler: ast.ExceptHandler, scope: Scope) -> bool:
    """The handler looks at the cancellation itself (`isinstance(e, CancelledError)`, `cancelling()`,
    `uncancel()`) or hands the exception on to be raised later (`errors.append(e)`,
    `future.set_exception(e)`, `self.error = e`): what it does with it is a decision, not an accident."""
    for node in walk_same_scope(handler.body):
        if isinstance(node, ast.Attribute) and node.attr in ("cancelling", "uncancel"):
            return True
        if isinstance(node, (ast.Name, ast.Attribute)) and scope.qualname_of(node) in CANCELLED_ERRORS:
            return True
        if handler.name and _hands_on(node, handler.name):
            return True
    return False


_KEEPING_METHODS = frozenset({"append", "appendleft", "add", "set_exception", "put_nowait"})


def _hands_on(node: ast.AST, name: str) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in _KEEPING_METHODS:
        return any(isinstance(argument, ast.Name) and argument.id == name for argument in node.args)
    if isinstance(node, ast.Assign):
        return isinstance(node.value, ast.Name) and node.value.id == name
    return False


def _awaits_only(try_node: ast.Try, awaited: Callable[[ast.expr], bool]) -> bool:
    return all(
        isinstance(statement, (ast.Expr, ast.Assign))
        and isinstance(statement.value, ast.Await)
        and awaited(statement.value.value)
        for statement in try_node.body
    )


def _waits_for_a_task(try_node: ast.Try, handler: ast.ExceptHandler, context: Context) -> bool:
    """A `try:` that only awaits existing tasks or futures, where the `CancelledError` is theirs:
    `task.cancel()` and then `try: await task / except CancelledError: pass` (the idiom from the
    asyncio documentation), an explicit `except CancelledError` around `await self._task`, or an
    awaited task that the code cancels somewhere it can see (`task.cancel()` in another method of
    the class, `loop.call_later(5, task.cancel)` around a closure)."""
    if not _awaits_only(try_node, lambda value: True):
        return False
    names_cancelled = any(context.scope.qualname_of(caught) in CANCELLED_ERRORS for caught in _caught_types(handler))
    awaited = [statement.value.value for statement in try_node.body]  # type: ignore[attr-defined]
    existing = all(isinstance(value, (ast.Name, ast.Attribute)) for value in awaited)
    if existing and (names_cancelled or all(_cancelled_by_the_code(value, context) for value in awaited)):
        return True
    parent = context.parents[-1] if context.parents else None
    for field in ("body", "orelse", "finalbody"):
        block = getattr(parent, field, None)
        if isinstance(block, list) and try_node in block:
            before = block[: block.index(try_node)]
            return any(
                isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cancel"
                for node in walk_same_scope(before)
            )
    return False


def cancelled_expressions(nodes: Iterable[ast.AST]) -> Iterator[str]:
    """`x` (dumped) for every `x.cancel` below `nodes`: called, or handed on as a callback."""
    for node in nodes:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Attribute) and inner.attr == "cancel":
                yield ast.dump(inner.value)


def _cancelled_by_the_code(awaited: ast.expr, context: Context) -> bool:
    """Whether the code cancels `awaited` itself: `self.x` anywhere in the class, a local or
    closure variable anywhere in the function that binds it."""
    if isinstance(awaited, ast.Attribute):
        region = instance_class(awaited.value, context)
    else:
        owner = defining_scope(context.scope, awaited.id)  # type: ignore[attr-defined]
        region = owner.node if owner is not None and isinstance(owner.node, FUNCTIONS) else None
    return region is not None and ast.dump(awaited) in set(cancelled_expressions([region]))


def excludes_cancellation(handler: ast.ExceptHandler, scope: Scope) -> BranchFilter:
    """For `if isinstance(error, OSError) [and ...]:` in a handler: that branch cannot run for a
    cancellation, since `error` would be a `CancelledError`."""

    def tests_other_type(test: ast.expr) -> bool:
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            return any(tests_other_type(value) for value in test.values)
        if not (
            isinstance(test, ast.Call)
            and scope.qualname_of(test.func) == "builtins.isinstance"
            and len(test.args) == 2
            and isinstance(test.args[0], ast.Name)
            and test.args[0].id == handler.name
        ):
            return False
        tested = test.args[1].elts if isinstance(test.args[1], ast.Tuple) else [test.args[1]]
        return not any(scope.qualname_of(kind) in (*CANCELLED_ERRORS, "builtins.BaseException") for kind in tested)

    return lambda statement: tests_other_type(statement.test)


def cancellation_handlers(try_node: ast.Try, context: Context) -> Iterator[ast.ExceptHandler]:
    """The handler of a `try` that receives the task's cancellation, when the `try` body can be
    cancelled at all (it awaits) and the handler does not visibly decide about cancellation."""
    if not has_checkpoint(try_node.body):
        return
    for handler in try_node.handlers:
        if receives_cancellation(handler, context.scope):
            if not _decides_about_cancellation(handler, context.scope) and not _waits_for_a_task(
                try_node, handler, context
            ):
                yield handler
            return


# -- yield inside blocks ---------------------------------------------------------------------------


def enclosing_with_blocks(context: Context, node: ast.AST | None = None) -> Iterator[ast.With | ast.AsyncWith]:
    """The `with`/`async with` statements whose body contains the node the walk is at (`node`, when
    the rule is looking at a statement: the walk has not entered it), innermost first, up to the
    function it is in."""
    chain = [*context.parents, node] if node is not None else context.parents
    for index in range(len(chain) - 2, -1, -1):
        block = chain[index]
        if isinstance(block, _SCOPE_BOUNDARIES):
            return
        if isinstance(block, (ast.With, ast.AsyncWith)) and chain[index + 1] in block.body:
            yield block


# Context managers that make a test expect the code inside them to raise.
_EXPECTING_RAISE = frozenset({"pytest.raises", "pytest.RaisesGroup", "pytest.RaisesExc"})
_EXPECTING_RAISE_METHODS = frozenset({"assertRaises", "assertRaisesRegex"})


def expected_to_raise(node: ast.AST, context: Context) -> bool:
    """The node is inside `with pytest.raises(...)` or `with self.assertRaises(...)`: a test that
    expects the call to fail, so nothing it would return is really dropped."""
    for block in enclosing_with_blocks(context, node):
        for item in block.items:
            call = item.context_expr
            if not isinstance(call, ast.Call):
                continue
            if isinstance(call.func, ast.Attribute) and call.func.attr in _EXPECTING_RAISE_METHODS:
                return True
            if context.scope.qualname_of(call.func) in _EXPECTING_RAISE:
                return True
    return False
