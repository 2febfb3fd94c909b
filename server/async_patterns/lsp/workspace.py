"""pygls' workspace with LSP's idea of a line, and without disk reads for documents never opened.

pygls 2.1 splits a document with `str.splitlines`, which also breaks lines at form feeds, `\\x1c`,
`\\u2028` and other separators. LSP counts only `\\n`, `\\r\\n` and `\\r`, so an incremental change
to a document holding a form feed (common in older Python files) lands on the wrong line, and from
then on the server analyses a text the editor never had.

A document keeps its text's lines too: a keystroke rebuilds only the lines it touches, and the
analysis takes them as they are instead of splitting the whole text again.

pygls also reads a document from disk when asked for one the client has not opened. A request
naming an unopened URI would then make the server read whatever the path names: a FIFO blocks the
server, /dev/zero never ends. Documents the client did not send are empty here instead.

Notebooks (LSP 3.17): pygls 2.1 raises on a change to a notebook or cell it does not hold (so the
server's own handler never runs), opens a cell that a structure change both closes and opens only
to remove it again, and on close keeps every cell the client forgot to list. Here a change to an
unknown notebook or cell is left out, closes are applied before opens, and closing a notebook drops
all of its cells.
"""

from __future__ import annotations

import logging
import re
from typing import Sequence
from urllib.parse import unquote

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from async_patterns.analysis.positions import LineIndex, split_lines

logger = logging.getLogger(__name__)
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspTextDocument(TextDocument):
    # The text's lines (`split_lines`) while the text has no \r; `_source` is joined from them when
    # asked for. Each change makes a new list: an analysis may keep the one it was given.
    _split: list[str] | None = None

    @property
    def source(self) -> str:
        if self._source is None and self._split is not None:
            self._source = "\n".join(self._split)
        return self._source or ""

    @property
    def lines(self) -> Sequence[str]:
        return tuple(_LINE_WITH_END.findall(self.source))

    def analysis_lines(self) -> list[str]:
        """`split_lines(self.source)`, kept from change to change when the text has no \r."""
        if self._split is not None:
            return self._split
        source = self.source
        if "\r" in source:
            return split_lines(source)
        self._split = source.split("\n")
        return self._split

    def _apply_full_change(self, change: types.TextDocumentContentChangeEvent) -> None:
        super()._apply_full_change(change)
        self._split = None

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        # pygls splits the whole document and writes it back line by line on every keystroke (~10 ms
        # for 7,000 lines); a text without \r is kept as lines, and a change rebuilds only its own.
        if self._split is None and "\r" in self.source:
            super()._apply_incremental_change(change)
            return
        lines = _changed_lines(self.analysis_lines(), change)
        if "\r" in change.text:  # from now on pygls' way, which knows \r
            self._source, self._split = "\n".join(lines), None
        else:
            self._source, self._split = None, lines


def _changed_lines(lines: list[str], change: types.TextDocumentContentChangePartial) -> list[str]:
    """New lines for a \n-only text after `change`: positions past a line's end or the text's end
    are clamped to them, and an end before the start is the start (as for the text itself)."""
    start = _clamped(lines, change.range.start.line, change.range.start.character)
    end = max(start, _clamped(lines, change.range.end.line, change.range.end.character))
    (first, start_column), (last, end_column) = start, end
    middle = lines[first][:start_column] + change.text + lines[last][end_column:]
    return lines[:first] + middle.split("\n") + lines[last + 1 :]


def _clamped(lines: list[str], line: int, utf16_column: int) -> tuple[int, int]:
    """(line, code-point column) of an LSP position, inside the text."""
    if line >= len(lines):
        return len(lines) - 1, len(lines[-1])
    return line, LineIndex([lines[line]]).codepoint_from_utf16(1, utf16_column)


class LspWorkspace(Workspace):
    def _create_text_document(
        self,
        doc_uri: str,
        source: str | None = None,
        version: int | None = None,
        language_id: str | None = None,
    ) -> TextDocument:
        return LspTextDocument(
            doc_uri,
            source="" if source is None else source,
            version=version,
            language_id=language_id,
            sync_kind=self._sync_kind,
            position_codec=self._position_codec,
        )

    def put_notebook_document(self, params: types.DidOpenNotebookDocumentParams) -> None:
        self._drop_notebook(params.notebook_document.uri)  # opened twice: the second one holds
        super().put_notebook_document(params)

    def remove_notebook_document(self, params: types.DidCloseNotebookDocumentParams) -> None:
        super().remove_notebook_document(params)
        self._drop_notebook(params.notebook_document.uri)

    def _drop_notebook(self, notebook_uri: str) -> None:
        key = unquote(notebook_uri)
        self._notebook_documents.pop(key, None)
        for cell_uri in [cell for cell, notebook in self._cell_in_notebook.items() if notebook == key]:
            self.remove_text_document(cell_uri)

    def update_notebook_document(self, params: types.DidChangeNotebookDocumentParams) -> None:
        notebook = self._notebook_documents.get(unquote(params.notebook_document.uri))
        if notebook is None:
            logger.warning("notebookDocument/didChange for %s, which is not open: ignored", params.notebook_document.uri)
            return
        notebook.version = params.notebook_document.version
        change = params.change
        if change.metadata is not None:
            notebook.metadata = change.metadata
        cells = change.cells
        if cells is None:
            return
        by_uri = {cell.document: cell for cell in notebook.cells}
        for new_data in cells.data or []:
            cell = by_uri.get(new_data.document)
            if cell is not None:
                cell.kind, cell.metadata, cell.execution_summary = new_data.kind, new_data.metadata, new_data.execution_summary
        structure = cells.structure
        if structure is not None:
            array = structure.array
            start = max(0, min(array.start, len(notebook.cells)))
            end = start + max(0, array.delete_count)
            notebook.cells = [*notebook.cells[:start], *(array.cells or []), *notebook.cells[end:]]
            for closed in structure.did_close or []:
                self.remove_text_document(closed.uri)
            for opened in structure.did_open or []:
                self.put_text_document(opened, notebook_uri=notebook.uri)
        for text in cells.text_content or []:
            if unquote(text.document.uri) in self._text_documents:
                for content_change in text.changes:
                    self.update_text_document(text.document, content_change)
