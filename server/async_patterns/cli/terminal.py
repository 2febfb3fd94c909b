"""Whether a report goes to a person at a terminal, and how it is coloured there.

Colour follows the conventions people set once for all their tools: `NO_COLOR` (no-color.org)
turns it off, `FORCE_COLOR` (force-color.org) turns it on where it would be off (a pipe, CI logs),
and `TERM=dumb` means a terminal that shows escape sequences as text. When both are set, NO_COLOR
wins, as in CPython's own coloured output: CI services set FORCE_COLOR globally, while NO_COLOR is
a person's choice.
"""

from __future__ import annotations

import os
from typing import TextIO


def is_terminal(stream: TextIO | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # a replaced or closed stream
        return False


def wants_colour(stream: TextIO | None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return is_terminal(stream) and os.environ.get("TERM") != "dumb"


_SEVERITY_COLOURS = {"error": "31", "warning": "33", "information": "34", "hint": "36"}


class Style:
    """SGR escape sequences around text, or the text unchanged when colour is off."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, codes: str, text: str) -> str:
        return f"\x1b[{codes}m{text}\x1b[0m" if self.enabled and text else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def gutter(self, text: str) -> str:
        return self._wrap("1;34", text)

    def fix(self, text: str) -> str:
        return self._wrap("32", text)

    def severity(self, severity: str, text: str) -> str:
        return self._wrap(f"1;{_SEVERITY_COLOURS.get(severity, '33')}", text)
