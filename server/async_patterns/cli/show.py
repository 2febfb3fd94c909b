"""`check --show-files` and `check --show-settings`: what a check would cover and with which
settings, for debugging configuration. Nothing is analysed."""

from __future__ import annotations

import json
from dataclasses import dataclass

from async_patterns.analysis import Settings
from async_patterns.analysis.rules import rule_classes


@dataclass(frozen=True)
class SettingsGroup:
    """Files that share settings: where the settings came from, and what the command line replaced."""

    origin: str
    settings: Settings
    from_command_line: frozenset[str]
    files: tuple[str, ...]


def show_files(files: list[str]) -> str:
    return "".join(f"{path}\n" for path in files)


def _toml(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def show_settings(groups: list[SettingsGroup]) -> str:
    blocks = []
    for group in groups:
        settings = group.settings
        count = len(group.files)
        listed = ", ".join(group.files[:3]) + (f" and {count - 3} more" if count > 3 else "")
        severity = ", ".join(f"{code} = {_toml(level)}" for code, level in sorted(settings.severity.items()))
        extra = [
            call.pattern + (f" -> {call.replacement}" if call.replacement else "") for call in settings.extra_blocking_calls
        ]
        enabled = [rule.code for rule in rule_classes() if settings.is_enabled(rule.code, rule.enabled_by_default)]
        lines = [
            f"# {group.origin}",
            f"# for {count} file{'s' * (count != 1)}: {listed}",
        ]
        if group.from_command_line:
            lines.append(f"# from the command line: {', '.join(sorted(group.from_command_line))}")
        lines += [
            "select = " + ("(every rule that is on by default)" if settings.select is None else _toml(list(settings.select))),
            "ignore = " + _toml(list(settings.ignore)),
            "severity = { " + severity + " }" if severity else "severity = {}",
            "extra-blocking-calls = " + _toml(extra),
            f"# rules on ({len(enabled)}): {', '.join(enabled)}",
        ]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)
