"""Settings shared by the CLI and the server, validated once, from any source.

Sources are plain mappings: `[tool.async-patterns]` in pyproject.toml, the editor's
`asyncPatterns` section or `initializationOptions`. Keys are accepted in camelCase, kebab-case and
snake_case. Invalid values are reported as problems (one line each) and replaced by defaults.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from async_patterns.analysis.findings import SEVERITIES, Severity

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

_CODE_PREFIX = re.compile(r"^[A-Z]+[0-9]*$")
_CANONICAL_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "severity": "severity",
    "extrablockingcalls": "extra_blocking_calls",
}


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

    def is_enabled(self, code: str, enabled_by_default: bool = True) -> bool:
        """flake8's semantics: the longest matching prefix of select/ignore decides.

        A rule that is off by default is only turned on by naming its full code in `select`, so that
        `select = ["ASYNC"]` copied from a flake8 config does not switch on noisy rules.
        """
        if not enabled_by_default and code not in (self.select or ()):
            return False
        ignored = self._longest_match(self.ignore, code)
        if self.select is None:
            return ignored == 0
        selected = self._longest_match(self.select, code)
        return selected > ignored

    @staticmethod
    def _longest_match(prefixes: Iterable[str], code: str) -> int:
        return max((len(prefix) for prefix in prefixes if code.startswith(prefix)), default=0)

    def severity_of(self, code: str) -> Severity:
        return self.severity.get(code, "warning")

    def merged_over(self, base: Settings, explicitly_set: Iterable[str]) -> Settings:
        """These settings where they were set explicitly, `base` for the rest (the editor wins)."""
        chosen = {name: getattr(self, name) for name in explicitly_set}
        return replace(base, **chosen)

    def fingerprint(self) -> str:
        return repr((self.select, self.ignore, sorted(self.severity.items()), self.extra_blocking_calls))


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
        if not re.fullmatch(r"[\w.*?\[\]]+", pattern):
            problems.append(f"'extraBlockingCalls' entry {pattern!r} is not a dotted name pattern")
            continue
        valid.append(ExtraBlockingCall(pattern, replacement))
    return tuple(valid)


def parse_settings(raw: Mapping[str, Any] | None, origin: str) -> tuple[Settings, set[str], list[str]]:
    """Settings from one source, the names of the fields it set, and its problems (with `origin`)."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    if raw is not None and not isinstance(raw, Mapping):
        return Settings(), set(), [f"{origin}: settings must be a table/object, got {type(raw).__name__}"]
    for key, value in (raw or {}).items():
        name = _canonical_key(str(key))
        if name is None:
            problems.append(f"unknown setting '{key}' (known: select, ignore, severity, extraBlockingCalls)")
            continue
        if value is None:
            continue
        if name in ("select", "ignore"):
            parsed: Any = _code_list(value, key, problems)
            if name == "select" and parsed == ():
                # An empty list is what an editor sends for "not set": it must not turn every rule off.
                continue
        elif name == "severity":
            parsed = _severity_map(value, problems)
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


def read_pyproject_table(path: Path) -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[str]]:
    """`[tool.async-patterns]` and `[project]` of a pyproject.toml, and problems reading it."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return None, None, [f"{path}: cannot read: {error}"]
    tool = document.get("tool", {})
    table = tool.get("async-patterns", tool.get("async_patterns"))
    return table, document.get("project"), []


def settings_for_path(start: Path) -> tuple[Settings, list[str]]:
    """The pyproject settings that apply to a file or folder, and problems found on the way."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        return Settings(), []
    table, _, problems = read_pyproject_table(pyproject)
    settings, _, setting_problems = parse_settings(table, f"{pyproject} [tool.async-patterns]")
    return settings, problems + setting_problems
