"""Hover: our documentation for the asyncio/aiohttp API under the cursor, and rule explanations
for a diagnostic or a `# noqa: CODE` under it."""

from __future__ import annotations

from lsprotocol import types

from async_patterns.analysis.noqa import code_at
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.symbols import symbol_at
from async_patterns.docs import hover_markdown, parse_requires_python
from async_patterns.lsp.convert import lsp_range
from async_patterns.lsp.server import AsyncPatternsServer, server
from async_patterns.rule_docs import rule_hover


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: AsyncPatternsServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    if not ls.is_open(uri):
        return None
    source = ls.workspace.get_text_document(uri).source
    index = LineIndex.of(source)
    line = params.position.line + 1
    if line > len(index.lines):
        return None
    column = index.codepoint_from_utf16(line, params.position.character)
    sections: list[str] = []
    hovered: types.Range | None = None

    noqa_code = code_at(index.line_text(line), column)
    if noqa_code is not None:
        code, start, end = noqa_code
        explanation = rule_hover(code)
        if explanation:
            sections.append(explanation)
            hovered = lsp_range(index, line, start, line, end)
    else:
        symbol = symbol_at(source, line, column)
        documentation = None
        if symbol is not None:
            minimum = ls.settings.requires_python(uri)
            documentation = hover_markdown(
                symbol.qualname, requires_python=parse_requires_python(minimum) if minimum else None
            )
        if documentation:
            sections.append(documentation)
            hovered = lsp_range(index, symbol.line, symbol.column, symbol.line, symbol.end_column)
        sections.extend(_explanations_of_findings_at(ls, uri, line, column))
    if not sections:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(sections)),
        range=hovered,
    )


def _explanations_of_findings_at(ls: AsyncPatternsServer, uri: str, line: int, column: int) -> list[str]:
    published = ls.published.get(uri)
    codes = dict.fromkeys(
        finding.code
        for finding in (published.findings if published else [])
        if (finding.line, finding.column) <= (line, column) <= (finding.end_line, finding.end_column)
    )
    return [explanation for explanation in map(rule_hover, codes) if explanation]
