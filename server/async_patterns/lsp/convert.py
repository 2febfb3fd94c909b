"""Findings to LSP diagnostics: positions become UTF-16 through the one converter in `positions`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types

from async_patterns.analysis.findings import Finding
from async_patterns.analysis.positions import LineIndex
from async_patterns.fixes.text import TextEdit
from async_patterns.rule_docs import rule_link

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


def lsp_text_edit(index: LineIndex, edit: TextEdit) -> types.TextEdit:
    return types.TextEdit(range=lsp_range(index, edit.line, edit.column, edit.end_line, edit.end_column), new_text=edit.new_text)


def to_diagnostic(finding: Finding, index: LineIndex, open_command: str | None = None) -> types.Diagnostic:
    """`open_command` is the editor's command that opens a bundled document (see docs/links.py)."""
    return types.Diagnostic(
        range=lsp_range(index, finding.line, finding.column, finding.end_line, finding.end_column),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=rule_link(finding.code, open_command)),
        source=SOURCE,
        data=finding.data,
        related_information=_related_information(finding.data.get("related")),
    )


def _related_information(related: Any) -> list[types.DiagnosticRelatedInformation] | None:
    """Other places a finding points at (`data["related"]`: absolute paths, 1-based lines), each
    as the start of its line: the server has no text of files that are not open."""
    if not related:
        return None
    return [
        types.DiagnosticRelatedInformation(
            location=types.Location(
                uri=Path(place["path"]).as_uri(),
                range=types.Range(start=types.Position(place["line"] - 1, 0), end=types.Position(place["line"] - 1, 0)),
            ),
            message=place["message"],
        )
        for place in related
    ]
