"""One walk over a module's syntax tree that runs every enabled rule.

The walk is shaped per top-level statement (a "unit"): names imported or bound at module level are
collected once, then each unit is checked on its own, so that an edit only needs its own unit
re-checked. Units without any async code are skipped when no enabled rule looks outside `async def`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from async_patterns.analysis.async_code import coroutine_function_names
from async_patterns.analysis.findings import Finding
from async_patterns.analysis.names import Scope, bind_parameters, collect_bindings
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.rule import BlockingCallRule, CallSite, NodeRule, Report, Rule
from async_patterns.analysis.settings import Settings

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
    by_node_type: dict[type[ast.AST], tuple[NodeRule, ...]]
    needs_sync_code: bool
    uninteresting_leaves: frozenset[type[ast.AST]]

    @classmethod
    def build(cls, rules: Iterable[Rule]) -> RuleSet:
        by_call: dict[str, BlockingCallRule] = {}
        by_method: dict[tuple[str, str], BlockingCallRule] = {}
        any_method: dict[str, BlockingCallRule] = {}
        beyond: list[BlockingCallRule] = []
        by_node_type: dict[type[ast.AST], list[NodeRule]] = {}
        for rule in rules:
            if isinstance(rule, BlockingCallRule):
                by_call.update(dict.fromkeys(rule.calls, rule))
                for receiver, methods in rule.methods.items():
                    if "*" in methods:
                        any_method[receiver] = rule
                    by_method.update({(receiver, method): rule for method in methods if method != "*"})
                if type(rule).matches_beyond_tables is not BlockingCallRule.matches_beyond_tables:
                    beyond.append(rule)
            elif isinstance(rule, NodeRule):
                for node_type in rule.node_types:
                    by_node_type.setdefault(node_type, []).append(rule)
        return cls(
            by_call,
            by_method,
            any_method,
            tuple(beyond),
            {node_type: tuple(found) for node_type, found in by_node_type.items()},
            any(not rule.only_in_async for found in by_node_type.values() for rule in found),
            _LEAVES - set(by_node_type),
        )

    def blocking_rule_for(self, site: CallSite) -> BlockingCallRule | None:
        rule = self.by_call.get(site.qualname) if site.qualname else None
        if rule is None and site.receiver_type is not None and site.method is not None:
            rule = self.by_method.get((site.receiver_type, site.method)) or self.by_receiver_any_method.get(
                site.receiver_type
            )
        if rule is not None and rule.accepts(site):
            return rule
        return next((rule for rule in self.beyond_tables if rule.matches_beyond_tables(site)), None)


@dataclass
class ModuleFacts:
    """What every unit may need from the whole module."""

    scope: Scope
    async_function_names: frozenset[str]
    imported_modules: frozenset[str]
    coroutine_functions: frozenset[str] = frozenset()

    @classmethod
    def of(cls, tree: ast.Module) -> ModuleFacts:
        scope = Scope(tree, is_async=False, parent=None)
        collect_bindings(scope, tree.body)
        async_names = frozenset(node.name for node in tree.body if isinstance(node, ast.AsyncFunctionDef))
        imported = frozenset(
            binding.qualname.partition(".")[0] for binding in scope.bindings.values() if binding.qualname
        )
        return cls(scope, async_names, imported, coroutine_function_names(tree.body, scope))


@dataclass
class Context:
    """What a rule sees while the walk is at a node."""

    module: ModuleFacts
    settings: Settings
    scope: Scope
    parents: list[ast.AST] = field(default_factory=list)
    definition_time: int = 0

    @property
    def in_async(self) -> bool:
        """Code here runs on the event loop: the innermost function is `async def`."""
        return self.scope.is_async and not self.definition_time

    @property
    def function(self) -> ast.AST:
        return self.scope.node


class _Walker:
    def __init__(self, rules: RuleSet, context: Context, index: LineIndex) -> None:
        self.rules = rules
        self.context = context
        self.index = index
        self.reports: list[tuple[Rule, Report]] = []
        self.not_sync_calls: set[int] = set()

    def visit(self, node: ast.AST) -> None:
        context = self.context
        # An `async def` is async code itself, though its rules see the scope it is defined in.
        runs_async = context.in_async or type(node) is ast.AsyncFunctionDef
        for rule in self.rules.by_node_type.get(type(node), ()):
            if runs_async or not rule.only_in_async:
                self.reports.extend((rule, report) for report in rule.check(node, context))
        node_type = type(node)
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
            self._check_call(node)  # type: ignore[arg-type]
        elif node_type is ast.Await and isinstance(node.value, ast.Call):  # type: ignore[attr-defined]
            self.not_sync_calls.add(id(node.value))  # type: ignore[attr-defined]
        elif node_type is ast.AsyncWith:
            self.not_sync_calls.update(id(item.context_expr) for item in node.items)  # type: ignore[attr-defined]
        elif node_type is ast.AsyncFor:
            self.not_sync_calls.add(id(node.iter))  # type: ignore[attr-defined]
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

    def _enter(self, node: ast.AST, is_async: bool, body: list[ast.stmt] | ast.expr) -> None:
        outer = self.context.scope
        parent = outer.parent if isinstance(outer.node, ast.ClassDef) else outer
        scope = Scope(node, is_async=is_async, parent=parent)
        arguments = getattr(node, "args", None)
        if arguments is not None:
            bind_parameters(scope, arguments)
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
        # A sync function with no async code inside can only matter to rules that look at sync code.
        if is_async or self.rules.needs_sync_code or _has_async_code(node, self.index):
            self._enter(node, is_async, node.body)

    def _visit_lambda(self, node: ast.Lambda) -> None:
        self._visit_at_definition_time(self._signature_parts(node.args))
        self._enter(node, False, node.body)

    def _visit_class(self, node: ast.ClassDef) -> None:
        self._visit_at_definition_time([*node.decorator_list, *node.bases, *node.keywords])
        self.visit_class_body(node, node.body)

    def visit_class_body(self, node: ast.ClassDef, statements: list[ast.stmt]) -> None:
        """Visit statements of a class's body (all of them, or one method) in the class's scope."""
        outer = self.context.scope
        class_scope = Scope(node, is_async=outer.is_async, parent=outer)
        collect_bindings(class_scope, node.body)
        self.context.scope = class_scope
        self.context.parents.append(node)
        for statement in statements:
            self.visit(statement)
        self.context.parents.pop()
        self.context.scope = outer

    def _check_call(self, call: ast.Call) -> None:
        if not self.context.in_async or id(call) in self.not_sync_calls:
            return
        scope = self.context.scope
        func = call.func
        method = func.attr if isinstance(func, ast.Attribute) else None
        receiver_type = scope.type_of(func.value) if isinstance(func, ast.Attribute) else None
        site = CallSite(call, scope, scope.qualname_of(func), method, receiver_type, self.context.module.imported_modules)
        rule = self.rules.blocking_rule_for(site)
        if rule is not None:
            self.reports.append((rule, rule.report(site)))


def _has_async_code(unit: ast.stmt, index: LineIndex) -> bool:
    end = unit.end_lineno or unit.lineno
    return any("async" in index.line_text(line) for line in range(unit.lineno, end + 1))


def check_unit(
    unit: ast.stmt, module: ModuleFacts, rules: RuleSet, settings: Settings, index: LineIndex
) -> list[Finding]:
    """Findings of one top-level statement, in document positions."""
    if not rules.needs_sync_code and not _has_async_code(unit, index):
        return []
    walker = _Walker(rules, Context(module, settings, module.scope), index)
    walker.visit(unit)
    return [_to_finding(rule, report, settings, index) for rule, report in walker.reports]


def check_class_member(
    class_node: ast.ClassDef,
    member: ast.stmt,
    module: ModuleFacts,
    rules: RuleSet,
    settings: Settings,
    index: LineIndex,
) -> list[Finding]:
    """Findings inside one statement of a top-level class's body: what checking the whole class
    reports there (incremental analysis re-checks only the method that was edited)."""
    walker = _Walker(rules, Context(module, settings, module.scope), index)
    walker.visit_class_body(class_node, [member])
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
        severity=settings.severity_of(rule.code),
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
