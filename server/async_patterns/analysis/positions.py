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
