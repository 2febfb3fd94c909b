"""Pure analysis: source text in, findings out. Never imports pygls or lsprotocol.

The rules load on the first use of `analyze` (or of the names that go with it), not on import: what
only needs settings, findings or a parse (a check whose results all come from its cache) starts
without them.
"""

from __future__ import annotations

from typing import Any

from async_patterns.analysis.parsing import TOO_DEEP, parse
from async_patterns.analysis.findings import AnalysisResult, Finding, ParseProblem
from async_patterns.analysis.settings import Settings

__all__ = ["TOO_DEEP", "AnalysisResult", "Finding", "ParseProblem", "Settings", "analyze", "parse"]

_WITH_THE_RULES = frozenset({"analyze", "lone_module_view", "LONE_MODULE"})


def __getattr__(name: str) -> Any:
    if name in _WITH_THE_RULES:
        from async_patterns.analysis import module_analysis

        return getattr(module_analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
