"""The projects `check` looks across: for the files it is given, each project's root and modules
(every Python file under the root, as `check` would find them), and one lazily filled index per
project in each process, reading module texts only when an answer needs them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from async_patterns.analysis.project.index import ProjectIndex
from async_patterns.analysis.project.layout import project_root
from async_patterns.analysis.project.view import ProjectView
from async_patterns.analysis.settings import Settings
from async_patterns.files import modules_under, read_source


@dataclass
class Project:
    root: str
    # module name -> (path, is a package's __init__)
    modules: dict[str, tuple[str, bool]]
    # resolved path -> module name
    by_path: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_path = {path: name for name, (path, _) in self.modules.items()}


def projects_of(files: list[Path], fallback: Path) -> tuple[dict[str, Project], dict[str, str]]:
    """The projects the files belong to, by root, and each file's root (files outside any project
    folder belong to `fallback`'s, the working folder's)."""
    roots: dict[str, str] = {}
    projects: dict[str, Project] = {}
    for path in files:
        if path.suffix != ".py":
            continue
        resolved = path.resolve()
        root = project_root(resolved, fallback.resolve()) or resolved.parent
        if root is None:
            continue
        key = str(root)
        roots[str(path)] = key
        if key not in projects:
            projects[key] = Project(key, modules_under(root))
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

    def view_for(self, root: str | None, path: Path, settings: Settings) -> ProjectView | None:
        project = self.projects.get(root) if root else None
        module = project.by_path.get(str(path.resolve())) if project else None
        if project is None or module is None:
            return None
        key = (project.root, settings.fingerprint())
        index = self._indexes.get(key)
        if index is None:
            index = self._indexes[key] = ProjectIndex(settings)
            for name, (module_path, package) in project.modules.items():
                index.set_module(name, module_path, package, lambda module_path=module_path: _read(module_path, self.overrides))
        return ProjectView(index, module, project.modules[module][1])


def module_hashes(project: Project, modules: set[str], known: dict[str, str]) -> dict[str, str]:
    """A content hash of each module's file (cached in `known` by path); '' for one that cannot be read."""
    hashes = {}
    for module in sorted(modules):
        path = project.modules.get(module, ("", False))[0]
        if path not in known:
            try:
                known[path] = hashlib.blake2b(Path(path).read_bytes(), digest_size=16).hexdigest()
            except OSError:
                known[path] = ""
        hashes[module] = known[path]
    return hashes
