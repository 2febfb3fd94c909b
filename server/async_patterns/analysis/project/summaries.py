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
from async_patterns.analysis.engine import RuleSet, Walker, rule_set_for
from async_patterns.analysis.names import Scope, collect_bindings, dotted_name
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


def summarise_module(
    index: ProjectIndex, module: str, package: bool, tree: ast.Module, source: str
) -> tuple[dict[str, FunctionSummary], frozenset[str]]:
    """Every top-level sync function's and top-level class's sync method's summary, and the
    modules whose declarations the walk consulted."""
    view = ProjectView(index, module, package)
    settings = index.settings
    rules = _summary_rules(settings)
    facts = ModuleFacts.of(tree, source, project=view)
    lines = LineIndex.of(source)
    summaries: dict[str, FunctionSummary] = {}
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef):
            summaries[statement.name] = _summarise(statement, facts.scope, facts, rules, settings, lines, view)
        elif isinstance(statement, ast.ClassDef):
            class_scope = Scope(statement, is_async=False, parent=facts.scope)
            collect_bindings(class_scope, statement.body)
            for member in statement.body:
                if isinstance(member, ast.FunctionDef):
                    key = f"{statement.name}.{member.name}"
                    summaries[key] = _summarise(member, class_scope, facts, rules, settings, lines, view)
    return summaries, frozenset(view.consulted)


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
