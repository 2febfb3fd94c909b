"""`check --format`: full (source, carets, fix titles, colour), the CI formats checked against their
published schema or spec (SARIF 2.1.0, GitLab Code Quality, GitHub workflow commands, JUnit XML),
and which format and colour a run gets by default at a terminal, in a pipe and in a file."""

import json
import os
import pty
import shutil
import subprocess
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, run_cli

BLOCKING = "import time\n\nasync def main():\n    time.sleep(1)\n"
MIXED = "import asyncio, time\n\nasync def main():\n    time.sleep(1)\n    open('x').read()\n    asyncio.create_task(main())\n"
# The OASIS SARIF 2.1.0 schema (its final "rtm.5" text) as Microsoft's MIT-licensed SARIF SDK
# ships it in this npm package; fetched on first use into the git-ignored .test-cache/.
SARIF_SCHEMA_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
SARIF_SCHEMA_MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"
# GitLab's documented Code Quality fields ("Code Quality report format" in GitLab's CI docs).
GITLAB_CODE_QUALITY = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path"],
                "properties": {
                    # Relative to the repository, without a leading "./".
                    "path": {"type": "string", "pattern": "^(?!/)(?!\\./)"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1}, "end": {"type": "integer", "minimum": 1}},
                    },
                    "positions": {"type": "object", "required": ["begin"]},
                },
                "anyOf": [{"required": ["lines"]}, {"required": ["positions"]}],
            },
        },
    },
}


def _check(capsys, *arguments):
    return run_cli(capsys, "check", "--no-cache", *arguments)


@pytest.fixture(scope="session")
def sarif_schema():
    cached = ROOT / ".test-cache" / Path(SARIF_SCHEMA_MEMBER).name
    if not cached.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail(f"npm is needed once to fetch the SARIF 2.1.0 schema from {SARIF_SCHEMA_PACKAGE}")
        with tempfile.TemporaryDirectory() as folder:
            packed = subprocess.run(
                [npm, "pack", "--silent", SARIF_SCHEMA_PACKAGE], cwd=folder, capture_output=True, text=True, timeout=300
            )
            assert packed.returncode == 0, f"npm pack {SARIF_SCHEMA_PACKAGE} failed: {packed.stderr}"
            with tarfile.open(Path(folder) / packed.stdout.split()[-1]) as archive:
                schema = archive.extractfile(SARIF_SCHEMA_MEMBER).read()
        cached.parent.mkdir(exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(schema)
        partial.replace(cached)
    return json.loads(cached.read_text(encoding="utf-8"))


def _schema_errors(schema, document):
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(document)]


def _mixed_project(project):
    """Findings of every severity, a clean file, a file that cannot be parsed, a path with a comma."""
    (project / "pyproject.toml").write_text(
        '[tool.async-patterns]\nseverity = { ASYNC230 = "error", ASYNC232 = "information", ASYNC300 = "hint" }\n'
    )
    (project / "app.py").write_text(MIXED)
    (project / "clean.py").write_text("async def main():\n    pass\n")
    (project / "broken.py").write_text("async def (:\n")
    (project / "a,b:c.py").write_text("import time\nasync def f():\n    s = '日本😀'; time.sleep(1)\n")


def test_sarif_validates_against_the_official_2_1_0_schema(project, capsys, sarif_schema):
    _mixed_project(project)
    status, out, _ = _check(capsys, ".", "--format", "sarif")
    assert status == 2
    document = json.loads(out)
    assert _schema_errors(sarif_schema, document) == []
    assert len(document["runs"][0]["results"]) == 5
    # The schema check can fail: a SARIF log without a version is rejected.
    del document["version"]
    assert _schema_errors(sarif_schema, document)


def test_gitlab_report_has_the_documented_fields_and_stable_unique_fingerprints(project, capsys):
    _mixed_project(project)
    status, out, _ = _check(capsys, ".", "--format", "gitlab")
    assert status == 2
    issues = json.loads(out)
    assert _schema_errors(GITLAB_CODE_QUALITY, issues) == []
    assert {issue["location"]["path"] for issue in issues} == {"app.py", "a,b:c.py"}
    assert {issue["check_name"]: issue["severity"] for issue in issues} == {
        "ASYNC251": "minor", "ASYNC230": "major", "ASYNC232": "info", "ASYNC300": "info",
    }
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    # Lines moving (an edit above) keep every fingerprint; a second identical finding gets its own.
    (project / "app.py").write_text("# moved\n" + MIXED + "    time.sleep(1)\n")
    moved = json.loads(_check(capsys, ".", "--format", "gitlab")[1])
    assert {issue["fingerprint"] for issue in issues} < {issue["fingerprint"] for issue in moved}
    assert len({issue["fingerprint"] for issue in moved}) == len(moved) == 6
    assert _schema_errors(GITLAB_CODE_QUALITY, [{**issues[0], "severity": "warning"}])


def test_gitlab_paths_are_relative_to_the_working_folder_even_when_given_absolute(project, capsys):
    (project / "pkg").mkdir()
    (project / "pkg" / "app.py").write_text(BLOCKING)
    _, out, _ = _check(capsys, str(project / "pkg"), "--format", "gitlab")
    [issue] = json.loads(out)
    assert issue["location"] == {"path": "pkg/app.py", "lines": {"begin": 4, "end": 4}}


def test_github_workflow_commands_escape_data_and_properties(project, capsys):
    _mixed_project(project)
    status, out, _ = _check(capsys, ".", "--format", "github")
    assert status == 2
    lines = out.splitlines()
    assert lines[0] == (
        "::warning file=a%2Cb%3Ac.py,line=3,endLine=3,col=16,endColumn=29,title=ASYNC251::"
        "`time.sleep()` freezes the event loop and every other task for the whole delay; use `await asyncio.sleep(...)`"
    )
    assert [line.partition("::")[2].partition(",title=")[0] for line in lines[1:5]] == [
        "warning file=app.py,line=4,endLine=4,col=5,endColumn=18",
        "error file=app.py,line=5,endLine=5,col=5,endColumn=14",
        "notice file=app.py,line=5,endLine=5,col=5,endColumn=21",  # information
        "notice file=app.py,line=6,endLine=6,col=5,endColumn=32",  # hint
    ]
    assert lines[5] == "::error file=broken.py,title=async-patterns::not checked: 1:11: syntax error: invalid syntax"


def test_github_escapes_newlines_and_percent_in_messages(project, capsys):
    (project / "pyproject.toml").write_text('[tool.async-patterns]\nextra-blocking-calls = ["mylib.fetch -> x%y"]\n')
    (project / "app.py").write_text("import mylib\nasync def f():\n    mylib.fetch()\n")
    _, out, _ = _check(capsys, "app.py", "--format", "github")
    [line] = out.splitlines()
    assert "x%25y" in line and "%0A" not in line


def test_junit_xml_is_what_ci_services_read(project, capsys):
    _mixed_project(project)
    (project / "control.py").write_text("import time\nasync def f():\n    time.sleep(1)  # \x1b[31m\x0c\n")
    status, out, _ = _check(capsys, ".", "--format", "junit")
    assert status == 2
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ElementTree.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert {suite.get("name") for suite in suites} == {"a,b:c.py", "app.py", "broken.py", "control.py"}
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in suites:
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(len(case.findall("failure")) for case in cases),
            "errors": sum(len(case.findall("error")) for case in cases),
        }
        assert {key: int(suite.get(key)) for key in counts} == counts
        for key in totals:
            totals[key] += counts[key]
        for case in cases:
            assert case.get("classname") == suite.get("name") and case.get("name")
            for outcome in case:
                assert outcome.tag in ("failure", "error") and outcome.get("message") and outcome.get("type")
    assert {key: int(root.get(key)) for key in totals} == totals == {"tests": 7, "failures": 6, "errors": 1}
    failure = root.find("testsuite[@name='app.py']/testcase/failure")
    assert failure.get("type") == "ASYNC251" and failure.text.startswith("app.py:4:5: ASYNC251 ")


def test_junit_with_nothing_found_has_one_passing_test(project, capsys):
    (project / "clean.py").write_text("async def main():\n    pass\n")
    status, out, _ = _check(capsys, ".", "--format", "junit")
    root = ElementTree.fromstring(out)
    assert status == 0
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "0")
    assert root.find("testsuite/testcase").get("name") == "no findings"


def test_full_shows_source_carets_under_wide_characters_and_the_fix_title(project, capsys):
    (project / "app.py").write_text(
        "import asyncio, time\nasync def f():\n    s = '日本😀'; time.sleep(1)\n    if s:\tasyncio.create_task(f())\n",
        encoding="utf-8",
    )
    status, out, err = _check(capsys, "app.py", "--format", "full")
    assert status == 1
    assert out == (
        "app.py:3:16: ASYNC251 `time.sleep()` freezes the event loop and every other task for the whole delay; "
        "use `await asyncio.sleep(...)`\n"
        "  |\n"
        "3 |     s = '日本😀'; time.sleep(1)\n"
        "  |                   ^^^^^^^^^^^^^\n"
        "  = fix: Replace with `await asyncio.sleep(...)`\n"
        "\n"
        "app.py:4:11: ASYNC300 " + out.split("app.py:4:11: ASYNC300 ")[1].split("\n")[0] + "\n"
        "  |\n"
        "4 |     if s:       asyncio.create_task(f())\n"  # the tab reaches the next stop of 8
        "  |                 ^^^^^^^^^^^^^^^^^^^^^^^^\n"
        "  = fix: Keep a reference to the task in a set of background tasks\n"
        "\n"
    )
    assert "2 findings (2 fixable) in 1 file" in err


def test_full_marks_each_line_of_a_long_range_and_elides_the_middle(project, capsys):
    call = "    time.sleep(\n" + "".join(f"        {number},\n" for number in range(1, 7)) + "    )\n"
    (project / "app.py").write_text("import time\nasync def f():\n" + call)
    _, out, _ = _check(capsys, "app.py", "--format", "full")
    assert out.split("\n", 1)[1] == (
        "   |\n"
        " 3 |     time.sleep(\n"
        "   |     ^^^^^^^^^^^\n"
        " 4 |         1,\n"
        "   |         ^^\n"
        ".. |\n"
        " 9 |         6,\n"
        "   |         ^^\n"
        "10 |     )\n"
        "   |     ^\n"
        "   = fix: Replace with `await asyncio.sleep(...)`\n"
        "\n"
    )


def test_full_without_a_fix_or_source_still_names_the_finding(project, capsys, monkeypatch):
    (project / "app.py").write_text("import asyncio\nasync def f(x):\n    while not x:\n        await asyncio.sleep(1)\n")
    _, out, _ = _check(capsys, "app.py", "--format", "full", "--select", "ASYNC110")
    assert out.split("\n", 1)[1] == "  |\n3 |     while not x:\n  |     ^^^^^^^^^^^\n\n"
    # A source that disappeared after the analysis: the finding is still reported, without source.
    from async_patterns.cli import format_full
    from async_patterns.cli.formats import FileResult, ReportContext
    from async_patterns.analysis.findings import Finding

    finding = Finding("ASYNC124", "message", 7, 0, 7, 3)
    assert format_full.render([FileResult("gone.py", [finding])], ReportContext()) == "gone.py:7:1: ASYNC124 message\n\n"


def test_concise_and_its_old_name_text_are_today_s_one_line_format(project, capsys):
    (project / "app.py").write_text(BLOCKING)
    expected = "app.py:4:5: ASYNC251 " + json.loads(_check(capsys, "app.py", "--format", "json")[1])[0]["message"] + "\n"
    assert _check(capsys, "app.py", "--format", "concise")[1] == expected
    assert _check(capsys, "app.py", "--format", "text")[1] == expected
    assert _check(capsys, "app.py")[1] == expected  # not a terminal: concise


def test_colour_only_when_forced_and_never_against_no_color(project, capsys, monkeypatch):
    (project / "app.py").write_text(BLOCKING)
    plain = _check(capsys, "app.py", "--format", "full")[1]
    assert "\x1b[" not in plain
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = _check(capsys, "app.py", "--format", "full")[1]
    assert "\x1b[1;33mASYNC251\x1b[0m" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert _check(capsys, "app.py", "--format", "full")[1] == plain
    monkeypatch.delenv("NO_COLOR")
    # A report file never carries escape sequences, whatever the environment says.
    _check(capsys, "app.py", "--format", "full", "--output-file", "report.txt")
    assert (project / "report.txt").read_text(encoding="utf-8") == plain


def _run_in_terminal(arguments, cwd, **environment):
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}
    env.update({"TERM": "xterm", **environment})
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "async_patterns", *arguments],
        stdout=terminal, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=cwd, env=env,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal is gone once the process has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.communicate()
    os.close(controller)
    return process.returncode, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_a_terminal_gets_the_full_format_in_colour_and_a_pipe_the_concise_one(project):
    (project / "app.py").write_text(BLOCKING)
    status, shown = _run_in_terminal(["check", "--no-cache", "app.py"], project)
    assert status == 1
    assert "\x1b[1;33mASYNC251\x1b[0m" in shown and "\x1b[1;33m^^^^^^^^^^^^^\x1b[0m" in shown
    status, shown = _run_in_terminal(["check", "--no-cache", "app.py"], project, NO_COLOR="1")
    assert "\x1b[" not in shown and "4 |     time.sleep(1)\n" in shown
    status, shown = _run_in_terminal(["check", "--no-cache", "app.py"], project, TERM="dumb")
    assert "\x1b[" not in shown
    piped = subprocess.run(
        [sys.executable, "-m", "async_patterns", "check", "--no-cache", "app.py"],
        capture_output=True, text=True, cwd=project,
        env={**{key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR")}, "TERM": "xterm"},
    )
    assert piped.stdout.count("\n") == 1 and piped.stdout.startswith("app.py:4:5: ASYNC251 ")


def test_full_cuts_very_long_lines_around_the_range(project, capsys):
    data = "x = [" + "1, " * 300 + "]; "
    (project / "app.py").write_text(f"import time\nasync def f():\n    {data}time.sleep(1)\n    time.sleep({'1+' * 300}1)\n")
    _, out, _ = _check(capsys, "app.py", "--format", "full")
    first, second = out.split("\n\n")[:2]
    source_line, caret_line = first.splitlines()[2:4]
    assert source_line.startswith("3 | ...") and source_line.endswith("time.sleep(1)")
    assert len(source_line) == len("3 | ...") + 200  # 200 code points of the source, to its end
    assert caret_line.index("^") == source_line.index("time.sleep(1)") and caret_line.endswith("^" * 13)
    # A range longer than the cut: carets up to where the line is cut.
    source_line, caret_line = second.splitlines()[2:4]
    assert source_line == "4 |     time.sleep(" + ("1+" * 300)[: 200 - len("    time.sleep(")] + "..."
    assert caret_line == "  |     " + "^" * (200 - 4)
