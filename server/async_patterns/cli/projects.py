"""The projects `check` looks across: for the files it is given, each project's root and modules
(every Python file under the root, as `check` would find them), and one lazily filled index per
project in each process, reading module texts only when an answer needs them."""

from __future__ import annotations

from functools import cached_property
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


class Projects:
    """The projects of the checked files, found as each file asks (a run answered from the cache
    asks for few): a file's project is the one whose root is nearest above it, and a file outside
    any project folder belongs to the working folder's."""

    def __init__(self, working_folder: Path) -> None:
        self.workspace = working_folder.resolve()
        self.by_root: dict[str, Project] = {}
        self._resolved_path = PathResolver()
        # Files of one folder share their project: its root is looked up once per folder.
        self._root_of_folder: dict[Path, str] = {}
        self._marked: dict[Path, bool] = {}

    def root_of(self, path: Path) -> str | None:
        """The root of a Python file's project; None for a notebook (a module of no project)."""
        if not path.name.endswith(".py"):
            return None
        resolved = self._resolved_path(path)
        folder = resolved.parent
        if folder not in self._root_of_folder:
            self._root_of_folder[folder] = str(project_root(resolved, self.workspace, self._marks) or folder)
        return self._root_of_folder[folder]

    def get(self, root: str | None) -> Project | None:
        if root is None:
            return None
        if root not in self.by_root:
            self.by_root[root] = Project(root)
        return self.by_root[root]

    def _marks(self, folder: Path) -> bool:
        if folder not in self._marked:
            self._marked[folder] = marks_a_project(folder)
        return self._marked[folder]


def _read(path: str, overrides: dict[str, str]) -> str | None:
    if path in overrides:
        return overrides[path]
    try:
        return read_source(Path(path).read_bytes())
    except (OSError, ValueError):
        return None


class ProjectIndexes:
    """One index per project in this process, built on first use."""

    def __init__(self, projects: Projects, overrides: dict[str, str] | None = None) -> None:
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
