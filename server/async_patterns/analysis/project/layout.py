"""Where a project starts and what its modules are called, from paths alone (nothing is read).

A project is the folder with `pyproject.toml` (or `.git`) above a file, else the folder the caller
names (the workspace folder). Module names are dotted paths from that root, or from its `src/`
folder for files under it (the `src` layout); a package's `__init__.py` is the package itself.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from dataclasses import replace
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # the layout is also needed by what never resolves names (the command line's file walk)
    from async_patterns.analysis.names import Scope

_MARKERS = ("pyproject.toml", ".git", "setup.py", "setup.cfg")


def marks_a_project(folder: Path) -> bool:
    return any((folder / marker).exists() for marker in _MARKERS)


def project_root(
    path: Path, workspace: Path | None = None, marks: Callable[[Path], bool] = marks_a_project
) -> Path | None:
    """The nearest folder above `path` that marks a project, not above the `workspace` folder (which
    is the project when nothing below it marks one). Never the home folder, a folder above it or the
    file system's root: a stray marker there would make everything one project. (`marks` may be a
    remembering `marks_a_project`, for a caller that asks about many files of the same folders.)"""
    too_high = {Path.home(), *Path.home().parents}
    for folder in path.parents:
        if folder in too_high:
            break
        if marks(folder):
            return folder
        if folder == workspace:
            return workspace
    return workspace if workspace is not None and workspace in path.parents else None


def module_name(path: PurePath, root: PurePath) -> str | None:
    """`pkg.sub.mod` for `root/pkg/sub/mod.py` (or `root/src/pkg/...`), None outside the root or
    for a name Python cannot import (`my-script.py`)."""
    try:
        parts = list(path.relative_to(root).parts)
    except ValueError:
        return None
    if len(parts) > 1 and parts[0] == "src":
        parts = parts[1:]
    if not parts or not parts[-1].endswith(".py"):
        return None
    parts[-1] = parts[-1][: -len(".py")]
    if parts[-1] == "__init__":
        parts.pop()
    if not parts or not all(part.isidentifier() for part in parts):
        return None
    return ".".join(parts)


def is_package(path: PurePath) -> bool:
    return path.name == "__init__.py"


def absolute_import(module: str, relative: str, package: bool) -> str:
    """The absolute name of `relative` ("..utils.load") imported in `module` (a package itself when
    `package`); names without leading dots are returned as they are."""
    level = len(relative) - len(relative.lstrip("."))
    if not level:
        return relative
    parts = module.split(".")
    # In a package's __init__, one dot is the package itself; in a module, its package.
    keep = len(parts) - level + (1 if package else 0)
    if keep < 0:
        return relative.lstrip(".")
    base = parts[:keep]
    rest = relative[level:]
    return ".".join([*base, rest] if rest else base)


def make_imports_absolute(scope: Scope, module: str, package: bool) -> None:
    """Rewrite the scope's relative imports (`from ..db import x` in `app.web.views`) as absolute names."""
    for name, binding in scope.bindings.items():
        if binding.qualname and binding.qualname.startswith("."):
            scope.bindings[name] = replace(binding, qualname=absolute_import(module, binding.qualname, package))
