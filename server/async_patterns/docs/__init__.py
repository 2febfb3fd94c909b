"""Hover documentation and the reference documents. Pure: no LSP types here.

The LSP layer asks `hover_markdown(name, requires_python=...)` with the qualified name the analysis
resolved under the cursor and the minimum Python from the workspace's `requires-python`
(`parse_requires_python`).
"""

from .hover import entry_count, hover_markdown, known_names
from .reference import reference_documents
from .versions import parse_requires_python

__all__ = ["entry_count", "hover_markdown", "known_names", "parse_requires_python", "reference_documents"]
