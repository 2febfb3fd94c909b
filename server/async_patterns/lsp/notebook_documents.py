"""What the server keeps per open notebook, and the analysis of its cells as one module.

Each change to a notebook (its cells' text, their order, cells added or removed) schedules one
analysis of its Python code cells as one module, incremental like a text document's (only the
statements around an edit are analysed again); a run for an older state is dropped.
Findings are published per cell URI with the cell's version and positions in the cell, and kept in
`published` per cell URI, so that hover and code actions in a cell work as in a file. Everything
kept for a notebook or a cell is dropped when it closes or the cell leaves the notebook.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable
from urllib.parse import unquote

from lsprotocol import types

from async_patterns.analysis import Settings
from async_patterns.analysis.notebook import IncrementalNotebookAnalysis, NotebookModule, NotebookResult
from async_patterns.analysis.positions import LineIndex
from async_patterns.lsp.convert import lsp_text_edit, to_diagnostic
from async_patterns.lsp.documents import PublishedFindings

if TYPE_CHECKING:
    from async_patterns.fixes.notebook import CellEdit
    from async_patterns.lsp.server import AsyncPatternsServer

logger = logging.getLogger(__name__)
_PYTHON = "python"


@dataclass(frozen=True)
class Cell:
    uri: str
    version: int | None
    text: str


@dataclass(frozen=True)
class NotebookState:
    """The Python code cells of an open notebook, in order, as the workspace holds them now."""

    uri: str
    cells: tuple[Cell, ...]

    @classmethod
    def of(cls, ls: AsyncPatternsServer, notebook_uri: str) -> NotebookState | None:
        notebook = ls.workspace.get_notebook_document(notebook_uri=notebook_uri)
        if notebook is None:
            return None
        cells = []
        for cell in notebook.cells:
            document = ls.workspace.text_documents.get(unquote(cell.document))
            if cell.kind == types.NotebookCellKind.Code and document is not None and document.language_id in (None, _PYTHON):
                cells.append(Cell(cell.document, document.version, document.source))
        return cls(notebook.uri, tuple(cells))

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    def position_of(self, cell_uri: str) -> int | None:
        key = unquote(cell_uri)
        return next((number for number, cell in enumerate(self.cells) if unquote(cell.uri) == key), None)


class NotebookAnalyses:
    """The notebooks' analysis runs and the cells each notebook last published findings for."""

    def __init__(self) -> None:
        self.pending: dict[str, asyncio.Task] = {}
        self.published_cells: dict[str, set[str]] = {}
        # Used only in the server's analysis thread, like the text documents' analyses.
        self.analyses: dict[str, IncrementalNotebookAnalysis] = {}

    def notebook_of(self, ls: AsyncPatternsServer, cell_uri: str) -> str | None:
        """The URI of the open notebook a cell belongs to."""
        notebook = ls.workspace.get_notebook_document(cell_uri=cell_uri)
        return notebook.uri if notebook is not None else None

    def schedule(self, ls: AsyncPatternsServer, notebook_uri: str) -> None:
        """Analyse the notebook's newest cells; a run for an older state is cancelled."""
        key = unquote(notebook_uri)
        previous = self.pending.pop(key, None)
        if previous is not None:
            previous.cancel()
        self.pending[key] = asyncio.get_running_loop().create_task(self._analyse_and_publish(ls, notebook_uri))

    def schedule_all(self, ls: AsyncPatternsServer) -> None:
        for notebook_uri in list(ls.workspace.notebook_documents):
            self.schedule(ls, notebook_uri)

    async def _analyse_and_publish(self, ls: AsyncPatternsServer, notebook_uri: str) -> None:
        key = unquote(notebook_uri)
        try:
            await asyncio.sleep(0)  # let changes that are already queued arrive first
            state = NotebookState.of(ls, notebook_uri)
            if state is None:
                return
            if ls.safeguards.too_large(notebook_uri, "\n".join(state.texts)):
                self.analyses.pop(key, None)
                self._publish(ls, state, None)
                return
            settings = ls.settings.for_document(notebook_uri)
            analysis = self.analyses.setdefault(key, IncrementalNotebookAnalysis())
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(ls.analysis_thread, _analyse, analysis, state.texts, settings)
            current = NotebookState.of(ls, notebook_uri)
            # Versions alone can repeat: a notebook closed and opened again starts its cells at 1.
            if current is not None and current.cells == state.cells:
                self._publish(ls, state, result, failed=result is None)
        finally:
            if self.pending.get(key) is asyncio.current_task():
                del self.pending[key]

    def _publish(
        self, ls: AsyncPatternsServer, state: NotebookState, result: NotebookResult | None, failed: bool = False
    ) -> None:
        """Diagnostics for every code cell, and cleared diagnostics for the cells published before
        that are no longer Python code cells here. Without a result, none: the notebook was left
        unanalysed, unless the analysis `failed`, which keeps the findings on unchanged lines.
        Cells that left are cleared first, so a client that has the new cells' diagnostics no longer
        shows those of cells that are gone."""
        key = unquote(state.uri)
        current = {cell.uri for cell in state.cells}
        self.forget_cells(ls, self.published_cells.get(key, set()) - current)
        self.published_cells[key] = current
        for number, cell in enumerate(state.cells):
            index = LineIndex.of(cell.text)
            previous = ls.published.get(cell.uri)
            if result is not None and result.error is None and result.notebook.problems[number] is None:
                findings = result.findings[number]
                ls.published[cell.uri] = PublishedFindings(findings, index)
            elif result is not None or failed:  # while a cell does not parse, its findings on unchanged lines stay
                findings = previous.still_valid_in(index) if previous else []
            else:
                ls.published.pop(cell.uri, None)
                findings = []
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=cell.uri, version=cell.version, diagnostics=[to_diagnostic(finding, index, ls.open_document_command) for finding in findings]
                )
            )

    def forget_cells(self, ls: AsyncPatternsServer, cell_uris: set[str]) -> None:
        for cell_uri in cell_uris:
            ls.published.pop(cell_uri, None)
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=cell_uri, diagnostics=[]))

    def forget(self, ls: AsyncPatternsServer, notebook_uri: str) -> None:
        """Drop everything kept for a closed notebook and clear its cells' diagnostics."""
        key = unquote(notebook_uri)
        task = self.pending.pop(key, None)
        if task is not None:
            task.cancel()
        self.forget_cells(ls, self.published_cells.pop(key, set()))
        self.analyses.pop(key, None)
        ls.safeguards.forget(notebook_uri)

    def resolution_source(self, ls: AsyncPatternsServer, cell_uri: str) -> tuple[str, int] | None:
        """For a cell of an open notebook, the module its cells make (where names defined in other
        cells resolve) and the cell's first line there (0-based)."""
        notebook_uri = self.notebook_of(ls, cell_uri)
        state = NotebookState.of(ls, notebook_uri) if notebook_uri is not None else None
        position = state.position_of(cell_uri) if state is not None else None
        if state is None or position is None:
            return None
        # Masked only: cells that do not parse keep their lines, so positions are the same.
        notebook = NotebookModule.masked(state.texts)
        return notebook.source, notebook.starts[position]

    async def cell_edits(
        self,
        ls: AsyncPatternsServer,
        cell_uri: str,
        version: int,
        compute: Callable[[tuple[NotebookModule, int]], list[CellEdit] | None],
    ) -> list[tuple[str, int | None, list[types.TextEdit]]] | None:
        """The edits `compute` makes for a cell at `version`, computed on the notebook's module, as
        (cell URI, cell version, edits) for each cell they touch; None when the notebook moved on
        meanwhile or there is nothing to do."""
        notebook_uri = self.notebook_of(ls, cell_uri)
        state = NotebookState.of(ls, notebook_uri) if notebook_uri is not None else None
        position = state.position_of(cell_uri) if state is not None else None
        if state is None or position is None or state.cells[position].version != version:
            return None
        loop = asyncio.get_running_loop()
        edits = await loop.run_in_executor(None, lambda: compute((NotebookModule.of(state.texts), position)))
        if not edits or NotebookState.of(ls, state.uri) != state:
            return None
        by_cell: dict[int, list[types.TextEdit]] = {}
        for cell_edit in edits:
            index = LineIndex.of(state.cells[cell_edit.cell].text)
            by_cell.setdefault(cell_edit.cell, []).append(lsp_text_edit(index, cell_edit.edit))
        return [(state.cells[number].uri, state.cells[number].version, text_edits) for number, text_edits in sorted(by_cell.items())]


def _analyse(analysis: IncrementalNotebookAnalysis, texts: list[str], settings: Settings) -> NotebookResult | None:
    try:
        return analysis.update(texts, settings)
    except Exception:  # a bug in one rule must cost this run its findings, not the server its life
        logger.exception("the analysis of a notebook failed; keeping the previous findings")
        return None
