"""Claims about the event loop itself: running and closing it, scheduling callbacks, executors,
policies, child watchers, handles, the exception handler and debug mode, run.

The mechanism (how sentences are found, `claim()`, `pythons()`) is described in tests/docs_claims.py.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import gc
import logging
import subprocess
import sys
import threading
import time
import warnings

import pytest

from async_patterns.docs.facts import facts_for
from docs_claims import claim, pythons, run

POLICY_NAMES = (
    "asyncio.AbstractEventLoopPolicy",
    "asyncio.DefaultEventLoopPolicy",
    "asyncio.WindowsSelectorEventLoopPolicy",
    "asyncio.WindowsProactorEventLoopPolicy",
    "asyncio.get_event_loop_policy",
    "asyncio.set_event_loop_policy",
)
WATCHER_NAMES = (
    "asyncio.AbstractChildWatcher",
    "asyncio.SafeChildWatcher",
    "asyncio.FastChildWatcher",
    "asyncio.MultiLoopChildWatcher",
    "asyncio.ThreadedChildWatcher",
    "asyncio.PidfdChildWatcher",
    "asyncio.get_child_watcher",
    "asyncio.set_child_watcher",
)


@pytest.fixture
def loop():
    """A loop owned by the test and closed after it."""
    loop = asyncio.new_event_loop()
    yield loop
    if not loop.is_closed():
        loop.close()


def in_fresh_python(code: str, *options: str, **environment: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {**os.environ, **environment}
    return subprocess.run([sys.executable, *options, "-c", code], capture_output=True, text=True, timeout=60, env=env)


def quietly(function, *args):
    """Call a deprecated API without its warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return function(*args)


# --- running, stopping, closing ------------------------------------------------------------------------


@claim("asyncio.AbstractEventLoop.run_until_complete", "Runs the loop until the given future or coroutine is done and returns its result.")
@claim("asyncio.AbstractEventLoop.run_until_complete", "Raises RuntimeError if the loop is already running (nested loops are not supported).")
@claim("asyncio.AbstractEventLoop.run_until_complete", "Only for synchronous code that owns the loop; inside coroutines just `await`.")
def test_run_until_complete_returns_the_result_and_refuses_to_nest(loop) -> None:
    async def answer() -> int:
        await asyncio.sleep(0)
        return 42

    async def nested() -> None:
        inner = answer()
        with pytest.raises(RuntimeError):
            loop.run_until_complete(inner)
        inner.close()
        assert await answer() == 42

    assert loop.run_until_complete(answer()) == 42
    future = loop.create_future()
    loop.call_soon(future.set_result, "future")
    assert loop.run_until_complete(future) == "future"
    loop.run_until_complete(nested())


@claim("asyncio.AbstractEventLoop.run_until_complete", "`asyncio.run()`/`Runner` do the clean-up this old idiom forgets")
@claim("asyncio.AbstractEventLoop.shutdown_asyncgens", "Closes every async generator still suspended, so their `finally` blocks run.")
@claim("asyncio.AbstractEventLoop.shutdown_asyncgens", "`asyncio.run()` calls it for you; hand-managed loops forget it.")
def test_run_until_complete_leaves_async_generators_suspended_until_shutdown_asyncgens(loop) -> None:
    closed: list[str] = []

    async def ticker():
        try:
            yield 1
            yield 2
        finally:
            closed.append("finally ran")

    async def start() -> object:
        generator = ticker()
        await generator.__anext__()
        return generator

    generator = loop.run_until_complete(start())
    assert closed == [] and not loop.is_closed()
    loop.run_until_complete(loop.shutdown_asyncgens())
    assert closed == ["finally ran"]
    del generator

    async def main() -> None:
        await start()

    closed.clear()
    asyncio.run(main())
    assert closed == ["finally ran"]


@claim("asyncio.AbstractEventLoop.run_forever", "Runs the loop until `stop()` is called; the building block for a loop thread.")
@claim("asyncio.AbstractEventLoop.run_forever", "Stop it from another thread with `loop.call_soon_threadsafe(loop.stop)`; close it once `run_forever()` has returned.")
@claim("asyncio.AbstractEventLoop.is_running", "True while the loop is running.")
@claim("asyncio.AbstractEventLoop.is_running", "It says nothing about which thread runs it.")
@claim("mixing-sync-async.md", "runs it in a dedicated thread and talks to it with `run_coroutine_threadsafe`")
def test_a_loop_thread_runs_forever_until_stopped_from_outside(loop) -> None:
    thread = threading.Thread(target=loop.run_forever)
    thread.start()
    try:
        future = asyncio.run_coroutine_threadsafe(asyncio.sleep(0, result="from the loop thread"), loop)
        assert future.result(timeout=5) == "from the loop thread"
        assert loop.is_running()  # seen from this thread, which is not running it
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
    assert not loop.is_running() and not thread.is_alive()
    loop.close()


@claim("asyncio.AbstractEventLoop.stop", "Makes `run_forever()` return after the current iteration.")
@claim("asyncio.AbstractEventLoop.stop", "Pending tasks are not cancelled; cancel and await them before closing.")
def test_stop_ends_run_forever_and_leaves_tasks_pending(loop) -> None:
    ran: list[str] = []

    async def forever() -> None:
        await asyncio.Event().wait()

    task = loop.create_task(forever())
    loop.call_soon(ran.append, "first iteration")
    loop.call_soon(loop.stop)
    loop.run_forever()
    assert ran == ["first iteration"] and not task.done()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        loop.run_until_complete(task)


@claim("asyncio.AbstractEventLoop.close", "Closes a stopped loop, discarding pending callbacks and shutting down its executor without waiting.")
@claim("asyncio.AbstractEventLoop.close", "Raises RuntimeError on a running loop.")
@claim("asyncio.AbstractEventLoop.close", "Irreversible: a closed loop cannot run again.")
@claim("asyncio.AbstractEventLoop.is_closed", "True once the loop has been closed.")
@claim("asyncio.AbstractEventLoop.is_closed", "Scheduling on a closed loop raises RuntimeError (\"Event loop is closed\").")
@claim("asyncio.AbstractEventLoop.call_soon_threadsafe", "Raises RuntimeError once the loop is closed")
def test_close_discards_callbacks_and_is_final(loop) -> None:
    ran: list[str] = []
    release = threading.Event()

    async def inside() -> None:
        with pytest.raises(RuntimeError):
            loop.close()

    loop.run_until_complete(inside())
    future = loop.run_in_executor(None, release.wait, 5)
    executor = loop._default_executor
    loop.call_soon(ran.append, "never")
    started = time.monotonic()
    loop.close()
    assert time.monotonic() - started < 4  # it did not wait for the blocked worker
    release.set()
    assert loop.is_closed() and ran == [] and executor._shutdown
    for schedule in (lambda: loop.call_soon(print), lambda: loop.call_soon_threadsafe(print)):
        with pytest.raises(RuntimeError, match="Event loop is closed"):
            schedule()
    coroutine = asyncio.sleep(0)
    with pytest.raises(RuntimeError):
        loop.run_until_complete(coroutine)
    coroutine.close()
    del future


@claim("asyncio.AbstractEventLoop.shutdown_default_executor", "Waits for the default thread pool (used by `to_thread`) to finish and shuts it down.")
@claim("asyncio.AbstractEventLoop.shutdown_default_executor", "A thread stuck in a blocking call makes this wait as long (3.12 adds a timeout).")
def test_shutdown_default_executor_waits_for_the_worker(loop) -> None:
    finished: list[str] = []

    def blocking() -> None:
        time.sleep(0.05)
        finished.append("worker done")

    async def main() -> None:
        asyncio.ensure_future(asyncio.to_thread(blocking))
        await asyncio.sleep(0.01)
        await loop.shutdown_default_executor()
        finished.append("shutdown returned")

    loop.run_until_complete(main())
    assert finished == ["worker done", "shutdown returned"]
    history = {history.name: history.added for history in facts_for("asyncio.AbstractEventLoop.shutdown_default_executor").parameter_histories()}
    assert history.get("timeout") == (3, 12)


# --- scheduling ------------------------------------------------------------------------------------------


@claim("asyncio.AbstractEventLoop.call_soon", "Schedules a plain callback for the next loop iteration; returns a Handle.")
@claim("asyncio.AbstractEventLoop.call_later", "Schedules a callback after `delay` seconds; returns a cancellable TimerHandle.")
@claim("asyncio.AbstractEventLoop.call_at", "Schedules a callback at an absolute time on the loop clock (`loop.time()`).")
@claim("asyncio.Handle", "Returned by `loop.call_soon()` and `call_soon_threadsafe()`: a scheduled callback you can `cancel()` before it runs.")
@claim("asyncio.TimerHandle", "Returned by `loop.call_later()` and `call_at()`: a Handle with a `when()` time on the loop clock.")
@claim("asyncio.TimerHandle", "Keep the handle if you may need to cancel the timer")
@claim("asyncio.TimerHandle.when", "Returns the time (on the loop clock) the callback is scheduled for.")
@claim("asyncio.Handle.cancel", "Cancels the scheduled callback; no effect if it already ran.")
@claim("asyncio.Handle.cancel", "Cancelling after the callback ran is silently a no-op.")
@claim("asyncio.Handle.cancelled", "True if the callback was cancelled.")
@claim("asyncio.Handle.cancelled", "False for a callback that already ran: it was not cancelled.")
def test_callbacks_are_scheduled_as_cancellable_handles() -> None:
    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        ran: list[str] = []
        soon = loop.call_soon(ran.append, "soon")
        threadsafe = loop.call_soon_threadsafe(ran.append, "threadsafe")
        cancelled = loop.call_soon(ran.append, "cancelled")
        later = loop.call_later(0.01, ran.append, "later")
        at = loop.call_at(loop.time() + 0.02, ran.append, "at")
        dropped = loop.call_later(0.01, ran.append, "dropped")
        assert type(soon) is asyncio.Handle and type(threadsafe) is asyncio.Handle
        assert isinstance(later, asyncio.TimerHandle) and isinstance(later, asyncio.Handle)
        assert at.when() > later.when() > loop.time() - 1
        assert ran == []  # nothing runs before the next iteration
        cancelled.cancel()
        dropped.cancel()
        assert cancelled.cancelled()
        await asyncio.sleep(0.05)
        soon.cancel()  # it already ran: nothing happens
        assert not soon.cancelled() or ran.count("soon") == 1
        return ran

    assert run(main) == ["soon", "threadsafe", "later", "at"]


@claim("asyncio.AbstractEventLoop.call_soon_threadsafe", "Schedules a callback from any thread and wakes the loop: the one loop method other threads may call.")
@claim("mixing-sync-async.md", "Only one loop method is safe to call from another thread: `loop.call_soon_threadsafe(callback, *args)`.")
def test_call_soon_threadsafe_wakes_a_sleeping_loop_at_once() -> None:
    async def main() -> float:
        loop = asyncio.get_running_loop()
        woken = loop.create_future()
        started = time.monotonic()
        threading.Timer(0.01, loop.call_soon_threadsafe, args=(woken.set_result, None)).start()
        await asyncio.wait_for(woken, timeout=5)  # no other event would wake the selector
        return time.monotonic() - started

    assert run(main) < 5


@claim("asyncio.AbstractEventLoop.call_soon", "Not thread-safe: use `call_soon_threadsafe()` from other threads.")
@claim("asyncio.AbstractEventLoop.create_task", "Not thread-safe: from another thread use `asyncio.run_coroutine_threadsafe()`.")
def test_debug_mode_refuses_call_soon_and_create_task_from_another_thread() -> None:
    async def main() -> list[str]:
        loop = asyncio.get_running_loop()
        errors: list[str] = []

        def other_thread() -> None:
            for schedule in (lambda: loop.call_soon(print), lambda: loop.create_task(asyncio.sleep(0))):
                try:
                    schedule()
                except RuntimeError as error:
                    errors.append(str(error))

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            await asyncio.to_thread(other_thread)
        return errors

    errors = asyncio.run(main(), debug=True)
    assert len(errors) == 2 and all("thread" in error for error in errors)


@claim("asyncio.AbstractEventLoop.call_soon", "A coroutine function passed here is called but its coroutine never awaited.")
@claim("asyncio.AbstractEventLoop.call_soon_threadsafe", "It schedules a callback, not a coroutine")
@claim("asyncio.AbstractEventLoop.call_later", "Callbacks are synchronous; to run a coroutine later, create a task that sleeps.")
def test_a_coroutine_function_as_a_callback_never_runs() -> None:
    ran: list[str] = []

    async def job() -> None:
        ran.append("job")

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.call_soon(job)
        loop.call_later(0, job)
        await asyncio.sleep(0.01)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run(main)
        gc.collect()
    assert ran == [] and any("was never awaited" in str(warning.message) for warning in caught)


@claim("asyncio.Handle", "Callbacks are plain functions: an exception in one is only logged by the loop's exception handler.")
@claim("asyncio.AbstractEventLoop.set_exception_handler", "Installs the handler for errors nobody else caught (failed callbacks, unretrieved task exceptions); called as `handler(loop, context)`.")
@claim("asyncio.AbstractEventLoop.set_exception_handler", "`context[\"exception\"]` may be missing")
@claim("asyncio.AbstractEventLoop.get_exception_handler", "Returns the installed exception handler, or None for the default.")
@claim("asyncio.AbstractEventLoop.get_exception_handler", "Chain to the previous handler when wrapping one a framework installed.")
@claim("asyncio.AbstractEventLoop.call_exception_handler", "Reports an error context to the installed handler; for libraries running callbacks.")
def test_the_exception_handler_gets_what_nobody_caught() -> None:
    async def main() -> list[tuple[str, str]]:
        loop = asyncio.get_running_loop()
        assert loop.get_exception_handler() is None
        seen: list[tuple[str, str]] = []

        def framework(loop, context) -> None:
            seen.append(("framework", context["message"]))

        loop.set_exception_handler(framework)
        previous = loop.get_exception_handler()
        assert previous is framework

        def wrapper(loop, context) -> None:
            seen.append(("wrapper", type(context.get("exception")).__name__))
            previous(loop, context)

        loop.set_exception_handler(wrapper)

        def broken() -> None:
            raise ValueError("in a callback")

        loop.call_soon(broken)
        await asyncio.sleep(0)
        loop.call_exception_handler({"message": "from a library"})
        return seen

    seen = run(main)
    assert [who for who, _ in seen] == ["wrapper", "framework", "wrapper", "framework"]
    assert seen[0][1] == "ValueError" and seen[1][1].startswith("Exception in callback ")
    assert seen[2:] == [("wrapper", "NoneType"), ("framework", "from a library")]


@claim("asyncio.AbstractEventLoop.default_exception_handler", "The built-in handler that logs the error context to the `asyncio` logger.")
@claim("asyncio.AbstractEventLoop.default_exception_handler", "Call it from a custom handler to keep the standard log line.")
@claim("asyncio.AbstractEventLoop.call_exception_handler", "Without a \"message\" key the default handler logs \"Unhandled exception in event loop\".")
def test_the_default_handler_logs_to_the_asyncio_logger(caplog: pytest.LogCaptureFixture) -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda loop, context: loop.default_exception_handler(context))
        loop.call_exception_handler({"message": "kept the standard line"})
        loop.set_exception_handler(None)
        loop.call_exception_handler({})

    with caplog.at_level(logging.ERROR, logger="asyncio"):
        run(main)
    assert [(record.name, record.getMessage()) for record in caplog.records] == [
        ("asyncio", "kept the standard line"),
        ("asyncio", "Unhandled exception in event loop"),
    ]


@claim("asyncio.AbstractEventLoop.create_future", "Await it with a timeout if the callback may never fire.")
def test_a_future_nobody_sets_waits_until_a_timeout() -> None:
    async def main() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.get_running_loop().create_future(), timeout=0.01)

    run(main)


@claim("asyncio.AbstractEventLoop.set_task_factory", "Affects every library's tasks on this loop")
@claim("asyncio.AbstractEventLoop.get_task_factory", "Restore the previous factory if you install one temporarily.")
def test_a_task_factory_makes_every_task_on_the_loop() -> None:
    async def main() -> int:
        loop = asyncio.get_running_loop()
        made: list[str] = []
        previous = loop.get_task_factory()

        def factory(loop, coro, **kwargs):
            made.append(coro.__qualname__)
            return asyncio.Task(coro, loop=loop, **kwargs)

        loop.set_task_factory(factory)
        await asyncio.gather(asyncio.sleep(0), asyncio.sleep(0))  # a library wrapping coroutines
        loop.set_task_factory(previous)
        await asyncio.gather(asyncio.sleep(0))
        return len(made)

    assert run(main) == 2


# --- executors -------------------------------------------------------------------------------------------


@claim("asyncio.AbstractEventLoop.run_in_executor", "Only positional arguments: wrap keyword arguments with `functools.partial`.")
@claim("mixing-sync-async.md", "`loop.run_in_executor(executor, func, *args)` is the general form")
def test_run_in_executor_takes_positional_arguments_only() -> None:
    def render(rows: list[int], *, title: str) -> str:
        return f"{title}: {sum(rows)}"

    async def main() -> str:
        loop = asyncio.get_running_loop()
        with pytest.raises(TypeError):
            loop.run_in_executor(None, render, [1, 2], title="sum")
        with concurrent.futures.ThreadPoolExecutor(1) as own:
            return await loop.run_in_executor(own, functools.partial(render, [1, 2], title="sum"))

    assert run(main) == "sum: 3"


@claim("asyncio.AbstractEventLoop.run_in_executor", "Process pools need picklable, module-level functions and arguments.")
@claim("mixing-sync-async.md", "Process pools pickle the function and its arguments: use module-level functions")
def test_a_process_pool_cannot_take_a_local_function() -> None:
    import pickle

    def local() -> int:
        return 1

    async def main() -> None:
        loop = asyncio.get_running_loop()
        with concurrent.futures.ProcessPoolExecutor(1) as processes:
            with pytest.raises((pickle.PicklingError, AttributeError)):
                await loop.run_in_executor(processes, local)
            assert await loop.run_in_executor(processes, abs, -3) == 3

    run(main)


@claim("asyncio.AbstractEventLoop.set_default_executor", "Replaces the default executor used by `run_in_executor(None, ...)` and `to_thread`.")
@claim("asyncio.AbstractEventLoop.set_default_executor", "Must be a ThreadPoolExecutor since 3.11; process pools are rejected.")
def test_set_default_executor_takes_thread_pools_only() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="mine") as mine:
            loop.set_default_executor(mine)
            names = {await loop.run_in_executor(None, lambda: threading.current_thread().name), await asyncio.to_thread(lambda: threading.current_thread().name)}
            assert all(name.startswith("mine") for name in names)
            processes = concurrent.futures.ProcessPoolExecutor(1)
            try:
                if sys.version_info >= (3, 11):
                    with pytest.raises(TypeError):
                        loop.set_default_executor(processes)
                else:
                    with pytest.warns(DeprecationWarning):
                        loop.set_default_executor(processes)
                    loop.set_default_executor(mine)
            finally:
                processes.shutdown()

    run(main)


# --- event loop classes, policies, child watchers ----------------------------------------------------------


@claim("asyncio.AbstractEventLoop", "The event loop interface: scheduling callbacks, running tasks, network and subprocess I/O, executors and signal handling.")
@claim("asyncio.BaseEventLoop", "The shared implementation behind SelectorEventLoop and ProactorEventLoop.")
@claim("asyncio.SelectorEventLoop", "The event loop based on the `selectors` module; the default on Unix.")
def test_the_loop_classes() -> None:
    import asyncio.proactor_events
    import selectors

    for method in ("call_soon", "create_task", "create_connection", "subprocess_exec", "run_in_executor", "add_signal_handler"):
        assert hasattr(asyncio.AbstractEventLoop, method)
    assert issubclass(asyncio.SelectorEventLoop, asyncio.BaseEventLoop)
    assert issubclass(asyncio.proactor_events.BaseProactorEventLoop, asyncio.BaseEventLoop)
    loop = asyncio.new_event_loop()
    try:
        assert isinstance(loop, asyncio.SelectorEventLoop) and isinstance(loop._selector, selectors.BaseSelector)
    finally:
        loop.close()


@claim("asyncio.EventLoop", "An alias for the platform's preferred event loop class: SelectorEventLoop on Unix")
@claim("asyncio.EventLoop", "Handy as a `loop_factory`.")
@claim("asyncio.EventLoop", "Absent before 3.13; use `asyncio.new_event_loop` as the factory there.")
@claim("performance.md", "Python 3.13's `asyncio.EventLoop` names the platform's default loop class.")
def test_event_loop_is_the_platforms_loop_class_since_3_13() -> None:
    assert facts_for("asyncio.EventLoop").added == (3, 13)
    assert hasattr(asyncio, "EventLoop") == (sys.version_info >= (3, 13))

    async def main() -> str:
        return type(asyncio.get_running_loop()).__name__

    if sys.version_info >= (3, 13):
        assert asyncio.EventLoop is asyncio.SelectorEventLoop
        assert asyncio.run(main(), loop_factory=asyncio.EventLoop) == "_UnixSelectorEventLoop"
    elif sys.version_info >= (3, 12):
        assert asyncio.run(main(), loop_factory=asyncio.new_event_loop) == "_UnixSelectorEventLoop"


@claim("asyncio.AbstractEventLoopPolicy", "The interface of event loop policies, the global object that decides what `get_event_loop()` and `new_event_loop()` return.")
@claim("asyncio.AbstractEventLoopPolicy", "Global state: a policy set by one library affects every other.")
@claim("asyncio.DefaultEventLoopPolicy", "The policy in effect unless another is set: it creates SelectorEventLoop on Unix.")
@claim("asyncio.DefaultEventLoopPolicy", "Setting a policy is process-wide: every thread's new loops come from it.")
@claim("asyncio.get_event_loop_policy", "Returns the process-wide event loop policy.")
@claim("asyncio.set_event_loop_policy", "Replaces the process-wide event loop policy")
@claim("asyncio.set_event_loop_policy", "Process-wide: it changes the loop for every library and test in the process.")
@claim("performance.md", "the policy system is deprecated from Python 3.14 and is process-wide: it changes the loop for every library and test in the process")
def test_a_policy_is_process_wide() -> None:
    class Counting(asyncio.DefaultEventLoopPolicy):
        made = 0

        def new_event_loop(self):
            Counting.made += 1
            return super().new_event_loop()

    default = quietly(asyncio.get_event_loop_policy)
    assert type(default) is asyncio.DefaultEventLoopPolicy and isinstance(default, asyncio.AbstractEventLoopPolicy)
    loop = default.new_event_loop()
    assert isinstance(loop, asyncio.SelectorEventLoop)
    loop.close()
    quietly(asyncio.set_event_loop_policy, Counting())
    try:
        asyncio.new_event_loop().close()
        thread = threading.Thread(target=asyncio.run, args=(asyncio.sleep(0),))  # another "library"
        thread.start()
        thread.join()
        assert Counting.made == 2 and type(quietly(asyncio.get_event_loop_policy)) is Counting
    finally:
        quietly(asyncio.set_event_loop_policy, None)


@claim(POLICY_NAMES, "Choose the loop with `asyncio.run(main(), loop_factory=...)` (Python 3.12+) or `asyncio.Runner(loop_factory=...)` (Python 3.11+) instead.")
@claim("asyncio.get_event_loop_policy", "Inspect the running loop instead of the policy to learn what is in use.")
@claim("performance.md", "Choose the loop with `loop_factory` (`asyncio.run` since Python 3.12, `asyncio.Runner` since 3.11) or `uvloop.run()`.")
@pythons((3, 12))
def test_loop_factory_chooses_the_loop_without_a_policy() -> None:
    class Marked(asyncio.SelectorEventLoop):
        pass

    async def main() -> str:
        return type(asyncio.get_running_loop()).__name__

    assert asyncio.run(main(), loop_factory=Marked) == "Marked"
    with asyncio.Runner(loop_factory=Marked) as runner:
        assert runner.run(main()) == "Marked"
    assert type(quietly(asyncio.get_event_loop_policy)) is asyncio.DefaultEventLoopPolicy  # it says nothing of Marked
    histories = {history.name: history.added for history in facts_for("asyncio.run").parameter_histories()}
    assert histories["loop_factory"] == (3, 12)
    runner = facts_for("asyncio.Runner")
    assert runner.added == (3, 11) and "loop_factory" in runner.record_at((3, 11)).parameter_names


@claim(WATCHER_NAMES, "child watchers are deprecated; the event loop now picks the best way to wait for child processes by itself.")
@claim(WATCHER_NAMES, "Just call `asyncio.create_subprocess_exec()` and drop the watcher code.")
@claim("asyncio.get_child_watcher", "Nothing needs it any more; remove the call.")
@claim("mixing-sync-async.md", "the loop picks the right mechanism by itself, so delete any watcher set-up")
def test_subprocesses_need_no_watcher_and_watchers_warn() -> None:
    async def main() -> int:
        process = await asyncio.create_subprocess_exec(sys.executable, "-c", "raise SystemExit(4)")
        return await process.wait()

    assert run(main) == 4
    if sys.version_info >= (3, 12):
        with pytest.warns(DeprecationWarning):
            asyncio.SafeChildWatcher()


@claim("asyncio.AbstractChildWatcher", "The interface of child watchers, which told the Unix event loop when child processes exited.")
@claim("asyncio.get_child_watcher", "Returned the current child watcher of the event loop policy.")
@claim("asyncio.set_child_watcher", "Installed a child watcher on the event loop policy.")
@claim("asyncio.set_child_watcher", "Setting a watcher from library code changes behaviour for the whole process.")
@claim("asyncio.ThreadedChildWatcher", "A child watcher that waits for each child in a dedicated thread; the default before pidfd support.")
@claim("asyncio.PidfdChildWatcher", "The loop now uses this mechanism by itself where available.")
@claim("mixing-sync-async.md", "Child watchers (`set_child_watcher`, `ThreadedChildWatcher`, ...) are deprecated since 3.12")
@pythons((3, 10), (3, 13))
def test_the_child_watcher_is_a_policy_wide_setting() -> None:
    import asyncio.unix_events as unix_events

    for method in ("add_child_handler", "remove_child_handler", "attach_loop", "close"):
        assert hasattr(asyncio.AbstractChildWatcher, method)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        default = asyncio.get_child_watcher()
        expected = "PidfdChildWatcher" if sys.version_info >= (3, 12) and unix_events.can_use_pidfd() else "ThreadedChildWatcher"
        assert type(default).__name__ == expected
        replacement = asyncio.ThreadedChildWatcher()
        asyncio.set_child_watcher(replacement)
        try:
            assert asyncio.get_event_loop_policy().get_child_watcher() is replacement
        finally:
            asyncio.set_child_watcher(default)
    if sys.version_info >= (3, 12):
        with pytest.warns(DeprecationWarning):
            asyncio.get_child_watcher()


# --- debug mode --------------------------------------------------------------------------------------------


@claim("asyncio.AbstractEventLoop.set_debug", "Turns debug mode on or off: slow-callback warnings, creation tracebacks, thread checks.")
@claim("debugging.md", "callbacks that hold the loop too long are logged")
@claim("debugging.md", "In debug mode the loop logs every callback or task step that runs longer than `loop.slow_callback_duration` (0.1 s by default), with the task that did it")
@claim("debugging.md", "Each such line is a blocking call or a long computation that stalled every other task.")
def test_debug_mode_logs_slow_steps_and_records_where_tasks_were_created(caplog: pytest.LogCaptureFixture) -> None:
    async def slow() -> None:
        time.sleep(0.02)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        assert loop.get_debug() is False and loop.slow_callback_duration == 0.1
        loop.set_debug(True)
        loop.slow_callback_duration = 0.01
        task = asyncio.create_task(slow(), name="the-slow-one")
        assert task._source_traceback  # where it was created
        await task
        loop.set_debug(False)

    with caplog.at_level(logging.WARNING, logger="asyncio"):
        run(main)
    assert any("the-slow-one" in record.getMessage() and "took" in record.getMessage() for record in caplog.records)


@claim("asyncio.AbstractEventLoop.get_debug", "True if debug mode is enabled (also via `PYTHONASYNCIODEBUG=1` or `-X dev`).")
@claim("asyncio.AbstractEventLoop.get_debug", "Debug mode can be on without you calling `set_debug` (dev mode).")
@claim("debugging.md", "`PYTHONASYNCIODEBUG=1` in the environment")
@claim("debugging.md", "`python -X dev` (Python development mode, which also shows ResourceWarnings)")
@claim("debugging.md", "`asyncio.run(main(), debug=True)`")
@claim("debugging.md", "`loop.set_debug(True)` on a loop you hold.")
def test_the_ways_to_turn_debug_mode_on() -> None:
    code = "import asyncio, sys\nasync def main(): return asyncio.get_running_loop().get_debug()\nprint(asyncio.run(main()), sys.flags.dev_mode)"
    assert in_fresh_python(code).stdout == "False False\n"
    assert in_fresh_python(code, PYTHONASYNCIODEBUG="1").stdout == "True False\n"
    assert in_fresh_python(code, "-X", "dev").stdout == "True True\n"
    warned = in_fresh_python("open(__import__('sys').executable, 'rb')", "-X", "dev")
    assert "ResourceWarning" in warned.stderr

    async def main() -> bool:
        return asyncio.get_running_loop().get_debug()

    assert asyncio.run(main(), debug=True) is True
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    assert loop.get_debug()
    loop.close()
