"""The project index: module texts in, facts across modules out — the types names have in other
modules, and which functions block the event loop when called, and through which calls.

Everything is computed lazily and kept until the module it came from changes: a module's
declarations from its own text; its functions' summaries ("blocks because of <call> at line n", or
"calls <project function> at line n") from its text and the declarations it consulted; chains
("`load()` calls `read()` which calls `Path.read_text()`") from the summaries, at any depth and
safe against cycles. The index never reads a file: whoever feeds it a module gives a function that
returns the module's current text (lsp/ prefers the open document's, cli/ the bytes it read).
"""

from __future__ import annotations

import ast
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from async_patterns.analysis.names import Binding, Scope
from async_patterns.analysis.project.declarations import (
    ANNOTATION,
    ClassDeclaration,
    FunctionDeclaration,
    ModuleDeclarations,
    declarations_of,
)
from async_patterns.analysis.settings import Settings

if TYPE_CHECKING:
    from async_patterns.analysis.project.summaries import ModuleSummaries

TextSource = Callable[[], "str | None"]
# How deep a name may be re-exported (`from .a import x` in a package re-exported again) before
# the index gives up: protects against import cycles of re-exports.
_MAX_HOPS = 16
# Parsed modules whose trees are kept for their summaries (a tree is ten times its text's size).
_TREES_KEPT = 8


@dataclass(frozen=True)
class Link:
    """One step of a chain: in `function` (a project qualname), `call` at `path`:`line`:`column`."""

    function: str
    call: str
    path: str
    line: int
    column: int
    code: str | None = None  # the rule that finds the blocking call, on the last link

    def to_dict(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if value is not None}


@dataclass(frozen=True)
class CallEdge:
    callee: str
    call: str
    line: int
    column: int


@dataclass
class FunctionSummary:
    """What calling a function does that matters here: the blocking calls in its own body (first
    one kept) and its calls to other project functions, in source order."""

    blocking: tuple[str, int, int, str] | None = None  # call, line, column, rule code
    calls: list[CallEdge] = field(default_factory=list)


@dataclass
class _Module:
    name: str
    path: str
    package: bool
    load: TextSource
    declarations: ModuleDeclarations | None = None
    failed: bool = False
    summaries: dict[str, FunctionSummary] | None = None
    summaries_consulted: frozenset[str] = frozenset()
    # Summaries worked out one function at a time from the tree of the module's own analysis, until
    # the rest are (see `finish_summaries`).
    summarising: ModuleSummaries | None = None
    scope: Scope | None = None
    # A syntax tree of the text already at hand, used (and dropped) by the first look instead of parsing.
    tree: ast.Module | None = None
    # What the text's declarations and summaries came from (see `_read`).
    text_digest: bytes | None = None
    # The entry this one replaced, until this one's declarations are known (see `set_module`).
    replaced: _Module | None = None


def parse_module_text(text: str) -> ast.Module:
    return ast.parse(text)


@lru_cache(maxsize=4096)
def _expression(text: str) -> ast.expr | None:
    try:
        return ast.parse(text, mode="eval").body if text else None
    except (SyntaxError, ValueError, RecursionError):
        return None


class ProjectIndex:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self._modules: dict[str, _Module] = {}
        # callee -> (chain or None, the modules the answer read)
        self._chains: dict[str, tuple[tuple[Link, ...] | None, frozenset[str]]] = {}
        # Answers that only declarations decide, remembered until any module changes, with the
        # modules each read (so that asking again records them).
        self._resolved: dict[str, tuple[tuple[str, ...] | None, frozenset[str]]] = {}
        self._class_orders: dict[tuple[str, str], tuple[list[tuple[str, str]], frozenset[str]]] = {}
        self._resolving: set[tuple[str, str, str]] = set()
        # Bumped whenever a module changes; when the set of modules last changed, and when each
        # module's text last did (see `changed_since`).
        self.generation = 0
        self._modules_changed_at = 0
        self._changed_at: dict[str, int] = {}
        # While a view asks, the modules whose declarations its answer reads (see ProjectView).
        self.consulted_by: set[str] | None = None
        self._trees_kept: list[_Module] = []
        # module -> (text, tree) of a module being analysed: the analysis parsed it already.
        self._at_hand: dict[str, tuple[str, ast.Module]] = {}
        # Modules whose new text is not yet known to declare what the replaced one did.
        self._unverified: set[str] = set()
        # Modules summarised in part, each holding the tree of its analysis (see `_summary`).
        self._summarising: list[_Module] = []

    # -- feeding ----------------------------------------------------------------------------------

    @contextmanager
    def tree_at_hand(self, name: str, text: str, tree: ast.Module) -> Iterator[None]:
        """While a module's text is being analysed, its tree serves the index's first look at that
        module (when the index's text of it is the same) instead of a second parse. The summaries
        that analysis asks of the module are worked out alone; the rest wait for `finish_summaries`,
        when the index is asked to finish them or, at the latest, when another module's analysis
        begins."""
        self.finish_summaries(but=name)
        self._at_hand[name] = (text, tree)
        try:
            yield
        finally:
            self._at_hand.pop(name, None)

    def set_module(self, name: str, path: str, package: bool, load: TextSource, tree: ast.Module | None = None) -> None:
        """Add a module or say its text changed; what depended on it is forgotten. A module set
        again with the text its facts came from (a file opened in the editor) changes nothing."""
        old = self._modules.get(name)
        if old is not None and tree is None and _gives_text_of(load, old, path, package):
            old.load = load
            return
        entry = self._modules[name] = _Module(name, path, package, load, tree=tree)
        self._chains.clear()
        self._forget_resolutions()
        # Which calls block may have changed (an analysis that used the index is stale)...
        self.generation += 1
        self._changed_at[name] = self.generation
        if old is None:
            self._modules_changed_at = self.generation
            return
        # ...but when only function bodies changed, what other modules' summaries learnt from its
        # declarations holds. Whether it did is settled when its declarations are next needed, and
        # before any summary is read: often by the analysis of the new text, which has its tree,
        # or when it turns out to be the same text (a file opened in the editor), which is not
        # looked at again.
        replaced = old if old.declarations is not None else old.replaced
        if replaced is None:
            self._unverified.discard(name)
            self._forget_dependents(name)
        else:
            entry.replaced = replaced
            self._unverified.add(name)

    def remove_module(self, name: str) -> None:
        self._unverified.discard(name)
        if self._modules.pop(name, None) is not None:
            self._chains.clear()
            self._forget_resolutions()
            self._forget_dependents(name)
            self.generation += 1
            self._changed_at[name] = self._modules_changed_at = self.generation

    def changed_since(self, generation: int, modules: Iterable[str]) -> bool:
        """Whether, after `generation`, a module was added or removed or one of `modules` changed:
        what an analysis found from those modules' facts then may no longer hold."""
        if self.generation == generation:  # nothing changed: most keystrokes
            return False
        if self._modules_changed_at > generation:
            return True
        changed_at = self._changed_at
        return any(changed_at.get(module, 0) > generation for module in modules)

    def _forget_resolutions(self) -> None:
        self._resolved.clear()
        self._class_orders.clear()

    def _remembered(self, memo: dict, key, compute):
        """`compute()` once per key until a module changes; each answer notes the modules it read."""
        found = memo.get(key)
        if found is not None:
            self._note(found[1])
            return found[0]
        outer, self.consulted_by = self.consulted_by, set()
        used = self.consulted_by
        try:
            answer = compute()
        finally:
            self.consulted_by = outer
        self._note(used)
        memo[key] = (answer, frozenset(used))
        return answer

    def _forget_dependents(self, name: str) -> None:
        for entry in self._modules.values():
            # A replaced entry's summaries may yet be taken over by the entry that replaced it.
            for kept in (entry, entry.replaced) if entry.replaced is not None else (entry,):
                if name in kept.summaries_consulted:
                    kept.summaries, kept.summaries_consulted = None, frozenset()
                if kept.summarising is not None and name in kept.summarising.consulted:
                    kept.summarising = None

    def module_names(self) -> Iterable[str]:
        return self._modules.keys()

    # -- declarations -----------------------------------------------------------------------------

    def declarations(self, module: str) -> ModuleDeclarations | None:
        if self.consulted_by is not None:
            self.consulted_by.add(module)
        entry = self._modules.get(module)
        return self._declarations_of(entry) if entry is not None else None

    def _declarations_of(self, entry: _Module) -> ModuleDeclarations | None:
        if entry.declarations is None and not entry.failed:
            self._read(entry)
        replaced = entry.replaced
        if replaced is not None:
            self._unverified.discard(entry.name)
            entry.replaced = None
            if entry.declarations != replaced.declarations:
                self._forget_dependents(entry.name)
        return entry.declarations

    def _read(self, entry: _Module) -> None:
        """The entry's declarations from its text: those of the entry it replaced when the text is
        the same, else from its syntax tree."""
        try:
            text = entry.load()
        except (OSError, UnicodeDecodeError, ValueError):
            text = None
        if text is None:
            entry.failed = True
            return
        digest = _text_digest(text)
        replaced = entry.replaced
        if replaced is not None and replaced.text_digest == digest:
            entry.declarations = replaced.declarations
            entry.summaries, entry.summaries_consulted = replaced.summaries, replaced.summaries_consulted
            if replaced.summarising is not None:
                entry.summarising = replaced.summarising
                self._summarising.append(entry)
            entry.text_digest, entry.tree = digest, None
            return
        tree = self._parse(entry, text)
        if tree is not None:
            thread_decorators = self.settings.thread_decorators
            declared = declarations_of(tree, entry.name, entry.package, thread_decorators, text)
            entry.declarations, entry.scope, entry.text_digest = declared, None, digest

    def _verify_replaced(self) -> None:
        """Settle, for every module whose text changed, whether its dependents' summaries hold."""
        for name in list(self._unverified):
            self._declarations_of(self._modules[name])

    def _parse(self, entry: _Module, text: str) -> ast.Module | None:
        if entry.tree is not None:
            return entry.tree
        try:
            tree = self._tree_at_hand(entry, text) or parse_module_text(text)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            tree = None
        entry.failed = tree is None
        if tree is not None and entry.summaries is None:
            # Its summaries are often asked next (indexing goes module by module): keep the tree
            # until then, for a few modules only.
            entry.tree = tree
            self._trees_kept.append(entry)
            if len(self._trees_kept) > _TREES_KEPT:
                self._trees_kept.pop(0).tree = None
        return tree

    def _tree_at_hand(self, entry: _Module, text: str | None) -> ast.Module | None:
        at_hand = self._at_hand.get(entry.name)
        return at_hand[1] if at_hand is not None and at_hand[0] == text else None

    def scope_of(self, module: str) -> Scope | None:
        """The module's own names, rebuilt from its declarations, resolving types through the index."""
        from async_patterns.analysis.project.view import ProjectView

        declared = self.declarations(module)
        if declared is None:
            return None
        entry = self._modules[module]
        if entry.scope is None:
            scope = Scope(ast.Module(body=[], type_ignores=[]), is_async=False, parent=None)
            scope.project = ProjectView(self, module, entry.package)
            scope.bindings = {
                name: Binding(qualname, binding_type, definition)  # type: ignore[arg-type]
                for name, (qualname, binding_type, definition) in declared.bindings.items()
            }
            entry.scope = scope
        return entry.scope

    # -- symbols ----------------------------------------------------------------------------------

    def split(self, qualname: str) -> tuple[str, list[str]] | None:
        """(module, the rest) for the longest module of the project that `qualname` starts with."""
        parts = qualname.split(".")
        for end in range(len(parts), 0, -1):
            module = ".".join(parts[:end])
            if module in self._modules:
                return module, parts[end:]
        return None

    def resolve(self, qualname: str, hops: int = 0) -> tuple[str, ...] | None:
        """What a dotted name is in the project: ("module", m), ("class", m, C), ("function", m, f),
        ("method", m, C, f) (in the class that defines it, bases searched), or None."""
        if hops:
            return self._resolve(qualname, hops)
        return self._remembered(self._resolved, qualname, lambda: self._resolve(qualname, 0))

    def _resolve(self, qualname: str, hops: int) -> tuple[str, ...] | None:
        found = self.split(qualname)
        if found is None or hops > _MAX_HOPS:
            return None
        module, rest = found
        if not rest:
            return ("module", module)
        declared = self.declarations(module)
        if declared is None:
            return None
        head = rest[0]
        if head in declared.functions and len(rest) == 1:
            return ("function", module, head)
        if head in declared.classes:
            if len(rest) == 1:
                return ("class", module, head)
            if len(rest) == 2:
                return self.find_method(module, head, rest[1])
            return None
        binding = declared.bindings.get(head)
        if binding is not None and binding[0] and binding[0] != qualname:
            return self.resolve(".".join([binding[0], *rest[1:]]), hops + 1)
        return None

    def class_declaration(self, module: str, name: str) -> ClassDeclaration | None:
        declared = self.declarations(module)
        return declared.classes.get(name) if declared else None

    def function_declaration(self, symbol: tuple[str, ...]) -> FunctionDeclaration | None:
        if symbol[0] == "function":
            declared = self.declarations(symbol[1])
            return declared.functions.get(symbol[2]) if declared else None
        if symbol[0] == "method":
            found = self.class_declaration(symbol[1], symbol[2])
            return found.methods.get(symbol[3]) if found else None
        return None

    def classes_in_order(self, module: str, name: str) -> list[tuple[str, str]]:
        """The class and its project bases, depth first, left to right (each once)."""
        return self._remembered(self._class_orders, (module, name), lambda: self._classes_in_order(module, name))

    def _classes_in_order(self, module: str, name: str) -> list[tuple[str, str]]:
        order: list[tuple[str, str]] = []
        pending = [(module, name)]
        while pending and len(order) < 64:
            current = pending.pop(0)
            if current in order:
                continue
            found = self.class_declaration(*current)
            if found is None:
                continue
            order.append(current)
            scope = self.scope_of(current[0])
            bases = []
            for text in found.bases:
                expression = _expression(text)
                qualname = scope.project_qualname_of(expression) if scope is not None and expression is not None else None
                symbol = self.resolve(qualname) if qualname else None
                if symbol is not None and symbol[0] == "class":
                    bases.append((symbol[1], symbol[2]))
            pending[0:0] = bases
        return order

    def find_method(self, module: str, name: str, method: str) -> tuple[str, ...] | None:
        for owner_module, owner in self.classes_in_order(module, name):
            found = self.class_declaration(owner_module, owner)
            if found is not None and method in found.methods:
                return ("method", owner_module, owner, method)
        return None

    # -- types ------------------------------------------------------------------------------------

    def evaluate(self, module: str, kind: str, text: str) -> str | None:
        """The type an annotation (`kind` ANNOTATION) or a value's text gives in `module`."""
        key = (module, kind, text)
        expression = _expression(text)
        scope = self.scope_of(module)
        if expression is None or scope is None or key in self._resolving:
            return None
        self._resolving.add(key)
        try:
            return scope.annotation_type(expression) if kind == ANNOTATION else scope.type_of(expression)
        finally:
            self._resolving.discard(key)

    def agreed_type(self, module: str, given: list[tuple[str, str]]) -> str | None:
        """The type when every assignment gives the same one; None when any is unknown or they differ."""
        found = {self.evaluate(module, kind, text) for kind, text in given}
        return found.pop() if len(found) == 1 else None

    def class_type(self, qualname: str) -> str | None:
        symbol = self.resolve(qualname)
        return f"{symbol[1]}.{symbol[2]}" if symbol and symbol[0] == "class" else None

    def call_type(self, qualname: str) -> str | None:
        """The type of what calling `qualname` gives: an instance of a project class, or what a
        project function's or method's return annotation says."""
        symbol = self.resolve(qualname)
        if symbol is None:
            return None
        if symbol[0] == "class":
            return f"{symbol[1]}.{symbol[2]}"
        declared = self.function_declaration(symbol)
        if declared is None or declared.returns is None or declared.is_async or declared.is_generator:
            return None
        return self.evaluate(symbol[1], ANNOTATION, declared.returns)

    def attribute_type(self, class_type: str, attribute: str) -> str | None:
        symbol = self.resolve(class_type)
        if symbol is None or symbol[0] != "class":
            return None
        for module, name in self.classes_in_order(symbol[1], symbol[2]):
            found = self.class_declaration(module, name)
            if found is None:
                continue
            method = found.methods.get(attribute)
            if method is not None:
                return self.evaluate(module, ANNOTATION, method.returns) if method.is_property and method.returns else None
            if attribute in found.attributes:
                return self.agreed_type(module, found.attributes[attribute])
        return None

    def global_type(self, qualname: str) -> str | None:
        """The type of a module-level variable of the project (`from app.clients import client`)."""
        found = self.split(qualname)
        if found is None or len(found[1]) != 1:
            return None
        module, (name,) = found
        declared = self.declarations(module)
        if declared is None:
            return None
        if name in declared.variables:
            return self.agreed_type(module, declared.variables[name])
        binding = declared.bindings.get(name)
        if binding is not None and binding[0] and binding[0] != qualname:
            return self.global_type(binding[0])
        return None

    # -- blocking ---------------------------------------------------------------------------------

    def summaries(self, module: str) -> dict[str, FunctionSummary]:
        """Every summary of the module."""
        self._verify_replaced()
        entry = self._modules.get(module)
        if entry is None:
            return {}
        if entry.summaries is None:
            summarising = entry.summarising or self._summarising_from_text(entry)
            if summarising is None:
                return {}
            entry.summaries, entry.summaries_consulted = summarising.all(), summarising.consulted
            entry.summarising = entry.tree = None
        self._note((module, *entry.summaries_consulted))
        return entry.summaries

    def _summary(self, module: str, key: str) -> FunctionSummary | None:
        """One function's summary (`Class.method` for a method). A module being analysed, whose
        tree is at hand, is summarised one function at a time: that analysis asks about the helpers
        its async code calls, which are few, and its first findings need not wait for the rest."""
        self._verify_replaced()
        entry = self._modules.get(module)
        if entry is None:
            return None
        summarising = entry.summarising
        if entry.summaries is None and summarising is None and module in self._at_hand:
            summarising = entry.summarising = self._summarising_from_text(entry, only_at_hand=True)
            if summarising is not None:
                self._summarising.append(entry)
        if entry.summaries is None and summarising is not None:
            found = summarising.summary(key)
            self._note((module, *summarising.consulted))
            return found
        return self.summaries(module).get(key)

    def _summarising_from_text(self, entry: _Module, only_at_hand: bool = False) -> ModuleSummaries | None:
        """Summaries of the entry's text to be worked out, from the tree at hand or kept, else (unless
        `only_at_hand`) from a parse."""
        # Loaded here: summaries walk code with the engine, which the index must not import first.
        from async_patterns.analysis.project.summaries import ModuleSummaries

        try:
            source = entry.load()
            tree = entry.tree or self._tree_at_hand(entry, source)
            if tree is None and source is not None and not only_at_hand:
                tree = parse_module_text(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError, OSError, UnicodeDecodeError):
            tree = None
        if tree is None or source is None:
            return None
        return ModuleSummaries(self, entry.name, entry.package, tree, source)

    @property
    def summaries_pending(self) -> bool:
        return bool(self._summarising)

    def finish_summaries(self, most: int | None = None, but: str | None = None) -> bool:
        """Work out the rest of the summaries of modules summarised a function at a time (except
        module `but`), and let go of their trees (what their analyses did not ask, other modules'
        ask later): all of them, or up to `most` functions' (whether some remain, then)."""
        for entry in list(self._summarising):
            if entry.name == but:
                continue
            summarising = entry.summarising
            if self._modules.get(entry.name) is entry and summarising is not None and entry.summaries is None:
                if most is not None:
                    most -= summarising.work_out(most)
                    if not summarising.complete:
                        return True
                self.summaries(entry.name)
            entry.summarising = None
            self._summarising.remove(entry)
        return False

    def blocking_chain(self, callee: str) -> tuple[Link, ...] | None:
        """The calls through which calling `callee` (a canonical project qualname) blocks, ending at
        the blocking call itself; None when it does not block (as far as the index can tell)."""
        chain, _ = self._chain(callee, set())
        return chain

    def _note(self, modules: Iterable[str]) -> None:
        if self.consulted_by is not None:
            self.consulted_by.update(modules)

    def _chain(self, callee: str, open_calls: set[str]) -> tuple[tuple[Link, ...] | None, bool]:
        """(chain, complete): `complete` is False when a cycle cut the search short, and then a
        negative answer is not remembered (another path may still block). What an answer read is
        remembered with it, so that asking again records the same modules."""
        remembered = self._chains.get(callee)
        if remembered is not None:
            self._note(remembered[1])
            return remembered[0], True
        if callee in open_calls:
            return None, False
        outer, self.consulted_by = self.consulted_by, set()
        used = self.consulted_by
        try:
            chain, complete = self._search(callee, open_calls)
        finally:
            self.consulted_by = outer
        self._note(used)
        if chain is not None or complete:
            self._chains[callee] = (chain, frozenset(used))
        return chain, complete or chain is not None

    def _search(self, callee: str, open_calls: set[str]) -> tuple[tuple[Link, ...] | None, bool]:
        symbol = self.resolve(callee)
        declared = self.function_declaration(symbol) if symbol else None
        if symbol is None or declared is None or not blocks_when_called(declared):
            return None, True
        key = symbol[2] if symbol[0] == "function" else f"{symbol[2]}.{symbol[3]}"
        summary = self._summary(symbol[1], key)
        if summary is None:
            return None, True
        path = self._modules[symbol[1]].path
        if summary.blocking is not None:
            call, line, column, code = summary.blocking
            return (Link(callee, call, path, line, column, code),), True
        complete = True
        open_calls.add(callee)
        try:
            for edge in summary.calls:
                found, edge_complete = self._chain(edge.callee, open_calls)
                complete = complete and edge_complete
                if found is not None:
                    return (Link(callee, edge.call, path, edge.line, edge.column), *found), True
        finally:
            open_calls.discard(callee)
        return None, complete


def _text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _gives_text_of(load: TextSource, entry: _Module, path: str, package: bool) -> bool:
    """Whether `load` gives the text the entry's facts came from, for the same file."""
    if entry.text_digest is None or entry.path != path or entry.package != package:
        return False
    try:
        text = load()
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    return text is not None and _text_digest(text) == entry.text_digest


def blocks_when_called(declared: FunctionDeclaration) -> bool:
    """Whether calling the function runs its body on the caller's thread: not an `async def` (it
    gives a coroutine), not a generator (it gives a generator; `@contextmanager` ones run their
    body in the `with` that calls them), not a stub, not one a thread runner runs on a worker thread."""
    if declared.is_async or declared.is_stub:
        return False
    names = declared.decorators
    if declared.is_generator and not any(name.endswith("contextmanager") for name in names):
        return False
    if declared.runs_in_thread:
        return False
    return not any(name in ("typing.overload", "typing_extensions.overload", "overload") for name in names)
