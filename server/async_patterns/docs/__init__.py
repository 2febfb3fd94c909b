"""Hover documentation and the reference documents. Pure: no LSP types here.

The LSP layer asks `hover_markdown(name, requires_python=...)` with the qualified name the analysis
resolved under the cursor and the minimum Python from the workspace's `requires-python`
(`parse_requires_python`).
"""

from __future__ import annotations

import importlib
from typing import Any

# Loaded on first use: the entries take ~100 ms to import, and links to the documents (a
# diagnostic's rule link) are needed long before the first hover.
_DEFINED_IN = {
    "entry_count": "hover",
    "hover_markdown": "hover",
    "known_names": "hover",
    "reference_documents": "reference",
    "parse_requires_python": "versions",
}

__all__ = sorted(_DEFINED_IN)


def __getattr__(name: str) -> Any:
    if name in _DEFINED_IN:
        return getattr(importlib.import_module(f"{__name__}.{_DEFINED_IN[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
