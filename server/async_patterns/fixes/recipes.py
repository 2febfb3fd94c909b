"""Fix recipes, keyed by the `fix` a rule puts in its finding's data.

A recipe turns one finding into a `Rewrite` of the statement that holds it, or declines. Declining
is always allowed: no fix is better than one that changes what the code does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

import libcst as cst

from async_patterns.analysis.findings import Finding
from async_patterns.fixes.offers import Offer, _call_name, offers_for
from async_patterns.fixes.header import Header
from async_patterns.fixes.syntax import Located, ParsedModule, walk


@dataclass(frozen=True)
class Rewrite:
    """Replace one statement of the parsed module (and remove the `consumed` statements after it,
    whose code the replacement took in); `needs_*` say what the module header must gain."""

    statement: cst.BaseStatement
    replacement: cst.BaseStatement | cst.FlattenSentinel
    needs_import: bool = False
    needs_background_set: bool = False
    consumed: tuple[cst.BaseStatement, ...] = ()


@dataclass(frozen=True)
class FixSite:
    parsed: ParsedModule
    finding: Finding
    header: Header | None


@dataclass(frozen=True)
class Recipe:
    """An offered fix and the rewrite that carries it out (parses, and may decline)."""

    offer: Offer
    rewrite: Callable[[FixSite], Rewrite | None]

    @property
    def name(self) -> str:
        return self.offer.name

    @property
    def in_fix_all(self) -> bool:
        return self.offer.in_fix_all


# Expressions that `await` takes without parentheses.
_PRIMARIES = (cst.Call, cst.Name, cst.Attribute, cst.Subscript)


def _await_in_place(located: Located, expression: cst.BaseExpression, method_receiver_allowed: bool) -> Rewrite | None:
    """`await expression` where the located call stands, parenthesised where the grammar needs it."""
    call = located.node
    assert isinstance(call, cst.Call)
    if not located.awaitable_here():
        return None
    parent = located.parent(call)
    if isinstance(parent, cst.WithItem):
        return None
    is_receiver = isinstance(parent, cst.Attribute) and parent.value is call
    if is_receiver and not method_receiver_allowed and isinstance(located.parent(parent), cst.Call):
        return None
    needs_parentheses = is_receiver or (
        (isinstance(parent, cst.Subscript) and parent.value is call) or (isinstance(parent, cst.Call) and parent.func is call)
    )
    lpar, rpar = call.lpar, call.rpar
    if needs_parentheses and not lpar:
        lpar, rpar = [cst.LeftParen()], [cst.RightParen()]
    if isinstance(expression, _PRIMARIES):
        expression = expression.with_changes(lpar=[], rpar=[])
    elif not expression.lpar:  # `await` binds tighter than `if`, `or`, `+`: `await (a if c else b)`
        expression = expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    awaited = cst.Await(expression=expression, lpar=lpar, rpar=rpar)
    statement = located.statement()
    if statement is None:
        return None
    return Rewrite(statement, statement.deep_replace(call, awaited))


def _asyncio_attribute(header: Header, name: str) -> cst.Attribute:
    return cst.Attribute(value=cst.Name(header.asyncio), attr=cst.Name(name))


def _to_thread_call(call: cst.Call, header: Header) -> cst.Call:
    """`asyncio.to_thread(func, *args, **kwargs)` keeping the original arguments and their layout."""
    layout = call.whitespace_before_args
    after_func = layout if isinstance(layout, cst.ParenthesizedWhitespace) else cst.SimpleWhitespace(" ")
    func = cst.Arg(value=call.func, comma=cst.Comma(whitespace_after=after_func)) if call.args else cst.Arg(call.func)
    return cst.Call(
        func=_asyncio_attribute(header, "to_thread"),
        args=[func, *call.args],
        whitespace_after_func=call.whitespace_after_func,
        whitespace_before_args=layout,
    )


def _located_call(site: FixSite) -> Located | None:
    located = site.parsed.node_at(site.finding)
    return located if located is not None and isinstance(located.node, cst.Call) else None


def _with_item_block(located: Located) -> cst.With | None:
    parent = located.parent(located.node)
    if isinstance(parent, cst.WithItem) and parent.item is located.node:
        with_statement = located.parent(parent)
        if isinstance(with_statement, cst.With) and with_statement.asynchronous is None:
            return with_statement
    return None


def to_thread(site: FixSite) -> Rewrite | None:
    located = _located_call(site)
    if located is None or site.header is None:
        return None
    block = _with_item_block(located)
    if block is not None:
        return _block_to_thread(located, block, site)
    run = _object_use_run(located) if site.finding.code in _FILE_OBJECT_CODES else None
    if run is not None:
        return _run_to_thread(located, run, site.header)
    rewrite = _await_in_place(located, _to_thread_call(located.node, site.header), method_receiver_allowed=False)  # type: ignore[arg-type]
    return rewrite and Rewrite(rewrite.statement, rewrite.replacement, needs_import=site.header.add_import)


def asyncio_sleep(site: FixSite) -> Rewrite | None:
    located = _located_call(site)
    if located is None or site.header is None:
        return None
    call = located.node
    assert isinstance(call, cst.Call)
    if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
        return None
    sleep = call.with_changes(func=_asyncio_attribute(site.header, "sleep"))
    rewrite = _await_in_place(located, sleep, method_receiver_allowed=False)
    return rewrite and Rewrite(rewrite.statement, rewrite.replacement, needs_import=site.header.add_import)


# Run to completion with inherited standard streams, result dropped, no shell, no options: the
# same as starting the process with asyncio and waiting for it.
_WAIT_ONLY_PROCESS_CALLS = frozenset({"subprocess.run", "subprocess.call"})


def subprocess(site: FixSite) -> Rewrite | None:
    located = _located_call(site)
    if located is None or site.header is None:
        return None
    call = located.node
    assert isinstance(call, cst.Call)
    statement_value = located.parent(call)
    argv = call.args[0].value if len(call.args) == 1 and not call.args[0].keyword and not call.args[0].star else None
    if (
        _call_name(site.finding) in _WAIT_ONLY_PROCESS_CALLS
        and isinstance(statement_value, cst.Expr)
        and isinstance(argv, (cst.List, cst.Tuple))
        and argv.elements
        and not any(isinstance(element, cst.StarredElement) for element in argv.elements)
    ):
        start = cst.Call(
            func=_asyncio_attribute(site.header, "create_subprocess_exec"),
            args=[cst.Arg(element.value, comma=element.comma) for element in argv.elements],
        )
        wait = cst.Call(cst.Attribute(cst.Await(start, lpar=[cst.LeftParen()], rpar=[cst.RightParen()]), cst.Name("wait")))
        rewrite = _await_in_place(located, wait, method_receiver_allowed=False)
        return rewrite and Rewrite(rewrite.statement, rewrite.replacement, needs_import=site.header.add_import)
    return to_thread(site)


def add_await(site: FixSite) -> Rewrite | None:
    located = _located_call(site)
    if located is None:
        return None
    return _await_in_place(located, located.node, method_receiver_allowed=True)  # type: ignore[arg-type]


def await_argument(site: FixSite) -> Rewrite | None:
    """`asyncio.run(work())` or `loop.run_until_complete(work())` where a loop is running: `await work()`.

    The finding spans the call's start to the end of its callee, so the callee is found by range.
    """
    callee = site.parsed.node_at(site.finding, (cst.Name, cst.Attribute))
    call = callee.parent(callee.node) if callee is not None else None
    if callee is None or not isinstance(call, cst.Call) or call.func is not callee.node or len(call.args) != 1:
        return None
    argument = call.args[0]
    if argument.keyword is not None or argument.star:
        return None
    return _await_in_place(Located(site.parsed, callee.unit, call), argument.value, method_receiver_allowed=True)


def keep_task_reference(site: FixSite) -> Rewrite | None:
    """The asyncio documentation's pattern: a module-level set holds the task until it is done."""
    located = _located_call(site)
    if located is None or site.header is None or not located.at_statement_level():
        return None
    expression = located.parent(located.node)
    statement = located.statement()
    if not isinstance(expression, cst.Expr) or expression.value is not located.node or statement is None:
        return None
    tasks = site.header.background_tasks
    task = located.fresh_local_name("task", frozenset({tasks}))
    steps = [
        cst.Assign([cst.AssignTarget(cst.Name(task))], located.node),
        cst.Expr(cst.Call(cst.Attribute(cst.Name(tasks), cst.Name("add")), [cst.Arg(cst.Name(task))])),
        cst.Expr(
            cst.Call(
                cst.Attribute(cst.Name(task), cst.Name("add_done_callback")),
                [cst.Arg(cst.Attribute(cst.Name(tasks), cst.Name("discard")))],
            )
        ),
    ]
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        lines = [cst.SimpleStatementLine([step]) for step in steps]
        lines[0] = lines[0].with_changes(leading_lines=statement.leading_lines)
        lines[-1] = lines[-1].with_changes(trailing_whitespace=statement.trailing_whitespace)
        replacement: cst.BaseStatement | cst.FlattenSentinel = cst.FlattenSentinel(lines)
    else:
        replacement = statement.deep_replace(expression, cst.FlattenSentinel(steps))  # type: ignore[arg-type]
    return Rewrite(statement, replacement, needs_background_set=site.header.add_background_tasks)


def use_task_group(site: FixSite) -> Rewrite | None:
    """`asyncio.create_task(...)` inside `async with TaskGroup() as tg:` -> `tg.create_task(...)`."""
    located = _located_call(site)
    group = site.finding.data.get("task_group")
    if located is None or not isinstance(group, str) or not group.isidentifier():
        return None
    if not any(_binds_task_group(parent, group) for _, parent in located.ancestors()):
        return None
    call = located.node
    assert isinstance(call, cst.Call)
    statement = located.statement()
    if statement is None:
        return None
    moved = call.with_changes(func=cst.Attribute(cst.Name(group), cst.Name("create_task")))
    return Rewrite(statement, statement.deep_replace(call, moved))


def _binds_task_group(node: cst.CSTNode, name: str) -> bool:
    return (
        isinstance(node, cst.With)
        and node.asynchronous is not None
        and any(
            item.asname is not None and isinstance(item.asname.name, cst.Name) and item.asname.name.value == name
            for item in node.items
        )
    )


def replace_call(site: FixSite) -> Rewrite | None:
    """The callee swapped for an asyncio function named in the finding's data (same arguments)."""
    replacement = site.finding.data.get("replacement")
    located = _located_call(site)
    if located is None or site.header is None or not isinstance(replacement, str):
        return None
    module, _, function = replacement.partition(".")
    statement = located.statement()
    if module != "asyncio" or not function.isidentifier() or statement is None:
        return None
    call = located.node
    assert isinstance(call, cst.Call)
    swapped = call.with_changes(func=_asyncio_attribute(site.header, function))
    return Rewrite(statement, statement.deep_replace(call, swapped), needs_import=site.header.add_import)


def _with_of_item(located: Located) -> cst.With | None:
    """The `with`/`async with` statement whose item is the located call."""
    item = located.parent(located.node)
    block = located.parent(item) if isinstance(item, cst.WithItem) else None
    return block if isinstance(block, cst.With) else None


def rename_callee(site: FixSite) -> Rewrite | None:
    """`module.function_at(deadline)` -> `module.function(delay)`: the finding is on the argument of
    a call whose callee is an attribute; only that attribute's name changes."""
    replacement = site.finding.data.get("replacement")
    located = site.parsed.node_at(site.finding, cst.BaseExpression)
    if located is None or not isinstance(replacement, str) or not replacement.isidentifier():
        return None
    argument = located.parent(located.node)
    call = located.parent(argument) if isinstance(argument, cst.Arg) else None
    statement = located.statement()
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute) or statement is None:
        return None
    renamed = call.with_changes(func=call.func.with_changes(attr=cst.Name(replacement)))
    return Rewrite(statement, statement.deep_replace(call, renamed))


def remove_with(site: FixSite) -> Rewrite | None:
    """A `with`/`async with` whose only item is a timeout that can never fire: its body, dedented.

    Removing it keeps the meaning only when evaluating the item has no effect of its own (its
    arguments are plain values) and no comment would be lost with the `with` line.
    """
    located = _located_call(site)
    if located is None:
        return None
    block = _with_of_item(located)
    if block is None or len(block.items) != 1:
        return None
    item = block.items[0]
    if item.asname is not None or not all(_is_inert(arg.value) for arg in located.node.args):  # type: ignore[union-attr]
        return None
    body = block.body
    if isinstance(body, cst.SimpleStatementSuite):
        if body.leading_whitespace.value.strip() or body.trailing_whitespace.comment is not None:
            return None
        statements: list[cst.BaseStatement] = [cst.SimpleStatementLine(body.body)]
    else:
        if body.header.comment is not None or body.footer:
            return None
        statements = list(body.body)
    first = statements[0]
    statements[0] = first.with_changes(leading_lines=[*block.leading_lines, *first.leading_lines])
    return Rewrite(block, cst.FlattenSentinel(statements))


def async_with(site: FixSite) -> Rewrite | None:
    """`with asyncio.timeout(...):` (which fails at run time) entered as `async with`."""
    located = _located_call(site)
    block = _with_of_item(located) if located is not None else None
    if block is None or block.asynchronous is not None or not located.awaitable_here():  # type: ignore[union-attr]
        return None
    return Rewrite(block, block.with_changes(asynchronous=cst.Asynchronous()))


# --- `with open(path) as f: data = f.read()` ---------------------------------------------------
# The whole block moves, unchanged, into a nested sync function run by `asyncio.to_thread`. That is
# equivalent only when the block is one statement whose every part is plain data flow: no await or
# yield, no name bound that the rest of the function could see, nothing that depends on the calling
# thread or frame (`super()`, `locals()`, ...), and no call beyond the `with` items and one method
# call on what they return.
_FRAME_DEPENDENT_NAMES = frozenset({"super", "locals", "vars", "eval", "exec", "__class__"})
_NOT_EXTRACTABLE = (cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda, cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)


def _is_inert(expression: cst.BaseExpression) -> bool:
    """Reading it cannot run user code that could depend on the thread: names, constants, `a.b`, `a / b`."""
    if isinstance(expression, (cst.Name, cst.Integer, cst.Float, cst.SimpleString)):
        return True
    if isinstance(expression, cst.Attribute):
        return _is_inert(expression.value)
    if isinstance(expression, cst.BinaryOperation):
        return _is_inert(expression.left) and _is_inert(expression.right)
    return False


def _is_plain_call(expression: cst.BaseExpression) -> bool:
    """`f(a, b=c)`, `obj.m(a)` or `Path(p).open()`: callee and arguments are inert or plain calls."""
    if not isinstance(expression, cst.Call):
        return False
    func = expression.func
    callee_ok = _is_inert(func) or (isinstance(func, cst.Attribute) and _is_plain_call(func.value))
    return callee_ok and all(_is_inert(arg.value) for arg in expression.args)


def _single_small_statement(suite: cst.BaseSuite) -> cst.BaseSmallStatement | None:
    if isinstance(suite, cst.SimpleStatementSuite):
        return suite.body[0] if len(suite.body) == 1 else None
    lines = suite.body
    if len(lines) == 1 and isinstance(lines[0], cst.SimpleStatementLine) and len(lines[0].body) == 1:
        return lines[0].body[0]
    return None


def _block_to_thread(located: Located, block: cst.With, site: FixSite) -> Rewrite | None:
    header = site.header
    assert header is not None
    function = located.enclosing_function()
    if function is None or not located.awaitable_here():
        return None
    targets = set()
    for item in block.items:
        if not _is_plain_call(item.item):
            return None
        if item.asname is not None:
            if not isinstance(item.asname.name, cst.Name):
                return None
            targets.add(item.asname.name.value)
    small = _single_small_statement(block.body)
    value = _extractable_value(small) if small is not None else None
    if small is None or value is None:
        return None
    method = value.func
    assert isinstance(method, cst.Attribute)
    if not (isinstance(method.value, cst.Name) and method.value.value in targets):
        return None
    if any(
        isinstance(node, _NOT_EXTRACTABLE) or (isinstance(node, cst.Name) and node.value in _FRAME_DEPENDENT_NAMES)
        for node in walk(block)
    ):
        return None
    if _names_used_outside(function, block, targets):
        return None
    helper_name = located.fresh_local_name(f"blocking_{method.attr.value}")
    run = cst.Await(cst.Call(_asyncio_attribute(header, "to_thread"), [cst.Arg(cst.Name(helper_name))]))
    if isinstance(small, cst.Return):
        inner, outer = small, small.with_changes(value=run)
    elif isinstance(small, cst.Assign):
        inner, outer = cst.Return(small.value), small.with_changes(value=run)
    else:
        inner, outer = small, cst.Expr(run)
    helper = cst.FunctionDef(
        name=cst.Name(helper_name),
        params=cst.Parameters(),
        body=cst.IndentedBlock([block.with_changes(body=block.body.deep_replace(small, inner), leading_lines=[])]),
        leading_lines=block.leading_lines,
    )
    call_line = cst.SimpleStatementLine([outer.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)])
    return Rewrite(block, cst.FlattenSentinel([helper, call_line]), needs_import=header.add_import)


def _extractable_value(small: cst.BaseSmallStatement) -> cst.Call | None:
    """The method call a one-statement block does: `return f.read()`, `x = f.read()`, `f.write(x)`."""
    if isinstance(small, cst.Return):
        value = small.value
    elif isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        value = small.value
    elif isinstance(small, cst.Expr):
        value = small.value
    else:
        return None
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Attribute):
        return None
    return value if all(_is_inert(arg.value) and not arg.star for arg in value.args) else None


def _names_used_outside(function: cst.FunctionDef, block: cst.With, names: set[str]) -> bool:
    """Whether the rest of the function mentions a name the block binds (it would lose its value)."""
    inside = {id(node) for node in walk(block)}
    return any(
        isinstance(node, cst.Name) and node.value in names and id(node) not in inside for node in _function_code(function)
    )


# --- `f = open(path)` / `data = f.read()` / `f.close()` ----------------------------------------
# A file opened into a name and then used only by method calls in the statements right after it:
# all of them move into one nested sync function run by `asyncio.to_thread`, one thread hop instead
# of one per line (opening and using a file are one job; for other objects, such as a thread that
# is started and joined, only the blocking call is worth moving). Equivalent only when those
# statements are plain method calls on the object with inert arguments (no await between them, so
# no other task ran in between before either), the object is used nowhere else in the function,
# and the names they bind are new there (they come back as the helper's result).
_FILE_OBJECT_CODES = frozenset({"ASYNC230", "ASYNC231", "ASYNC232"})


@dataclass(frozen=True)
class _ObjectUseRun:
    lines: tuple[cst.SimpleStatementLine, ...]  # the binding line first, then each use
    variable: str


def _object_use_run(located: Located) -> _ObjectUseRun | None:
    """The run of statements a located call belongs to: as a method call on `x` after the line
    `x = <call>` that heads a run, or as that line's call."""
    statement = located.statement()
    block = located.parent(statement) if statement is not None else None
    if not isinstance(statement, cst.SimpleStatementLine) or not isinstance(block, cst.IndentedBlock):
        return None
    lines = list(block.body)
    position = lines.index(statement)
    small = _only_small_statement(statement)
    heads = []
    receiver = _method_receiver(small)
    if receiver is not None:
        binding = (index for index in range(position - 1, -1, -1) if _binding_of(lines[index]) == receiver)
        heads.append(next(binding, None))
    if isinstance(small, cst.Assign) and small.value is located.node:
        heads.append(position)
    for head in [head for head in heads if head is not None]:
        run = _run_from(lines, head, located)
        if run is not None and statement in run.lines:
            return run
    return None


def _only_small_statement(line: cst.BaseStatement) -> cst.BaseSmallStatement | None:
    if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
        return line.body[0]
    return None


def _binding_of(line: cst.BaseStatement) -> str | None:
    """`x` for a line `x = <plain call>`."""
    small = _only_small_statement(line)
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and _is_plain_call(small.value)
    ):
        return small.targets[0].target.value
    return None


def _method_receiver(small: cst.BaseSmallStatement | None) -> str | None:
    """`x` for `x.m(args)`, `y = x.m(args)` or `return x.m(args)` with inert arguments."""
    value = _extractable_value(small) if small is not None else None
    if value is None:
        return None
    receiver = value.func.value  # type: ignore[attr-defined]
    return receiver.value if isinstance(receiver, cst.Name) else None


def _run_from(lines: list[cst.BaseStatement], head: int, located: Located) -> _ObjectUseRun | None:
    variable = _binding_of(lines[head])
    function = located.enclosing_function()
    if variable is None or function is None:
        return None
    run = [lines[head]]
    for line in lines[head + 1 :]:
        small = _only_small_statement(line)
        if _method_receiver(small) != variable:
            break
        run.append(line)
        if isinstance(small, cst.Return):
            break
    if len(run) < 2:
        return None
    inside = {id(node) for line in run for node in walk(line)}
    if any(node.value in _FRAME_DEPENDENT_NAMES for line in run for node in walk(line) if isinstance(node, cst.Name)):
        return None
    starts_at = located.range_of(run[0])[:2]
    for node in _function_code(function):
        if not isinstance(node, cst.Name) or id(node) in inside:
            continue
        # The object is used nowhere else; a name the run binds is not one the function had before
        # (inside the helper it would be a new local, not that value).
        if node.value == variable or (node.value in _names_bound(run) and located.range_of(node)[:2] < starts_at):
            return None
    return _ObjectUseRun(tuple(run), variable)  # type: ignore[arg-type]


def _names_bound(run: list[cst.BaseStatement] | tuple[cst.BaseStatement, ...]) -> list[str]:
    """The names the uses of a run assign, in order (the binding line's own name excluded)."""
    return [
        small.targets[0].target.value  # type: ignore[attr-defined]
        for small in map(_only_small_statement, run[1:])
        if isinstance(small, cst.Assign)
    ]


def _run_to_thread(located: Located, run: _ObjectUseRun, header: Header) -> Rewrite | None:
    function = located.enclosing_function()
    if function is None or not located.awaitable_here():
        return None
    inside = {id(node) for line in run.lines for node in walk(line)}
    used_after = [
        name
        for name in dict.fromkeys(_names_bound(run.lines))
        if any(isinstance(node, cst.Name) and node.value == name and id(node) not in inside for node in _function_code(function))
    ]
    first_use = _extractable_value(_only_small_statement(run.lines[1]))  # type: ignore[arg-type]
    helper_name = located.fresh_local_name(f"blocking_{first_use.func.attr.value}")  # type: ignore[union-attr]
    run_helper = cst.Await(cst.Call(_asyncio_attribute(header, "to_thread"), [cst.Arg(cst.Name(helper_name))]))
    body: list[cst.BaseStatement] = [run.lines[0].with_changes(leading_lines=[]), *run.lines[1:]]
    outer: cst.BaseSmallStatement
    if isinstance(_only_small_statement(run.lines[-1]), cst.Return):
        outer = cst.Return(run_helper)
    elif used_after:
        body.append(cst.SimpleStatementLine([cst.Return(_names_expression(used_after))]))
        outer = cst.Assign([cst.AssignTarget(_names_expression(used_after))], run_helper)
    else:
        outer = cst.Expr(run_helper)
    helper = cst.FunctionDef(
        name=cst.Name(helper_name),
        params=cst.Parameters(),
        body=cst.IndentedBlock(body),
        leading_lines=run.lines[0].leading_lines,
    )
    return Rewrite(
        run.lines[0],
        cst.FlattenSentinel([helper, cst.SimpleStatementLine([outer])]),
        needs_import=header.add_import,
        consumed=run.lines[1:],
    )


def _function_code(function: cst.FunctionDef) -> Iterator[cst.CSTNode]:
    """The nodes of a function's parameters and body (not its own name or decorators)."""
    yield from walk(function.params)
    yield from walk(function.body)


def _names_expression(names: list[str]) -> cst.BaseExpression:
    """`a` for one name, `a, b` for several."""
    if len(names) == 1:
        return cst.Name(names[0])
    return cst.Tuple([cst.Element(cst.Name(name)) for name in names], lpar=[], rpar=[])


# The rewrite behind each offered recipe name.
_REWRITES: dict[str, Callable[[FixSite], Rewrite | None]] = {
    "to_thread": to_thread,
    "asyncio.sleep": asyncio_sleep,
    "subprocess": subprocess,
    "add_await": add_await,
    "await_argument": await_argument,
    "replace_call": replace_call,
    "remove_with": remove_with,
    "async_with": async_with,
    "rename_callee": rename_callee,
    "keep_task_reference": keep_task_reference,
    "use_task_group": use_task_group,
}


def recipes_for(finding: Finding) -> tuple[Recipe, ...]:
    return tuple(Recipe(offer, _REWRITES[offer.name]) for offer in offers_for(finding))
