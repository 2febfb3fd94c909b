"""Which Python files a check or a project covers, and reading them as text without ever raising
(for the command line and for the server's project index alike)."""

from __future__ import annotations

import io
import os
import re
import stat
import tokenize
from pathlib import Path
from typing import Iterator

from async_patterns.analysis.project.layout import is_package, module_name


# Hand-written modules stay far below this; above it lie generated or minified files, where
# re-analysing on every keystroke costs seconds and nobody reads the findings (the server's limit).
DEFAULT_MAX_FILE_BYTES = 2_000_000

_SKIPPED_FOLDERS = frozenset(
    {
        ".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache",
        ".ruff_cache", ".async-patterns-cache", "site-packages", ".eggs", ".ipynb_checkpoints",
    }
)


# pathspec names a group in each pattern's expression; joined expressions must not repeat a name.
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")


class Gitignore:
    """The patterns of one .gitignore. Without negations (`!pattern`) a path is ignored when any
    pattern matches, so they are tried as one regular expression (a walk asks about every file);
    with negations, pattern by pattern in pathspec's order."""

    def __init__(self, lines: list[str]) -> None:
        import pathspec  # loaded with the first .gitignore found

        self.spec = pathspec.GitIgnoreSpec.from_lines(lines)
        active = [pattern for pattern in self.spec.patterns if pattern.include is not None]
        expressions = [getattr(pattern.regex, "pattern", None) for pattern in active]
        self.has_patterns = bool(active)
        self.combined: re.Pattern[str] | None = None
        if active and all(pattern.include for pattern in active) and all(
            isinstance(expression, str) and "(?P=" not in expression for expression in expressions
        ):
            self.combined = re.compile(
                "|".join(f"(?:{_NAMED_GROUP.sub('(?:', expression)})" for expression in expressions)
            )

    def match_file(self, relative: str) -> bool:
        """Whether a path relative to the .gitignore's folder (ending in "/" for a folder) is ignored."""
        if self.combined is not None:
            return self.combined.match(relative) is not None
        return self.has_patterns and self.spec.match_file(relative)


def _gitignore_spec(folder: Path | str) -> Gitignore | None:
    try:
        with open(os.path.join(folder, ".gitignore"), encoding="utf-8", errors="replace") as stream:
            lines = stream.read().splitlines()
    except OSError:
        return None
    return Gitignore(lines)


def _walk(folder: str, ignores: list[tuple[str, Gitignore]], is_top: bool = False) -> Iterator[str]:
    """The Python files and notebooks under `folder`, in name order, as paths below it. `ignores`
    pairs each .gitignore's folder, as a path prefix ending in a separator, with its patterns. A
    virtualenv below the top folder is skipped whole.

    Works on the strings `os.scandir` gives (thousands of files: path objects would cost more than
    the walk), and learns from one listing whether the folder has a .gitignore or is a virtualenv.
    """
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    names = {entry.name: entry for entry in entries}
    if not is_top and (
        ("pyvenv.cfg" in names and names["pyvenv.cfg"].is_file())
        or ("conda-meta" in names and names["conda-meta"].is_dir())
    ):
        return
    if ".gitignore" in names:
        spec = _gitignore_spec(folder)
        if spec is not None:
            ignores = [*ignores, (os.path.join(folder, ""), spec)]
    for entry in entries:
        is_dir = entry.is_dir(follow_symlinks=False)
        if not is_dir and not entry.name.endswith((".py", ".ipynb")):
            continue
        # Paths below a .gitignore's folder, in its own terms (the walk only goes down from there).
        if ignores and any(
            spec.match_file(_posix(entry.path[len(base) :]) + ("/" if is_dir else "")) for base, spec in ignores
        ):
            continue
        if is_dir:
            if entry.name not in _SKIPPED_FOLDERS:
                yield from _walk(entry.path, ignores)
        elif entry.is_file():
            yield entry.path


def _posix(relative: str) -> str:
    return relative if os.sep == "/" else relative.replace(os.sep, "/")


def _enclosing_ignores(folder: Path) -> list[tuple[str, Gitignore]]:
    """.gitignore files above a folder, up to the repository root, so a subfolder check obeys them.

    A .gitignore that ignores the folder itself is left out: naming a folder asks for it.
    """
    found = []
    for parent in folder.parents:
        spec = _gitignore_spec(parent)
        if spec is not None and not spec.match_file(folder.relative_to(parent).as_posix() + "/"):
            found.append((os.path.join(parent, ""), spec))
        if (parent / ".git").exists():
            break
    return list(reversed(found))


def discover(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """Python files and notebooks under the given paths (files are taken as given), and paths that do not exist."""
    files: list[Path] = []
    missing: list[str] = []
    for path in paths:
        # One stat for both questions: a check names thousands of files (pre-commit, CI).
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            mode = 0
        if stat.S_ISDIR(mode):
            folder = path.resolve()
            # Each found file is named from the folder as the caller wrote it.
            below = len(os.path.join(folder, ""))
            given = os.path.join(path, "")
            files.extend(
                Path(given + found[below:]) for found in _walk(str(folder), _enclosing_ignores(folder), is_top=True)
            )
        elif stat.S_ISREG(mode):
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


class PathResolver:
    """`path.resolve()` with each folder resolved once: a check resolves thousands of files of the
    same few hundred folders. Meant for one pass over the files (a folder moved later is not seen);
    a file that is itself a symbolic link is resolved whole."""

    def __init__(self) -> None:
        self._folders: dict[str, Path] = {}

    def __call__(self, path: Path) -> Path:
        text = str(path)
        if os.path.islink(text):
            return path.resolve()
        folder, name = os.path.split(text)
        if folder not in self._folders:
            self._folders[folder] = Path(folder or ".").resolve()
        return self._folders[folder] / name


def modules_under(root: Path) -> dict[str, tuple[str, bool]]:
    found, _ = discover([root])
    modules: dict[str, tuple[str, bool]] = {}
    resolved_path = PathResolver()
    for path in found:
        if path.suffix != ".py":
            continue
        resolved = resolved_path(path)
        name = module_name(resolved, root)
        # Two files claiming one name (`src/app` and `app`): the first found is kept.
        if name is not None and name not in modules:
            modules[name] = (str(resolved), is_package(resolved))
    return modules
