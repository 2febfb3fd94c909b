"""Code actions: quick fixes and "suppress on this line" per diagnostic, and fix-all: as a source
action, and among the quick fixes (the Ctrl+. menu) when the file has more than one thing it fixes.

Listing reads only the diagnostics' data (VS Code asks on nearly every cursor move); the edit is
computed in `codeAction/resolve`, for the document version the action was listed for. An action
resolved after the document changed gets no edit. In a notebook cell the edit is computed on the
notebook's code as one module, and may touch other cells too (an import goes with the imports).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from lsprotocol import types

from async_patterns.analysis import Settings
from async_patterns.analysis.findings import Finding
from async_patterns.analysis.notebook import NotebookModule
from async_patterns.analysis.positions import LineIndex
from async_patterns import fixes
from async_patterns.fixes import TextEdit, edits_between, is_fixed_by_fix_all, offered_fixes, suppression_title
from async_patterns.lsp.convert import SOURCE, lsp_text_edit
from async_patterns.lsp.server import AsyncPatternsServer, server

if TYPE_CHECKING:
    from async_patterns.fixes.notebook import CellEdit

Target = TypeVar("Target")
Edits = TypeVar("Edits")

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
_SUPPRESS = "suppress"
_FIX_ALL = "fixAll"
FIX_ALL_TITLE = "Fix all async-patterns problems"
FIX_ALL_IN_FILE_TITLE = "Fix all async-patterns problems in this file"


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

    published = ls.published.get(uri)
    if _wanted(only, types.CodeActionKind.QuickFix):
        offered_for_ours = False
        for diagnostic in params.context.diagnostics:
            finding = _current_finding(ls, uri, diagnostic, index) if diagnostic.source == SOURCE else None
            if finding is None:
                continue
            offered_for_ours = True
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
        # Fix-all applies the analysis' fixes only: a recorded stall's fix is for a reader to choose.
        if offered_for_ours and published and sum(map(is_fixed_by_fix_all, published.analysed)) > 1:
            actions.append(action(FIX_ALL_IN_FILE_TITLE, types.CodeActionKind.QuickFix, _FIX_ALL, None))
    if _wanted(only, FIX_ALL_KIND) and published and any(map(is_fixed_by_fix_all, published.analysed)):
        actions.append(action(FIX_ALL_TITLE, FIX_ALL_KIND, _FIX_ALL, None))
    return actions


@server.feature(types.CODE_ACTION_RESOLVE)
async def on_code_action_resolve(ls: AsyncPatternsServer, action: types.CodeAction) -> types.CodeAction:
    data = action.data if isinstance(action.data, dict) else {}
    uri, version, recipe = data.get("uri"), data.get("version"), data.get("recipe")
    if not isinstance(uri, str) or not isinstance(recipe, str) or not ls.is_open(uri):
        return action
    notebook_uri = ls.notebooks.notebook_of(ls, uri)
    if notebook_uri is not None:
        in_notebook = _edits_computer(ls, notebook_uri, recipe, data.get("finding"), _IN_NOTEBOOK)
        cells = await ls.notebooks.cell_edits(ls, uri, version, in_notebook) if in_notebook else None
        if cells:
            action.edit = _workspace_edit(ls, cells)
        return action
    document = ls.workspace.get_text_document(uri)
    if document.version != version:
        return action
    source = document.source
    compute = _edits_computer(ls, uri, recipe, data.get("finding"), _IN_TEXT)
    if compute is None:
        return action
    edits = await asyncio.get_running_loop().run_in_executor(None, compute, source)
    if not edits or not ls.is_open(uri) or ls.workspace.get_text_document(uri).version != version:
        return action
    index = LineIndex.of(source)
    action.edit = _workspace_edit(ls, [(uri, version, [lsp_text_edit(index, edit) for edit in edits])])
    return action


@dataclass(frozen=True)
class _EditMaker(Generic[Target, Edits]):
    """The three kinds of edit for one kind of target: a text document's source, or a cell of a
    notebook (the module its cells make, and the cell's position)."""

    fix_all: Callable[[Target, Settings], Edits | None]
    suppression: Callable[[Target, Finding], Edits | None]
    fix: Callable[[Target, Finding, str], Edits | None]


# The edits are computed through `fixes`' lazily loaded names: libcst loads on the first edit,
# not when the server starts.
def _fix_all_edits(source: str, settings: Settings) -> list[TextEdit] | None:
    result = fixes.fix_all(source, settings)
    return edits_between(source, result.source) if result.changed else None


def _fix_all_cell_edits(target: tuple[NotebookModule, int], settings: Settings) -> list[CellEdit] | None:
    fixed = fixes.fix_all_in_notebook(target[0], settings)
    return fixed.edits if fixed is not None else None


_IN_TEXT = _EditMaker(
    _fix_all_edits,
    lambda source, finding: fixes.compute_suppression(source, finding),
    lambda source, finding, recipe: fixes.compute_fix(source, finding, recipe),
)
_IN_NOTEBOOK = _EditMaker(
    _fix_all_cell_edits,
    lambda target, finding: fixes.suppression_in_notebook(*target, finding),
    lambda target, finding, recipe: fixes.fix_in_notebook(*target, finding, recipe),
)


def _edits_computer(
    ls: AsyncPatternsServer, settings_uri: str, recipe: str, raw_finding: Any, maker: _EditMaker[Target, Edits]
) -> Callable[[Target], Edits | None] | None:
    if recipe == _FIX_ALL:
        settings = ls.settings.for_document(settings_uri)
        return lambda target: maker.fix_all(target, settings)
    try:
        finding = Finding.from_dict(raw_finding)
    except TypeError:
        return None
    if recipe == _SUPPRESS:
        return lambda target: maker.suppression(target, finding)
    return lambda target: maker.fix(target, finding, recipe)


def _workspace_edit(
    ls: AsyncPatternsServer, documents: list[tuple[str, int | None, list[types.TextEdit]]]
) -> types.WorkspaceEdit:
    """Edits of (URI, version, edits) documents: a fix in a notebook cell may also edit another cell."""
    capabilities = ls.client_capabilities.workspace
    if capabilities and capabilities.workspace_edit and capabilities.workspace_edit.document_changes:
        # A versioned edit: the client itself refuses it if the document moved on meanwhile.
        return types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    edits=text_edits,  # type: ignore[arg-type]
                )
                for uri, version, text_edits in documents
            ]
        )
    return types.WorkspaceEdit(changes={uri: text_edits for uri, _, text_edits in documents})
