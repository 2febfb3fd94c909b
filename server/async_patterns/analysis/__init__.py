"""Pure analysis: source text in, findings out. Never imports pygls or lsprotocol."""

from __future__ import annotations

import ast

from async_patterns.analysis.engine import ModuleFacts, check_unit, rule_set_for
from async_patterns.analysis.findings import AnalysisResult, Finding, ParseProblem
from async_patterns.analysis.noqa import is_suppressed
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.settings import Settings

__all__ = ["AnalysisResult", "Finding", "ParseProblem", "Settings", "analyze", "parse"]


def parse(source: str) -> ast.Module | ParseProblem:
    """The syntax tree, or why there is none (never raises for any text)."""
    try:
        return ast.parse(source)
    except SyntaxError as error:
        return ParseProblem(f"syntax error: {error.msg}", error.lineno, error.offset)
    except ValueError as error:  # NUL bytes on Python < 3.12
        return ParseProblem(f"cannot parse: {error}")
    except (RecursionError, MemoryError):
        return ParseProblem("cannot parse: the code is nested too deeply")


def analyze(source: str, settings: Settings | None = None) -> AnalysisResult:
    """Every finding in a module's source, sorted by position, with suppressions applied."""
    settings = settings or Settings()
    tree = parse(source)
    if isinstance(tree, ParseProblem):
        return AnalysisResult([], tree)
    index = LineIndex.of(source)
    module = ModuleFacts.of(tree)
    rules = rule_set_for(settings)
    findings = [
        finding
        for unit in tree.body
        for finding in check_unit(unit, module, rules, settings, index)
        if not is_suppressed(finding, index)
    ]
    findings.sort(key=lambda finding: (finding.line, finding.column, finding.code))
    return AnalysisResult(findings)
