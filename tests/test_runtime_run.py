"""`async-patterns run` on real programs: each stall is recorded at its file and line, as long as it
really was (within 20 % of what the program measured itself), and the program runs as without it.

Stalls last 0.4 s against a 100 ms threshold: long enough that a loaded machine cannot blur the
comparison, while the heartbeat's own error is at most 5 ms."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from async_patterns.analysis import analyze
from conftest import interruptible
from docs_claims import claim
from runtime_programs import (
    MARK,
    RUN,
    TIMEOUT,
    assert_close,
    assert_hash_matches,
    marked_line,
    measured_seconds,
    run_program,
)

CPU_BOUND = f"""\
import asyncio
import time


def spin(seconds):
    deadline = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < deadline: count += 1  {MARK}
    return count


async def main():
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    spin(0.4)
    print("measured", time.perf_counter() - started)
    await asyncio.sleep(0.05)


asyncio.run(main())
"""

HIDDEN_SLEEP_MAIN = """\
import asyncio
import importlib
import time


async def main():
    helpers = importlib.import_module("hid" + "den")
    await asyncio.sleep(0.05)
    started = time.perf_counter()
    helpers.pause(0.4)
    print("measured", time.perf_counter() - started)


asyncio.run(main())
"""
HIDDEN_SLEEP_MODULE = f"""\
import time


def pause(seconds):
    time.sleep(seconds)  {MARK}
"""

SOCKET_RECV = f"""\
import asyncio
import socket
import threading
import time


async def main():
    reader, writer = socket.socketpair()
    threading.Timer(0.4, writer.send, [b"late"]).start()
    started = time.perf_counter()
    data = reader.recv(16)  {MARK}
    print("measured", time.perf_counter() - started, data)


asyncio.run(main())
"""

JSON_LOADS = f"""\
import asyncio
import json
import time


async def handle(payload):
    started = time.perf_counter()
    document = json.loads(payload)  {MARK}
    print("measured", time.perf_counter() - started, len(document))


async def main():
    payload = "[" + ",".join(['{{"id": 12345, "tags": ["a", "b", "c"], "price": 1.5}}'] * 100_000) + "]"
    await asyncio.sleep(0.05)
    # The program ends right after the stall: the record is written as it exits.
    await handle(payload)


asyncio.run(main())
"""

HEALTHY = """\
import asyncio


async def worker(queue):
    while (item := await queue.get()) is not None:
        await asyncio.sleep(0)


async def main():
    queue = asyncio.Queue()
    workers = [asyncio.create_task(worker(queue)) for _ in range(50)]
    for item in range(20_000):
        await queue.put(item)
    for _ in workers:
        await queue.put(None)
    await asyncio.gather(*workers)
    for _ in range(20):
        await asyncio.sleep(0.02)


asyncio.run(main())
"""


@claim("debugging.md", "records the exact line where an event loop stopped serving other tasks")
def test_a_cpu_bound_loop_is_recorded_at_its_line(tmp_path: Path):
    run = run_program(tmp_path, {"app.py": CPU_BOUND})
    assert run.completed.returncode == 0, run.completed.stderr
    entry = run.entry_at("app.py", CPU_BOUND)
    assert_close(entry["duration_ms"], measured_seconds(run.completed))
    assert entry["function"] == "spin" and entry["count"] == 1 and entry["coroutine"] is False
    assert [frame["function"] for frame in entry["frames"][-2:]] == ["main", "spin"]
    assert entry["frames"][-1] == {"path": str(tmp_path / "app.py"), "line": marked_line(CPU_BOUND), "function": "spin"}
    assert_hash_matches(entry, tmp_path)


@claim("debugging.md", "The recorded line is the innermost frame in your own files")
def test_a_sleep_in_a_module_imported_dynamically_is_recorded_where_it_sleeps(tmp_path: Path):
    run = run_program(tmp_path, {"app.py": HIDDEN_SLEEP_MAIN, "hidden.py": HIDDEN_SLEEP_MODULE})
    assert run.completed.returncode == 0, run.completed.stderr
    # What no static rule can see: the module is named at run time, the sleep is in a sync function.
    assert analyze(HIDDEN_SLEEP_MAIN).findings == [] and analyze(HIDDEN_SLEEP_MODULE).findings == []
    entry = run.entry_at("hidden.py", HIDDEN_SLEEP_MODULE)
    assert_close(entry["duration_ms"], measured_seconds(run.completed))
    assert entry["frames"][-2]["path"] == str(tmp_path / "app.py")
    assert_hash_matches(entry, tmp_path)


def test_a_blocking_socket_recv_is_recorded(tmp_path: Path):
    run = run_program(tmp_path, {"app.py": SOCKET_RECV})
    assert run.completed.returncode == 0, run.completed.stderr
    entry = run.entry_at("app.py", SOCKET_RECV)
    assert_close(entry["duration_ms"], measured_seconds(run.completed))
    assert entry["coroutine"] is True


@claim("debugging.md", "it is sampled the moment it returns to Python, which still names its caller")
def test_a_large_json_loads_is_recorded_at_the_call_though_it_holds_the_gil(tmp_path: Path):
    run = run_program(tmp_path, {"app.py": JSON_LOADS}, threshold_ms=50)
    assert run.completed.returncode == 0, run.completed.stderr
    entry = run.entry_at("app.py", JSON_LOADS)
    assert_close(entry["duration_ms"], measured_seconds(run.completed))
    # The time went inside the json package, sampled as the C scanner returned.
    assert entry["frames"][-1]["path"].endswith(os.path.join("json", "decoder.py"))


def test_a_healthy_program_records_nothing(tmp_path: Path):
    run = run_program(tmp_path, {"app.py": HEALTHY})
    assert run.completed.returncode == 0, run.completed.stderr
    assert run.record == []


def test_the_record_is_replaced_atomically_and_leaves_no_temporary_files(tmp_path: Path):
    run = run_program(tmp_path, {"app.py": CPU_BOUND})
    assert run.completed.returncode == 0
    parts = tmp_path / "stalls.json.parts"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["app.py", "stalls.json", "stalls.json.parts"]
    assert [path.suffix for path in parts.iterdir() if path.name != "lock"] == [".json"]


STREAMS = """\
import sys
line = sys.stdin.readline()
sys.stdout.write("out: " + line)
sys.stderr.write("err: 日本語\\n")
sys.exit(int(sys.argv[1]))
"""


@claim("debugging.md", "`run` replaces itself with the command")
@pytest.mark.parametrize("status", [0, 3])
def test_streams_and_exit_status_pass_through(tmp_path: Path, status: int):
    (tmp_path / "streams.py").write_text(STREAMS, encoding="utf-8")
    plain = subprocess.run([sys.executable, "streams.py", str(status)], cwd=tmp_path, input=b"hello\n", capture_output=True)
    run = run_program(tmp_path, {"streams.py": STREAMS}, arguments=(str(status),), stdin=b"hello\n")
    assert (run.completed.returncode, run.completed.stdout, run.completed.stderr) == (
        status,
        plain.stdout,
        plain.stderr,
    )
    assert plain.stdout == b"out: hello\n"


def test_death_by_a_signal_passes_through(tmp_path: Path):
    program = "import asyncio, os, signal\nasync def main():\n    os.kill(os.getpid(), signal.SIGTERM)\n    await asyncio.sleep(5)\nasyncio.run(main())\n"
    run = run_program(tmp_path, {"app.py": program})
    assert run.completed.returncode == -signal.SIGTERM


CTRL_C = """\
import asyncio
import sys


async def main():
    print("ready", flush=True)
    await asyncio.sleep(60)


try:
    asyncio.run(main())
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(7)
"""


@claim("debugging.md", "Standard streams, the exit status and Ctrl+C are the program's own")
def test_ctrl_c_reaches_the_program(tmp_path: Path):
    (tmp_path / "app.py").write_text(CTRL_C, encoding="utf-8")
    process = subprocess.Popen(
        [*RUN, "--output", str(tmp_path / "stalls.json"), "--", sys.executable, "app.py"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        preexec_fn=interruptible,
    )
    try:
        assert process.stdout.readline() == b"ready\n"
        process.send_signal(signal.SIGINT)
        assert process.stdout.read() == b"interrupted\n"
        assert process.wait(TIMEOUT) == 7
    finally:
        process.kill()
        process.wait()


def test_the_command_runs_exactly_as_given(tmp_path: Path):
    program = "import json, sys\nprint(json.dumps(sys.argv[1:]))\n"
    arguments = ("--output", "x y", "-- --", "$(touch MARKER)", "")
    run = run_program(tmp_path, {"echo.py": program}, arguments=arguments)
    assert run.completed.stdout.decode().strip() == '["--output", "x y", "-- --", "$(touch MARKER)", ""]'
    assert not (tmp_path / "MARKER").exists()


def test_a_missing_command_is_named_and_exits_127(tmp_path: Path):
    completed = subprocess.run(
        [*RUN, "--output", str(tmp_path / "stalls.json"), "--", "no-such-command-anywhere"],
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert completed.returncode == 127
    assert b"no-such-command-anywhere: command not found" in completed.stderr


@claim("debugging.md", "`.async-patterns/stalls.json` in the folder the run started from")
def test_the_default_record_is_in_the_folder_it_ran_from_and_ignored_by_git(tmp_path: Path):
    (tmp_path / "app.py").write_text(CPU_BOUND, encoding="utf-8")
    completed = subprocess.run([*RUN, "--", sys.executable, "app.py"], cwd=tmp_path, capture_output=True, timeout=TIMEOUT)
    assert completed.returncode == 0, completed.stderr
    record = tmp_path / ".async-patterns" / "stalls.json"
    assert str(tmp_path / "app.py") in record.read_text(encoding="utf-8")
    assert (tmp_path / ".async-patterns" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


LOOPS_EVERYWHERE = f"""\
import asyncio
import sys
import threading
import time


async def block(seconds):
    await asyncio.sleep(0.02)
    time.sleep(seconds)  {MARK}


thread = threading.Thread(target=asyncio.run, args=(block(0.3),))
thread.start()
with asyncio.Runner() as runner:
    runner.run(block(0.3))
    runner.run(block(0.3))
thread.join()
loop = asyncio.new_event_loop()
loop.run_until_complete(block(0.3))
loop.close()
if sys.argv[1:] == ["uvloop"]:
    import uvloop

    uvloop.run(block(0.3))
"""


@claim("debugging.md", "It works for `asyncio.run`, `asyncio.Runner`, `run_until_complete`, loops in several threads")
def test_runner_loops_in_threads_and_run_until_complete_are_all_watched(tmp_path: Path):
    run = run_program(tmp_path, {"app.py": LOOPS_EVERYWHERE})
    assert run.completed.returncode == 0, run.completed.stderr
    entry = run.entry_at("app.py", LOOPS_EVERYWHERE)
    assert entry["count"] == 4
    assert 240 <= entry["median_ms"] <= 360


@claim("debugging.md", "loops in several threads, and uvloop.")
def test_uvloop_is_watched(tmp_path: Path):
    pytest.importorskip("uvloop")
    run = run_program(tmp_path, {"app.py": LOOPS_EVERYWHERE}, arguments=("uvloop",))
    assert run.completed.returncode == 0, run.completed.stderr
    assert run.entry_at("app.py", LOOPS_EVERYWHERE)["count"] == 5


OTHER_PYTHONS = [
    path
    for path in (Path(f"/root/.pyenv/versions/{version}/bin/python3") for version in ("3.10.13", "3.12.1", "3.13.0"))
    if path.exists()
] or [Path(shutil.which("python3") or sys.executable)]


@pytest.mark.parametrize("interpreter", OTHER_PYTHONS, ids=lambda path: path.parent.parent.name)
def test_other_interpreters_without_the_package_are_watched_too(tmp_path: Path, interpreter: Path):
    run = run_program(tmp_path, {"app.py": CPU_BOUND, "hidden.py": HIDDEN_SLEEP_MODULE}, interpreter=str(interpreter))
    assert run.completed.returncode == 0, run.completed.stderr
    entry = run.entry_at("app.py", CPU_BOUND)
    assert_close(entry["duration_ms"], measured_seconds(run.completed))


def test_the_program_sees_its_own_sys_path_and_sitecustomize(tmp_path: Path):
    program = "import sys, json\nprint(json.dumps([sys.path, 'sitecustomize' in sys.modules, 'asyncio' in sys.modules]))\n"
    (tmp_path / "paths.py").write_text(program, encoding="utf-8")
    shadowed = tmp_path / "site"
    shadowed.mkdir()
    (shadowed / "sitecustomize.py").write_text("import builtins\nbuiltins.SHADOWED_RAN = True\n", encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(shadowed)}
    plain = subprocess.run([sys.executable, "paths.py"], cwd=tmp_path, env=environment, capture_output=True)
    monitored = subprocess.run(
        [*RUN, "--output", str(tmp_path / "stalls.json"), "--", sys.executable, "-c", "import builtins; print(builtins.SHADOWED_RAN)"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        timeout=TIMEOUT,
    )
    assert monitored.stdout == b"True\n", monitored.stderr
    run = subprocess.run(
        [*RUN, "--output", str(tmp_path / "stalls.json"), "--", sys.executable, "paths.py"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        timeout=TIMEOUT,
    )
    # The same path, the shadowed sitecustomize ran, and asyncio is not imported behind its back.
    assert run.stdout == plain.stdout, run.stderr
