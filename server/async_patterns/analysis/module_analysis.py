"""A whole module's analysis: the rules walk each top-level statement of the parsed source."""

from __future__ import annotations

import ast
from contextlib import nullcontext

from async_patterns.analysis.context import ModuleFacts
from async_patterns.analysis.engine import check_unit, rule_set_for
from async_patterns.analysis.findings import AnalysisResult, ParseProblem
from async_patterns.analysis.noqa import is_suppressed
from async_patterns.analysis.outside_async import top_level_async_problem
from async_patterns.analysis.parsing import TOO_DEEP, parse
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.project.index import ProjectIndex
from async_patterns.analysis.project.view import ProjectView
from async_patterns.analysis.rules.ap109_blocking_helper import BlockingHelperCall
from async_patterns.analysis.settings import Settings

# The name a module analysed on its own has in the index of its one module.
LONE_MODULE = "__analysed__"


def analyze(
    source: str, settings: Settings | None = None, *, kernel: bool = False, project: ProjectView | None = None
) -> AnalysisResult:
    """Every finding in a module's source, sorted by position, with suppressions applied.

    With `kernel`, the source is a notebook's code run cell by cell in a Jupyter kernel: its top
    level may `await`, and it runs on the kernel's event loop (see `analysis.notebook`). With a
    `project` (this module's view of a project index that holds this text), names are resolved
    across the project's modules; without one, the module is a project of its own.
    """
    settings = settings or Settings()
    tree = parse(source)
    if isinstance(tree, ParseProblem):
        return AnalysisResult([], tree)
    index = LineIndex.of(source)
    rules = rule_set_for(settings)
    try:
        problem = None if kernel else top_level_async_problem(tree.body, index)
        if problem is not None:
            return AnalysisResult([], problem)
        if project is None and settings.is_enabled(BlockingHelperCall.code, BlockingHelperCall.enabled_by_default):
            project = lone_module_view(source, settings, tree)
        at_hand = project.index.tree_at_hand(project.module, source, tree) if project else nullcontext()
        with at_hand:
            module = ModuleFacts.of(tree, source, top_level_on_loop=kernel, project=project)
            findings = [
                finding
                for unit in tree.body
                for finding in check_unit(unit, module, rules, settings, index)
                if not is_suppressed(finding, index)
            ]
    except RecursionError:  # the parser accepts deeper nesting (e.g. long `elif` chains) than a walk can follow
        return AnalysisResult([], TOO_DEEP)
    findings.sort(key=lambda finding: (finding.line, finding.column, finding.code))
    return AnalysisResult(findings)


def lone_module_view(source: str, settings: Settings, tree: ast.Module | None = None) -> ProjectView:
    """A project of one module: its own functions are the helpers it knows."""
    index = ProjectIndex(settings)
    index.set_module(LONE_MODULE, "", False, lambda: source, tree)
    return ProjectView(index, LONE_MODULE)
