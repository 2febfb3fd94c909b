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


def test_extend_select_and_extend_ignore_add_to_what_the_layer_below_chose():
    pyproject, _, _ = parse_settings({"select": ["ASYNC2"], "extend-select": ["AP1"], "extend-ignore": ["AP101"]}, "p")
    assert pyproject.is_enabled("ASYNC251") and pyproject.is_enabled("AP102") and not pyproject.is_enabled("AP101")
    assert not pyproject.is_enabled("ASYNC100")
    editor, fields, _ = parse_settings({"extendSelect": ["ASYNC124"], "extendIgnore": ["ASYNC251"]}, "editor")
    merged = editor.merged_over(pyproject, fields)
    assert merged.extend_select == ("AP1", "ASYNC124") and merged.extend_ignore == ("AP101", "ASYNC251")
    assert merged.is_enabled("ASYNC124", enabled_by_default=False) and not merged.is_enabled("ASYNC251")
    # A `select` from above replaces the selection below, extensions included (as in ruff).
    command_line, fields, _ = parse_settings({"select": "ASYNC"}, "command line")
    replaced = command_line.merged_over(pyproject, fields)
    assert replaced.extend_select == () and not replaced.is_enabled("AP102") and not replaced.is_enabled("AP101")


def test_extend_select_alone_turns_on_a_rule_that_is_off_by_default():
    assert Settings(extend_select=("ASYNC120",)).is_enabled("ASYNC120", enabled_by_default=False)
    assert Settings(extend_select=("ASYNC1",), ignore=("ASYNC",)).is_enabled("ASYNC100")
    assert not Settings(extend_select=("ASYNC",), ignore=("ASYNC1",)).is_enabled("ASYNC100")


@pytest.mark.parametrize("pattern, path, expected", [
    ("tests/**", "/repo/tests/unit/test_a.py", True),
    ("tests/**", "/repo/src/tests.py", False),
    ("tests/*", "/repo/tests/unit/test_a.py", True),  # `*` crosses folders, as in ruff
    ("test_*.py", "/repo/src/deep/test_a.py", True),  # a pattern also matches the file's name
    ("**/conftest.py", "/repo/conftest.py", True),
    ("src/{app,lib}/*.py", "/repo/src/lib/x.py", True),
    ("src/[!a]*.py", "/repo/src/app.py", False),
    ("!src/**", "/repo/scripts/run.py", True),
    ("!src/**", "/repo/src/app.py", False),
    ("/abs/**/gen_*.py", "/abs/x/gen_1.py", True),
])
def test_per_file_ignores_match_like_ruff(pattern, path, expected):
    from pathlib import PurePosixPath

    settings, _, problems = parse_settings({"per-file-ignores": {pattern: ["AP101"]}}, "p", PurePosixPath("/repo"))
    assert problems == []
    for_file = settings.for_file(PurePosixPath(path))
    assert for_file.is_enabled("AP101") is not expected
    assert for_file.is_enabled("AP102")


def test_per_file_ignores_win_over_select_and_come_from_the_right_root(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.async-patterns]\nselect = ["AP101", "ASYNC230"]\nper-file-ignores = { "tests/**" = ["AP101", "ASYNC230"] }\n'
    )
    source = "from pathlib import Path\nasync def main():\n    open('x')\n    Path('x').read_text()\n"
    settings, problems = settings_for_path(tmp_path / "tests" / "test_a.py")
    assert problems == []
    in_tests = settings.for_file(tmp_path / "tests" / "test_a.py")
    elsewhere = settings.for_file(tmp_path / "app" / "tests" / "a.py")
    assert analyze(source, in_tests).findings == []
    assert {finding.code for finding in analyze(source, elsewhere).findings} == {"AP101", "ASYNC230"}


def test_bad_per_file_ignores_and_thread_decorators_are_problems():
    settings, fields, problems = parse_settings(
        {"per-file-ignores": {"tests/**": ["AP101", "bad code"], "": ["AP102"], "x/**": "AP103"}, "thread-decorators": ["ok.name", "no spaces"]},
        "p",
    )
    assert fields == {"per_file_ignores", "thread_decorators"}
    assert [(entry.pattern, entry.codes) for entry in settings.per_file_ignores] == [("x/**", ("AP103",))]
    assert settings.thread_decorators == ("ok.name",)
    assert len(problems) == 3


def test_thread_decorators_make_a_function_run_off_the_loop():
    source = "import time\nfrom myapp.workers import in_thread\n@in_thread\nasync def load():\n    time.sleep(1)\n"
    assert [finding.code for finding in analyze(source).findings] == ["ASYNC251"]
    settings, _, _ = parse_settings({"threadDecorators": ["myapp.workers.in_*"]}, "editor")
    assert analyze(source, settings).findings == []
