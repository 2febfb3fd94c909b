"""Claims of the reference documents that no API entry shares, run: what the examples show,
debugging tools, error-handling patterns, performance and production advice that code can check.

The mechanism (how sentences are found, `claim()`, `pythons()`) is described in tests/docs_claims.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import logging
import re
import subprocess
import sys
import textwrap
import threading
import time

import pytest

from async_patterns.docs import reference_documents
from docs_claims import claim, pythons, run

EXAMPLE = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def example(document: str, containing: str) -> str:
    """The one Python example of `document` that contains `containing`."""
    found = [source for source in EXAMPLE.findall(reference_documents()[document]) if containing in source]
    assert len(found) == 1, f"{len(found)} examples of {document} contain {containing!r}"
    return found[0]


def definitions(document: str, containing: str, until: str | None = None) -> dict:
    """What the example defines, run up to the line `until` starts (where it starts doing things)."""
    source = example(document, containing)
    namespace: dict = {}
    exec(source.split(until)[0] if until else source, namespace)
    return namespace


def run_example(document: str, containing: str) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run([sys.executable, "-c", example(document, containing)], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    return completed


def in_fresh_python(code: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *options, "-c", code], capture_output=True, text=True, timeout=60)


# --- aiohttp-patterns.md --------------------------------------------------------------------------------


@claim("aiohttp-patterns.md", "These patterns assume aiohttp 3.9 or newer (`pip install aiohttp`); the examples talk to `127.0.0.1` so they run offline.")
def test_the_aiohttp_examples_talk_only_to_the_local_host() -> None:
    aiohttp = pytest.importorskip("aiohttp")
    sources = EXAMPLE.findall(reference_documents()["aiohttp-patterns.md"])
    addresses = {match for source in sources for match in re.findall(r"https?://([^/\"':{]+)", source)}
    assert addresses <= {"127.0.0.1"}, addresses
    assert any("web.AppKey" in source for source in sources)  # new in aiohttp 3.9
    assert tuple(int(part) for part in aiohttp.__version__.split(".")[:2]) >= (3, 9)


# --- debugging.md ---------------------------------------------------------------------------------------


@claim("debugging.md", "Debug mode is slow (it records a traceback for every task and handle)")
@claim("debugging.md", "coroutines that were never awaited are reported with the place they were created")
@claim("debugging.md", "loop methods complain when called from the wrong thread")
def test_debug_mode_records_where_every_task_and_handle_came_from() -> None:
    async def main() -> tuple[bool, bool]:
        loop = asyncio.get_running_loop()
        task = asyncio.create_task(asyncio.sleep(0))
        handle = loop.call_soon(print)
        handle.cancel()
        await task
        return bool(task._source_traceback), bool(handle._source_traceback)

    assert asyncio.run(main(), debug=True) == (True, True)
    assert asyncio.run(main(), debug=False) == (False, False)
    created = in_fresh_python(
        "import asyncio\nasync def save(): pass\nasync def main():\n    save()\nasyncio.run(main(), debug=True)"
    )
    assert "Coroutine created at" in created.stderr


@claim("debugging.md", "With debug mode or `-X tracemalloc`, the warning includes where the coroutine was created.")
def test_tracemalloc_shows_where_the_forgotten_coroutine_was_made() -> None:
    code = "async def save(): pass\nsave()\n"
    assert "allocated at" not in in_fresh_python(code).stderr
    assert "Object allocated at" in in_fresh_python(code, "-X", "tracemalloc").stderr


@claim("debugging.md", "An `error` filter alone is not enough: the warning is raised during garbage collection, where Python can only print the exception")
@claim("debugging.md", "In tests, make the warning fail the test.")
def test_pytest_fails_a_forgotten_await_only_with_both_filters(tmp_path) -> None:
    (tmp_path / "test_forgotten.py").write_text("async def save(): pass\n\ndef test_it():\n    save()\n")

    def outcome(*filters: str) -> str:
        lines = "".join(f"    {item}\n" for item in filters)
        (tmp_path / "pytest.ini").write_text(f"[pytest]\nfilterwarnings =\n{lines}")
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", str(tmp_path)],
            capture_output=True, text=True, timeout=120, cwd=tmp_path,
        )
        return completed.stdout.strip().splitlines()[-1]

    assert "1 passed" in outcome("error::RuntimeWarning")
    assert "1 failed" in outcome("error::RuntimeWarning", "error::pytest.PytestUnraisableExceptionWarning")
    plain = in_fresh_python(
        "import warnings\nwarnings.simplefilter('error', RuntimeWarning)\n"
        "async def save(): pass\nsave()\nprint('carried on')\n"
    )
    assert plain.stdout == "carried on\n" and "Exception ignored" in plain.stderr


@claim("debugging.md", "This extension reports the mistake while you type.")
@claim("mixing-sync-async.md", "The checker in this extension flags the common blocking calls inside `async def`, and its quick fixes apply exactly these rewrites.")
def test_the_extension_reports_forgotten_awaits_and_rewrites_blocking_calls() -> None:
    from async_patterns.analysis import analyze
    from async_patterns.fixes.apply import fix_all

    forgotten = analyze("import asyncio\n\nasync def save(): ...\n\nasync def main():\n    save()\n").findings
    assert [finding.code for finding in forgotten] == ["AP201"]
    source = (
        "import time, subprocess, requests\n\nasync def main():\n    time.sleep(1)\n"
        "    subprocess.run(['ls'])\n    requests.get('http://example.org')\n"
    )
    fixed = fix_all(source)
    assert len(fixed.fixed) == 3 and not fixed.remaining
    assert "await asyncio.sleep(1)" in fixed.source  # the async equivalent
    assert "asyncio.create_subprocess_exec(" in fixed.source
    assert "await asyncio.to_thread(requests.get" in fixed.source  # a worker thread


@claim("debugging.md", "Lower the threshold to catch smaller stalls:")
def test_a_lower_threshold_reports_a_shorter_stall(caplog: pytest.LogCaptureFixture) -> None:
    async def main(threshold: float) -> None:
        asyncio.get_running_loop().slow_callback_duration = threshold
        time.sleep(0.03)

    with caplog.at_level(logging.WARNING, logger="asyncio"):
        asyncio.run(main(0.1), debug=True)
        assert not any("took" in record.getMessage() for record in caplog.records)
        asyncio.run(main(0.01), debug=True)
    assert any("took" in record.getMessage() for record in caplog.records)


@claim("debugging.md", "In production, measure the same thing cheaply: a task that sleeps a fixed interval and records how late it wakes up is a good loop-lag gauge.")
@claim("debugging.md", "Keep the [loop-lag monitor](#slow-callbacks) running in production: it is the cheapest early warning of a blocking call.")
def test_the_loop_lag_monitor_notices_a_blocking_call(caplog: pytest.LogCaptureFixture) -> None:
    namespace = definitions("debugging.md", "async def monitor_loop_lag")

    async def main() -> None:
        monitor = asyncio.create_task(namespace["monitor_loop_lag"](interval=0.02, threshold=0.05))
        await asyncio.sleep(0.05)
        time.sleep(0.2)  # a blocking call
        await asyncio.sleep(0.05)
        monitor.cancel()

    with caplog.at_level(logging.WARNING, logger="loop-lag"):
        run(main)
    assert any(record.getMessage().startswith("event loop lagged") for record in caplog.records)


@claim("debugging.md", "create tasks in a `TaskGroup`, which awaits them and propagates failures;")
@claim("debugging.md", "for fire-and-forget tasks, add a done callback that retrieves and logs the exception;")
@claim("debugging.md", "install a loop exception handler that sends everything unhandled to your logging and metrics.")
def test_the_three_habits_that_keep_task_errors_visible(caplog: pytest.LogCaptureFixture) -> None:
    async def fails() -> None:
        raise ValueError("boom")

    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        unhandled: list[str] = []
        loop.set_exception_handler(lambda loop, context: unhandled.append(context["message"]))
        if sys.version_info >= (3, 11):
            with pytest.raises(ExceptionGroup):
                async with asyncio.TaskGroup() as group:
                    group.create_task(fails())
        logged = asyncio.create_task(fails())
        logged.add_done_callback(lambda task: logging.getLogger("app").error("failed", exc_info=task.exception()))
        forgotten = asyncio.create_task(fails())
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        del logged, forgotten
        gc.collect()
        await asyncio.sleep(0)
        return unhandled

    with caplog.at_level(logging.ERROR, logger="app"):
        unhandled = run(main)
    assert [record.getMessage() for record in caplog.records if record.name == "app"] == ["failed"]
    assert unhandled == ["Task exception was never retrieved"]  # only the one nobody retrieved


@claim("debugging.md", "In a running service, trigger the dump from a signal handler")
def test_a_task_dump_from_a_signal_handler() -> None:
    import os
    import signal

    namespace = definitions("debugging.md", "def dump_tasks", until="async def stuck_forever")

    async def main() -> str:
        loop = asyncio.get_running_loop()
        dumped = loop.create_future()
        loop.add_signal_handler(signal.SIGUSR1, lambda: dumped.set_result(namespace["dump_tasks"]()))
        waiter = asyncio.create_task(asyncio.Event().wait(), name="waiter")
        await asyncio.sleep(0)
        os.kill(os.getpid(), signal.SIGUSR1)
        text = await asyncio.wait_for(dumped, timeout=5)
        loop.remove_signal_handler(signal.SIGUSR1)
        waiter.cancel()
        return text

    assert "--- waiter (pending)" in run(main)


@claim("debugging.md", "CPU profilers see asyncio programs as a loop calling many small steps; that is still useful for finding hot functions.")
@claim("debugging.md", "`cProfile` works directly:")
def test_cprofile_finds_the_hot_coroutine() -> None:
    import cProfile
    import pstats

    async def hot() -> int:
        total = 0
        for number in range(100_000):
            total += number * number
            if number % 10_000 == 0:
                await asyncio.sleep(0)
        return total

    profiler = cProfile.Profile()
    profiler.enable()
    asyncio.run(hot())
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_own_time = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)
    assert by_own_time[0][0][2] == "hot"
    assert sum(1 for (_, _, name), _ in stats.stats.items() if name == "_run_once") == 1  # the loop's steps


# --- error-handling.md ----------------------------------------------------------------------------------


@claim("error-handling.md", "Never retry on `CancelledError`: it is a request to stop, not a failure.")
def test_the_retry_helper_lets_cancellation_through() -> None:
    namespace = definitions("error-handling.md", "async def retry", until="calls = 0")
    attempts = 0

    async def cancelled() -> None:
        nonlocal attempts
        attempts += 1
        raise asyncio.CancelledError

    async def main() -> None:
        with pytest.raises(asyncio.CancelledError):
            await namespace["retry"](cancelled, retry_on=(Exception,))

    run(main)
    assert attempts == 1


@claim("error-handling.md", "Always inspect the list: unchecked, it hides failures.")
def test_an_unchecked_gather_list_raises_nothing() -> None:
    async def fails() -> None:
        raise ValueError

    async def main() -> list:
        return await asyncio.gather(fails(), asyncio.sleep(0), return_exceptions=True)

    results = run(main)
    assert isinstance(results[0], ValueError)  # nothing was raised: only inspecting shows it


@claim("error-handling.md", "When some subtasks are allowed to fail, catch their expected errors *inside* the subtask and return a marker")
@pythons((3, 11))
def test_expected_errors_caught_inside_the_subtasks_keep_the_group_going() -> None:
    async def maybe(number: int) -> int | None:
        try:
            if number % 2:
                raise FileNotFoundError(number)
            return number
        except FileNotFoundError:
            return None

    async def main() -> list:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(maybe(number)) for number in range(4)]
        return [task.result() for task in tasks]

    assert run(main) == [0, None, 2, None]


@claim("error-handling.md", "`TaskGroup` (and anything else that can fail in several places at once) raises an `ExceptionGroup`.")
@claim("error-handling.md", "`except*` (Python 3.11+) handles the matching part of a group and lets the rest propagate")
@claim("error-handling.md", "`TimeoutError` is a subclass of `OSError`; `except*` clauses are tried in order and each exception goes to the first clause that matches")
@claim("error-handling.md", "`group.exceptions` can itself contain nested groups; `group.split(ValueError)` and `group.subgroup(...)` work on the whole tree.")
@pythons((3, 11))
def test_except_star_and_exception_groups() -> None:
    assert issubclass(TimeoutError, OSError)
    code = textwrap.dedent(
        """
        handled = []
        try:
            try:
                raise ExceptionGroup("outer", [TimeoutError("t"), OSError("o"), KeyError("k")])
            except* TimeoutError as group:
                handled.append(("timeouts", [str(error) for error in group.exceptions]))
            except* OSError as group:
                handled.append(("os errors", [str(error) for error in group.exceptions]))
            except* TimeoutError:
                handled.append(("never", []))
        except ExceptionGroup as rest:
            handled.append(("propagated", [repr(error) for error in rest.exceptions]))
        """
    )
    namespace: dict = {}
    exec(code, namespace)
    assert namespace["handled"] == [("timeouts", ["t"]), ("os errors", ["o"]), ("propagated", ["KeyError('k')"])]
    nested = ExceptionGroup("top", [ValueError(1), ExceptionGroup("inner", [ValueError(2), KeyError(3)])])
    assert isinstance(nested.exceptions[1], ExceptionGroup)
    matched, rest = nested.split(ValueError)
    assert [error.args for error in matched.exceptions[:1]] == [(1,)] and matched.exceptions[1].exceptions[0].args == (2,)
    assert rest.exceptions[0].exceptions[0].args == (3,)
    assert nested.subgroup(KeyError).exceptions[0].exceptions[0].args == (3,)


@claim("error-handling.md", "On Python 3.10 and older, the `exceptiongroup` backport provides `ExceptionGroup` and a `catch()` helper in place of `except*`.")
@pythons((3, 10), (3, 10))
def test_the_exceptiongroup_backport_on_3_10() -> None:
    from exceptiongroup import ExceptionGroup, catch

    caught: list[str] = []
    with catch({ValueError: lambda group: caught.extend(str(error) for error in group.exceptions)}):
        raise ExceptionGroup("group", [ValueError("backported")])
    assert caught == ["backported"]


@claim("error-handling.md", "Cancellation is how asyncio stops work: `task.cancel()`, `asyncio.timeout()`, a failing TaskGroup sibling and the shutdown of `asyncio.run()` all raise `CancelledError` inside the task.")
@claim("error-handling.md", "Timeouts raise `TimeoutError`.")
@pythons((3, 11))
def test_every_way_to_stop_a_task_is_a_cancelled_error() -> None:
    seen: list[str] = []

    async def victim(name: str) -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            seen.append(name)
            raise

    async def fails() -> None:
        raise ValueError

    async def main() -> None:
        task = asyncio.create_task(victim("cancel"))
        await asyncio.sleep(0)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.01):
                await victim("timeout")
        with pytest.raises(ExceptionGroup):
            async with asyncio.TaskGroup() as group:
                group.create_task(victim("sibling"))
                group.create_task(fails())
        asyncio.create_task(victim("shutdown"))
        await asyncio.sleep(0)

    run(main)
    assert seen == ["cancel", "timeout", "sibling", "shutdown"]


@claim("error-handling.md", "Log what timed out and after how long before falling back or retrying, as the example below does.")
@pythons((3, 11))
def test_the_timeout_example_logs_what_timed_out_and_after_how_long() -> None:
    completed = run_example("error-handling.md", "async def call_with_deadline")
    assert "inventory lookup timed out after 0.1 s" in completed.stderr
    assert completed.stdout == "falling back to cached inventory\n"


# --- mixing-sync-async.md -------------------------------------------------------------------------------


@claim("mixing-sync-async.md", "An asyncio `Future` bridges a callback-style API into a coroutine; create it with `loop.create_future()` and resolve it with `set_result`, from another thread through `call_soon_threadsafe`.")
def test_a_future_bridges_a_callback_api_from_another_thread() -> None:
    def callback_api(on_done) -> None:
        threading.Timer(0.01, on_done, args=("from the callback",)).start()

    async def main() -> str:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        callback_api(lambda value: loop.call_soon_threadsafe(future.set_result, value))
        return await asyncio.wait_for(future, timeout=5)

    assert run(main) == "from the callback"


@claim("mixing-sync-async.md", "Older code writes `loop = asyncio.get_event_loop()` and `loop.run_until_complete(main())`.")
def test_the_old_idiom_still_runs() -> None:
    completed = in_fresh_python(
        "import asyncio, warnings\nwarnings.simplefilter('ignore')\n"
        "async def main(): return 'old idiom'\n"
        "loop = asyncio.get_event_loop()\nprint(loop.run_until_complete(main()))\n"
    )
    assert completed.stdout == "old idiom\n", completed.stderr


# --- debugging.md: finding the line that stalled the loop ----------------------------------------------


@claim("debugging.md", "A program like this one passes every static rule")
@claim("debugging.md", "the editor marks the `pbkdf2_hmac` line (AP190)")
def test_the_key_stretching_example_passes_the_static_rules_and_is_recorded_at_its_line(tmp_path) -> None:
    from async_patterns.analysis import analyze
    from async_patterns.runtime.records import parse_records

    program_text = example("debugging.md", "pbkdf2_hmac")
    assert analyze(program_text).findings == []
    program = tmp_path / "register.py"
    program.write_text(program_text, encoding="utf-8")
    record = tmp_path / "stalls.json"
    # A low threshold keeps the claim about *which* line is recorded true on CPUs that hash fast.
    command = [
        sys.executable, "-m", "async_patterns", "run", "--threshold-ms", "20", "--output", str(record),
        "--", sys.executable, str(program),
    ]
    subprocess.run(command, check=True, cwd=tmp_path, capture_output=True, timeout=120)
    line = next(number for number, text in enumerate(program_text.splitlines(), start=1) if "pbkdf2_hmac(" in text)
    places = [(entry.path, entry.line) for entry in parse_records(record.read_bytes(), str(tmp_path)).entries]
    assert places == [(str(program), line)]


# --- performance.md -------------------------------------------------------------------------------------


@claim("performance.md", "Without uvloop installed, the same program prints `asyncio.unix_events _UnixSelectorEventLoop`.")
@pytest.mark.skipif(sys.platform == "win32", reason="the claim is about Unix's selector loop")
def test_without_uvloop_the_example_runs_on_the_selector_loop() -> None:
    # The document's example, with `import uvloop` failing as it does where uvloop is not installed.
    program = textwrap.dedent(
        """
        import sys
        sys.modules["uvloop"] = None
        import asyncio

        async def main():
            loop = asyncio.get_running_loop()
            print(type(loop).__module__, type(loop).__name__)

        try:
            import uvloop
        except ImportError:
            asyncio.run(main())
        """
    )
    printed = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout
    assert printed == "asyncio.unix_events _UnixSelectorEventLoop\n"


@claim("performance.md", "A hundred queries open five connections, not a hundred.")
@claim("performance.md", "acquire per operation and release promptly (`async with pool.acquire()`);")
def test_the_pool_example_opens_five_connections_for_a_hundred_queries() -> None:
    assert run_example("performance.md", "class Pool:").stdout == "connections opened: 5\n"


@claim("performance.md", "create the pool once, at startup, inside the running loop;")
def test_a_pool_made_outside_the_loop_fails() -> None:
    aiohttp = pytest.importorskip("aiohttp")
    with pytest.raises(RuntimeError):
        aiohttp.TCPConnector()


@claim("performance.md", "Streams and transports buffer in both directions; the buffer limits decide memory use and how quickly back-pressure kicks in.")
@claim("performance.md", "Raise it for protocols with long lines, but keep a bound so a peer cannot make you buffer without end.")
def test_reader_and_writer_limits_decide_buffering_and_back_pressure() -> None:
    async def main() -> None:
        reader = asyncio.StreamReader(limit=10)
        reader.feed_data(b"x" * 100 + b"\n")
        reader.feed_eof()
        with pytest.raises(ValueError):
            await reader.readline()  # the limit bounds what a line may make us buffer
        roomy = asyncio.StreamReader(limit=1000)
        roomy.feed_data(b"x" * 100 + b"\n")
        assert len(await roomy.readline()) == 101
        transport = asyncio.WriteTransport()
        assert hasattr(transport, "set_write_buffer_limits")

    run(main)


@claim("performance.md", "For bulk data, `read(n)` with `n` around 64-256 KiB amortises per-call overhead.")
def test_bigger_reads_need_fewer_calls() -> None:
    async def calls(n: int) -> int:
        reader = asyncio.StreamReader(limit=2**30)
        reader.feed_data(b"x" * 1_000_000)
        reader.feed_eof()
        count = 0
        while await reader.read(n):
            count += 1
        return count

    async def main() -> tuple[int, int]:
        return await calls(1024), await calls(256 * 1024)

    small, large = run(main)
    assert small == 977 and large == 4


@claim("performance.md", "A task that does one network round trip per item handles at most `1 / latency` items per second, however fast the loop is.")
def test_one_round_trip_per_item_takes_at_least_items_times_latency() -> None:
    latency = 0.01

    async def round_trip(item: int) -> int:
        await asyncio.sleep(latency)
        return item

    async def main() -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        for item in range(10):
            await round_trip(item)
        return loop.time() - started

    assert run(main) >= 10 * latency - 0.01


@claim("performance.md", "Batch items together: group writes into one request")
@pythons((3, 11))
def test_the_batching_example_sends_three_round_trips_for_120_rows() -> None:
    completed = run_example("performance.md", "class Batcher:")
    assert completed.stdout == "inserted 50 rows\ninserted 50 rows\ninserted 20 rows\n"


@claim("performance.md", "Streams (`open_connection`, `start_server`) are built on the lower layer of **transports** (the loop's I/O objects) and **protocols** (your callbacks).")
@claim("performance.md", "Writing a `Protocol` directly saves the streams' buffering and a task switch per read")
def test_protocol_callbacks_run_in_no_task() -> None:
    async def main() -> tuple[object, type]:
        loop = asyncio.get_running_loop()
        seen = loop.create_future()

        class Direct(asyncio.Protocol):
            def data_received(self, data: bytes) -> None:
                seen.set_result(asyncio.current_task())

        server = await loop.create_server(Direct, "127.0.0.1", 0)
        reader, writer = await asyncio.open_connection("127.0.0.1", server.sockets[0].getsockname()[1])
        writer.write(b"x")
        in_task = await seen
        protocol_type = type(writer.transport.get_protocol())
        writer.close()
        server.close()
        return in_task, protocol_type

    in_task, protocol_type = run(main)
    assert in_task is None and issubclass(protocol_type, asyncio.Protocol)


# --- production-patterns.md -----------------------------------------------------------------------------


@claim("production-patterns.md", "`asyncio.run()` cancels any task still running when `main()` returns, but it gives them no grace period and no order")
def test_asyncio_run_cancels_leftovers_at_once() -> None:
    seen: list[str] = []

    async def slow_to_finish(name: str) -> None:
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            seen.append(f"{name} cancelled")
            raise

    async def main() -> None:
        asyncio.create_task(slow_to_finish("first"))
        asyncio.create_task(slow_to_finish("second"))
        await asyncio.sleep(0)
        seen.append("main returned")

    started = time.monotonic()
    run(main)
    assert seen[0] == "main returned" and sorted(seen[1:]) == ["first cancelled", "second cancelled"]
    assert time.monotonic() - started < 5  # nobody got the ten seconds they needed


@claim("production-patterns.md", "A small supervisor does all three:")
def test_the_supervisor_restarts_a_crashed_job_and_cancels_on_stop(caplog: pytest.LogCaptureFixture) -> None:
    namespace = definitions("production-patterns.md", "class Supervisor:", until="async def poll_prices")
    runs = 0

    async def crashes_once() -> None:
        nonlocal runs
        runs += 1
        if runs == 1:
            raise ValueError("first run fails")
        await asyncio.Event().wait()

    async def main() -> None:
        supervisor = namespace["Supervisor"]()
        supervisor.spawn(crashes_once, name="flaky", restart_delay=0.01)
        assert len(supervisor._tasks) == 1  # it keeps the reference
        await asyncio.sleep(0.05)
        await supervisor.stop()
        assert not supervisor._tasks

    with caplog.at_level(logging.ERROR, logger="supervisor"):
        run(main)
    assert runs == 2 and "flaky crashed; restarting" in caplog.text


@claim("production-patterns.md", "Concurrent requests interleave their log lines")
@claim("production-patterns.md", "A logging filter puts it on every record, and a JSON formatter keeps fields machine-readable.")
@pythons((3, 11))
def test_the_logging_example_tags_interleaved_lines_with_their_request() -> None:
    completed = run_example("production-patterns.md", "class RequestIdFilter")
    records = [json.loads(line) for line in completed.stderr.splitlines()]
    assert [record["message"].split()[0] for record in records[:3]] == ["start", "start", "start"]  # interleaved
    by_path = {}
    for record in records:
        by_path.setdefault(record["message"].split()[1], set()).add(record["request_id"])
    assert len(by_path) == 3 and all(len(ids) == 1 for ids in by_path.values())
    assert len({next(iter(ids)) for ids in by_path.values()}) == 3


@claim("production-patterns.md", "Logging handlers write synchronously.")
def test_a_log_call_runs_the_handler_in_the_calling_task() -> None:
    threads: list[object] = []

    class Recording(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            threads.append((threading.current_thread(), asyncio.current_task()))

    logger = logging.getLogger("synchronous-handler")
    logger.addHandler(Recording())

    async def main() -> None:
        logger.warning("hello")
        assert threads == [(threading.current_thread(), asyncio.current_task())]  # done before the call returned

    run(main)
