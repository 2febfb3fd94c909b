"""Every Python example in the reference documents runs and prints what the text says it prints.

An example that prints is followed by "Output:" and a ```text block; one without that block must
print nothing. In the expected output, `...` inside a line stands for any text (a port, a task
id), and a line that is only `...` for any number of lines. An example whose first line is
`# Requires Python X.Y` is skipped on older Pythons; `# Serves until interrupted` marks a server
that runs forever: the test waits for its expected output, then interrupts it with Ctrl+C, and
it must exit cleanly. Examples that import aiohttp run against the version the test extras pin.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys

import pytest

from async_patterns.docs import reference_documents

EXAMPLE = re.compile(r"^```python\n(.*?)^```\n(?:\nOutput:\n\n```text\n(.*?)^```\n)?", re.MULTILINE | re.DOTALL)
REQUIRES_PYTHON = re.compile(r"^# Requires Python (\d+)\.(\d+)")
SERVES_FOREVER = "# Serves until interrupted"


def examples() -> list[pytest.param]:
    params = []
    for document, text in sorted(reference_documents().items()):
        for number, (source, output) in enumerate(EXAMPLE.findall(text), start=1):
            marks = []
            required = REQUIRES_PYTHON.match(source)
            if required:
                version = (int(required[1]), int(required[2]))
                marks.append(pytest.mark.skipif(sys.version_info < version, reason=f"needs Python {version}"))
            params.append(pytest.param(source, output, id=f"{document}-{number}", marks=marks))
    return params


def expected_pattern(output: str) -> re.Pattern[str]:
    parts = []
    for line in output.splitlines():
        if line == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            parts.append(".*?".join(re.escape(piece) for piece in line.split("...")) + r"\n")
    return re.compile("".join(parts))


def test_the_pattern_language_matches_what_it_says() -> None:
    assert expected_pattern("a\n...\nz\n").fullmatch("a\nb\nc\nz\n")
    assert expected_pattern("port ...!\n").fullmatch("port 4242!\n")
    assert not expected_pattern("port ...!\n").fullmatch("port 4242\n")
    assert not expected_pattern("a\n").fullmatch("a\nb\n")


def run(source: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", source], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


def serve_until_expected(source: str, output: str) -> str:
    """Start a serving example, read its output until it matches, then press Ctrl+C."""
    process = subprocess.Popen(
        [sys.executable, "-u", "-c", source], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        stdin=subprocess.DEVNULL,
    )
    pattern, printed = expected_pattern(output), ""
    try:
        while not pattern.fullmatch(printed):
            line = process.stdout.readline()
            if not line:
                break
            printed += line
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, errors
    return printed


@pytest.mark.parametrize(("source", "output"), examples())
def test_every_example_runs_and_prints_what_the_text_says(source: str, output: str) -> None:
    if SERVES_FOREVER in source:
        assert output, "a serving example says what it prints once it is up"
        printed = serve_until_expected(source, output)
    else:
        completed = run(source)
        assert completed.returncode == 0, completed.stderr
        printed = completed.stdout
    if not output:
        assert printed == "", "the example prints, but the text does not say what"
    assert expected_pattern(output).fullmatch(printed), f"printed:\n{printed}\nexpected:\n{output}"


def test_examples_are_found_in_every_document() -> None:
    found = {param.id.rsplit("-", 1)[0] for param in examples()}
    assert found == set(reference_documents())
    assert os.sep not in "".join(found)
