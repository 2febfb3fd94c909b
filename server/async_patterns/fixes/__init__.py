"""Quick fixes that never break code. Pure: never imports pygls.

Listing what can be fixed reads only the finding (`offered_fixes`, `is_fixable`: no libcst, so the
command line and code-action listing stay fast); computing an edit parses the module once with
libcst (`compute_fix`, `fix_all`, and their notebook forms, loaded on first use).
"""

from __future__ import annotations

import importlib
from typing import Any

from async_patterns.fixes.offers import FixOffer, is_fixable, is_fixed_by_fix_all, offered_fixes, suppression_title

# Names loaded on first use, by the module that defines them: editing text (difflib), and computing
# fixes (libcst).
_LOADED_ON_USE = {
    **dict.fromkeys(("TextEdit", "apply_edits", "edits_between"), "text"),
    **dict.fromkeys(("FixAllResult", "compute_fix", "compute_suppression", "fix_all"), "apply"),
    **dict.fromkeys(("fix_all_in_notebook", "fix_in_notebook", "suppression_in_notebook"), "notebook"),
}

__all__ = [
    "FixAllResult",
    "FixOffer",
    "TextEdit",
    "apply_edits",
    "compute_fix",
    "compute_suppression",
    "edits_between",
    "fix_all",
    "fix_all_in_notebook",
    "fix_in_notebook",
    "is_fixable",
    "is_fixed_by_fix_all",
    "offered_fixes",
    "suppression_in_notebook",
    "suppression_title",
]


def __getattr__(name: str) -> Any:
    if name in _LOADED_ON_USE:
        module = importlib.import_module(f"async_patterns.fixes.{_LOADED_ON_USE[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
