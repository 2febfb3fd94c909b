"""Settings shared by the CLI and the server, validated once, from any source.

Sources are plain mappings: `[tool.async-patterns]` in pyproject.toml, the editor's
`asyncPatterns` section or `initializationOptions`, the command line's options. Keys are accepted in
camelCase, kebab-case and snake_case. Invalid values are reported as problems (one line each) and
replaced by defaults. Rule selection follows ruff: `select`/`ignore` replace what a source below said,
`extend-select`/`extend-ignore` add to it, and `per-file-ignores` switch codes off for some files
whatever else selects them (`for_file` applies them once the file is known).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from async_patterns.analysis.findings import SEVERITIES, Severity
from async_patterns.analysis.per_file import PerFileIgnore, is_valid_pattern

if TYPE_CHECKING:  # the catalogue reader loads with the first library catalogue a setting names
    from async_patterns.analysis.libraries import Library

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

_CODE_PREFIX = re.compile(r"^[A-Z]+[0-9]*$")
_CANONICAL_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "extendselect": "extend_select",
    "extendignore": "extend_ignore",
    "perfileignores": "per_file_ignores",
    "severity": "severity",
    "extrablockingcalls": "extra_blocking_calls",
    "threaddecorators": "thread_decorators",
    "librarycatalogues": "library_catalogues",
}
_KNOWN_KEYS = (
    "select, ignore, extendSelect, extendIgnore, perFileIgnores, severity, extraBlockingCalls, threadDecorators, "
    "libraryCatalogues"
)
_DOTTED_PATTERN = re.compile(r"[\w.*?\[\]]+")


@dataclass(frozen=True, slots=True)
class ExtraBlockingCall:
    """A user-configured blocking call: an fnmatch pattern over dotted names, and what to use instead."""

    pattern: str
    replacement: str | None = None


@dataclass(frozen=True)
class Settings:
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    extra_blocking_calls: tuple[ExtraBlockingCall, ...] = ()
    extend_select: tuple[str, ...] = ()
    extend_ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[PerFileIgnore, ...] = ()
    # Decorators (dotted-name patterns) of the project that run the function on a worker thread.
    thread_decorators: tuple[str, ...] = ()
    # The project's own catalogue files of blocking library APIs (AP110), read when the settings are.
    library_catalogues: tuple[Library, ...] = ()
    # The codes `per_file_ignores` switch off for the file being analysed (set by `for_file`).
    file_ignores: tuple[str, ...] = ()

    def is_enabled(self, code: str, enabled_by_default: bool = True) -> bool:
        """flake8's semantics: the longest matching prefix of select/ignore decides (a tie ignores).

        A rule that is off by default is only turned on by naming its full code in `select` or
        `extend-select`, so that `select = ["ASYNC"]` copied from a flake8 config does not switch
        on noisy rules. A per-file ignore switches a rule off whatever selects it.
        """
        if any(code.startswith(prefix) for prefix in self.file_ignores):
            return False
        named = (*(self.select or ()), *self.extend_select)
        if not enabled_by_default and code not in named:
            return False
        ignored = self._longest_match((*self.ignore, *self.extend_ignore), code)
        if self.select is None:
            # Every rule that is on by default is selected, by a prefix shorter than any code.
            selected = max(0 if enabled_by_default else -1, self._longest_match(self.extend_select, code))
            return selected > ignored or (selected == 0 and ignored == 0)
        selected = self._longest_match(named, code)
        return selected > ignored

    @staticmethod
    def _longest_match(prefixes: Iterable[str], code: str) -> int:
        return max((len(prefix) for prefix in prefixes if code.startswith(prefix)), default=0)

    def severity_of(self, code: str) -> Severity:
        return self.severity.get(code, "warning")

    def merged_over(self, base: Settings, explicitly_set: Iterable[str]) -> Settings:
        """These settings where they were set explicitly, `base` for the rest (the editor and the
        command line win). `select`/`ignore` replace the base's extensions too; `extend-*` add."""
        chosen = {name: getattr(self, name) for name in explicitly_set}
        for replacing, extending in (("select", "extend_select"), ("ignore", "extend_ignore")):
            below = () if replacing in chosen else getattr(base, extending)
            chosen[extending] = (*below, *chosen.get(extending, ()))
        return replace(base, **chosen)

    def for_file(self, path: PurePath, default_root: PurePath | None = None) -> Settings:
        """The settings for one file (an absolute path): its per-file ignores applied."""
        if not self.per_file_ignores:
            return self
        ignored = tuple(
            code for entry in self.per_file_ignores if entry.applies_to(path, default_root) for code in entry.codes
        )
        return replace(self, per_file_ignores=(), file_ignores=tuple(dict.fromkeys(ignored)))

    def fingerprint(self) -> str:
        return repr(
            (
                self.select,
                self.ignore,
                sorted(self.severity.items()),
                self.extra_blocking_calls,
                self.extend_select,
                self.extend_ignore,
                self.per_file_ignores,
                self.thread_decorators,
                self.library_catalogues,
                self.file_ignores,
            )
        )

    def describe(self) -> str:
        """One line for logs: each setting that differs from its default, or that all are defaults."""
        changed = [
            f"{setting.name}={_shown(getattr(self, setting.name))}"
            for setting in fields(self)
            if getattr(self, setting.name) != getattr(_DEFAULTS, setting.name)
        ]
        return ", ".join(changed) if changed else "all defaults"


def _shown(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {_shown(item)}" for key, item in value.items()) + "}"
    if isinstance(value, tuple):
        return "[" + ", ".join(map(_shown, value)) + "]"
    if isinstance(value, ExtraBlockingCall):
        return value.pattern + (f" -> {value.replacement}" if value.replacement else "")
    from async_patterns.analysis.libraries import Library

    if isinstance(value, Library):
        return f"{value.source} ({value.name})"
    return str(value)


_DEFAULTS = Settings()


def _canonical_key(key: str) -> str | None:
    return _CANONICAL_KEYS.get(key.replace("-", "").replace("_", "").lower())


def _code_list(value: Any, key: str, problems: list[str]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\s]+", value) if part]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        problems.append(f"'{key}' must be a list of rule codes or prefixes, got {value!r}")
        return None
    codes = tuple(item.strip().upper() for item in value)
    bad = [code for code in codes if not _CODE_PREFIX.match(code)]
    if bad:
        problems.append(f"'{key}' has entries that are not rule codes or prefixes: {', '.join(bad)}")
        return None
    return codes


def _severity_map(value: Any, problems: list[str]) -> dict[str, Severity] | None:
    if not isinstance(value, Mapping):
        problems.append(f"'severity' must map rule codes to one of {', '.join(SEVERITIES)}, got {value!r}")
        return None
    result: dict[str, Severity] = {}
    for code, level in value.items():
        normalized = level.lower() if isinstance(level, str) else level
        if normalized == "info":
            normalized = "information"
        if not isinstance(code, str) or not _CODE_PREFIX.match(code.upper()) or normalized not in SEVERITIES:
            problems.append(f"'severity' entry {code!r}: {level!r} is not one of {', '.join(SEVERITIES)}")
            continue
        result[code.upper()] = normalized
    return result


def _per_file_ignores(value: Any, root: str | None, problems: list[str]) -> tuple[PerFileIgnore, ...] | None:
    """`{"tests/**" = ["AP101", "ASYNC230"]}`; the codes may also be one comma-separated string."""
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        # The command line's `PATTERN:CODES` entries.
        pairs: list[tuple[Any, Any]] = [tuple(item.rpartition(":")[::2]) for item in value]  # type: ignore[misc]
    elif isinstance(value, Mapping):
        pairs = list(value.items())
    else:
        problems.append(f"'perFileIgnores' must map file patterns to lists of rule codes, got {value!r}")
        return None
    entries = []
    for pattern, codes in pairs:
        if not isinstance(pattern, str) or not is_valid_pattern(pattern):
            problems.append(f"'perFileIgnores' entry {pattern!r} is not a file pattern")
            continue
        parsed = _code_list(codes, f"perFileIgnores {pattern!r}", problems)
        if parsed:
            entries.append(PerFileIgnore(pattern, parsed, root))
    return tuple(entries)


def _dotted_patterns(value: Any, key: str, problems: list[str]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,\s]+", value) if part]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        problems.append(f"'{key}' must be a list of dotted names (wildcards allowed), got {value!r}")
        return None
    valid = []
    for item in value:
        if _DOTTED_PATTERN.fullmatch(item.strip()):
            valid.append(item.strip())
        else:
            problems.append(f"'{key}' entry {item!r} is not a dotted name pattern")
    return tuple(valid)


def _extra_calls(value: Any, problems: list[str]) -> tuple[ExtraBlockingCall, ...] | None:
    entries: list[tuple[str, str | None]] = []
    if isinstance(value, Mapping):
        entries = [(str(pattern), str(replacement) if replacement else None) for pattern, replacement in value.items()]
    elif isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        for item in value:
            pattern, _, replacement = item.partition("->")
            entries.append((pattern.strip(), replacement.strip() or None))
    else:
        problems.append(
            "'extraBlockingCalls' must be a list of \"module.function\" or \"module.function -> replacement\" "
            f"strings, got {value!r}"
        )
        return None
    valid = []
    for pattern, replacement in entries:
        if not _DOTTED_PATTERN.fullmatch(pattern):
            problems.append(f"'extraBlockingCalls' entry {pattern!r} is not a dotted name pattern")
            continue
        valid.append(ExtraBlockingCall(pattern, replacement))
    return tuple(valid)


def _library_catalogues(value: Any, base: Path | None, problems: list[str]) -> tuple[Library, ...] | None:
    """The catalogue files a setting names, read and checked now (relative paths from `base`)."""
    from async_patterns.analysis.libraries import CatalogueError, read_library_file

    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
        problems.append(f"'libraryCatalogues' must be a list of paths to catalogue files, got {value!r}")
        return None
    libraries = []
    for item in value:
        path = Path(item).expanduser()
        if not path.is_absolute():
            if base is None:
                problems.append(f"'libraryCatalogues' entry {item!r} is relative, and there is no folder to resolve it from")
                continue
            path = base / path
        try:
            libraries.append(read_library_file(path))
        except CatalogueError as error:
            problems.append(f"'libraryCatalogues': {error}")
    return tuple(libraries)


def parse_settings(
    raw: Mapping[str, Any] | None, origin: str, base: Path | None = None, *, patterns_from_base: bool = True
) -> tuple[Settings, set[str], list[str]]:
    """Settings from one source, the names of the fields it set, and its problems (with `origin`).

    `base` is the folder relative paths in the settings start from (the pyproject.toml's folder,
    the editor's first workspace folder). Per-file patterns start there too, unless
    `patterns_from_base` is False: then each file's own workspace folder decides (`Settings.for_file`).
    """
    problems: list[str] = []
    values: dict[str, Any] = {}
    if raw is not None and not isinstance(raw, Mapping):
        return Settings(), set(), [f"{origin}: settings must be a table/object, got {type(raw).__name__}"]
    for key, value in (raw or {}).items():
        name = _canonical_key(str(key))
        if name is None:
            problems.append(f"unknown setting '{key}' (known: {_KNOWN_KEYS})")
            continue
        if value is None:
            continue
        if name in ("select", "ignore", "extend_select", "extend_ignore"):
            parsed: Any = _code_list(value, key, problems)
            if parsed == () and name != "ignore":
                # An empty list is what an editor sends for "not set": it must not turn every rule off.
                continue
        elif name == "severity":
            parsed = _severity_map(value, problems)
        elif name == "per_file_ignores":
            root = base if patterns_from_base else None
            parsed = _per_file_ignores(value, str(root) if root is not None else None, problems)
        elif name == "thread_decorators":
            parsed = _dotted_patterns(value, key, problems)
        elif name == "library_catalogues":
            parsed = _library_catalogues(value, base, problems)
        else:
            parsed = _extra_calls(value, problems)
        if parsed is not None:
            values[name] = parsed
    return Settings(**values), set(values), [f"{origin}: {problem}" for problem in problems]


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` (a file or a folder)."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        path = candidate / "pyproject.toml"
        if path.is_file():
            return path
    return None


def read_toml(path: Path) -> tuple[dict[str, Any] | None, list[str]]:
    """A TOML document, or the problem reading it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return None, [f"{path}: cannot read: {error}"]


def tool_table(document: dict[str, Any]) -> Any:
    """The `[tool.async-patterns]` table of a TOML document, None when it has none."""
    tool = document.get("tool", {})
    return tool.get("async-patterns", tool.get("async_patterns")) if isinstance(tool, dict) else None


def read_pyproject_table(path: Path) -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[str]]:
    """`[tool.async-patterns]` and `[project]` of a pyproject.toml, and problems reading it."""
    document, problems = read_toml(path)
    if document is None:
        return None, None, problems
    return tool_table(document), document.get("project"), []


def settings_for_path(start: Path) -> tuple[Settings, list[str]]:
    """The pyproject settings that apply to a file or folder, and problems found on the way."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        return Settings(), []
    table, _, problems = read_pyproject_table(pyproject)
    settings, _, setting_problems = parse_settings(table, f"{pyproject} [tool.async-patterns]", pyproject.parent)
    return settings, problems + setting_problems
