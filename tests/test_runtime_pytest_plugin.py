"""The pytest plugin on a real test suite, in a subprocess: off unless asked; with `--async-stalls`
it credits each stall to its test (pytest-asyncio, anyio, asyncio.run), summarises, writes the
record, and `--async-stalls-fail` fails the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from runtime_programs import RUN, TIMEOUT, marked_line

TESTS = """\
import asyncio
import time

import pytest


@pytest.mark.asyncio
async def test_with_pytest_asyncio():
    time.sleep(0.3)  # stall here


@pytest.mark.anyio
async def test_with_anyio():
    time.sleep(0.3)  # anyio stall


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.asyncio
async def test_healthy():
    for _ in range(20):
        await asyncio.sleep(0.01)


def test_without_a_loop_is_not_watched():
    time.sleep(0.3)


def test_nothing_is_hooked_unless_asked():
    import asyncio.events

    hooked = hasattr(asyncio.events._set_running_loop, "_async_patterns_stall_monitor")
    assert hooked == bool(__import__("os").environ.get("EXPECT_HOOKED"))
"""
CONFIG = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    (tmp_path / "test_suite.py").write_text(TESTS, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(CONFIG, encoding="utf-8")
    return tmp_path


def run_pytest(folder: Path, *options: str, expect_hooked: bool = True, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    environment = {"EXPECT_HOOKED": "1"} if expect_hooked else {}
    return subprocess.run(
        [*prefix, sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *options],
        cwd=folder,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def record(folder: Path) -> list[dict]:
    return json.loads((folder / ".async-patterns" / "stalls.json").read_text(encoding="utf-8"))


def test_off_unless_asked(suite: Path):
    completed = run_pytest(suite, expect_hooked=False)
    assert completed.returncode == 0, completed.stdout
    assert "event-loop stalls" not in completed.stdout
    assert not (suite / ".async-patterns").exists()


def test_stalls_are_credited_to_their_tests_summarised_and_recorded(suite: Path):
    completed = run_pytest(suite, "--async-stalls=100")
    assert completed.returncode == 0, completed.stdout
    summary = completed.stdout[completed.stdout.index("event-loop stalls longer than 100 ms") :]
    assert "2 stalls at 2 places (.async-patterns/stalls.json):" in summary
    assert f"test_suite.py:{marked_line(TESTS)} in test_with_pytest_asyncio" in summary
    assert "during test_suite.py::test_with_anyio" in summary
    entries = {entry["line"]: entry for entry in record(suite)}
    assert entries[marked_line(TESTS)]["tests"] == ["test_suite.py::test_with_pytest_asyncio"]
    assert 240 <= entries[marked_line(TESTS)]["duration_ms"] <= 400


def test_fail_fails_the_run_above_its_limit_only(suite: Path):
    failing = run_pytest(suite, "--async-stalls-fail")
    assert failing.returncode == 1, failing.stdout
    assert "--async-stalls-fail: 2 places stalled the loop for 0 ms or longer" in failing.stdout
    passing = run_pytest(suite, "--async-stalls-fail=5000")
    assert passing.returncode == 0, passing.stdout
    assert "2 stalls at 2 places" in passing.stdout


def test_a_bare_option_before_a_path_says_how_to_write_it(suite: Path):
    completed = run_pytest(suite, "--async-stalls", "test_suite.py")
    assert completed.returncode == 4
    assert "write the value with '=' (--async-stalls=100)" in completed.stderr


def test_xdist_workers_add_to_one_record(suite: Path):
    completed = run_pytest(suite, "-n", "2", "--async-stalls=100")
    assert completed.returncode == 0, completed.stdout
    assert "2 stalls at 2 places" in completed.stdout
    assert len(record(suite)) == 2


def test_under_async_patterns_run_the_stalls_are_counted_once(suite: Path):
    completed = run_pytest(suite, "--async-stalls=100", prefix=(*RUN, "--"))
    assert completed.returncode == 0, completed.stdout
    assert "2 stalls at 2 places" in completed.stdout
    assert sum(entry["count"] for entry in record(suite)) == 2
