"""`check`'s options beyond formats (--exit-zero, --statistics, --output-file, --diff, --show-files,
--show-settings, --config, standard input), the combinations refused with exit 2, and `rule`."""

import json
import subprocess
import sys

import pytest

from conftest import run_cli

BLOCKING = "import time\n\nasync def main():\n    time.sleep(1)\n"
FIXED = "import asyncio\nimport time\n\nasync def main():\n    await asyncio.sleep(1)\n"


def _check(capsys, *arguments):
    return run_cli(capsys, "check", "--no-cache", *arguments)


def _piped(project, stdin: bytes, *arguments):
    return subprocess.run(
        [sys.executable, "-m", "async_patterns", "check", *arguments], input=stdin, capture_output=True, cwd=project
    )


def test_exit_zero_keeps_findings_but_not_errors_from_failing(project, capsys):
    (project / "app.py").write_text(BLOCKING)
    status, out, _ = _check(capsys, "app.py", "--exit-zero")
    assert status == 0 and "ASYNC251" in out
    assert _check(capsys, "app.py", "missing.py", "--exit-zero")[0] == 2


def test_statistics_count_each_rule_and_its_fixable_findings(project, capsys):
    (project / "a.py").write_text(BLOCKING + "    time.sleep(2)\n")
    (project / "b.py").write_text("import asyncio, time\nasync def f():\n    time.sleep(1)\n    asyncio.get_event_loop()\n")
    status, out, _ = _check(capsys, ".", "--statistics")
    assert status == 1
    assert out == (
        "count  fixable  code      name\n"
        "    3        3  ASYNC251  blocking-sleep\n"
        "    1        1  AP203     get-event-loop-in-coroutine\n"
    )
    _, out, _ = _check(capsys, ".", "--statistics", "--format", "json")
    assert json.loads(out) == [
        {"code": "ASYNC251", "name": "blocking-sleep", "count": 3, "fixable": 3},
        {"code": "AP203", "name": "get-event-loop-in-coroutine", "count": 1, "fixable": 1},
    ]
    (project / "a.py").write_text("x = 1\n")
    (project / "b.py").write_text("x = 1\n")
    assert _check(capsys, ".", "--statistics") == (0, "", "0 findings (0 fixable) in 2 files\n")


def test_output_file_gets_the_report_and_stdout_nothing(project, capsys):
    (project / "app.py").write_text(BLOCKING)
    status, out, _ = _check(capsys, "app.py", "--format", "gitlab", "--output-file", "reports/quality.json")
    assert (status, out) == (1, "")
    [issue] = json.loads((project / "reports" / "quality.json").read_text(encoding="utf-8"))
    assert issue["check_name"] == "ASYNC251"
    (project / "taken").write_text("")
    status, _, err = _check(capsys, "app.py", "--output-file", "taken/report.txt")
    assert status == 2 and "cannot write taken/report.txt" in err


def test_diff_shows_the_fixes_writes_nothing_and_exits_1_only_when_there_is_a_fix(project, capsys):
    (project / "app.py").write_text(BLOCKING)
    (project / "tail.py").write_text("import time\nasync def f():\n    time.sleep(1)")  # no newline at the end
    (project / "clean.py").write_text("x = 1\n")
    status, out, err = _check(capsys, ".", "--fix", "--diff")
    assert status == 1
    assert out == (
        "--- app.py\n+++ app.py\n@@ -1,4 +1,5 @@\n+import asyncio\n import time\n \n async def main():\n"
        "-    time.sleep(1)\n+    await asyncio.sleep(1)\n"
        "--- tail.py\n+++ tail.py\n@@ -1,3 +1,4 @@\n+import asyncio\n import time\n async def f():\n"
        "-    time.sleep(1)\n\\ No newline at end of file\n+    await asyncio.sleep(1)\n\\ No newline at end of file\n"
    )
    assert "app.py: would fix 1 (ASYNC251)" in err
    assert (project / "app.py").read_text() == BLOCKING
    # The diff applies with patch(1) and gives what --fix writes.
    patched = subprocess.run(["patch", "-p0", "--dry-run"], input=out, capture_output=True, text=True, cwd=project)
    assert patched.returncode == 0, patched.stdout + patched.stderr
    assert _check(capsys, "clean.py", "--fix", "--diff") == (0, "", "")
    (project / "unfixable.py").write_text("import asyncio\nasync def f(x):\n    while not x:\n        await asyncio.sleep(1)\n")
    assert _check(capsys, "unfixable.py", "--fix", "--diff", "--select", "ASYNC110")[:2] == (0, "")


def test_show_files_lists_what_a_check_covers_and_analyses_nothing(project, capsys):
    (project / "pkg").mkdir()
    (project / "pkg" / "mod.py").write_text("def broken(:\n")
    (project / "ignored").mkdir()
    (project / "ignored" / "mod.py").write_text(BLOCKING)
    (project / ".gitignore").write_text("ignored/\n")
    (project / "top.py").write_text(BLOCKING)
    assert _check(capsys, ".", "--show-files") == (0, "pkg/mod.py\ntop.py\n", "")
    assert _check(capsys, "top.py", "nowhere", "--show-files")[:2] == (2, "top.py\n")


def test_show_settings_gives_each_file_group_its_origin_and_resolved_settings(project, capsys):
    (project / "service").mkdir()
    (project / "service" / "pyproject.toml").write_text(
        '[tool.async-patterns]\nselect = ["ASYNC2"]\nseverity = { ASYNC251 = "error" }\n'
        'extra-blocking-calls = ["legacy.fetch -> legacy.fetch_async"]\n'
    )
    (project / "service" / "app.py").write_text(BLOCKING)
    (project / "top.py").write_text(BLOCKING)
    status, out, _ = _check(capsys, ".", "--show-settings", "--ignore", "ASYNC230")
    assert status == 0
    service, defaults = out.split("\n\n")
    assert defaults.splitlines()[:6] == [
        "# defaults (no pyproject.toml above these files)",
        "# for 1 file: top.py",
        "# from the command line: ignore",
        "select = (every rule that is on by default)",
        'ignore = ["ASYNC230"]',
        "severity = {}",
    ]
    assert service.splitlines() == [
        f"# {project / 'service' / 'pyproject.toml'}",
        "# for 1 file: service/app.py",
        "# from the command line: ignore",
        'select = ["ASYNC2"]',
        'ignore = ["ASYNC230"]',
        'severity = { ASYNC251 = "error" }',
        'extra-blocking-calls = ["legacy.fetch -> legacy.fetch_async"]',
        "# rules on (12): ASYNC200, ASYNC210, ASYNC211, ASYNC212, ASYNC220, ASYNC221, ASYNC222, ASYNC231, "
        "ASYNC232, ASYNC240, ASYNC250, ASYNC251",
    ]


@pytest.mark.parametrize("name, content", [
    ("pyproject.toml", '[tool.async-patterns]\nselect = ["AP2"]\n'),
    ("async-patterns.toml", 'select = ["AP2"]\n'),
    ("other.toml", '[tool.async-patterns]\nselect = ["AP2"]\n'),
])
def test_config_file_replaces_the_nearest_pyproject(project, capsys, name, content):
    (project / "pyproject.toml").write_text('[tool.async-patterns]\nselect = ["ASYNC251"]\n')
    (project / "settings").mkdir(exist_ok=True)
    (project / "settings" / name).write_text(content)
    (project / "app.py").write_text("import asyncio, time\nasync def f():\n    time.sleep(1)\n    asyncio.get_event_loop()\n")
    assert json.loads(_check(capsys, "app.py", "--format", "json")[1])[0]["code"] == "ASYNC251"
    _, out, _ = _check(capsys, "app.py", "--format", "json", "--config", f"settings/{name}")
    assert [record["code"] for record in json.loads(out)] == ["AP203"]
    # The command line still has the last word.
    _, out, _ = _check(capsys, "app.py", "--format", "json", "--config", f"settings/{name}", "--select", "ASYNC")
    assert [record["code"] for record in json.loads(out)] == ["ASYNC251"]


@pytest.mark.parametrize("name, content, problem", [
    ("missing.toml", None, "missing.toml: cannot read"),
    ("broken.toml", "select = [", "broken.toml: cannot read"),
    ("unknown.toml", 'selct = ["AP"]\n', "unknown setting 'selct'"),
    ("invalid.toml", 'severity = { ASYNC251 = "loud" }\n', "'loud' is not one of"),
    ("pyproject.toml", '[project]\nname = "x"\n', "has no [tool.async-patterns] table"),
])
def test_an_unreadable_or_invalid_config_file_stops_the_run_with_exit_2(project, capsys, name, content, problem):
    if content is not None:
        (project / name).write_text(content)
    (project / "app.py").write_text(BLOCKING)
    status, out, err = _check(capsys, "app.py", "--config", name)
    assert (status, out) == (2, "")
    assert problem in err and err.startswith("async-patterns: error: ")


def test_stdin_is_checked_under_its_given_name_with_that_file_s_settings(project):
    (project / "service").mkdir()
    (project / "service" / "pyproject.toml").write_text('[tool.async-patterns]\nseverity = { ASYNC251 = "error" }\n')
    completed = _piped(project, BLOCKING.encode(), "--stdin-filename", "service/app.py", "-", "--format", "json")
    assert completed.returncode == 1
    [record] = json.loads(completed.stdout)
    assert (record["path"], record["severity"]) == ("service/app.py", "error")
    assert not (project / ".async-patterns-cache").exists()
    # `-` alone reads stdin too, named `-`, with the working folder's settings.
    completed = _piped(project, BLOCKING.encode(), "-", "--format", "json")
    assert [(record["path"], record["severity"]) for record in json.loads(completed.stdout)] == [("-", "warning")]
    # --stdin-filename alone also reads stdin, as in ruff.
    completed = _piped(project, b"x = 1\n", "--stdin-filename", "service/app.py")
    assert (completed.returncode, completed.stdout) == (0, b"")


def test_full_format_shows_stdin_source_lines(project):
    completed = _piped(project, BLOCKING.encode(), "-", "--stdin-filename", "app.py", "--format", "full")
    assert b"4 |     time.sleep(1)\n  |     ^^^^^^^^^^^^^\n" in completed.stdout


def test_fix_on_stdin_prints_the_fixed_text_and_reports_on_stderr(project):
    completed = _piped(project, BLOCKING.encode(), "--fix", "-", "--stdin-filename", "app.py")
    assert (completed.returncode, completed.stdout) == (0, FIXED.encode())
    assert b"app.py: fixed 1 (ASYNC251)" in completed.stderr
    assert not (project / "app.py").exists()
    # Left findings are reported on stderr (exit 1); a text in another encoding comes back in it.
    latin = "# -*- coding: latin-1 -*-\nimport time\nasync def f(x):\n    s = 'é'; time.sleep(1)\n    while not x:\n        await asyncio.sleep(1)\n"
    completed = _piped(project, latin.encode("latin-1"), "--fix", "-", "--format", "concise")
    assert completed.returncode == 1
    assert completed.stdout.decode("latin-1").startswith("# -*- coding: latin-1 -*-\nimport asyncio\n")
    assert "await asyncio.sleep(1)" in completed.stdout.decode("latin-1").split("while")[0]
    assert b"-:6:5: ASYNC110 " in completed.stderr  # where it is in the fixed text


def test_fix_on_stdin_never_loses_the_text_it_cannot_fix(project):
    for text in (b"def broken(:\n    time.sleep(1)\n", b"x = 1\n", b"\xff\xfe binary\x00", b""):
        completed = _piped(project, text, "--fix", "-")
        assert completed.stdout == text
    assert _piped(project, b"def broken(:\n", "--fix", "-").returncode == 2


def test_diff_on_stdin_names_the_given_file(project):
    completed = _piped(project, BLOCKING.encode(), "--fix", "--diff", "-", "--stdin-filename", "pkg/app.py")
    assert completed.returncode == 1
    assert completed.stdout.decode().startswith("--- pkg/app.py\n+++ pkg/app.py\n@@ -1,4 +1,5 @@\n+import asyncio\n")


@pytest.mark.parametrize("command", [
    [sys.executable, "-m", "async_patterns", "check", "-"],  # from the null device, as in CI
    ["bash", "-c", 'exec 0<&-; exec "$0" -m async_patterns check -', sys.executable],  # closed
])
def test_dash_without_anything_piped_is_a_usage_error(project, command):
    completed = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=project)
    assert completed.returncode == 2
    assert "nothing is piped to it" in completed.stderr


@pytest.mark.parametrize("arguments, message", [
    (["app.py", "--diff"], "--diff shows what --fix would change"),
    (["app.py", "--fix", "--diff", "--statistics"], "--diff and --statistics each replace the report"),
    (["app.py", "--fix", "--diff", "--format", "json"], "--diff prints a diff instead of a report"),
    (["app.py", "--statistics", "--format", "sarif"], "--statistics prints a table, or JSON"),
    (["app.py", "--show-files", "--fix"], "--show-files and --show-settings only print"),
    (["app.py", "--show-files", "--show-settings"], "not allowed with argument"),
    (["app.py", "--format", "xml"], "invalid choice: 'xml'"),
    (["-", "app.py"], "`-` (read standard input) cannot be combined with other paths"),
    (["app.py", "--stdin-filename", "x.py"], "give `-` as the only path"),
    (["-", "--stdin-filename", " "], "--stdin-filename needs a file name"),
])
def test_bad_combinations_are_usage_errors_with_exit_2(project, capsys, arguments, message):
    (project / "app.py").write_text(BLOCKING)
    status, out, err = _check(capsys, *arguments)
    assert (status, out) == (2, "")
    assert err.startswith("usage: async-patterns check") and message in err
    assert (project / "app.py").read_text() == BLOCKING


def test_rule_prints_its_explanation_and_examples(capsys):
    status, out, _ = run_cli(capsys, "rule", "async251")
    assert status == 0
    assert out.startswith("## ASYNC251\n\n**blocking-sleep** — on by default.\n\n`time.sleep()` suspends the whole thread.")
    assert "Reported:\n\n```python\n" in out and "Quick fix:\n" in out and "await asyncio.sleep(1)" in out
    assert out.endswith("docs/rules.md#async251\n")
    status, out, _ = run_cli(capsys, "rule", "ASYNC124", "--format", "json")
    record = json.loads(out)
    assert (record["code"], record["enabled_by_default"]) == ("ASYNC124", False)
    assert record["reported"] and record["not_reported"]


def test_rule_all_lists_every_rule_with_its_default_state(capsys):
    from async_patterns.analysis.rules import rule_classes

    status, out, _ = run_cli(capsys, "rule", "--all")
    lines = out.splitlines()
    assert status == 0 and len(lines) == len(rule_classes())
    by_code = {line.split()[0]: line.split()[1] for line in lines}
    assert by_code["ASYNC251"] == "on" and by_code["ASYNC124"] == "off"
    records = json.loads(run_cli(capsys, "rule", "--all", "--format", "json")[1])
    assert [record["code"] for record in records] == [rule.code for rule in rule_classes()]


@pytest.mark.parametrize("arguments, message", [
    (["rule"], "give one rule CODE, or --all"),
    (["rule", "ASYNC251", "--all"], "give one rule CODE, or --all"),
    (["rule", "ASYNC999"], "no rule 'ASYNC999'"),
])
def test_rule_usage_errors_exit_2(capsys, arguments, message):
    status, out, err = run_cli(capsys, *arguments)
    assert (status, out) == (2, "") and message in err
