"""flake8-compatible suppression comments: `# noqa` and `# noqa: CODE[,CODE ...]`."""

from __future__ import annotations

import re

from async_patterns.analysis.findings import Finding
from async_patterns.analysis.positions import LineIndex

# flake8 accepts "noqa:CODE", "noqa: CODE1,CODE2" and "noqa: CODE1 CODE2", case-insensitively.
_NOQA = re.compile(r"#\s*noqa(?::\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)


def suppressed_codes(line_text: str) -> frozenset[str] | None:
    """None when the line has no noqa comment; an empty set for a bare `# noqa` (all codes)."""
    if "noqa" not in line_text.lower():
        return None
    match = _NOQA.search(line_text)
    if match is None:
        return None
    codes = match.group("codes")
    return frozenset(code.upper() for code in _CODE.findall(codes)) if codes else frozenset()


def is_suppressed(finding: Finding, index: LineIndex) -> bool:
    """A noqa comment on the finding's line names its code, or another code the finding also is
    (`data["also"]`: one finding where two rules apply, either code silences it)."""
    codes = suppressed_codes(index.line_text(finding.line))
    if codes is None:
        return False
    return not codes or finding.code in codes or any(code in codes for code in finding.data.get("also", ()))


def code_at(line_text: str, column: int) -> tuple[str, int, int] | None:
    """The rule code of a noqa comment under a code-point column, with its start and end columns."""
    match = _NOQA.search(line_text) if "noqa" in line_text.lower() else None
    if match is None or match.group("codes") is None:
        return None
    offset = match.start("codes")
    for code in _CODE.finditer(match.group("codes")):
        start, end = offset + code.start(), offset + code.end()
        if start <= column <= end:
            return code.group().upper(), start, end
    return None
