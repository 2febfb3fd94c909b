"""The bundled example project has a real instance of every rule that is on by default."""

import sys

from async_patterns.analysis.rules import static_rule_classes
from async_patterns.analysis.settings import settings_for_path
from async_patterns.analysis import analyze

from async_patterns.cli.projects import ProjectIndexes, Projects
from conftest import EXAMPLES


def _only_newer_python_can_show(rule) -> bool:
    """Every invalid example of `rule` is syntax the running Python cannot parse (`except*` on 3.10)."""
    errors = [analyze(example.source).error for example in rule.INVALID]
    return all(error is not None and error.needs_python for error in errors)


def test_every_default_rule_fires_in_examples_and_examples_parse():
    settings, problems = settings_for_path(EXAMPLES / "shop")
    assert problems == []
    seen = set()
    files = sorted(EXAMPLES.rglob("*.py"))
    # As `check` sees them: one project, so helpers in other modules are known (AP109).
    projects = Projects(EXAMPLES)
    indexes = ProjectIndexes(projects)
    for path in files:
        view = indexes.view_for(projects.root_of(path), path, settings)
        result = analyze(path.read_text(encoding="utf-8"), settings, project=view)
        if result.error is not None and result.error.needs_python and sys.version_info < result.error.needs_python:
            # The example application targets 3.11 (TaskGroup, except*): on an older Python the
            # analyser names what it cannot parse instead of guessing.
            assert "need Python 3.11 or newer" in result.error.message, path
            continue
        assert result.error is None, path
        seen.update(finding.code for finding in result.findings)
    expected = {
        rule.code for rule in static_rule_classes() if rule.enabled_by_default and not _only_newer_python_can_show(rule)
    }
    assert expected - seen == set()
