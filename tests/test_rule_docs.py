"""docs/rules.md and the README's rule table are generated from the rule files and never stale."""

from async_patterns.analysis.rules import rule_classes
from async_patterns.docs.links import RULES_DOCUMENT, document_path
from async_patterns.rule_docs import readme_with_table, rule_hover, rule_link, rules_markdown
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


def test_the_package_ships_rules_md_and_rule_links_open_it_at_the_rule():
    assert document_path(RULES_DOCUMENT).read_text(encoding="utf-8") == rules_markdown(), (
        "run: .venv/bin/python -m async_patterns.rule_docs ."
    )
    link = rule_link("ASYNC300")
    assert link == document_path(RULES_DOCUMENT).as_uri() + "#async300"
    assert "## ASYNC300" in rules_markdown()
    assert f"[Rule documentation]({link})" in rule_hover("ASYNC300")
    assert "https://" not in rule_hover("ASYNC300")


def test_the_brief_rule_hover_is_one_line_that_links_to_the_explanation():
    """On a diagnostic the editor already shows the message: the rule adds its name and the link."""
    brief = rule_hover("ASYNC300", brief=True)
    assert brief == f"**ASYNC300 · dangling-task** · [why, and how to fix it]({rule_link('ASYNC300')})"
    full = rule_hover("ASYNC300")
    assert full.startswith("### ASYNC300 · dangling-task") and len(full) > 3 * len(brief)
