"""One walk over a module's syntax tree that runs every enabled rule.

The walk is shaped per top-level statement (a "unit"): names imported or bound at module level are
collected once, then each unit is checked on its own, so that an edit only needs its own unit
re-checked. Sync code (a unit, or a sync `def` inside one) is only walked when its text says "async"
or names something a rule that looks at sync code reports (its `sync_code_words`), or when the
module's top level runs on an event loop, as a notebook's does (then every unit is walked).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from async_patterns.analysis.context import Context, ModuleFacts
from async_patterns.analysis.findings import Finding
from async_patterns.analysis.names import Binding, Scope, bind_parameters, collect_bindings
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.rule import BlockingCallRule, CallSite, NodeRule, Report, Rule
from async_patterns.analysis.settings import Settings
from async_patterns.analysis.worker_threads import arguments_handed_to_thread, creates_lazy_listing, runs_in_worker_thread

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# Nodes without children that can matter to a call check; skipped unless a rule asks for them.
_LEAVES = frozenset({ast.Name, ast.Constant, ast.Pass, ast.Break, ast.Continue})
# Fields that hold names, flags and operators, never a node worth visiting.
_NEVER_CHILDREN = frozenset(
    {"ctx", "op", "id", "attr", "name", "module", "arg", "kind", "type_comment", "level", "is_async", "conversion"}
)
_child_fields_by_type: dict[type[ast.AST], tuple[str, ...]] = {}


def _child_fields(node_type: type[ast.AST]) -> tuple[str, ...]:
    """The fields of a node type that can hold child nodes: `ctx` and operators never matter."""
    fields = _child_fields_by_type.get(node_type)
    if fields is None:
        fields = _child_fields_by_type[node_type] = tuple(
            name for name in node_type._fields if name not in _NEVER_CHILDREN
        )
    return fields


@dataclass(frozen=True)
class RuleSet:
    """The enabled rules, indexed for dispatch."""

    by_call: dict[str, BlockingCallRule]
    by_method: dict[tuple[str, str], BlockingCallRule]
    by_receiver_any_method: dict[str, BlockingCallRule]
    beyond_tables: tuple[BlockingCallRule, ...]
    by_property: dict[tuple[str, str], BlockingCallRule]
    by_node_type: dict[type[ast.AST], tuple[NodeRule, ...]]
    needs_sync_code: bool
    uninteresting_leaves: frozenset[type[ast.AST]]
    property_names: frozenset[str]
    # Rules that look at sync code where its text names one of their words.
    sync_word_rules: tuple[NodeRule, ...] = ()
    blocking_rules: tuple[BlockingCallRule, ...] = ()
    # The modules whose import some rule reads (see `Rule.imports_read`).
    imports_read: frozenset[str] = frozenset()

    @classmethod
    def build(cls, rules: Iterable[Rule]) -> RuleSet:
        rules_list = list(rules)
        by_call: dict[str, BlockingCallRule] = {}
        by_method: dict[tuple[str, str], BlockingCallRule] = {}
        any_method: dict[str, BlockingCallRule] = {}
        beyond: list[BlockingCallRule] = []
        by_property: dict[tuple[str, str], BlockingCallRule] = {}
        by_node_type: dict[type[ast.AST], list[NodeRule]] = {}
        blocking: list[BlockingCallRule] = []
        for rule in rules_list:
            if isinstance(rule, BlockingCallRule):
                blocking.append(rule)
                by_call.update(dict.fromkeys(rule.calls, rule))
                for receiver, names in rule.properties.items():
                    by_property.update({(receiver, name): rule for name in names})
                for receiver, methods in rule.methods.items():
                    if "*" in methods:
                        any_method[receiver] = rule
                    by_method.update({(receiver, method): rule for method in methods if method != "*"})
                if type(rule).matches_beyond_tables is not BlockingCallRule.matches_beyond_tables:
                    beyond.append(rule)
            elif isinstance(rule, NodeRule):
                # Once per type: a rule may name a type twice, e.g. `ast.TryStar` falling back to
                # `ast.Try` on Python 3.10, and would otherwise report every finding twice.
                for node_type in dict.fromkeys(rule.node_types):
                    by_node_type.setdefault(node_type, []).append(rule)
        sync_rules = {rule for found in by_node_type.values() for rule in found if not rule.only_in_async}
        return cls(
            by_call,
            by_method,
            any_method,
            tuple(sorted(beyond, key=lambda rule: rule.matched_last)),
            by_property,
            {node_type: tuple(found) for node_type, found in by_node_type.items()},
            any(not rule.sync_code_words for rule in sync_rules),
            _LEAVES - set(by_node_type),
            frozenset(name for _, name in by_property),
            tuple(sorted((rule for rule in sync_rules if rule.sync_code_words), key=lambda rule: rule.code)),
            tuple(blocking),
            frozenset(module for rule in rules_list for module in rule.imports_read),
        )

    def module_words(self, module: ModuleFacts) -> frozenset[str]:
        """The words that make sync code of this module worth walking, computed once per module."""
        words = module.sync_code_words.get(id(self))
        if words is None:
            static = frozenset(word for rule in self.sync_word_rules for word in rule.sync_code_words)
            # A name the module binds to one of those (`from asyncio import ensure_future as schedule`).
            aliases = (
                name
                for name, binding in module.scope.bindings.items()
                if binding.qualname and binding.qualname.rpartition(".")[2] in static
            )
            own = (word for rule in self.sync_word_rules for word in rule.module_words(module))
            words = module.sync_code_words[id(self)] = static | frozenset(aliases) | frozenset(own)
        return words

    def class_words(self, class_node: ast.ClassDef, scope: Scope) -> frozenset[str]:
        return frozenset(word for rule in self.sync_word_rules for word in rule.class_words(class_node, scope))

    def worth_walking(self, text: str, words: Callable[[], frozenset[str]]) -> bool:
        """Whether code with this text can give a finding: it is async code, or a rule that looks
        at sync code may report there (the text names one of the `words()`, asked only then)."""
        return "async" in text or self.needs_sync_code or self.names_sync_words(text, words)

    def names_sync_words(self, text: str, words: Callable[[], frozenset[str]]) -> bool:
        if not self.sync_word_rules:
            return False
        found = words()
        if _EXCEPT_STAR_WORD in found and _EXCEPT_STAR.search(text):
            return True
        # Most sync code names none of the words: a substring search says so before any tokenizing.
        return any(word in text for word in found) and not found.isdisjoint(_NAME.findall(text))

    def blocking_rule_for(self, site: CallSite) -> BlockingCallRule | None:
        rule = self.by_call.get(site.qualname) if site.qualname else None
        if rule is None and site.receiver_type is not None and site.method is not None:
            rule = self.by_method.get((site.receiver_type, site.method)) or self.by_receiver_any_method.get(
                site.receiver_type
            )
        if rule is not None and rule.accepts(site):
            return rule
        return next((rule for rule in self.beyond_tables if rule.matches_beyond_tables(site)), None)


_NAME = re.compile(r"[^\W\d]\w*")
# The word that stands for an `except*` clause (any spacing before the star).
_EXCEPT_STAR_WORD = "except*"
_EXCEPT_STAR = re.compile(r"\bexcept\s*\*")


class Walker:
    def __init__(self, rules: RuleSet, context: Context, index: LineIndex, unit_text: str | None = None) -> None:
        self.rules = rules
        self.context = context
        self.index = index
        # Whether the unit names any of the words (None: not asked yet, True when unknown): when it
        # does not, no sync code in it needs a look.
        self._unit_text = unit_text
        self.unit_names_sync_words: bool | None = None if unit_text is not None else True
        self.reports: list[tuple[Rule, Report]] = []
        self.not_sync_calls: set[int] = set()
        self.property_names = rules.property_names
        # The classes around the node, for the words their sync methods are walked for.
        self.classes: list[tuple[ast.ClassDef, Scope]] = []
        self._class_words: dict[int, frozenset[str]] = {}

    def sync_words(self) -> frozenset[str]:
        """The words that make sync code here worth walking: the module's and the classes' around."""
        words = self.rules.module_words(self.context.module)
        for class_node, class_scope in self.classes:
            found = self._class_words.get(id(class_node))
            if found is None:
                found = self._class_words[id(class_node)] = self.rules.class_words(class_node, class_scope)
            words |= found
        return words

    def visit(self, node: ast.AST) -> None:
        context = self.context
        node_type = type(node)
        rules = self.rules.by_node_type.get(node_type)
        if rules:
            # An `async def` is async code itself, though its rules see the scope it is defined in.
            runs_async = context.in_async or node_type is ast.AsyncFunctionDef
            on_loop_at_top_level = not runs_async and context.at_top_level_on_loop
            for rule in rules:
                if runs_async or not rule.only_in_async or (on_loop_at_top_level and rule.at_notebook_top_level):
                    for report in rule.check(node, context):
                        self.reports.append((rule, report))
        if node_type in _FUNCTIONS:
            self._visit_function(node)  # type: ignore[arg-type]
            return
        if node_type is ast.Lambda:
            self._visit_lambda(node)  # type: ignore[arg-type]
            return
        if node_type is ast.ClassDef:
            self._visit_class(node)  # type: ignore[arg-type]
            return
        if node_type is ast.Call:
            self.check_call(node)  # type: ignore[arg-type]
        elif node_type is ast.Await and isinstance(node.value, ast.Call):  # type: ignore[attr-defined]
            self.not_sync_calls.add(id(node.value))  # type: ignore[attr-defined]
        elif node_type is ast.AsyncWith:
            self.not_sync_calls.update(id(item.context_expr) for item in node.items)  # type: ignore[attr-defined]
        elif node_type is ast.AsyncFor:
            self.not_sync_calls.add(id(node.iter))  # type: ignore[attr-defined]
        elif node_type is ast.Attribute and node.attr in self.property_names:  # type: ignore[attr-defined]
            self._check_property(node)  # type: ignore[arg-type]
        self._visit_children(node)

    def _visit_children(self, node: ast.AST) -> None:
        self.context.parents.append(node)
        uninteresting = self.rules.uninteresting_leaves
        for name in _child_fields(type(node)):
            value = getattr(node, name, None)
            if type(value) is list:
                for child in value:
                    if isinstance(child, ast.AST) and type(child) not in uninteresting:
                        self.visit(child)
            elif isinstance(value, ast.AST) and type(value) not in uninteresting:
                self.visit(value)
        self.context.parents.pop()

    def _visit_at_definition_time(self, nodes: Iterable[ast.AST | None]) -> None:
        self.context.definition_time += 1
        for node in nodes:
            if node is not None:
                self.visit(node)
        self.context.definition_time -= 1

    def _signature_parts(self, arguments: ast.arguments) -> Iterator[ast.AST | None]:
        yield from arguments.defaults
        yield from arguments.kw_defaults
        for argument in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs):
            yield argument.annotation
        for argument in (arguments.vararg, arguments.kwarg):
            yield argument.annotation if argument else None

    def enter(self, node: ast.AST, is_async: bool, body: list[ast.stmt] | ast.expr) -> None:
        outer = self.context.scope
        parent = outer.parent if isinstance(outer.node, ast.ClassDef) else outer
        scope = Scope(node, is_async=is_async, parent=parent)
        arguments = getattr(node, "args", None)
        if arguments is not None:
            bind_parameters(scope, arguments)
            if scope.project is not None and isinstance(outer.node, ast.ClassDef) and parent is not None and parent.parent is None:
                _bind_instance(scope, node, outer.node.name)  # type: ignore[arg-type]
        if isinstance(body, list):
            collect_bindings(scope, body)
        self.context.scope = scope
        self.context.parents.append(node)
        for statement in body if isinstance(body, list) else [body]:
            self.visit(statement)
        self.context.parents.pop()
        self.context.scope = outer

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._visit_at_definition_time([*node.decorator_list, *self._signature_parts(node.args), node.returns])
        is_async = isinstance(node, ast.AsyncFunctionDef)
        if not is_async and not self._sync_code_worth_walking(node):
            return
        context = self.context
        in_worker_thread = runs_in_worker_thread(node, context.scope, context.settings.thread_decorators)
        context.worker_thread += in_worker_thread
        self.enter(node, is_async, node.body)
        context.worker_thread -= in_worker_thread

    def _sync_code_worth_walking(self, node: ast.AST) -> bool:
        rules = self.rules
        if rules.needs_sync_code:
            return True
        text = _text_of(node, self.index)
        if "async" in text:
            return True
        if self.unit_names_sync_words is None:
            self.unit_names_sync_words = rules.names_sync_words(self._unit_text or "", self.sync_words)
        return self.unit_names_sync_words and rules.names_sync_words(text, self.sync_words)

    def _visit_lambda(self, node: ast.Lambda) -> None:
        self._visit_at_definition_time(self._signature_parts(node.args))
        self.enter(node, False, node.body)

    def _visit_class(self, node: ast.ClassDef) -> None:
        self._visit_at_definition_time([*node.decorator_list, *node.bases, *node.keywords])
        self.visit_class_body(node, node.body)

    def visit_class_body(self, node: ast.ClassDef, statements: list[ast.stmt], class_scope: Scope | None = None) -> None:
        """Visit statements of a class's body (all of them, or one method) in the class's scope
        (`class_scope_of` the class, when the caller keeps it)."""
        outer = self.context.scope
        class_scope = class_scope or class_scope_of(node, outer)
        self.context.scope = class_scope
        self.context.parents.append(node)
        self.classes.append((node, class_scope))
        outer_names_words = self.unit_names_sync_words
        # A class with async code may name its own words (its coroutine methods) in a sync method.
        if outer_names_words is not True and "async" in _text_of(node, self.index):
            self.unit_names_sync_words = True
        for statement in statements:
            self.visit(statement)
        self.unit_names_sync_words = outer_names_words
        self.classes.pop()
        self.context.parents.pop()
        self.context.scope = outer

    def _check_property(self, node: ast.Attribute) -> None:
        parent = self.context.parents[-1] if self.context.parents else None
        if not self.context.on_callers_loop or not isinstance(node.ctx, ast.Load) or (
            isinstance(parent, ast.Call) and parent.func is node
        ):
            return
        receiver_type = self.context.scope.type_of(node.value)
        rule = self.rules.by_property.get((receiver_type, node.attr)) if receiver_type else None
        report = rule.report_property(node, receiver_type, self.context.scope) if rule and receiver_type else None
        if rule is not None and report is not None:
            self.reports.append((rule, report))

    def check_call(self, call: ast.Call) -> None:
        if not self.context.on_callers_loop:
            return
        scope = self.context.scope
        func = call.func
        qualname = scope.qualname_of(func)
        # A lazy iterator handed to a worker thread is iterated there: creating it blocks nothing.
        for argument in arguments_handed_to_thread(call, qualname):
            if creates_lazy_listing(argument, scope):
                self.not_sync_calls.add(id(argument))
        if id(call) in self.not_sync_calls:
            return
        method = func.attr if isinstance(func, ast.Attribute) else None
        receiver_type = scope.type_of(func.value) if isinstance(func, ast.Attribute) else None
        site = CallSite(call, scope, qualname, method, receiver_type, self.context.module.imported_modules)
        rule = self.rules.blocking_rule_for(site)
        if rule is not None:
            self.reports.append((rule, rule.report(site)))


def _bind_instance(scope: Scope, method: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda, class_name: str) -> None:
    """In a method of a top-level class, with a project to ask about classes, `self` (the first
    parameter, unannotated, of a method that is not static) is an instance of the class."""
    if isinstance(method, ast.Lambda) or any(
        isinstance(decorator, ast.Name) and decorator.id == "staticmethod" for decorator in method.decorator_list
    ):
        return
    positional = [*method.args.posonlyargs, *method.args.args]
    if positional and positional[0].annotation is None and scope.project is not None:
        scope.bindings[positional[0].arg] = Binding(type=f"{scope.project.module}.{class_name}")


def _text_of(node: ast.AST, index: LineIndex) -> str:
    """The lines a node spans (decorators included for a `def`: they are part of what it says)."""
    first = min([node.lineno, *(decorator.lineno for decorator in getattr(node, "decorator_list", ()))])  # type: ignore[attr-defined]
    last = node.end_lineno or node.lineno  # type: ignore[attr-defined]
    return "\n".join(index.lines[max(first, 1) - 1 : last])


def check_unit(
    unit: ast.stmt, module: ModuleFacts, rules: RuleSet, settings: Settings, index: LineIndex
) -> list[Finding]:
    """Findings of one top-level statement, in document positions."""
    text = _text_of(unit, index)
    if not module.top_level_on_loop and not rules.worth_walking(text, lambda: rules.module_words(module)):
        return []
    walker = Walker(rules, Context(module, settings, module.scope), index, text)
    walker.visit(unit)
    return [_to_finding(rule, report, settings, index) for rule, report in walker.reports]


def class_scope_of(node: ast.ClassDef, outer: Scope) -> Scope:
    """What the names a class's body binds are, in its body's code."""
    scope = Scope(node, is_async=outer.is_async, parent=outer)
    collect_bindings(scope, node.body)
    return scope


def check_class_member(
    class_node: ast.ClassDef,
    member: ast.stmt,
    module: ModuleFacts,
    rules: RuleSet,
    settings: Settings,
    index: LineIndex,
    class_scope: Scope | None = None,
) -> list[Finding]:
    """Findings inside one statement of a top-level class's body: what checking the whole class
    reports there (incremental analysis re-checks only the method that was edited, and keeps the
    class's `class_scope_of` while the rest of the class says the same)."""
    walker = Walker(rules, Context(module, settings, module.scope), index)
    walker.visit_class_body(class_node, [member], class_scope)
    return [_to_finding(rule, report, settings, index) for rule, report in walker.reports]


def _to_finding(rule: Rule, report: Report, settings: Settings, index: LineIndex) -> Finding:
    start, end = report.node, report.end_node or report.node
    line, end_line = start.lineno, end.end_lineno or start.lineno  # type: ignore[attr-defined]
    return Finding(
        code=rule.code,
        message=report.message,
        line=line,
        column=index.codepoint_from_utf8(line, start.col_offset),  # type: ignore[attr-defined]
        end_line=end_line,
        end_column=index.codepoint_from_utf8(end_line, end.end_col_offset),  # type: ignore[attr-defined]
        severity=report.severity or settings.severity_of(rule.code),
        data=report.data,
    )


_rule_sets: dict[str, RuleSet] = {}


def rule_set_for(settings: Settings) -> RuleSet:
    """The enabled rules for these settings, built once per distinct settings."""
    key = settings.fingerprint()
    cached = _rule_sets.get(key)
    if cached is None:
        from async_patterns.analysis.rules import rule_classes

        enabled = (
            rule_class(settings)
            for rule_class in rule_classes()
            if settings.is_enabled(rule_class.code, rule_class.enabled_by_default)
        )
        cached = _rule_sets[key] = RuleSet.build(enabled)
    return cached
