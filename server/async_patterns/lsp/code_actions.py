"""Code actions: quick fixes and "suppress on this line" per diagnostic, and a fix-all source action.

Listing reads only the diagnostics' data (VS Code asks on nearly every cursor move); the edit is
computed in `codeAction/resolve`, for the document version the action was listed for. An action
resolved after the document changed gets no edit.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from lsprotocol import types

from async_patterns.analysis.findings import Finding
from async_patterns.analysis.positions import LineIndex
from async_patterns.fixes import (
    TextEdit,
    compute_fix,
    compute_suppression,
    edits_between,
    fix_all,
    is_fixable,
    offered_fixes,
    suppression_title,
)
from async_patterns.lsp.convert import SOURCE, lsp_range
from async_patterns.lsp.server import AsyncPatternsServer, server

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
_SUPPRESS = "suppress"
_FIX_ALL = "fixAll"


def _wanted(only: list[str] | None, kind: str) -> bool:
    return only is None or any(kind == requested or kind.startswith(f"{requested}.") for requested in only)


def _current_finding(ls: AsyncPatternsServer, uri: str, diagnostic: types.Diagnostic, index: LineIndex) -> Finding | None:
    """The published finding a diagnostic shows, if it was found in the document's current text."""
    published = ls.published.get(uri)
    if published is None or published.index.lines != index.lines:
        return None
    start, end = diagnostic.range.start, diagnostic.range.end
    position = (
        start.line + 1,
        index.codepoint_from_utf16(start.line + 1, start.character),
        end.line + 1,
        index.codepoint_from_utf16(end.line + 1, end.character),
    )
    return next(
        (
            finding
            for finding in published.findings
            if finding.code == diagnostic.code
            and (finding.line, finding.column, finding.end_line, finding.end_column) == position
        ),
        None,
    )


@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND],  # type: ignore[list-item]
        resolve_provider=True,
    ),
)
def on_code_action(ls: AsyncPatternsServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    if not ls.is_open(uri):
        return None
    document = ls.workspace.get_text_document(uri)
    index = LineIndex.of(document.source)
    only = params.context.only
    actions: list[types.CodeAction] = []

    def action(title: str, kind: str, recipe: str, finding: Finding | None, **extra: Any) -> types.CodeAction:
        data = {"uri": uri, "version": document.version, "recipe": recipe}
        if finding is not None:
            data["finding"] = finding.to_dict()
        return types.CodeAction(title=title, kind=kind, data=data, **extra)

    if _wanted(only, types.CodeActionKind.QuickFix):
        for diagnostic in params.context.diagnostics:
            finding = _current_finding(ls, uri, diagnostic, index) if diagnostic.source == SOURCE else None
            if finding is None:
                continue
            for offer in offered_fixes(finding):
                actions.append(
                    action(
                        offer.title,
                        types.CodeActionKind.QuickFix,
                        offer.recipe,
                        finding,
                        diagnostics=[diagnostic],
                        is_preferred=offer.preferred,
                    )
                )
            actions.append(
                action(suppression_title(finding), types.CodeActionKind.QuickFix, _SUPPRESS, finding, diagnostics=[diagnostic])
            )
    published = ls.published.get(uri)
    if _wanted(only, FIX_ALL_KIND) and published and any(is_fixable(finding) for finding in published.findings):
        actions.append(action("Fix all async-patterns problems", FIX_ALL_KIND, _FIX_ALL, None))
    return actions


@server.feature(types.CODE_ACTION_RESOLVE)
async def on_code_action_resolve(ls: AsyncPatternsServer, action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    uri, version, recipe = data.get("uri"), data.get("version"), data.get("recipe")
    if not isinstance(uri, str) or not isinstance(recipe, str) or not ls.is_open(uri):
        return action
    document = ls.workspace.get_text_document(uri)
    if document.version != version:
        return action
    source = document.source
    compute = _edits_computer(ls, uri, recipe, data.get("finding"))
    if compute is None:
        return action
    edits = await asyncio.get_running_loop().run_in_executor(None, compute, source)
    if not edits or not ls.is_open(uri) or ls.workspace.get_text_document(uri).version != version:
        return action
    action.edit = _workspace_edit(ls, uri, version, source, edits)
    return action


def _edits_computer(
    ls: AsyncPatternsServer, uri: str, recipe: str, raw_finding: Any
) -> Callable[[str], list[TextEdit] | None] | None:
    if recipe == _FIX_ALL:
        settings = ls.settings.for_document(uri)

        def fix_everything(source: str) -> list[TextEdit] | None:
            result = fix_all(source, settings)
            return edits_between(source, result.source) if result.changed else None

        return fix_everything
    try:
        finding = Finding.from_dict(raw_finding)
    except TypeError:
        return None
    if recipe == _SUPPRESS:
        return lambda source: compute_suppression(source, finding)
    return lambda source: compute_fix(source, finding, recipe)


def _workspace_edit(
    ls: AsyncPatternsServer, uri: str, version: int, source: str, edits: list[TextEdit]
) -> types.WorkspaceEdit:
    index = LineIndex.of(source)
    text_edits = [
        types.TextEdit(range=lsp_range(index, edit.line, edit.column, edit.end_line, edit.end_column), new_text=edit.new_text)
        for edit in edits
    ]
    capabilities = ls.client_capabilities.workspace
    if capabilities and capabilities.workspace_edit and capabilities.workspace_edit.document_changes:
        # A versioned edit: the client itself refuses it if the document moved on meanwhile.
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=text_edits,  # type: ignore[arg-type]
                )
            ]
        )
    return types.WorkspaceEdit(changes={uri: text_edits})
