"""Every rule's INVALID examples: an expected fixed text is checked by applying the preferred fix."""

import pytest

from async_patterns.analysis import analyze
from async_patterns.analysis.rules import static_rule_classes
from async_patterns.analysis.settings import parse_settings
from async_patterns.fixes import apply_edits, compute_fix, offered_fixes


def _settings(rule):
    settings, _, problems = parse_settings(getattr(rule, "EXAMPLE_SETTINGS", None), rule.code)
    assert not problems
    return settings


def _fixed_examples():
    # Run-time rules' fixes are checked on what running their examples recorded (test_runtime_examples).
    for rule in static_rule_classes():
        for number, example in enumerate(rule.INVALID):
            if example.fixed is not None:
                yield pytest.param(rule, example, id=f"{rule.code}-invalid-{number}")


@pytest.mark.parametrize("rule, example", list(_fixed_examples()))
def test_preferred_fix_gives_the_expected_text(rule, example):
    settings = _settings(rule)
    [finding] = [finding for finding in analyze(example.source, settings).findings if finding.code == rule.code]
    [preferred, *_] = offered_fixes(finding)
    edits = compute_fix(example.source, finding, preferred.recipe)
    assert edits is not None, f"{preferred.recipe} declined"
    assert apply_edits(example.source, edits) == example.fixed
