"""A document's text and lines after incremental changes, kept line by line: the same as applying
each change to the whole text, for any range a client may send (past a line's end or the text's
end, reversed, inside a surrogate pair)."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from lsprotocol import types

from async_patterns.analysis.positions import LineIndex, split_lines
from async_patterns.lsp.workspace import LspTextDocument

PIECES = ("async def main():\n", "    ", "await x\n", "日本", "😀", "é", "\t", "\n", "\x0c", "\u2028", "(", "", "pass")
TEXT = st.lists(st.sampled_from(PIECES), max_size=12).map("".join)
POSITION = st.tuples(st.integers(min_value=0, max_value=8), st.integers(min_value=0, max_value=12))


def _offset(text: str, line: int, utf16_column: int) -> int:
    """Where an LSP position falls in a \\n-only text, clamped to its line and to the text."""
    lines = text.split("\n")
    if line >= len(lines):
        return len(text)
    start = sum(len(earlier) + 1 for earlier in lines[:line])
    return start + LineIndex([lines[line]]).codepoint_from_utf16(1, utf16_column)


def _applied(text: str, change: types.TextDocumentContentChangePartial) -> str:
    start = _offset(text, change.range.start.line, change.range.start.character)
    end = max(start, _offset(text, change.range.end.line, change.range.end.character))
    return text[:start] + change.text + text[end:]


def _document(text: str) -> LspTextDocument:
    return LspTextDocument("file:///doc.py", text, version=1, sync_kind=types.TextDocumentSyncKind.Incremental)


def _change(start: tuple[int, int], end: tuple[int, int], text: str) -> types.TextDocumentContentChangePartial:
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(*start), end=types.Position(*end)), text=text
    )


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(st.tuples(POSITION, POSITION, TEXT), min_size=1, max_size=6))
# A range whose end lies on an earlier line than its start, as the first change: the offset
# arithmetic this replaced deleted a character there.
@example("async def main():\nasync def main():\n", [((1, 0), (0, 1), "")])
def test_changes_kept_line_by_line_give_the_text_and_lines_of_the_whole_text_changed(text: str, changes: list):
    document = _document(text)
    expected = text
    for start, end, inserted in changes:
        change = _change(start, end, inserted)
        document.apply_change(change)
        expected = _applied(expected, change)
        lines = document.analysis_lines()
        assert document.source == expected
        assert lines == split_lines(expected)


def test_lines_handed_to_an_analysis_stay_as_they_were_after_the_next_change():
    document = _document("a = 1\nb = 2\n")
    given_out = document.analysis_lines()
    document.apply_change(_change((1, 0), (1, 1), "c"))
    assert given_out == ["a = 1", "b = 2", ""]
    assert document.analysis_lines() == ["a = 1", "c = 2", ""]


def test_a_change_that_brings_a_carriage_return_is_applied_to_the_whole_text():
    document = _document("a = 1\nb = 2\n")
    document.analysis_lines()
    document.apply_change(_change((0, 5), (1, 0), "\r\n"))
    assert document.source == "a = 1\r\nb = 2\n"
    assert document.analysis_lines() == ["a = 1", "b = 2", ""]
