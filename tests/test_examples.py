"""The bundled example project has a real instance of every rule that is on by default."""

from async_patterns.analysis.rules import rule_classes
from async_patterns.analysis.settings import settings_for_path
from async_patterns.analysis import analyze

from conftest import EXAMPLES


def test_every_default_rule_fires_in_examples_and_examples_parse():
    settings, problems = settings_for_path(EXAMPLES / "shop")
    assert problems == []
    seen = set()
    for path in sorted(EXAMPLES.rglob("*.py")):
        result = analyze(path.read_text(encoding="utf-8"), settings)
        assert result.error is None, path
        seen.update(finding.code for finding in result.findings)
    expected = {rule.code for rule in rule_classes() if rule.enabled_by_default}
    assert expected - seen == set()
