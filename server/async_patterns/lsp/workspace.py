"""pygls' workspace with LSP's idea of a line, and without disk reads for documents never opened.

pygls 2.1 splits a document with `str.splitlines`, which also breaks lines at form feeds, `\\x1c`,
`\\u2028` and other separators. LSP counts only `\\n`, `\\r\\n` and `\\r`, so an incremental change
to a document holding a form feed (common in older Python files) lands on the wrong line, and from
then on the server analyses a text the editor never had.

pygls also reads a document from disk when asked for one the client has not opened. A request
naming an unopened URI would then make the server read whatever the path names: a FIFO blocks the
server, /dev/zero never ends. Documents the client did not send are empty here instead.
"""

from __future__ import annotations

import re
from typing import Sequence

from lsprotocol import types
from pygls.workspace import TextDocument, Workspace

from async_patterns.analysis.positions import LineIndex

_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


class LspTextDocument(TextDocument):
    @property
    def lines(self) -> Sequence[str]:
        return tuple(_LINE_WITH_END.findall(self.source))

    def _apply_incremental_change(self, change: types.TextDocumentContentChangePartial) -> None:
        # pygls splits the whole document and writes it back line by line on every keystroke
        # (~10 ms for 7,000 lines); without \r the change only needs the offsets of its two ends.
        source = self.source
        if "\r" in source:
            super()._apply_incremental_change(change)
            return
        start_line = _line_start(source, change.range.start.line)
        start = _offset_in_line(source, start_line, change.range.start.character)
        if start_line is None or change.range.end.line == change.range.start.line:
            end_line = start_line
        else:
            end_line = _line_start(source, change.range.end.line, start_line, change.range.start.line)
        end = max(start, _offset_in_line(source, end_line, change.range.end.character))
        self._source = source[:start] + change.text + source[end:]


def _line_start(source: str, line: int, from_index: int = 0, from_line: int = 0) -> int | None:
    """The index where a 0-based line of a \\n-only text starts, or None past its end.

    One `find` per line before it: no copy of the text, unlike splitting it.
    """
    index = from_index
    for _ in range(line - from_line):
        index = source.find("\n", index) + 1
        if index == 0:
            return None
    return index


def _offset_in_line(source: str, line_start: int | None, utf16_column: int) -> int:
    """The index of an LSP column (UTF-16) on the line starting at `line_start`, clamped to the line;
    the end of the text for a line past the end."""
    if line_start is None:
        return len(source)
    line_end = source.find("\n", line_start)
    line = source[line_start : line_end if line_end >= 0 else len(source)]
    return line_start + LineIndex([line]).codepoint_from_utf16(1, utf16_column)


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
