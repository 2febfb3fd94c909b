"""Every rule's own examples: VALID must not report the rule, INVALID must."""

import re

import pytest

from async_patterns.analysis import analyze
from async_patterns.analysis.rules import rule_classes, static_rule_classes
from async_patterns.analysis.settings import parse_settings
from conftest import assert_message_names_its_code


def _analysed(source, settings):
    result = analyze(source, settings)
    if result.error is not None and result.error.needs_python:
        pytest.skip(f"the example needs Python {'.'.join(map(str, result.error.needs_python))}")
    return result


def _settings(rule):
    settings, _, problems = parse_settings(getattr(rule, "EXAMPLE_SETTINGS", None), rule.code)
    assert not problems
    return settings


def _cases(kind):
    # Run-time rules' examples are programs, run in test_runtime_examples.
    for rule in static_rule_classes():
        examples = rule.VALID if kind == "valid" else [example.source for example in rule.INVALID]
        for number, source in enumerate(examples):
            yield pytest.param(rule, source, id=f"{rule.code}-{kind}-{number}")


@pytest.mark.parametrize("rule, source", list(_cases("valid")))
def test_valid_example_is_not_reported(rule, source):
    result = _analysed(source, _settings(rule))
    assert result.error is None
    # A suggestion (a hint about code that is not wrong) is not a report.
    assert [finding for finding in result.findings if finding.code == rule.code and not finding.is_suggestion] == []


@pytest.mark.parametrize("rule, source", list(_cases("invalid")))
def test_invalid_example_is_reported_inside_the_document(rule, source):
    result = _analysed(source, _settings(rule))
    assert result.error is None
    reported = [finding for finding in result.findings if finding.code == rule.code and not finding.is_suggestion]
    assert reported, f"{rule.code} not reported"
    places = [(finding.line, finding.column, finding.end_line, finding.end_column) for finding in reported]
    assert len(places) == len(set(places)), f"{rule.code} reported twice at one place"
    lines = source.split("\n")
    for finding in reported:
        assert 1 <= finding.line <= finding.end_line <= len(lines)
        assert 0 <= finding.column <= len(lines[finding.line - 1])
        assert 0 <= finding.end_column <= len(lines[finding.end_line - 1])


@pytest.mark.parametrize("rule, source", list(_cases("valid")) + list(_cases("invalid")))
def test_every_message_begins_with_a_short_span_naming_the_reported_code(rule, source):
    """Reports, and the suggestions a valid example may get."""
    for finding in _analysed(source, _settings(rule)).findings:
        if finding.code == rule.code:
            assert_message_names_its_code(finding, source)


@pytest.mark.parametrize("rule", rule_classes(), ids=lambda rule: rule.code)
def test_rule_is_documented_and_has_examples(rule):
    assert re.fullmatch(r"(ASYNC|AP)\d{3}", rule.code)
    assert rule.VALID and rule.INVALID
    assert len(rule.explanation.split()) >= 30
    assert rule.peers.strip(), "say how the rule compares with flake8-async and ruff"
    assert rule.message.strip() and "\n" not in rule.message


def test_codes_are_unique():
    codes = [rule.code for rule in rule_classes()]
    assert len(codes) == len(set(codes))
