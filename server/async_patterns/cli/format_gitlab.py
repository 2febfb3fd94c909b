"""The `gitlab` format: a Code Quality report (GitLab's subset of the Code Climate issue format),
shown in merge requests when a job lists it under `artifacts:reports:codequality`."""

from __future__ import annotations

import hashlib
import json
from collections import Counter

from async_patterns.analysis.findings import Finding
from async_patterns.analysis.positions import split_lines
from async_patterns.cli.formats import FileResult, ReportContext, repository_path

_SEVERITY = {"error": "major", "warning": "minor", "information": "info", "hint": "info"}


def _flagged_text(finding: Finding, lines: list[str]) -> str:
    if not 0 < finding.line <= finding.end_line <= len(lines):
        return ""
    covered = lines[finding.line - 1 : finding.end_line]
    covered[-1] = covered[-1][: finding.end_column]
    covered[0] = covered[0][finding.column :]
    return "\n".join(part.strip() for part in covered)


def _cell(finding: Finding) -> str:
    return f"cell {finding.cell}: " if finding.cell is not None else ""


def _fingerprint(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def render(results: list[FileResult], context: ReportContext) -> str:
    """GitLab tells a new finding from an old one by its fingerprint, so it is built from what
    stays put when lines move: the file, the rule, the message and the flagged code, numbered
    among identical ones."""
    issues = []
    for result in results:
        if not result.findings:
            continue
        path = repository_path(result.path)
        lines_by_cell: dict[int | None, list[str]] = {}
        seen: Counter[tuple[str, str, str]] = Counter()
        for finding in result.findings:
            if finding.cell not in lines_by_cell:
                source = context.source_of(result.path, finding.cell)
                lines_by_cell[finding.cell] = split_lines(source) if source is not None else []
            identity = (finding.code, finding.message, _flagged_text(finding, lines_by_cell[finding.cell]))
            seen[identity] += 1
            issues.append(
                {
                    # In a notebook the lines are the cell's: the description names the cell.
                    "description": f"{finding.code}: {_cell(finding)}{finding.message}",
                    "check_name": finding.code,
                    "fingerprint": _fingerprint(path, *identity, str(seen[identity])),
                    "severity": _SEVERITY[finding.severity],
                    "location": {"path": path, "lines": {"begin": finding.line, "end": finding.end_line}},
                }
            )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
