"""`check --config FILE`: one settings file for every checked file, instead of the nearest pyproject.toml.

A pyproject.toml (or any TOML file with a `[tool.async-patterns]` table) gives that table; any other
TOML file gives its top-level keys, the same keys as the table. A file named on the command line is
a deliberate choice, so unlike a discovered pyproject.toml, any problem in it stops the run.
"""

from __future__ import annotations

from pathlib import Path

from async_patterns.analysis import Settings
from async_patterns.analysis.settings import parse_settings, read_toml, tool_table


def load_config(path: Path) -> tuple[Settings, list[str]]:
    """The settings in `path`, and every problem with it (none means it can be used)."""
    document, problems = read_toml(path)
    if document is None:
        return Settings(), problems
    table = tool_table(document)
    if table is None:
        if path.name == "pyproject.toml":
            return Settings(), [f"{path}: has no [tool.async-patterns] table"]
        table = document
        origin = str(path)
    else:
        origin = f"{path} [tool.async-patterns]"
    settings, _, problems = parse_settings(table, origin, path.resolve().parent)
    return settings, problems
