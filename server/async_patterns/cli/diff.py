"""`check --fix --diff`: the fixes as a unified diff that `patch -p0` and `git apply -p0` accept."""

from __future__ import annotations

import difflib
import re

# Python's line ends only: str.splitlines would also break at form feeds and other separators.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_NO_NEWLINE = "\\ No newline at end of file\n"


def _diff_lines(text: str) -> list[str]:
    """Lines with their ends; a last line without one is marked the way diff(1) marks it."""
    lines = _LINE.findall(text)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n" + _NO_NEWLINE
    return lines


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(difflib.unified_diff(_diff_lines(before), _diff_lines(after), fromfile=path, tofile=path))
