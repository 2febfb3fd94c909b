"""Settings: flake8 select/ignore semantics, validation, noqa, and the pyproject table."""

import pytest

from async_patterns.analysis import analyze
from async_patterns.analysis.noqa import suppressed_codes
from async_patterns.analysis.settings import Settings, parse_settings, settings_for_path


@pytest.mark.parametrize("select, ignore, code, expected", [
    (None, (), "ASYNC251", True),
    (None, ("ASYNC2",), "ASYNC251", False),
    (("ASYNC",), ("ASYNC25",), "ASYNC251", False),
    (("ASYNC251",), ("ASYNC",), "ASYNC251", True),
    (("AP",), (), "ASYNC251", False),
    (("AP1",), (), "AP101", True),
])
def test_longest_prefix_decides(select, ignore, code, expected):
    assert Settings(select=select, ignore=ignore).is_enabled(code) is expected


def test_rules_off_by_default_need_their_full_code():
    assert not Settings().is_enabled("ASYNC124", enabled_by_default=False)
    assert not Settings(select=("ASYNC",)).is_enabled("ASYNC124", enabled_by_default=False)
    assert Settings(select=("ASYNC124",)).is_enabled("ASYNC124", enabled_by_default=False)


def test_keys_in_any_spelling_and_problems_for_bad_values():
    settings, fields, problems = parse_settings(
        {
            "extra-blocking-calls": ["mylib.*"],
            "severity": {"asyncs251": "nope", "AP101": "info"},
            "select": "ASYNC2, AP",
            "shout": True,
        },
        "test",
    )
    assert fields == {"extra_blocking_calls", "severity", "select"}
    assert settings.select == ("ASYNC2", "AP")
    assert settings.severity == {"AP101": "information"}
    assert [call.pattern for call in settings.extra_blocking_calls] == ["mylib.*"]
    assert len(problems) == 2 and any("shout" in problem for problem in problems)


def test_editor_settings_win_over_pyproject_only_where_set():
    pyproject = Settings(ignore=("AP",), severity={"ASYNC251": "error"})
    editor, fields, _ = parse_settings({"severity": {"ASYNC251": "hint"}}, "editor")
    merged = editor.merged_over(pyproject, fields)
    assert merged.ignore == ("AP",) and merged.severity == {"ASYNC251": "hint"}


def test_pyproject_table_applies_to_files_below_it(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.async-patterns]\nignore = ["ASYNC251"]\nselect = 3\n')
    (tmp_path / "pkg").mkdir()
    settings, problems = settings_for_path(tmp_path / "pkg" / "mod.py")
    assert settings.ignore == ("ASYNC251",) and settings.select is None
    assert len(problems) == 1 and "'select'" in problems[0]


@pytest.mark.parametrize("comment, expected", [
    ("x()  # noqa", frozenset()),
    ("x()  # NOQA:ASYNC251", frozenset({"ASYNC251"})),
    ("x()  # noqa: ASYNC251,AP101", frozenset({"ASYNC251", "AP101"})),
    ("x()  # noqa: ASYNC251 AP101  trailing words", frozenset({"ASYNC251", "AP101"})),
    ("x()  # no qa", None),
    ("x()", None),
])
def test_noqa_comments_follow_flake8(comment, expected):
    assert suppressed_codes(comment) == expected


def test_noqa_for_another_code_does_not_suppress():
    source = "import time\nasync def f():\n    time.sleep(1)  # noqa: AP101\n    time.sleep(2)  # noqa: ASYNC251, AP101\n"
    assert [finding.line for finding in analyze(source).findings] == [3]


def test_an_empty_select_means_the_default_selection():
    settings, fields, problems = parse_settings({"select": [], "ignore": []}, "editor")
    assert settings.select is None and fields == {"ignore"} and problems == []
    assert settings.is_enabled("ASYNC251")
