"""docs/rules.md and the README's rule table are generated from the rule files and never stale."""

from async_patterns.analysis.rules import rule_classes
from async_patterns.rule_docs import readme_with_table, rules_markdown
from conftest import ROOT


def test_docs_rules_md_is_up_to_date():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), (
        "run: .venv/bin/python -m async_patterns.rule_docs ."
    )


def test_readme_rule_table_is_up_to_date_and_lists_every_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_with_table(readme) == readme, "run: .venv/bin/python -m async_patterns.rule_docs ."
    for rule in rule_classes():
        assert f"[{rule.code}](docs/rules.md#{rule.code.lower()})" in readme
