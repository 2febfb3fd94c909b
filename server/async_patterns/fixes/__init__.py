"""Quick fixes that never break code. Pure: never imports pygls.

Listing what can be fixed reads only the finding (`offered_fixes`, `is_fixable`: no libcst, so the
command line and code-action listing stay fast); computing an edit parses the module once with
libcst (`compute_fix`, `fix_all`, loaded on first use).
"""

from __future__ import annotations

from typing import Any

from async_patterns.fixes.offers import FixOffer, is_fixable, offered_fixes, suppression_title
from async_patterns.fixes.text import TextEdit, apply_edits, edits_between

_NEEDING_LIBCST = frozenset({"FixAllResult", "compute_fix", "compute_suppression", "fix_all"})

__all__ = [
    "FixAllResult",
    "FixOffer",
    "TextEdit",
    "apply_edits",
    "compute_fix",
    "compute_suppression",
    "edits_between",
    "fix_all",
    "is_fixable",
    "offered_fixes",
    "suppression_title",
]


def __getattr__(name: str) -> Any:
    if name in _NEEDING_LIBCST:
        from async_patterns.fixes import apply

        return getattr(apply, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
