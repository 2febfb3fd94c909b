"""`# noqa: CODE` on a finding's line: added, or the code appended to the line's existing noqa list."""

from __future__ import annotations

import io
import re
import tokenize

from async_patterns.analysis.findings import Finding
from async_patterns.analysis.positions import LineIndex
from async_patterns.fixes.text import TextEdit

_NOQA_CODES = re.compile(r"#\s*noqa:\s?[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*", re.IGNORECASE)


def suppression_edit(source: str, finding: Finding) -> TextEdit | None:
    """None where a comment cannot go: the line ends inside a string or with a backslash."""
    line = finding.line
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    comment = None
    for token in tokens:
        if token.start[0] <= line < token.end[0] and token.type != tokenize.NL:
            return None  # a string (or an f-string) continues past this line's end
        if token.start[0] == line and token.type == tokenize.COMMENT:
            comment = token
    text = LineIndex.of(source).line_text(line)
    if comment is None:
        if text.rstrip().endswith("\\"):
            return None
        end = len(text.rstrip())
        return TextEdit(line, end, line, len(text), f"  # noqa: {finding.code}")
    match = _NOQA_CODES.search(comment.string)
    column = comment.start[1]
    if match is not None:
        insert_at = column + match.end()
        return TextEdit(line, insert_at, line, insert_at, f", {finding.code}")
    end = column + len(comment.string.rstrip())
    return TextEdit(line, end, line, end, f"  # noqa: {finding.code}")
