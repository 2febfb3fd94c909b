"""Rule documentation generated from the rule files: docs/rules.md and the README's rule table.

Run `python -m async_patterns.rule_docs` after changing a rule; a test fails while either is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from async_patterns import RULE_DOCUMENTATION_URL
from async_patterns.analysis.rule import Rule
from async_patterns.analysis.rules import rule_by_code, rule_classes

TABLE_START, TABLE_END = "<!-- rule-table:start -->", "<!-- rule-table:end -->"


def _summary(rule: type[Rule]) -> str:
    """The first line of the rule module's docstring, without its leading "CODE: "."""
    docstring = (sys.modules[rule.__module__].__doc__ or rule.name).strip().splitlines()[0]
    return docstring.removeprefix(f"{rule.code}: ").replace("|", "\\|")


def rule_table() -> str:
    rows = [
        f"| [{rule.code}](docs/rules.md#{rule.code.lower()}) | {rule.name} | {_summary(rule)} |"
        + ("" if rule.enabled_by_default else " (off by default)")
        for rule in rule_classes()
    ]
    return "\n".join(["| code | name | what it reports |", "|---|---|---|", *rows])


def rules_markdown() -> str:
    parts = [
        "# Rules\n",
        "Generated from `server/async_patterns/analysis/rules/` by `python -m async_patterns.rule_docs`; "
        "do not edit by hand.\n",
    ]
    for rule in rule_classes():
        default = "on by default" if rule.enabled_by_default else "off by default (enable with `select`)"
        parts.append(f"## {rule.code}\n\n**{rule.name}** — {default}.\n\n{rule.explanation}\n")
        if rule.INVALID:
            parts.append(f"Reported:\n\n```python\n{rule.INVALID[0].source.rstrip()}\n```\n")
            if rule.INVALID[0].fixed:
                parts.append(f"Quick fix:\n\n```python\n{rule.INVALID[0].fixed.rstrip()}\n```\n")
        if rule.VALID:
            parts.append(f"Not reported:\n\n```python\n{rule.VALID[0].rstrip()}\n```\n")
    return "\n".join(parts)


def readme_with_table(readme: str) -> str:
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.DOTALL)
    return pattern.sub(lambda _: f"{TABLE_START}\n{rule_table()}\n{TABLE_END}", readme)


def main(root: Path) -> None:
    (root / "docs" / "rules.md").write_text(rules_markdown(), encoding="utf-8")
    readme = root / "README.md"
    readme.write_text(readme_with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())


def rule_hover(code: str) -> str | None:
    """Markdown explaining one rule, for hovers on its diagnostics and on its code in a noqa comment."""
    rule = rule_by_code(code)
    if rule is None:
        return None
    link = RULE_DOCUMENTATION_URL.format(code=rule.code.lower())
    return f"### {rule.code} · {rule.name}\n\n{rule.explanation}\n\n[Rule documentation]({link})"
