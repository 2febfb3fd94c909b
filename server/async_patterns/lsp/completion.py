"""The snippets from snippets/python.code-snippets as completions, for editors other than VS Code.

VS Code gets the same snippets from the extension's manifest, so its client turns these off with
the initialization option `"snippetCompletions": false` to avoid showing each one twice.
"""

from __future__ import annotations

import re
from functools import cache

from lsprotocol import types

from async_patterns.lsp.server import AsyncPatternsServer, server
from async_patterns.snippets_catalog import expand_defaults, load_snippets

# Snippets are whole statements: offer them only while the line holds nothing but a word.
_STATEMENT_START = re.compile(r"^\s*[A-Za-z_]*$")


@cache
def _snippet_items() -> tuple[types.CompletionItem, ...]:
    return tuple(
        types.CompletionItem(
            label=prefix,
            kind=types.CompletionItemKind.Snippet,
            detail=snippet.name,
            documentation=types.MarkupContent(
                kind=types.MarkupKind.Markdown,
                value=f"{snippet.description}\n\n```python\n{expand_defaults(snippet.body)}\n```",
            ),
            insert_text=snippet.body,
            insert_text_format=types.InsertTextFormat.Snippet,
            filter_text=prefix,
            sort_text=f"~{prefix}",
        )
        for snippet in load_snippets()
        for prefix in snippet.prefixes
    )


@server.feature(types.TEXT_DOCUMENT_COMPLETION, types.CompletionOptions(trigger_characters=[]))
def on_completion(ls: AsyncPatternsServer, params: types.CompletionParams) -> types.CompletionList | None:
    uri = params.text_document.uri
    if not ls.offer_snippets or not ls.is_open(uri):
        return None
    lines = ls.workspace.get_text_document(uri).lines
    line = lines[params.position.line] if params.position.line < len(lines) else ""
    if not _STATEMENT_START.match(line[: params.position.character]):
        return None
    return types.CompletionList(is_incomplete=False, items=list(_snippet_items()))
