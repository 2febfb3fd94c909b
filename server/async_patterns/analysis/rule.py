"""The shapes a rule can take. Each rule lives in its own file under `rules/` with its examples."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable, Iterator, Mapping

from async_patterns.analysis.code_spans import code_span
from async_patterns.analysis.context import Context, ModuleFacts
from async_patterns.analysis.findings import Severity
from async_patterns.analysis.names import Scope, dotted_name
from async_patterns.analysis.settings import Settings


@dataclass(frozen=True, slots=True)
class Invalid:
    """An example that must be reported; `fixed` is the text after applying the rule's fix."""

    source: str
    fixed: str | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """What a rule found. `severity` overrides the configured one: a suggestion is always a hint."""

    node: ast.AST
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    end_node: ast.AST | None = None
    severity: Severity | None = None


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call on the event loop, with what the resolver knows about its callee."""

    node: ast.Call
    scope: Scope
    qualname: str | None
    method: str | None
    receiver_type: str | None
    module_imports: frozenset[str] = frozenset()

    @property
    def written(self) -> str | None:
        return dotted_name(self.node.func)

    @property
    def display(self) -> str:
        """How the message names the call: `time.sleep()`, `path.read_text()`, `Path.read_text()`."""
        return code_span(f"{self.name}()")

    @property
    def name(self) -> str:
        """The callee as written, else its receiver's type and method, else whatever is known."""
        if self.written:
            return self.written
        if self.receiver_type and self.method:
            return f"{self.receiver_type.rpartition('.')[2]}.{self.method}"
        return self.qualname or self.method or "call"


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    message: ClassVar[str]
    explanation: ClassVar[str]
    # How the rule compares with flake8-async's and ruff's of the same code (or why it has none).
    peers: ClassVar[str] = ""
    enabled_by_default: ClassVar[bool] = True
    # Top-level modules whose import anywhere in a module changes what the rule finds elsewhere in
    # it (`import urllib3`): incremental analysis checks every unit again when one comes or goes.
    imports_read: ClassVar[frozenset[str]] = frozenset()
    VALID: ClassVar[tuple[str, ...]] = ()
    INVALID: ClassVar[tuple[Invalid, ...]] = ()
    # The same for the rule in a Jupyter notebook, written in the percent format: cells separated by
    # lines that read `# %%`.
    NOTEBOOK_VALID: ClassVar[tuple[str, ...]] = ()
    NOTEBOOK_INVALID: ClassVar[tuple[Invalid, ...]] = ()

    def __init__(self, settings: Settings) -> None:
        self.settings = settings


class BlockingCallRule(Rule):
    """A call that blocks the thread it runs on, so inside `async def` it stalls the event loop.

    `calls` are qualified names; `methods` maps a receiver type to its blocking methods ("*" for
    any method). `instead` completes the message; `fix` names the fix recipe the fixes module uses.
    """

    calls: ClassVar[frozenset[str]] = frozenset()
    methods: ClassVar[Mapping[str, frozenset[str]]] = {}
    # Attribute reads that block (a property that does I/O), by receiver type: see `report_property`.
    properties: ClassVar[Mapping[str, frozenset[str]]] = {}
    instead: ClassVar[str] = "run it in a worker thread with `await asyncio.to_thread(...)`"
    fix: ClassVar[str | None] = "to_thread"
    # Asked only when no other rule matched the call (what the call itself is wins over what it leads to).
    matched_last: ClassVar[bool] = False

    def accepts(self, site: CallSite) -> bool:
        """Whether a call that matched the tables really blocks (e.g. not `q.get(block=False)`)."""
        return True

    def matches_beyond_tables(self, site: CallSite) -> bool:
        """For rules whose matching is not a lookup in `calls`/`methods` (checked on every call)."""
        return False

    def describe(self, site: CallSite) -> str:
        return self.message.format(call=site.display, instead=self.instead)

    def report(self, site: CallSite) -> Report:
        data: dict[str, Any] = {"call": site.qualname or site.name}
        if self.fix:
            data["fix"] = self.fix
        return Report(site.node, self.describe(site), data)

    def report_property(self, node: ast.Attribute, receiver_type: str, scope: Scope) -> Report | None:
        """A read of one of `properties` on a receiver of a known type; None when it does not block."""
        return None


class NodeRule(Rule):
    """A rule that looks at nodes of some types, with the walker's context.

    With `only_in_async` it is called where the innermost function is `async def`, on every
    `async def` node itself (whose context is still the scope around the definition), and, with
    `at_notebook_top_level`, at the top level of a notebook's cells. A rule that
    also looks at sync code names `sync_code_words`: the walk skips sync code whose text mentions
    none of them as a name (nor "async"; `except*` stands for such a clause), so the rule must be
    unable to report anything there. The names a module binds to what those words name (`from
    asyncio import ensure_future as schedule`) count too, and `module_words`/`class_words` may add
    more.
    """

    node_types: ClassVar[tuple[type[ast.AST], ...]]
    only_in_async: ClassVar[bool] = True
    # A notebook cell's top level runs on the kernel's event loop, inside a task, as the body of an
    # `async def` does (except that it may block): a rule for async code is checked there too,
    # unless its reason does not hold at a cell's top level.
    at_notebook_top_level: ClassVar[bool] = True
    sync_code_words: ClassVar[frozenset[str]] = frozenset()

    def check(self, node: Any, context: Context) -> Iterator[Report]:
        raise NotImplementedError

    def module_words(self, module: ModuleFacts) -> Iterable[str]:
        """Names this module binds whose mention in sync code may matter to the rule."""
        return ()

    def class_words(self, class_node: ast.ClassDef, scope: Scope) -> Iterable[str]:
        """The same for the methods of one class."""
        return ()


class RuntimeRule(Rule):
    """A rule no walk of the code reports: its findings come from what a program did while it ran
    (recorded by `async_patterns.runtime`), shown where the recorded line still reads the same.

    Its examples are whole programs. Run under the monitor, each INVALID one is recorded at the line
    its `fixed` text rewrites, and the fix offered there gives `fixed`; a VALID one records nothing.
    """


def keyword_value(call: ast.Call, name: str, position: int | None = None) -> ast.expr | None:
    """The argument given for a parameter, by keyword or at a position."""
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    if position is not None and len(call.args) > position and not any(
        isinstance(arg, ast.Starred) for arg in call.args[: position + 1]
    ):
        return call.args[position]
    return None


def is_constant(node: ast.expr | None, *values: object) -> bool:
    return isinstance(node, ast.Constant) and any(node.value is value or node.value == value for value in values)
