"""Output formats of `async-patterns check`.

`concise` (one line per finding; `text` is its old name), JSON and SARIF 2.1.0 live here; `full`,
`github`, `gitlab` and `junit` live in `format_*.py` modules, imported only when chosen so that the
common runs start no slower for them.
"""

from __future__ import annotations

import importlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from async_patterns import RULE_DOCUMENTATION_URL, __version__
from async_patterns.analysis.findings import Finding
from async_patterns.fixes import is_fixable


@dataclass(frozen=True)
class FileResult:
    path: str
    findings: list[Finding]
    problem: str | None = None
    # The project modules (other than its own) whose facts the findings depend on.
    depends: frozenset[str] = frozenset()


def reported(findings: list[Finding]) -> list[Finding]:
    """What the command line reports: not the editor's suggestions about code that is not wrong."""
    return [finding for finding in findings if not finding.is_suggestion]


def _no_source(path: str, cell: int | None) -> str | None:
    return None


@dataclass(frozen=True)
class ReportContext:
    """What some formats need beyond the results: colour, and the text a finding points into (a
    file's, or for a notebook the text of the finding's cell)."""

    colour: bool = False
    source_of: Callable[[str, int | None], str | None] = _no_source


def position(finding: Finding) -> str:
    """`line:column` (1-based), preceded by `cell N:` in a notebook, whose lines are the cell's."""
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{cell}{finding.line}:{finding.column + 1}"


def repository_path(path: str) -> str:
    """A path as CI services match it against the repository: relative to the working folder
    (CI jobs run at the repository root), with forward slashes and no leading `./`."""
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            pass
    return os.path.normpath(candidate).replace(os.sep, "/")


def _records(results: list[FileResult]) -> list[dict]:
    return [
        {
            "path": result.path,
            "line": finding.line,
            "column": finding.column + 1,
            "end_line": finding.end_line,
            "end_column": finding.end_column + 1,
            "code": finding.code,
            "message": finding.message,
            "severity": finding.severity,
            "fixable": is_fixable(finding),
            # A notebook's findings name their cell; line and column are then the cell's.
            **({"cell": finding.cell} if finding.cell is not None else {}),
        }
        for result in results
        for finding in result.findings
    ]


def render_text(results: list[FileResult]) -> str:
    return "".join(
        f"{result.path}:{position(finding)}: {finding.code} {finding.message}\n"
        for result in results
        for finding in result.findings
    )


def render_json(results: list[FileResult]) -> str:
    return json.dumps(_records(results), indent=2, ensure_ascii=False) + "\n"


_SARIF_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def render_sarif(results: list[FileResult]) -> str:
    # The rules' descriptions are loaded only for the format that lists them.
    from async_patterns.analysis.rules import rule_classes
    from async_patterns.rule_docs import rule_summary

    rules = list(rule_classes())
    rule_index = {rule.code: number for number, rule in enumerate(rules)}
    sarif_results = [
        {
            "ruleId": finding.code,
            "ruleIndex": rule_index.get(finding.code, -1),
            "level": _SARIF_LEVEL[finding.severity],
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": Path(result.path).as_posix(), "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": finding.line,
                            "startColumn": finding.column + 1,
                            "endLine": finding.end_line,
                            "endColumn": finding.end_column + 1,
                        },
                    }
                }
            ],
            **({"properties": {"notebookCell": finding.cell}} if finding.cell is not None else {}),
        }
        for result in results
        for finding in result.findings
    ]
    notifications = [
        {
            "level": "error",
            "message": {"text": result.problem},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": Path(result.path).as_posix()}}}],
        }
        for result in results
        if result.problem
    ]
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "async-patterns",
                        "version": __version__,
                        "informationUri": RULE_DOCUMENTATION_URL.partition("#")[0],
                        "rules": [
                            {
                                "id": rule.code,
                                "name": rule.name,
                                "shortDescription": {"text": rule_summary(rule)},
                                "fullDescription": {"text": rule.explanation},
                                "helpUri": RULE_DOCUMENTATION_URL.format(code=rule.code.lower()),
                                "defaultConfiguration": {"level": "warning", "enabled": rule.enabled_by_default},
                            }
                            for rule in rules
                        ],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": sarif_results,
                "invocations": [
                    {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
                ],
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


_RENDERERS = {"concise": render_text, "json": render_json, "sarif": render_sarif}
_RENDERER_MODULES = {
    "full": "async_patterns.cli.format_full",
    "github": "async_patterns.cli.format_github",
    "gitlab": "async_patterns.cli.format_gitlab",
    "junit": "async_patterns.cli.format_junit",
}
FORMAT_ALIASES = {"text": "concise"}
FORMATS = ("full", "concise", "json", "sarif", "github", "gitlab", "junit")
HUMAN_FORMATS = frozenset({"full", "concise"})


def render(format_name: str, results: list[FileResult], context: ReportContext) -> str:
    name = FORMAT_ALIASES.get(format_name, format_name)
    if name in _RENDERERS:
        return _RENDERERS[name](results)
    return importlib.import_module(_RENDERER_MODULES[name]).render(results, context)
