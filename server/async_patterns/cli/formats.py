"""Output formats of `async-patterns check`: text, JSON and SARIF 2.1.0."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from async_patterns import RULE_DOCUMENTATION_URL, __version__
from async_patterns.analysis.findings import Finding
from async_patterns.analysis.rules import rule_classes
from async_patterns.fixes import is_fixable


@dataclass(frozen=True)
class FileResult:
    path: str
    findings: list[Finding]
    problem: str | None = None


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
        }
        for result in results
        for finding in result.findings
    ]


def render_text(results: list[FileResult]) -> str:
    return "".join(
        f"{record['path']}:{record['line']}:{record['column']}: {record['code']} {record['message']}\n"
        for record in _records(results)
    )


def render_json(results: list[FileResult]) -> str:
    return json.dumps(_records(results), indent=2, ensure_ascii=False) + "\n"


_SARIF_LEVEL = {"error": "error", "warning": "warning", "information": "note", "hint": "note"}


def render_sarif(results: list[FileResult]) -> str:
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
                                "shortDescription": {"text": rule.message.format(call="call", instead="see help")},
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


RENDERERS = {"text": render_text, "json": render_json, "sarif": render_sarif}
