"""Hover: our documentation for the asyncio/aiohttp API under the cursor, and rule explanations
for a diagnostic or a `# noqa: CODE` under it."""

from __future__ import annotations

from lsprotocol import types

from async_patterns.analysis.noqa import code_at
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.symbols import symbol_at
from async_patterns.lsp.convert import lsp_range
from async_patterns.lsp.server import AsyncPatternsServer, server
from async_patterns.rule_docs import rule_hover


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: AsyncPatternsServer, params: types.HoverParams) -> types.Hover | None:
    # Imported here so that start-up does not wait for the documentation; the server loads it
    # in the background after its first publish (`AsyncPatternsServer.warm_up`).
    from async_patterns.docs import hover_markdown, parse_requires_python

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

    command = ls.open_document_command
    noqa_code = code_at(index.line_text(line), column)
    if noqa_code is not None:
        code, start, end = noqa_code
        explanation = rule_hover(code, open_command=command)
        if explanation:
            sections.append(explanation)
            hovered = lsp_range(index, line, start, line, end)
    else:
        # The editor shows the finding's message above our part; we add the rule's name with a
        # link to its explanation, then the API entry keeps to what the message does not say
        # (signature, summary, link), so the parts never repeat each other and all fit in view.
        explanations = _explanations_of_findings_at(ls, uri, line, column, command)
        # In a notebook cell, names resolve through the other cells too: the notebook is one module.
        resolution_source, offset = ls.notebooks.resolution_source(ls, uri) or (source, 0)
        symbol = symbol_at(resolution_source, line + offset, column)
        documentation = None
        if symbol is not None:
            minimum = ls.settings.requires_python(ls.notebooks.notebook_of(ls, uri) or uri)
            documentation = hover_markdown(
                symbol.qualname,
                requires_python=parse_requires_python(minimum) if minimum else None,
                open_command=command,
                brief=bool(explanations),
            )
        sections.extend(explanations)
        if documentation:
            sections.append(documentation)
            hovered = lsp_range(index, symbol.line - offset, symbol.column, symbol.line - offset, symbol.end_column)
    if not sections:
        return None
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(sections)),
        range=hovered,
    )


def _explanations_of_findings_at(
    ls: AsyncPatternsServer, uri: str, line: int, column: int, command: str | None
) -> list[str]:
    published = ls.published.get(uri)
    codes = dict.fromkeys(
        finding.code
        for finding in (published.findings if published else [])
        if (finding.line, finding.column) <= (line, column) <= (finding.end_line, finding.end_column)
    )
    explanations = (rule_hover(code, open_command=command, brief=True) for code in codes)
    return [explanation for explanation in explanations if explanation]
