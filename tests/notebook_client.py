"""A test client's side of LSP 3.17 notebook sync: what VS Code sends for a Jupyter notebook."""

from __future__ import annotations

import itertools
import re

import attrs
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from async_patterns.analysis.positions import LineIndex

NOTEBOOK_TYPE = "jupyter-notebook"
_LINE_END = re.compile(r"\r\n|\r|\n")


def position_at(text: str, offset: int) -> types.Position:
    """The LSP position (UTF-16 columns) of a code-point offset."""
    lines = _LINE_END.split(text[:offset])
    return types.Position(line=len(lines) - 1, character=LineIndex([lines[-1]]).utf16_from_codepoint(1, len(lines[-1])))


def offset_of(text: str, position: types.Position) -> int:
    starts = [0, *(match.end() for match in _LINE_END.finditer(text))]
    line_start = starts[min(position.line, len(starts) - 1)]
    line_end = next((match.start() for match in _LINE_END.finditer(text, line_start)), len(text))
    return line_start + LineIndex([text[line_start:line_end]]).codepoint_from_utf16(1, position.character)


def notebook_capabilities() -> types.ClientCapabilities:
    """VS Code's capabilities, with notebook sync as vscode-languageclient declares it."""
    capabilities = client_capabilities("visual-studio-code")
    return attrs.evolve(
        capabilities,
        notebook_document=types.NotebookDocumentClientCapabilities(
            synchronization=types.NotebookDocumentSyncClientCapabilities(
                dynamic_registration=True, execution_summary_support=True
            )
        ),
    )


class Notebook:
    """One open notebook: its cells (URI, kind, text, version) in order, kept as the client has them."""

    _counter = itertools.count()

    def __init__(self, client: LanguageClient, path: str, cells: list[str | tuple[str, str]]) -> None:
        self.client = client
        self.uri = f"file://{path}"
        self.version = 0
        self.texts: dict[tuple[str, int], str] = {}  # every cell text the client had, by (URI, version)
        self.cells: list[dict] = [self._cell(cell) for cell in cells]

    def _cell(self, cell: str | tuple[str, str]) -> dict:
        kind, text = ("code", cell) if isinstance(cell, str) else cell
        number = next(self._counter)
        uri = f"vscode-notebook-cell:{self.uri[len('file://'):]}#W{number}sZmlsZQ%3D%3D"
        language = "python" if kind == "code" else "markdown"
        self.texts[(uri, 1)] = text
        return {"uri": uri, "kind": kind, "text": text, "version": 1, "language": language}

    def _notebook_cell(self, cell: dict) -> types.NotebookCell:
        kind = types.NotebookCellKind.Code if cell["kind"] == "code" else types.NotebookCellKind.Markup
        return types.NotebookCell(kind=kind, document=cell["uri"])

    def _item(self, cell: dict) -> types.TextDocumentItem:
        return types.TextDocumentItem(uri=cell["uri"], language_id=cell["language"], version=cell["version"], text=cell["text"])

    def uri_of(self, position: int) -> str:
        return self.cells[position]["uri"]

    def open(self) -> None:
        self.client.notebook_document_did_open(
            types.DidOpenNotebookDocumentParams(
                notebook_document=types.NotebookDocument(
                    uri=self.uri,
                    notebook_type=NOTEBOOK_TYPE,
                    version=self.version,
                    cells=[self._notebook_cell(cell) for cell in self.cells],
                ),
                cell_text_documents=[self._item(cell) for cell in self.cells],
            )
        )

    def _send(self, cells_change: types.NotebookDocumentCellChanges | None, metadata=None) -> None:
        self.version += 1
        self.client.notebook_document_did_change(
            types.DidChangeNotebookDocumentParams(
                notebook_document=types.VersionedNotebookDocumentIdentifier(uri=self.uri, version=self.version),
                change=types.NotebookDocumentChangeEvent(metadata=metadata, cells=cells_change),
            )
        )

    def edit(self, position: int, text: str, range: types.Range | None = None) -> None:
        """Replace a cell's text (or a range of it) as the user types."""
        cell = self.cells[position]
        if range is None:
            change = types.TextDocumentContentChangeWholeDocument(text=text)
            cell["text"] = text
        else:
            change = types.TextDocumentContentChangePartial(range=range, text=text)
            old = cell["text"]
            cell["text"] = old[: offset_of(old, range.start)] + text + old[offset_of(old, range.end) :]
        cell["version"] += 1
        self.texts[(cell["uri"], cell["version"])] = cell["text"]
        self._send(
            types.NotebookDocumentCellChanges(
                text_content=[
                    types.NotebookDocumentCellContentChanges(
                        document=types.VersionedTextDocumentIdentifier(uri=cell["uri"], version=cell["version"]), changes=[change]
                    )
                ]
            )
        )

    def insert(self, position: int, *cells: str | tuple[str, str]) -> None:
        added = [self._cell(cell) for cell in cells]
        self.cells[position:position] = added
        self._structure(position, 0, added, opened=added, closed=[])

    def remove(self, position: int, count: int = 1) -> None:
        removed = self.cells[position : position + count]
        del self.cells[position : position + count]
        self._structure(position, count, [], opened=[], closed=removed)

    def move(self, source: int, target: int) -> None:
        """As vscode-languageclient sends a move: the array changes, no cell is opened or closed."""
        moved = self.cells.pop(source)
        self.cells.insert(target, moved)
        start = min(source, target)
        count = abs(source - target) + 1
        self._structure(start, count, self.cells[start : start + count], opened=[], closed=[])

    def _structure(self, start: int, delete_count: int, cells: list[dict], opened: list[dict], closed: list[dict]) -> None:
        self._send(
            types.NotebookDocumentCellChanges(
                structure=types.NotebookDocumentCellChangeStructure(
                    array=types.NotebookCellArrayChange(
                        start=start, delete_count=delete_count, cells=[self._notebook_cell(cell) for cell in cells]
                    ),
                    did_open=[self._item(cell) for cell in opened],
                    did_close=[types.TextDocumentIdentifier(uri=cell["uri"]) for cell in closed],
                )
            )
        )

    def change_metadata(self, position: int) -> None:
        """Metadata of the notebook and an execution summary of a cell, as after running it."""
        cell = self._notebook_cell(self.cells[position])
        cell.execution_summary = types.ExecutionSummary(execution_order=1, success=True)
        self._send(types.NotebookDocumentCellChanges(data=[cell]), metadata={"custom": {"ran": True}})

    def close(self) -> None:
        self.client.notebook_document_did_close(
            types.DidCloseNotebookDocumentParams(
                notebook_document=types.NotebookDocumentIdentifier(uri=self.uri),
                cell_text_documents=[types.TextDocumentIdentifier(uri=cell["uri"]) for cell in self.cells],
            )
        )


async def settled(publishes, notebook: Notebook, since: int) -> dict[str, list[types.Diagnostic]]:
    """The diagnostics of every code cell of `notebook` (recorded by conftest's `Publishes`), once
    each has been published at its current version after `since` (cell versions do not change when
    cells move, so a version alone does not say a publish is new; wait for the previous change to
    settle before making the next)."""
    code_cells = [cell for cell in notebook.cells if cell["kind"] == "code"]

    def all_published() -> bool:
        return all(
            (latest := publishes.latest(cell["uri"], since)) is not None and latest.version == cell["version"]
            for cell in code_cells
        )

    await publishes.until(all_published)
    return {cell["uri"]: list(publishes.latest(cell["uri"], since).diagnostics) for cell in code_cells}
