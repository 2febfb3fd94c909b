"""Per-document state the server keeps: the settings that apply and the last good findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable
from urllib.parse import unquote, urlparse

from async_patterns.analysis import Settings
from async_patterns.analysis.findings import Finding
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.settings import find_pyproject, parse_settings, read_pyproject_table


def path_of(uri: str) -> Path | None:
    parsed = urlparse(uri)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


@dataclass
class _PyprojectEntry:
    modified: float
    settings: Settings
    project: dict[str, Any] | None


@dataclass
class SettingsResolver:
    """Editor settings over the nearest pyproject.toml's `[tool.async-patterns]` (the editor wins).

    Problems are handed to `report` once per distinct source, so a broken setting is logged once.
    Per-file ignores are decided by the document's path: a pyproject's patterns are relative to its
    folder, the editor's to the workspace folder holding the document (`workspace_folders` gives
    their URIs).
    """

    report: Callable[[str], None]
    workspace_folders: Callable[[], Iterable[str]] = lambda: ()
    editor: Settings = field(default_factory=Settings)
    # Where relative paths in the editor's settings start: the (first) workspace folder.
    editor_base: Path | None = None
    editor_fields: set[str] = field(default_factory=set)
    _pyprojects: dict[Path, _PyprojectEntry] = field(default_factory=dict)

    def set_editor_settings(self, raw: Any) -> None:
        self.editor, self.editor_fields, problems = parse_settings(
            raw, "editor settings", self.editor_base, patterns_from_base=False
        )
        for problem in problems:
            self.report(f"{problem}; using the default for it")

    def _pyproject(self, path: Path) -> _PyprojectEntry:
        try:
            modified = path.stat().st_mtime
        except OSError:
            modified = -1.0
        cached = self._pyprojects.get(path)
        if cached is None or cached.modified != modified:
            table, project, problems = read_pyproject_table(path)
            settings, _, setting_problems = parse_settings(table, f"{path} [tool.async-patterns]", path.parent)
            for problem in problems + setting_problems:
                self.report(f"{problem}; using the default for it")
            cached = self._pyprojects[path] = _PyprojectEntry(modified, settings, project)
        return cached

    def _nearest(self, uri: str) -> _PyprojectEntry | None:
        path = path_of(uri)
        pyproject = find_pyproject(path) if path is not None else None
        return self._pyproject(pyproject) if pyproject is not None else None

    def for_document(self, uri: str) -> Settings:
        entry = self._nearest(uri)
        base = entry.settings if entry else Settings()
        merged = self.editor.merged_over(base, self.editor_fields)
        path = path_of(uri)
        return merged.for_file(path, self._workspace_folder_of(path)) if path is not None else merged

    def _workspace_folder_of(self, path: Path) -> Path | None:
        folders = (path_of(uri) for uri in self.workspace_folders())
        holding = [folder for folder in folders if folder is not None and path.is_relative_to(folder)]
        return max(holding, key=lambda folder: len(folder.parts), default=None)

    def describe_for(self, uri: str) -> str:
        """Which configuration applies to a file or folder, and the settings that result."""
        path = path_of(uri)
        pyproject = find_pyproject(path) if path is not None else None
        where = f"{pyproject} [tool.async-patterns]" if pyproject else "no pyproject.toml found"
        editor = self.editor.describe() if self.editor_fields else "none"
        return f"config {where}; editor settings {editor}; in effect: {self.for_document(uri).describe()}"

    def requires_python(self, uri: str) -> str | None:
        entry = self._nearest(uri)
        value = (entry.project or {}).get("requires-python") if entry else None
        return value if isinstance(value, str) else None


@dataclass(frozen=True)
class PublishedFindings:
    """The findings last published for a document that parsed, with the text they were found in:
    the analysis' own, and those other sources added for that text (recorded loop stalls)."""

    analysed: list[Finding]
    index: LineIndex
    added: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [*self.analysed, *self.added]

    def still_valid_in(self, index: LineIndex) -> list[Finding]:
        """The analysis' findings whose lines read the same in the new text, so they still point at
        their code (the sources are asked again for every text)."""
        return [
            finding
            for finding in self.analysed
            if all(
                self.index.line_text(line) == index.line_text(line)
                for line in range(finding.line, finding.end_line + 1)
            )
        ]
