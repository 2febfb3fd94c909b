"""Pure analysis: source text in, findings out. Never imports pygls or lsprotocol.

The rules load on the first use of `analyze` (or of the names that go with it), and the parser's
helpers on the first use of `parse`, not on import: what only needs settings or findings (a check
whose results all come from its cache) starts without them.
"""

from __future__ import annotations

import importlib
from typing import Any

from async_patterns.analysis.findings import AnalysisResult, Finding, ParseProblem
from async_patterns.analysis.settings import Settings

__all__ = ["TOO_DEEP", "AnalysisResult", "Finding", "ParseProblem", "Settings", "analyze", "parse"]

_LOADED_ON_USE = {
    **dict.fromkeys(("analyze", "lone_module_view", "LONE_MODULE"), "module_analysis"),
    **dict.fromkeys(("TOO_DEEP", "parse"), "parsing"),
}


def __getattr__(name: str) -> Any:
    if name in _LOADED_ON_USE:
        return getattr(importlib.import_module(f"async_patterns.analysis.{_LOADED_ON_USE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
