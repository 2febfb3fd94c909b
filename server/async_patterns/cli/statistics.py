"""`check --statistics`: how many findings of each rule, and how many of them can be fixed."""

from __future__ import annotations

import json
from collections import Counter

from async_patterns.analysis.rules import rule_by_code
from async_patterns.cli.formats import FileResult
from async_patterns.fixes import is_fixable


def _counts(results: list[FileResult]) -> list[dict]:
    found: Counter[str] = Counter()
    fixable: Counter[str] = Counter()
    for result in results:
        for finding in result.findings:
            found[finding.code] += 1
            fixable[finding.code] += is_fixable(finding)
    rows = []
    for code, count in sorted(found.items(), key=lambda item: (-item[1], item[0])):
        rule = rule_by_code(code)
        rows.append({"code": code, "name": rule.name if rule else "", "count": count, "fixable": fixable[code]})
    return rows


def render_statistics(results: list[FileResult], as_json: bool) -> str:
    rows = _counts(results)
    if as_json:
        return json.dumps(rows, indent=2) + "\n"
    if not rows:
        return ""
    count_width = max(5, *(len(str(row["count"])) for row in rows))
    code_width = max(4, *(len(row["code"]) for row in rows))
    lines = [f"{'count':>{count_width}}  {'fixable':>7}  {'code':<{code_width}}  name"]
    lines.extend(
        f"{row['count']:>{count_width}}  {row['fixable']:>7}  {row['code']:<{code_width}}  {row['name']}".rstrip()
        for row in rows
    )
    return "\n".join(lines) + "\n"
