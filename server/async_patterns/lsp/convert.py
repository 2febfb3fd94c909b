"""Findings to LSP diagnostics: positions become UTF-16 through the one converter in `positions`."""

from __future__ import annotations

from lsprotocol import types

from async_patterns import RULE_DOCUMENTATION_URL
from async_patterns.analysis.findings import Finding
from async_patterns.analysis.positions import LineIndex

SOURCE = "async-patterns"

_SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "information": types.DiagnosticSeverity.Information,
    "hint": types.DiagnosticSeverity.Hint,
}


def lsp_range(index: LineIndex, line: int, column: int, end_line: int, end_column: int) -> types.Range:
    """A range from 1-based lines and code-point columns, clamped to the document."""
    line, column = index.clamp(line, column)
    end_line, end_column = index.clamp(end_line, end_column)
    return types.Range(
        start=types.Position(line=line - 1, character=index.utf16_from_codepoint(line, column)),
        end=types.Position(line=end_line - 1, character=index.utf16_from_codepoint(end_line, end_column)),
    )


def to_diagnostic(finding: Finding, index: LineIndex) -> types.Diagnostic:
    return types.Diagnostic(
        range=lsp_range(index, finding.line, finding.column, finding.end_line, finding.end_column),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=RULE_DOCUMENTATION_URL.format(code=finding.code.lower())),
        source=SOURCE,
        data=finding.data,
    )
