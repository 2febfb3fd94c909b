"""pytest plugin: `pytest --async-stalls[=MS]` records where async tests stalled the event loop.

Off unless asked: without `--async-stalls` or `--async-stalls-fail` it only adds those options. When
asked, the loop-stall monitor is hooked into this process before the conftest files load, so every
loop a test runs is watched, whichever plugin runs it (pytest-asyncio, anyio's, or a test calling
`asyncio.run`). Each stall is credited to the test that was running. At the end the summary lists
the places, and the record goes to `.async-patterns/stalls.json` in the folder pytest was started
from, where the editor shows it. `--async-stalls-fail[=MS]` fails the run when a stall lasted MS or
longer (by default, when any stall was recorded).

pytest-xdist: the controller starts the record and tells its workers (through the environment the
monitor reads) to add their parts to it; the summary is read from the merged record. Under
`async-patterns run -- pytest ...` the run's monitor is used as it is.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import pytest

from async_patterns.runtime import monitor as stall_monitor
from async_patterns.runtime import records

_RECORDER_NAME = "async-patterns-stall-recorder"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("async-stalls", "event-loop stalls (async-patterns)")
    group.addoption(
        "--async-stalls",
        nargs="?",
        const=stall_monitor.DEFAULT_THRESHOLD_MS,
        type=_milliseconds,
        default=None,
        metavar="MS",
        help="record where tests stalled the event loop for longer than MS milliseconds "
        f"(default {stall_monitor.DEFAULT_THRESHOLD_MS:g}); give it as --async-stalls=MS",
    )
    group.addoption(
        "--async-stalls-fail",
        nargs="?",
        const=0.0,
        type=_milliseconds,
        default=None,
        metavar="MS",
        help="fail the run when a stall lasted MS milliseconds or longer (default: any recorded stall); "
        "turns --async-stalls on",
    )


def _milliseconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < 3_600_000:
        # As with pytest-cov's --cov[=SOURCE], a bare option takes the word after it as its value.
        raise argparse.ArgumentTypeError(
            f"expected milliseconds, got {text!r}: write the value with '=' (--async-stalls=100), "
            "or put the option after the paths"
        )
    return value


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser: pytest.Parser, args: list[str]) -> None:
    options = early_config.known_args_namespace
    threshold, fail_at = options.async_stalls, options.async_stalls_fail
    if threshold is None and fail_at is None:
        return
    if threshold is None or threshold <= 0:
        threshold = stall_monitor.DEFAULT_THRESHOLD_MS
    early_config.pluginmanager.register(
        StallRecorder(threshold, fail_at, early_config.invocation_params.dir), _RECORDER_NAME
    )


class StallRecorder:
    def __init__(self, threshold_ms: float, fail_at_ms: float | None, folder: Path) -> None:
        self.threshold_ms = threshold_ms
        self.fail_at_ms = fail_at_ms
        joined = os.environ.get(stall_monitor.OUTPUT_VARIABLE)
        # The first process of a run starts the record; xdist workers and `async-patterns run` join it.
        self.starts_the_record = not joined
        self.output = joined or str((folder / records.FOLDER / records.FILE_NAME).resolve())
        if self.starts_the_record:
            records.start_record(self.output)
            os.environ[stall_monitor.OUTPUT_VARIABLE] = self.output
            os.environ[stall_monitor.THRESHOLD_VARIABLE] = repr(threshold_ms)
        import asyncio.events  # noqa: F401  (hooked now, so that install hands back the monitor)

        self.monitor = stall_monitor.install(lambda: stall_monitor.Monitor(threshold_ms, self.output))
        self.entries: tuple[records.StallEntry, ...] = ()
        self.problem: str | None = None

    def unconfigure(self) -> None:
        if self.starts_the_record:
            os.environ.pop(stall_monitor.OUTPUT_VARIABLE, None)
            os.environ.pop(stall_monitor.THRESHOLD_VARIABLE, None)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Any:
        self.monitor.current_test = item.nodeid
        try:
            yield
        finally:
            self.monitor.current_test = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        self.monitor.flush()
        if hasattr(session.config, "workerinput"):
            return
        try:
            with open(self.output, "rb") as record:
                parsed = records.parse_records(record.read())
        except OSError as error:
            self.problem = f"cannot read {self.output}: {error.strerror or error}"
            return
        self.entries, self.problem = parsed.entries, parsed.problem
        if self.failing() and session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def failing(self) -> list[records.StallEntry]:
        if self.fail_at_ms is None:
            return []
        return [entry for entry in self.entries if entry.duration_ms >= self.fail_at_ms]

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if hasattr(terminalreporter.config, "workerinput"):
            return
        write = terminalreporter.write_line
        terminalreporter.write_sep("=", f"event-loop stalls longer than {self.threshold_ms:g} ms")
        if self.problem:
            write(f"the record {self.output}: {self.problem}")
        if not self.entries:
            write("no stall recorded")
            return
        stalls = sum(entry.count for entry in self.entries)
        shown = _relative(self.output, terminalreporter.config.invocation_params.dir)
        write(f"{stalls} stall{'s' * (stalls != 1)} at {len(self.entries)} place{'s' * (len(self.entries) != 1)} ({shown}):")
        for entry in self.entries:
            times = f"{entry.duration_ms:.0f} ms" + (
                f" ({entry.count}x, median {entry.median_ms:.0f} ms)" if entry.count > 1 else ""
            )
            where = f"{_relative(entry.path, terminalreporter.config.invocation_params.dir)}:{entry.line}"
            write(f"  {times}  {where}" + (f" in {entry.function}" if entry.function else ""))
            for test in entry.tests:
                write(f"      during {test}")
        failing = self.failing()
        if failing:
            write(
                f"--async-stalls-fail: {len(failing)} place{'s' * (len(failing) != 1)} stalled the loop for "
                f"{self.fail_at_ms:g} ms or longer",
                red=True,
                bold=True,
            )


def pytest_unconfigure(config: pytest.Config) -> None:
    recorder = config.pluginmanager.get_plugin(_RECORDER_NAME)
    if isinstance(recorder, StallRecorder):
        recorder.unconfigure()


def _relative(path: str, folder: Path) -> str:
    try:
        relative = os.path.relpath(path, folder)
    except ValueError:  # another drive
        return path
    return path if relative.startswith("..") else relative
