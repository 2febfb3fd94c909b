"""The projects `check` looks across: for the files it is given, each project's root and modules
(every Python file under the root, as `check` would find them), and one lazily filled index per
project in each process, reading module texts only when an answer needs them."""

from __future__ import annotations

import os
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from async_patterns.analysis.project.layout import marks_a_project, project_root
from async_patterns.analysis.settings import Settings
from async_patterns.files import PathResolver, modules_under, read_source

if TYPE_CHECKING:
    from async_patterns.analysis.project.index import ProjectIndex
    from async_patterns.analysis.project.view import ProjectView


class Project:
    """A project's root; its modules are listed (a walk of the whole tree) only when first asked
    for, since a run whose results all come from the cache never needs them."""

    def __init__(self, root: str) -> None:
        self.root = root

    @cached_property
    def modules(self) -> dict[str, tuple[str, bool]]:
        """module name -> (path, is a package's __init__)"""
        return modules_under(Path(self.root))

    @cached_property
    def by_path(self) -> dict[str, str]:
        """resolved path -> module name"""
        return {path: name for name, (path, _) in self.modules.items()}


def projects_of(files: list[Path], fallback: Path) -> tuple[dict[str, Project], dict[str, str]]:
    """The projects the files belong to, by root, and each file's root (files outside any project
    folder belong to `fallback`'s, the working folder's)."""
    roots: dict[str, str] = {}
    projects: dict[str, Project] = {}
    workspace = fallback.resolve()
    marks = cache(marks_a_project)
    # Files of one folder share their project: its root is looked up once per folder.
    root_of_folder: dict[str, str] = {}
    for path in files:
        text = str(path)
        if not text.endswith(".py"):
            continue
        if os.path.islink(text):  # a linked file belongs where it points
            resolved = path.resolve()
            key = str(project_root(resolved, workspace, marks) or resolved.parent)
        else:
            folder = os.path.dirname(text)
            if folder not in root_of_folder:
                resolved = Path(folder or ".").resolve() / path.name
                root_of_folder[folder] = str(project_root(resolved, workspace, marks) or resolved.parent)
            key = root_of_folder[folder]
        roots[text] = key
        if key not in projects:
            projects[key] = Project(key)
    return projects, roots


def _read(path: str, overrides: dict[str, str]) -> str | None:
    if path in overrides:
        return overrides[path]
    try:
        return read_source(Path(path).read_bytes())
    except (OSError, ValueError):
        return None


class ProjectIndexes:
    """One index per project in this process, built on first use."""

    def __init__(self, projects: dict[str, Project], overrides: dict[str, str] | None = None) -> None:
        self.projects = projects
        self.overrides = overrides or {}
        self._indexes: dict[tuple[str, str], ProjectIndex] = {}
        self._resolved_path = PathResolver()

    def view_for(self, root: str | None, path: Path, settings: Settings) -> ProjectView | None:
        project = self.projects.get(root) if root else None
        module = project.by_path.get(str(self._resolved_path(path))) if project else None
        if project is None or module is None:
            return None
        # Loaded with the first file analysed: a run answered from the cache never asks.
        from async_patterns.analysis.project.index import ProjectIndex
        from async_patterns.analysis.project.view import ProjectView

        key = (project.root, settings.fingerprint())
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = ProjectIndex(settings)
            for name, (module_path, package) in project.modules.items():
                index.set_module(name, module_path, package, lambda module_path=module_path: _read(module_path, self.overrides))
        return ProjectView(index, module, project.modules[module][1])
