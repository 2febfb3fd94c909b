"""Which Python files a check or a project covers, and reading them as text without ever raising
(for the command line and for the server's project index alike)."""

from __future__ import annotations

import io
import os
import tokenize
from pathlib import Path
from typing import Iterator

import pathspec

from async_patterns.analysis.project.layout import is_package, module_name

_SKIPPED_FOLDERS = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
        ".ruff_cache", ".async-patterns-cache", "site-packages", ".eggs", ".ipynb_checkpoints",
    }
)


def _is_virtualenv(folder: Path) -> bool:
    return (folder / "pyvenv.cfg").is_file() or (folder / "conda-meta").is_dir()


def _gitignore_spec(folder: Path) -> pathspec.PathSpec | None:
    try:
        lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _walk(root: Path, ignores: list[tuple[Path, pathspec.PathSpec]]) -> Iterator[Path]:
    spec = _gitignore_spec(root)
    if spec is not None:
        ignores = [*ignores, (root, spec)]
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        path = Path(entry.path)
        is_dir = entry.is_dir(follow_symlinks=False)
        if any(
            spec.match_file(path.relative_to(base).as_posix() + ("/" if is_dir else ""))
            for base, spec in ignores
        ):
            continue
        if is_dir:
            if entry.name not in _SKIPPED_FOLDERS and not _is_virtualenv(path):
                yield from _walk(path, ignores)
        elif entry.name.endswith((".py", ".ipynb")) and entry.is_file():
            yield path


def _enclosing_ignores(folder: Path) -> list[tuple[Path, pathspec.PathSpec]]:
    """.gitignore files above a folder, up to the repository root, so a subfolder check obeys them.

    A .gitignore that ignores the folder itself is left out: naming a folder asks for it.
    """
    found = []
    for parent in folder.parents:
        spec = _gitignore_spec(parent)
        if spec is not None and not spec.match_file(folder.relative_to(parent).as_posix() + "/"):
            found.append((parent, spec))
        if (parent / ".git").exists():
            break
    return list(reversed(found))


def discover(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Python files and notebooks under the given paths (files are taken as given), and paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for path in paths:
        if path.is_dir():
            folder = path.resolve()
            files.extend(
                path / found.relative_to(folder) for found in _walk(folder, _enclosing_ignores(folder))
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(str(path))
    return list(dict.fromkeys(files)), missing


def read_source(data: bytes) -> str:
    """The text of a Python file (honouring PEP 263 coding cookies), or raises ValueError with why not."""
    if b"\0" in data:
        raise ValueError("contains NUL bytes (a binary file?)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            raise ValueError(f"not valid UTF-8: {decode_error.reason} at byte {decode_error.start}") from None
        raise ValueError(f"cannot determine the encoding: {error.msg}") from None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as error:
        raise ValueError(f"not valid {encoding}: {error}") from None


def modules_under(root: Path) -> dict[str, tuple[str, bool]]:
    found, _ = discover([root])
    modules: dict[str, tuple[str, bool]] = {}
    for path in found:
        if path.suffix != ".py":
            continue
        resolved = path.resolve()
        name = module_name(resolved, root)
        # Two files claiming one name (`src/app` and `app`): the first found is kept.
        if name is not None and name not in modules:
            modules[name] = (str(resolved), is_package(resolved))
    return modules
