"""Text edits in the positions findings use: 1-based lines, 0-based code-point columns."""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass
from typing import Iterable

# The same line ends as `analysis.positions`, so edit positions and finding positions agree.
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class TextEdit:
    line: int
    column: int
    end_line: int
    end_column: int
    new_text: str


class Offsets:
    """Absolute code-point offsets <-> (1-based line, column) in one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts = [0, *(match.end() for match in _LINE_END.finditer(text))]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1]

    def offset(self, line: int, column: int) -> int:
        return self.line_starts[line - 1] + column


def _lines_with_ends(text: str) -> list[str]:
    pieces = _LINE_END.split(text)
    ends = _LINE_END.findall(text)
    return [piece + end for piece, end in zip(pieces, ends)] + ([pieces[-1]] if pieces[-1] else [])


def edits_between(old: str, new: str) -> list[TextEdit]:
    """Minimal edits turning `old` into `new`: one per changed run of lines, trimmed to the characters."""
    offsets = Offsets(old)
    old_lines, new_lines = _lines_with_ends(old), _lines_with_ends(new)
    old_starts = [0]
    for line in old_lines:
        old_starts.append(old_starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, old_first, old_last, new_first, new_last in matcher.get_opcodes():
        if tag == "equal":
            continue
        start, end = old_starts[old_first], old_starts[old_last]
        replaced, replacement = old[start:end], "".join(new_lines[new_first:new_last])
        prefix = len(_common_prefix(replaced, replacement))
        suffix = len(_common_prefix(replaced[prefix:][::-1], replacement[prefix:][::-1]))
        line, column = offsets.position(start + prefix)
        end_line, end_column = offsets.position(end - suffix)
        edits.append(TextEdit(line, column, end_line, end_column, replacement[prefix : len(replacement) - suffix]))
    return edits


def _common_prefix(first: str, second: str) -> str:
    size = 0
    for size, (left, right) in enumerate(zip(first, second), start=1):
        if left != right:
            return first[: size - 1]
    return first[:size]


def apply_edits(text: str, edits: Iterable[TextEdit]) -> str:
    """The text after non-overlapping edits, all given in positions of the original text."""
    offsets = Offsets(text)
    pieces, cursor = [], 0
    for edit in sorted(edits, key=lambda edit: (edit.line, edit.column)):
        start, end = offsets.offset(edit.line, edit.column), offsets.offset(edit.end_line, edit.end_column)
        if start < cursor:
            raise ValueError("overlapping edits")
        pieces += [text[cursor:start], edit.new_text]
        cursor = end
    return "".join(pieces) + text[cursor:]
