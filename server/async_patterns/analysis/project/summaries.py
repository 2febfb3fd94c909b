"""Per-function summaries of one module: the blocking call each function's own body makes (found by
the same blocking-call rules that report in `async def`), and its calls to other project functions.

A sync function's body is walked as if it ran on the event loop, which is what a call to it from a
coroutine makes it do. Nested functions, lambdas and class bodies inside it are not part of the call.
"""

from __future__ import annotations

import ast
import dataclasses

from async_patterns.analysis.code_spans import code_span
from async_patterns.analysis.context import Context, ModuleFacts
from async_patterns.analysis.engine import RuleSet, Walker, class_scope_of, rule_set_for
from async_patterns.analysis.names import Scope, dotted_name
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.project.index import CallEdge, FunctionSummary, ProjectIndex
from async_patterns.analysis.project.view import ProjectView
from async_patterns.analysis.rule import BlockingCallRule
from async_patterns.analysis.settings import Settings

HELPER_RULE = "AP109"
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_summary_rule_sets: dict[str, RuleSet] = {}


def _summary_rules(settings: Settings) -> RuleSet:
    """The blocking-call rules, without the helper rule itself (its answers come from here). Which
    codes are shown (select, ignore, per-file ignores) does not change what blocks: with only AP109
    selected, a helper that sleeps still blocks. What the settings add (extra blocking calls, library
    catalogues, rules that are off by default and selected by name) counts."""
    key = settings.fingerprint()
    found = _summary_rule_sets.get(key)
    if found is None:
        every_code_shown = dataclasses.replace(settings, select=None, ignore=(), extend_ignore=(), per_file_ignores=(), file_ignores=())
        enabled = rule_set_for(every_code_shown).blocking_rules
        found = _summary_rule_sets[key] = RuleSet.build(rule for rule in enabled if rule.code != HELPER_RULE)
    return found


class _SummaryWalker(Walker):
    def __init__(self, rules: RuleSet, context: Context, index: LineIndex, view: ProjectView) -> None:
        super().__init__(rules, context, index)
        self.lines = index
        self.view = view
        self.calls: list[CallEdge] = []

    def check_call(self, call: ast.Call) -> None:
        reported = len(self.reports)
        super().check_call(call)
        if len(self.reports) > reported or not self.context.on_callers_loop:
            return
        func = call.func
        scope = self.context.scope
        receiver = scope.type_of(func.value) if isinstance(func, ast.Attribute) else None
        callee = self.view.helper_called(func, scope, receiver)
        if callee is not None:
            written = dotted_name(func) or callee.rpartition(".")[2]
            column = self.lines.codepoint_from_utf8(call.lineno, call.col_offset)
            self.calls.append(CallEdge(callee, code_span(f"{written}()"), call.lineno, column))


class ModuleSummaries:
    """One module's summaries: every top-level sync function's and every top-level class's sync
    method's (keyed `Class.method`), each worked out the first time it is asked for, or all at once.
    The summaries of an analysed module's helpers its async code calls are then found without a
    walk of every function it has."""

    def __init__(self, index: ProjectIndex, module: str, package: bool, tree: ast.Module, source: str) -> None:
        self.view = ProjectView(index, module, package)
        self._settings = index.settings
        self._rules = _summary_rules(self._settings)
        self._facts = ModuleFacts.of(tree, source, project=self.view)
        self._lines = LineIndex.of(source)
        self._functions: dict[str, tuple[ast.FunctionDef, ast.ClassDef | None]] = {}
        for statement in tree.body:
            if isinstance(statement, ast.FunctionDef):
                self._functions[statement.name] = (statement, None)
            elif isinstance(statement, ast.ClassDef):
                for member in statement.body:
                    if isinstance(member, ast.FunctionDef):
                        self._functions[f"{statement.name}.{member.name}"] = (member, statement)
        self._class_scopes: dict[int, Scope] = {}
        self._found: dict[str, FunctionSummary] = {}
        self._unasked = list(reversed(self._functions))

    def summary(self, key: str) -> FunctionSummary | None:
        found = self._found.get(key)
        if found is None and key in self._functions:
            function, owner = self._functions[key]
            outer = self._facts.scope if owner is None else self._class_scope(owner)
            found = self._found[key] = _summarise(function, outer, self._facts, self._rules, self._settings, self._lines, self.view)
        return found

    def all(self) -> dict[str, FunctionSummary]:
        return {key: self.summary(key) for key in self._functions}  # type: ignore[misc]

    def work_out(self, most: int) -> int:
        """Work out up to `most` of the summaries not asked for yet; how many that was."""
        done = 0
        while done < most and self._unasked:
            key = self._unasked.pop()
            if key not in self._found:
                self.summary(key)
                done += 1
        return done

    @property
    def complete(self) -> bool:
        return len(self._found) == len(self._functions)

    @property
    def consulted(self) -> frozenset[str]:
        """The modules whose declarations the summaries worked out so far read."""
        return frozenset(self.view.consulted)

    def _class_scope(self, node: ast.ClassDef) -> Scope:
        scope = self._class_scopes.get(id(node))
        if scope is None:
            scope = self._class_scopes[id(node)] = class_scope_of(node, self._facts.scope)
        return scope


def _summarise(
    function: ast.FunctionDef,
    outer: Scope,
    facts: ModuleFacts,
    rules: RuleSet,
    settings: Settings,
    lines: LineIndex,
    view: ProjectView,
) -> FunctionSummary:
    walker = _SummaryWalker(rules, Context(facts, settings, outer), lines, view)
    walker.enter(function, True, function.body)
    summary = FunctionSummary(calls=walker.calls)
    for rule, report in walker.reports:
        if report.severity == "hint" or not isinstance(rule, BlockingCallRule):
            continue
        node = report.node
        call = report.data.get("call") or (dotted_name(node.func) if isinstance(node, ast.Call) else None) or "call"
        line = node.lineno  # type: ignore[attr-defined]
        column = lines.codepoint_from_utf8(line, node.col_offset)  # type: ignore[attr-defined]
        summary.blocking = (code_span(f"{call}()"), line, column, rule.code)
        break
    return summary
