"""Rule documentation generated from the rule files: docs/rules.md (also shipped inside the
package as async_patterns/docs/rules.md, so links to it work offline) and the README's rule table.

Run `python -m async_patterns.rule_docs` after changing a rule; a test fails while either is stale.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from async_patterns.analysis.rule import Invalid, Rule
from async_patterns.analysis.rules import rule_by_code, rule_classes
from async_patterns.docs.links import RULES_DOCUMENT, document_link, document_path

TABLE_START, TABLE_END = "<!-- rule-table:start -->", "<!-- rule-table:end -->"


def rule_summary(rule: type[Rule]) -> str:
    """The first line of the rule module's docstring, without its leading "CODE: "."""
    docstring = (sys.modules[rule.__module__].__doc__ or rule.name).strip().splitlines()[0]
    return docstring.removeprefix(f"{rule.code}: ")


def _default_state(rule: type[Rule]) -> str:
    return "on by default" if rule.enabled_by_default else "off by default (enable with `select`)"


def _table_cell(text: str) -> str:
    return text.replace("|", "\\|")


def rule_table() -> str:
    rows = [
        f"| [{rule.code}](docs/rules.md#{rule.code.lower()}) | {rule.name} | {_table_cell(rule_summary(rule))} |"
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
    parts.extend(rule_markdown(rule) for rule in rule_classes())
    return "\n".join(parts)


def rule_markdown(rule: type[Rule]) -> str:
    """One rule's section of docs/rules.md; also what `async-patterns rule CODE` prints."""
    parts = [f"## {rule.code}\n\n**{rule.name}** — {_default_state(rule)}.\n\n{rule.explanation}\n"]
    parts.append(f"Compared with flake8-async and ruff: {rule.peers}\n")
    parts += _first_examples(rule.INVALID, rule.VALID)
    if rule.NOTEBOOK_INVALID or rule.NOTEBOOK_VALID:
        parts.append("In a Jupyter notebook (cells separated by `# %%`):\n")
        parts += _first_examples(rule.NOTEBOOK_INVALID, rule.NOTEBOOK_VALID)
    return "\n".join(parts)


def _first_examples(invalid: tuple[Invalid, ...], valid: tuple[str, ...]) -> list[str]:
    parts = []
    if invalid:
        parts.append(f"Reported:\n\n```python\n{invalid[0].source.rstrip()}\n```\n")
        if invalid[0].fixed:
            parts.append(f"Quick fix:\n\n```python\n{invalid[0].fixed.rstrip()}\n```\n")
    if valid:
        parts.append(f"Not reported:\n\n```python\n{valid[0].rstrip()}\n```\n")
    return parts


def readme_with_table(readme: str) -> str:
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.DOTALL)
    return pattern.sub(lambda _: f"{TABLE_START}\n{rule_table()}\n{TABLE_END}", readme)


def main(root: Path) -> None:
    (root / "docs" / "rules.md").write_text(rules_markdown(), encoding="utf-8")
    document_path(RULES_DOCUMENT).write_text(rules_markdown(), encoding="utf-8")
    readme = root / "README.md"
    readme.write_text(readme_with_table(readme.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())


def rule_hover(code: str, *, open_command: str | None = None, brief: bool = False) -> str | None:
    """Markdown explaining one rule, for hovers on its code in a noqa comment and on its diagnostics.

    The link opens the bundled rules.md at the rule (through `open_command` in VS Code). `brief` is
    for a diagnostic's hover, where the editor already shows the finding's message: the rule's name
    and the link, so the explanation is one click away and the API's part stays in view.
    """
    rule = rule_by_code(code)
    if rule is None:
        return None
    link = document_link(RULES_DOCUMENT, rule.code.lower(), open_command)
    if brief:
        return f"**{rule.code} · {rule.name}** · [why, and how to fix it]({link})"
    return f"### {rule.code} · {rule.name}\n\n{rule.explanation}\n\n[Rule documentation]({link})"


def rule_link(code: str, open_command: str | None = None) -> str:
    """A diagnostic's code description: the bundled rules.md at the rule, a `file:` URI with the
    rule's anchor, or through `open_command` (VS Code's, which opens the preview at the heading;
    a `file:` link would open the Markdown source at its first line)."""
    return document_link(RULES_DOCUMENT, code.lower(), open_command)
