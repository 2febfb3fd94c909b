"""The one place where columns change units.

`ast` reports columns in UTF-8 bytes, findings carry code points (as libcst does), and LSP speaks
UTF-16 code units. Lines split only on \\n, \\r\\n and \\r, the line ends that both Python's tokenizer
and LSP recognise (str.splitlines would also split on form feeds and other separators).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_END = re.compile(r"\r\n|\r|\n")


def split_lines(source: str) -> list[str]:
    """The document's lines without their line ends; a trailing line end gives an empty last line."""
    # str.split is ~15x faster than the regular expression, and most texts have no \r.
    return _LINE_END.split(source) if "\r" in source else source.split("\n")


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@dataclass(frozen=True, slots=True)
class LineIndex:
    lines: list[str]

    @classmethod
    def of(cls, source: str) -> LineIndex:
        return cls(split_lines(source))

    def line_text(self, line: int) -> str:
        """Text of a 1-based line, or "" past the end."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def codepoint_from_utf8(self, line: int, byte_column: int) -> int:
        text = self.line_text(line)
        if text.isascii():
            return min(byte_column, len(text))
        return len(text.encode("utf-8")[:byte_column].decode("utf-8", errors="ignore"))

    def utf16_from_codepoint(self, line: int, column: int) -> int:
        text = self.line_text(line)
        if text.isascii():
            return min(column, len(text))
        return _utf16_length(text[:column])

    def codepoint_from_utf16(self, line: int, utf16_column: int) -> int:
        text = self.line_text(line)
        if text.isascii():
            return min(utf16_column, len(text))
        units = 0
        for index, char in enumerate(text):
            if units >= utf16_column:
                return index
            units += 2 if ord(char) > 0xFFFF else 1
        return len(text)

    def clamp(self, line: int, column: int) -> tuple[int, int]:
        """The nearest position inside the document (1-based line, code-point column)."""
        line = max(1, min(line, len(self.lines)))
        return line, max(0, min(column, len(self.line_text(line))))


# Characters a terminal would not show as themselves: controls (some move the cursor or start
# escape sequences), format characters (bidi overrides, zero-width joiners), separators that break
# the line, and unassigned code points whose width nobody knows. They are shown escaped instead.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"})
TERMINAL_TAB_STOP = 8


def terminal_cells(text: str) -> tuple[str, list[int]]:
    """One line as a terminal can show it, and the terminal cell where each code-point column starts.

    The shown text expands tabs to the terminal's stops and escapes invisible characters (`\\x1b`,
    `\\u202e`), so printing a source line can neither move the cursor nor reorder the text. The
    returned list has `len(text) + 1` entries: entry `c` is the cell of code-point column `c`, the
    last one the width of the whole line; wide characters (CJK, most emoji) take two cells and
    combining marks none.
    """
    if text.isascii() and text.isprintable():
        return text, list(range(len(text) + 1))
    import unicodedata  # only for lines that need it, and only in commands that show source

    shown: list[str] = []
    starts: list[int] = []
    cell = 0
    for char in text:
        starts.append(cell)
        if char == "\t":
            piece = " " * (TERMINAL_TAB_STOP - cell % TERMINAL_TAB_STOP)
            width = len(piece)
        elif unicodedata.category(char) in _INVISIBLE_CATEGORIES:
            piece = ascii(char)[1:-1]
            width = len(piece)
        else:
            piece = char
            if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me"):
                width = 0
            else:
                width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        shown.append(piece)
        cell += width
    starts.append(cell)
    return "".join(shown), starts
