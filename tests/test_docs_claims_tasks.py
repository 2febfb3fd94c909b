"""Claims about running coroutines, tasks, gathering, waiting, timeouts and cancellation, run.

The mechanism (how sentences are found, `claim()`, `pythons()`) is described in tests/docs_claims.py.
"""

from __future__ import annotations

import asyncio
import contextvars
import gc
import inspect
import subprocess
import sys
import threading
import time
import warnings
import weakref

import pytest

from async_patterns.docs.facts import facts_for
from docs_claims import claim, pythons, run


async def forever() -> None:
    await asyncio.Event().wait()


# What wait_for() and as_completed() raise: the built-in TimeoutError since 3.11, another class before.
TIMEOUT_ERROR = TimeoutError if sys.version_info >= (3, 11) else asyncio.TimeoutError


def in_fresh_python(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a new interpreter: for claims about a process without any loop set yet."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


# --- asyncio.run and asyncio.Runner --------------------------------------------------------------


@claim("asyncio.run", "Creates a fresh event loop, runs the coroutine to completion, then cancels what is left")
@claim("asyncio.run", "Tasks still running when `main()` returns are cancelled")
@claim("mixing-sync-async.md", "`asyncio.run(main())` creates a loop, runs the coroutine, and cleans up")
def test_run_makes_a_loop_and_cleans_everything_up() -> None:
    seen: dict[str, object] = {}

    async def ticker():
        try:
            yield 1
            yield 2
        finally:
            seen["generator closed"] = True

    async def leftover() -> None:
        try:
            await forever()
        except asyncio.CancelledError:
            seen["leftover cancelled"] = True
            raise

    async def main() -> str:
        seen["loop"] = asyncio.get_running_loop()
        seen["thread"] = await asyncio.to_thread(threading.current_thread)
        asyncio.create_task(leftover())
        seen["generator"] = ticker()
        await seen["generator"].__anext__()
        await asyncio.sleep(0)
        return "done"

    assert asyncio.run(main()) == "done"
    first = seen["loop"]
    assert seen["leftover cancelled"] and seen["generator closed"] and first.is_closed()
    assert not seen["thread"].is_alive()  # the default executor was shut down
    asyncio.run(main())
    assert seen["loop"] is not first


@claim("concurrency-patterns.md", "Inside coroutines, `await` things; never start a second loop.")
@claim("asyncio.run", "It raises RuntimeError when called while a loop is already running in this thread")
@claim("asyncio.Runner", "`run()` cannot be called from inside a running loop")
@claim("asyncio.Runner.run", "Raises RuntimeError when called from a running loop.")
def test_run_and_runner_run_refuse_a_running_loop() -> None:
    async def inner() -> None:
        pass

    async def main() -> None:
        coroutine = inner()
        with pytest.raises(RuntimeError):
            asyncio.run(coroutine)
        coroutine.close()

    run(main)
    if sys.version_info >= (3, 11):
        with asyncio.Runner() as runner:

            async def nested() -> None:
                coroutine = inner()
                with pytest.raises(RuntimeError):
                    runner.run(coroutine)
                coroutine.close()

            runner.run(nested())


@claim("asyncio.run", "Each call makes a new loop: objects bound to the previous loop")
def test_an_event_used_in_one_run_fails_in_the_next() -> None:
    event = asyncio.Event()

    async def use() -> None:
        asyncio.get_running_loop().call_soon(event.set)
        await event.wait()
        event.clear()

    asyncio.run(use())
    with pytest.raises(RuntimeError, match="different event loop"):
        asyncio.run(use())


@claim("asyncio.run", "Use `asyncio.Runner` to run several coroutines on one loop.")
@claim("asyncio.Runner", "A context manager that owns one event loop and runs several top-level coroutines on it in turn")
@claim("asyncio.Runner.run", "Runs a coroutine to completion on the runner's loop and returns its result.")
@claim("asyncio.Runner.close", "Cancels remaining tasks, shuts down async generators and the executor, closes the loop.")
@claim("asyncio.Runner.close", "The `with` statement calls it for you")
@claim("asyncio.Runner.get_loop", "Returns the runner's event loop, creating it if needed.")
@claim("mixing-sync-async.md", "use one `asyncio.Runner` so all calls share one loop and the objects bound to it")
@pythons((3, 11))
def test_a_runner_runs_several_coroutines_on_one_loop_and_cleans_up() -> None:
    seen: dict[str, object] = {}

    async def leftover() -> None:
        try:
            await forever()
        except asyncio.CancelledError:
            seen["cancelled"] = True
            raise

    async def step(name: str) -> str:
        seen[name] = asyncio.get_running_loop()
        seen["thread"] = await asyncio.to_thread(threading.current_thread)
        asyncio.create_task(leftover())
        return name

    with asyncio.Runner() as runner:
        loop = runner.get_loop()
        assert runner.run(step("first")) == "first" and runner.run(step("second")) == "second"
    assert seen["first"] is seen["second"] is loop
    assert seen["cancelled"] and loop.is_closed() and not seen["thread"].is_alive()


@claim("asyncio.Runner", "Objects created by one `run()` stay bound to the runner's loop")
@pythons((3, 11))
def test_a_future_made_in_a_runner_cannot_be_awaited_on_another_loop() -> None:
    async def make() -> asyncio.Future:
        return asyncio.get_running_loop().create_future()

    with asyncio.Runner() as runner:
        future = runner.run(make())

    async def await_it() -> None:
        await future

    assert future.get_loop().is_closed()
    with pytest.raises(RuntimeError, match="different loop"):
        asyncio.run(await_it())


# --- create_task and Task -------------------------------------------------------------------------


@claim("asyncio.create_task", "Schedules a coroutine to run concurrently as a Task on the running loop and returns the Task at once.")
@claim("asyncio.create_task", "The coroutine starts at the next loop iteration; await the Task")
@claim("asyncio.AbstractEventLoop.create_task", "Schedules a coroutine as a Task on this loop")
def test_create_task_returns_at_once_and_the_task_starts_later() -> None:
    steps: list[str] = []

    async def child(fail: bool) -> str:
        steps.append("child")
        if fail:
            raise ValueError("from the child")
        return "result"

    async def main() -> None:
        task = asyncio.create_task(child(False))
        assert isinstance(task, asyncio.Task) and task.get_loop() is asyncio.get_running_loop()
        assert not task.done()
        steps.append("creator")
        assert await task == "result"
        with pytest.raises(ValueError, match="from the child"):
            await asyncio.gather(asyncio.create_task(child(True)))
        other = asyncio.get_running_loop().create_task(child(False))
        assert isinstance(other, asyncio.Task) and await other == "result"

    run(main)
    assert steps[:2] == ["creator", "child"]


@claim("asyncio.create_task", "Needs a running loop: calling it from synchronous code raises RuntimeError.")
def test_create_task_without_a_loop_raises() -> None:
    coroutine = asyncio.sleep(0)
    with pytest.raises(RuntimeError):
        asyncio.create_task(coroutine)
    coroutine.close()


@claim("asyncio.create_task", "The loop keeps only a weak reference to tasks")
@claim("asyncio.AbstractEventLoop.create_task", "Keep a reference to the task; the loop holds it only weakly.")
@claim("concurrency-patterns.md", "The loop only holds tasks weakly")
def test_a_task_nobody_references_can_be_collected_while_it_waits() -> None:
    async def waits_on(future: asyncio.Future) -> None:
        await future

    async def main() -> bool:
        task = asyncio.create_task(waits_on(asyncio.get_running_loop().create_future()))
        await asyncio.sleep(0)  # it runs up to the await and is no longer scheduled
        alive = weakref.ref(task)
        del task
        gc.collect()
        return alive() is None

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the collected task complains that it was pending
        assert run(main) is True


def unretrieved_messages(main_factory) -> list[str]:
    """The loop exception handler's messages while `main_factory()` runs and its garbage is collected."""
    messages: list[str] = []

    async def main() -> None:
        asyncio.get_running_loop().set_exception_handler(lambda loop, context: messages.append(context["message"]))
        await main_factory()
        gc.collect()
        await asyncio.sleep(0)

    run(main)
    return messages


@claim("asyncio.create_task", "An exception in a task nobody awaits is only logged when the task is destroyed")
@claim("concurrency-patterns.md", "an exception in a task nobody awaits is only logged")
@claim("debugging.md", "An exception raised in a task that nobody awaits is stored on the task.")
@claim("debugging.md", "It is only reported, as \"Task exception was never retrieved\", when the task is garbage-collected")
@claim("asyncio.Future.set_exception", "If nobody awaits the future, the exception is only logged at garbage collection.")
def test_an_unretrieved_task_exception_is_reported_when_the_task_is_collected() -> None:
    stored: list[bool] = []

    async def fails() -> None:
        raise ValueError("lost")

    async def main() -> None:
        task = asyncio.create_task(fails())
        await asyncio.sleep(0)
        stored.append(task.done() and isinstance(task._exception, ValueError))
        future = asyncio.get_running_loop().create_future()
        future.set_exception(ValueError("lost too"))
        del task, future

    messages = unretrieved_messages(main)
    assert stored == [True]
    assert messages.count("Task exception was never retrieved") == 1
    assert messages.count("Future exception was never retrieved") == 1


@claim("asyncio.create_task", "Prefer `TaskGroup.create_task`, which propagates failures.")
@claim("asyncio.TaskGroup.create_task", "Creates a task owned by the group: the `async with` block waits for it, and its failure cancels the group's other tasks.")
@pythons((3, 11))
def test_a_task_group_propagates_a_failure_and_cancels_the_others() -> None:
    seen: list[str] = []

    async def sibling() -> None:
        try:
            await forever()
        except asyncio.CancelledError:
            seen.append("sibling cancelled")
            raise

    async def fails() -> None:
        await asyncio.sleep(0)
        raise ValueError("propagated")

    async def main() -> None:
        with pytest.raises(ExceptionGroup) as caught:
            async with asyncio.TaskGroup() as group:
                group.create_task(sibling())
                group.create_task(fails())
        assert [str(error) for error in caught.value.exceptions] == ["propagated"]

    run(main)
    assert seen == ["sibling cancelled"]


@claim("asyncio.Task", "A Future that drives a coroutine on the event loop.")
def test_a_task_is_a_future() -> None:
    assert issubclass(asyncio.Task, asyncio.Future)


@claim("concurrency-patterns.md", "The task may clean up in `finally` or `except CancelledError` blocks, and must then let the error propagate.")
@claim("asyncio.Task", "`Task.cancel()` only requests cancellation: the coroutine sees CancelledError at its next await and may clean up first.")
@claim("asyncio.Task", "Await the task to know it has finished.")
@claim("asyncio.Future.cancel", "Returns immediately; the task is not finished until you await it.")
@claim("asyncio.Task.cancel", "Await the task after cancelling so clean-up finishes before you move on.")
@claim("asyncio.Task.cancel", "Requests cancellation: CancelledError (with the optional `msg`) is thrown into the coroutine at its next await.")
@claim("asyncio.Future.cancel", "Cancels the future (for a Task: requests cancellation by throwing CancelledError into the coroutine at its next await).")
@claim("asyncio.CancelledError", "Raised inside a task at its current `await` when the task is cancelled.")
@claim("concurrency-patterns.md", "`task.cancel()` asks a task to stop: a `CancelledError` is raised inside it at its current `await`.")
@claim("concurrency-patterns.md", "Cancelling returns at once; await the task to know it has stopped.")
def test_cancel_only_requests_and_the_task_cleans_up_at_its_await() -> None:
    steps: list[str] = []

    async def victim() -> None:
        try:
            await forever()
        except asyncio.CancelledError:
            steps.append("cancelled at the await")
            await asyncio.sleep(0)
            steps.append("cleaned up")
            raise

    async def main() -> None:
        task = asyncio.create_task(victim())
        await asyncio.sleep(0)
        assert task.cancel() is True
        assert not task.done() and steps == []
        with pytest.raises(asyncio.CancelledError):
            await task
        assert task.done() and task.cancelled()

    run(main)
    assert steps == ["cancelled at the await", "cleaned up"]


@claim("asyncio.Task", "`set_result()` and `set_exception()` raise RuntimeError on a Task")
@claim("asyncio.Future.set_result", "On a Task it raises RuntimeError: tasks get results from their coroutine.")
def test_set_result_on_a_task_raises_runtime_error() -> None:
    async def main() -> None:
        task = asyncio.create_task(asyncio.sleep(0))
        with pytest.raises(RuntimeError):
            task.set_result(1)
        with pytest.raises(RuntimeError):
            task.set_exception(ValueError())
        await task

    run(main)


@claim("asyncio.Task", "A finished Task no longer holds its coroutine's frame, but it keeps its result or exception")
def test_a_finished_task_drops_its_frame_and_keeps_its_exception() -> None:
    async def fails() -> None:
        raise ValueError("kept")

    async def main() -> asyncio.Task:
        task = asyncio.create_task(fails())
        await asyncio.wait([task])
        return task

    task = run(main)
    assert task.get_coro().cr_frame is None
    assert str(task.exception()) == "kept" and task.exception().__traceback__ is not None


@claim("asyncio.Task", "with `eager_start=True` the coroutine starts running inside the constructor")
@pythons((3, 12))
def test_eager_start_runs_the_coroutine_up_to_its_first_suspension() -> None:
    steps: list[str] = []

    async def work() -> None:
        steps.append("started")
        await asyncio.sleep(0)
        steps.append("resumed")

    async def main() -> None:
        task = asyncio.Task(work(), loop=asyncio.get_running_loop(), eager_start=True)
        assert steps == ["started"]
        await task

    run(main)
    assert steps == ["started", "resumed"]


@claim("asyncio.Task.cancel", "the `msg` given to `cancel()` becomes the argument of the CancelledError")
def test_cancel_message_reaches_the_coroutine() -> None:
    async def main() -> object:
        seen = []

        async def victim() -> None:
            try:
                await forever()
            except asyncio.CancelledError as error:
                seen.append(error.args)
                raise

        task = asyncio.create_task(victim())
        await asyncio.sleep(0)
        task.cancel(msg="shutting down")
        with pytest.raises(asyncio.CancelledError):
            await task
        return seen

    assert run(main) == [("shutting down",)]


@claim("asyncio.Task.cancel", "Returns False if the task is already done.")
@claim("asyncio.Future.cancel", "Returns False if already done.")
@claim("asyncio.Future.cancelled", "True if the future or task was cancelled.")
def test_cancelling_a_done_task_or_future_returns_false() -> None:
    async def main() -> None:
        task = asyncio.create_task(asyncio.sleep(0))
        await task
        future = asyncio.get_running_loop().create_future()
        future.set_result(None)
        assert task.cancel() is False and future.cancel() is False
        assert not task.cancelled() and not future.cancelled()
        pending = asyncio.get_running_loop().create_future()
        assert pending.cancel() is True and pending.cancelled()

    run(main)


@claim("asyncio.Task.cancel", "Cancellation is cooperative: a coroutine that catches CancelledError and carries on ignores it.")
@claim("asyncio.Future.cancelled", "A task that caught CancelledError and returned normally is not `cancelled()`.")
def test_a_coroutine_that_swallows_cancellation_keeps_running() -> None:
    async def stubborn() -> str:
        try:
            await forever()
        except asyncio.CancelledError:
            pass
        await asyncio.sleep(0)
        return "carried on"

    async def main() -> None:
        task = asyncio.create_task(stubborn())
        await asyncio.sleep(0)
        task.cancel()
        assert await task == "carried on"
        assert not task.cancelled()

    run(main)


@claim("asyncio.Task.cancelling", "Returns the number of pending cancellation requests (calls to `cancel()` not yet matched by `uncancel()`).")
@claim("asyncio.Task.uncancel", "Decrements the count of cancellation requests.")
@pythons((3, 11))
def test_cancelling_counts_requests_and_uncancel_takes_one_back() -> None:
    async def main() -> None:
        task = asyncio.create_task(forever())
        await asyncio.sleep(0)
        assert task.cancelling() == 0
        task.cancel()
        task.cancel()
        assert task.cancelling() == 2
        assert task.uncancel() == 1 and task.cancelling() == 1
        with pytest.raises(asyncio.CancelledError):
            await task

    run(main)


@claim("asyncio.Task.cancelling", "Lets code tell its own cancellation from a timeout's.")
@claim("asyncio.Task.uncancel", "For structured-concurrency helpers (timeout, TaskGroup) that cancel a task and then absorb that cancellation themselves.")
@claim("error-handling.md", "`Task.cancelling()` (3.11+) tells whether your own task is being cancelled too.")
@pythons((3, 11))
def test_a_timeout_absorbs_its_own_cancellation_and_leaves_an_outer_one() -> None:
    async def main() -> None:
        me = asyncio.current_task()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0):
                await forever()
        assert me.cancelling() == 0  # the timeout took back the cancel it made
        me.cancel()
        try:
            await asyncio.sleep(0)
        except asyncio.CancelledError:
            assert me.cancelling() == 1  # someone else wants this task to stop
            me.uncancel()

    run(main)


@claim("asyncio.Task.get_name", "Returns the task's name (default `Task-N`), shown in reprs, logs and task dumps.")
@claim("asyncio.Task.set_name", "Renames the task; the name shows in its repr, in task dumps and in log records.")
@claim("debugging.md", "Give long-lived tasks names (`create_task(..., name=\"poller\")`) so the dump is readable.")
def test_task_names_show_in_reprs_and_stack_dumps() -> None:
    import io
    import re

    async def main() -> None:
        task = asyncio.create_task(forever())
        assert re.fullmatch(r"Task-\d+", task.get_name())
        task.set_name("poller")
        await asyncio.sleep(0)
        dump = io.StringIO()
        task.print_stack(file=dump)
        assert "name='poller'" in repr(task) and "poller" in dump.getvalue()
        task.cancel()

    run(main)


@claim("asyncio.Task.get_coro", "Returns the coroutine object the task wraps.")
def test_get_coro_is_the_wrapped_coroutine() -> None:
    async def main() -> None:
        coroutine = asyncio.sleep(0)
        task = asyncio.create_task(coroutine)
        assert task.get_coro() is coroutine
        await task

    run(main)


@claim("asyncio.Task.get_coro", "Returns None for eager tasks that already finished (3.12+)")
@claim("asyncio.Task.get_coro", "on 3.12.0 to 3.12.4 that call crashes the interpreter")
@pythons((3, 12))
def test_get_coro_of_an_eager_task_that_finished_at_once() -> None:
    completed = in_fresh_python(
        "import asyncio\n"
        "async def immediate(): return 1\n"
        "async def main():\n"
        "    asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)\n"
        "    task = asyncio.create_task(immediate())\n"
        "    print(task.done(), flush=True)\n"
        "    print(task.get_coro())\n"
        "asyncio.run(main())\n"
    )
    if sys.version_info[:2] == (3, 12) and sys.version_info < (3, 12, 5):
        assert completed.returncode < 0 and completed.stdout == "True\n"  # killed by a signal
    else:
        assert completed.returncode == 0 and completed.stdout == "True\nNone\n", completed.stderr


@claim("asyncio.Task.get_context", "Returns the contextvars.Context the task runs in.")
@claim("asyncio.Task.get_context", "Each task gets a copy of the creator's context; changes do not flow back.")
@claim("asyncio.Handle.get_context", "Returns the contextvars.Context the callback will run in.")
@claim("asyncio.Handle.get_context", "The context was copied when the callback was scheduled.")
@claim("asyncio.Handle", "new `get_context()` returning the callback's contextvars.Context.")
@pythons((3, 12))
def test_tasks_and_handles_run_in_a_copy_of_the_creators_context() -> None:
    variable: contextvars.ContextVar[str] = contextvars.ContextVar("variable", default="unset")

    async def child() -> str:
        seen = variable.get()
        variable.set("child")
        return seen

    async def main() -> None:
        variable.set("creator")
        task = asyncio.create_task(child())
        assert task.get_context().run(variable.get) == "creator"
        assert await task == "creator" and variable.get() == "creator"
        assert task.get_context().run(variable.get) == "child"
        handle = asyncio.get_running_loop().call_soon(lambda: None)
        variable.set("changed after scheduling")
        assert handle.get_context().run(variable.get) == "creator"

    run(main)


@claim("asyncio.Task.get_stack", "Returns the frames where the task is suspended (or the traceback if it failed).")
@claim("asyncio.Task.get_stack", "Only the task's own coroutine frame is available, not the full await chain.")
@claim("asyncio.Task.print_stack", "Prints where the task is suspended; the quick way to see what a stuck task waits on.")
@claim("asyncio.Task.print_stack", "Writes to stderr by default; pass `file=` to send it to your log.")
@claim("debugging.md", "`task.print_stack()` shows where each is suspended")
def test_get_stack_shows_the_tasks_own_frame() -> None:
    import contextlib
    import io

    async def innermost() -> None:
        await forever()

    async def outer() -> None:
        await innermost()

    async def fails() -> None:
        raise ValueError

    async def main() -> None:
        task = asyncio.create_task(outer())
        failed = asyncio.create_task(fails())
        await asyncio.sleep(0)
        assert [frame.f_code.co_name for frame in task.get_stack()] == ["outer"]
        assert [frame.f_code.co_name for frame in failed.get_stack()] == ["fails"]
        failed.exception()
        to_stderr = io.StringIO()
        with contextlib.redirect_stderr(to_stderr):
            task.print_stack()
        assert "outer" in to_stderr.getvalue()
        task.cancel()

    run(main)


# --- sleep ----------------------------------------------------------------------------------------


@claim("asyncio.sleep", "Suspends the current coroutine for `delay` seconds and lets every other task run meanwhile; returns `result`.")
def test_sleep_lets_others_run_and_returns_its_result() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        others: list[str] = []
        loop.call_soon(others.append, "ran")
        started = loop.time()
        assert await asyncio.sleep(0.02, result="value") == "value"
        assert others == ["ran"]
        assert loop.time() - started >= 0.02 - loop._clock_resolution

    run(main)


@claim("asyncio.sleep", "`await asyncio.sleep(0)` yields to the loop once")
def test_sleep_zero_interleaves_two_busy_tasks() -> None:
    order: list[str] = []

    async def busy(name: str) -> None:
        for _ in range(3):
            order.append(name)
            await asyncio.sleep(0)

    async def main() -> None:
        await asyncio.gather(busy("a"), busy("b"))

    run(main)
    assert order == ["a", "b"] * 3


@claim("asyncio.sleep", "`time.sleep()` in async code blocks the whole loop")
@claim("concurrency-patterns.md", "A task keeps the whole loop to itself between two awaits")
@claim("concurrency-patterns.md", "The loop is single-threaded.")
@claim("mixing-sync-async.md", "A call that blocks the thread")
@claim("mixing-sync-async.md", "The event loop runs one callback or task step at a time, on one thread.")
def test_a_blocking_call_holds_the_loop_until_it_returns() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        threads: list[threading.Thread] = []
        loop.call_soon(lambda: threads.append(threading.current_thread()))
        time.sleep(0.02)
        assert threads == []  # nothing else ran while the task blocked
        await asyncio.sleep(0)
        assert threads == [threading.current_thread()]

    run(main)


@claim("asyncio.sleep", "Forgetting `await` creates a coroutine that never runs")
@claim("debugging.md", "Calling an `async def` function without `await` creates a coroutine object and throws it away.")
@claim("debugging.md", "The call does nothing, and Python only tells you when the object is garbage-collected")
@claim("asyncio.Queue.put", "Forgetting `await` drops the item: the coroutine is created and never run.")
def test_a_call_without_await_runs_nothing_and_warns_when_collected() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        async def main() -> None:
            queue: asyncio.Queue[int] = asyncio.Queue()
            queue.put(1)  # noqa: AP201 (the missing await is the point)
            assert queue.empty()
            asyncio.sleep(0)  # noqa: AP201

        run(main)
        gc.collect()
    messages = [str(warning.message) for warning in caught]
    assert "coroutine 'sleep' was never awaited" in messages
    assert "coroutine 'Queue.put' was never awaited" in messages


# --- gather -----------------------------------------------------------------------------------------


@claim("asyncio.gather", "Runs awaitables concurrently (coroutines are wrapped in Tasks) and returns their results in argument order once all finish.")
@claim("concurrency-patterns.md", "`asyncio.gather(*aws)` runs awaitables concurrently and returns their results in the order you passed them.")
def test_gather_wraps_coroutines_in_tasks_and_keeps_argument_order() -> None:
    finished: list[int] = []

    async def job(number: int, delay: float) -> tuple[int, bool]:
        await asyncio.sleep(delay)
        finished.append(number)
        return number, isinstance(asyncio.current_task(), asyncio.Task)

    async def main() -> list:
        return await asyncio.gather(job(1, 0.03), job(2, 0.01), job(3, 0.02))

    assert run(main) == [(1, True), (2, True), (3, True)]
    assert finished == [2, 3, 1]


@claim("concurrency-patterns.md", "If you want every outcome, successes and failures alike, pass `return_exceptions=True` and check each result")
@claim("asyncio.gather", "With `return_exceptions=True`, exceptions are returned in the results list instead of raised.")
@claim("asyncio.gather", "With `return_exceptions=True`, check every result with `isinstance(result, BaseException)`")
@claim("error-handling.md", "`gather(..., return_exceptions=True)` returns exceptions in place of results instead of raising the first one.")
def test_gather_returns_exceptions_in_place_of_results() -> None:
    async def fails() -> None:
        raise LookupError("missing")

    async def succeeds() -> str:
        return "fine"

    async def main() -> list:
        return await asyncio.gather(fails(), succeeds(), return_exceptions=True)

    results = run(main)
    assert [isinstance(result, BaseException) for result in results] == [True, False]
    assert isinstance(results[0], LookupError) and results[1] == "fine"


@claim("concurrency-patterns.md", "It is the right tool when you need *all* results and a failure of one is a failure of the whole.")
@claim("asyncio.gather", "the first exception propagates but the other awaitables keep running unattended")
@claim("concurrency-patterns.md", "when one awaitable raises, `gather` re-raises that exception right away")
def test_gather_leaves_the_siblings_running_after_a_failure() -> None:
    async def main() -> None:
        async def fails() -> None:
            raise ValueError

        release = asyncio.Event()
        sibling = asyncio.ensure_future(release.wait())
        with pytest.raises(ValueError):
            await asyncio.gather(fails(), sibling)
        assert not sibling.done() and not sibling.cancelled()
        release.set()
        await sibling

    run(main)


@claim("asyncio.gather", "Gathering thousands of coroutines starts them all at once")
@claim("asyncio.Semaphore", "It bounds concurrency, not creation: gathering a million coroutines still creates a million tasks.")
@claim("concurrency-patterns.md", "The semaphore limits how many run, not how many exist: the example still creates 100 tasks.")
def test_gather_starts_every_coroutine_at_once_even_behind_a_semaphore() -> None:
    async def main() -> tuple[int, int]:
        gate = asyncio.Semaphore(10)
        release = asyncio.Event()
        inside = 0

        async def fetch_one() -> None:
            nonlocal inside
            async with gate:
                inside += 1
                await release.wait()

        gathered = asyncio.gather(*(fetch_one() for _ in range(100)))
        await asyncio.sleep(0)
        tasks = len(asyncio.all_tasks()) - 1
        running = inside
        release.set()
        await gathered
        return tasks, running

    assert run(main) == (100, 10)


@claim("asyncio.gather", "Cancelling the gather cancels all children; cancelling one child makes it count as CancelledError in the results.")
@claim("error-handling.md", "With `return_exceptions=True` a cancelled child shows up as a `CancelledError` in the list")
@claim("error-handling.md", "if the `gather` itself is cancelled, the cancellation still propagates to you")
def test_cancelling_gather_or_one_child() -> None:
    async def main() -> None:
        slow = asyncio.ensure_future(forever())
        fast = asyncio.ensure_future(asyncio.sleep(0, result="done"))
        gathered = asyncio.gather(slow, fast, return_exceptions=True)
        await asyncio.sleep(0)
        slow.cancel()
        results = await gathered
        assert isinstance(results[0], asyncio.CancelledError) and results[1] == "done"

        children = [asyncio.ensure_future(forever()) for _ in range(2)]
        whole = asyncio.gather(*children, return_exceptions=True)
        await asyncio.sleep(0)
        whole.cancel()
        with pytest.raises(asyncio.CancelledError):
            await whole
        assert all(child.cancelled() for child in children)

    run(main)


# --- TaskGroup --------------------------------------------------------------------------------------


@claim("asyncio.TaskGroup", "tasks created with `tg.create_task()` all finish before the `async with` block exits.")
@claim("concurrency-patterns.md", "the `async with` does not exit until every task in the group has finished.")
@pythons((3, 11))
def test_a_task_group_waits_for_all_its_tasks() -> None:
    async def main() -> None:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(asyncio.sleep(delay)) for delay in (0.01, 0.02, 0)]
        assert all(task.done() for task in tasks)

    run(main)


@claim("concurrency-patterns.md", "If a failure should stop the siblings, use a [TaskGroup]")
@claim("asyncio.TaskGroup", "If any task fails, the others are cancelled and the failures are raised together as an ExceptionGroup.")
@claim("asyncio.TaskGroup", "One failing task cancels all its siblings")
@claim("concurrency-patterns.md", "If any task raises, the group cancels the others, waits for them, and raises all the failures together in an `ExceptionGroup`.")
@claim("error-handling.md", "A `TaskGroup` is all-or-nothing: the first failure cancels the siblings and the group raises an `ExceptionGroup`.")
@pythons((3, 11))
def test_a_failing_task_cancels_its_siblings_and_the_group_raises_every_failure() -> None:
    unwound: list[str] = []

    async def fails_at_once(error: Exception) -> None:
        raise error

    async def sibling() -> None:
        try:
            await forever()
        finally:
            await asyncio.sleep(0)
            unwound.append("sibling")

    async def main() -> None:
        with pytest.raises(ExceptionGroup) as caught:
            async with asyncio.TaskGroup() as group:
                waiting = group.create_task(sibling())
                group.create_task(fails_at_once(ValueError("one")))
                group.create_task(fails_at_once(KeyError("two")))
        assert waiting.cancelled() and unwound == ["sibling"]
        assert sorted(type(error).__name__ for error in caught.value.exceptions) == ["KeyError", "ValueError"]

    run(main)


@claim("asyncio.TaskGroup", "Errors arrive as an ExceptionGroup even when only one task failed")
@claim("error-handling.md", "A plain `except ValueError` does not match an `ExceptionGroup` containing a `ValueError`.")
@pythons((3, 11))
def test_one_failure_still_arrives_as_an_exception_group() -> None:
    async def fails() -> None:
        raise ValueError("only one")

    async def main() -> str:
        try:
            try:
                async with asyncio.TaskGroup() as group:
                    group.create_task(fails())
            except ValueError:
                return "plain except caught it"
        except ExceptionGroup as group_error:
            return f"group of {[str(error) for error in group_error.exceptions]}"

    assert run(main) == "group of ['only one']"


@claim("asyncio.TaskGroup", "Do not swallow CancelledError inside the tasks, or the group cannot stop them.")
@pythons((3, 11))
def test_a_task_that_swallows_cancellation_keeps_the_group_open() -> None:
    steps: list[str] = []

    async def stubborn() -> None:
        try:
            await forever()
        except asyncio.CancelledError:
            steps.append("swallowed")
        await asyncio.sleep(0.01)
        steps.append("kept working")

    async def fails() -> None:
        await asyncio.sleep(0)
        raise ValueError

    async def main() -> None:
        with pytest.raises(ExceptionGroup):
            async with asyncio.TaskGroup() as group:
                group.create_task(stubborn())
                group.create_task(fails())
        steps.append("group exited")

    run(main)
    assert steps == ["swallowed", "kept working", "group exited"]


@claim("asyncio.TaskGroup.create_task", "Raises RuntimeError once the group is shutting down (a task failed) or finished.")
@claim("asyncio.TaskGroup.create_task", "The refused coroutine is closed since 3.13; before, it is left unawaited")
@pythons((3, 11))
def test_create_task_on_a_finished_or_failing_group() -> None:
    async def late() -> None:
        pass

    async def fails() -> None:
        raise ValueError

    async def main() -> list[str]:
        refused = []
        async with asyncio.TaskGroup() as group:
            pass
        finished = late()
        with pytest.raises(RuntimeError, match="finished"):
            group.create_task(finished)
        refused.append(inspect.getcoroutinestate(finished))
        finished.close()
        with pytest.raises(ExceptionGroup):
            async with asyncio.TaskGroup() as failing:
                failing.create_task(fails())
                try:
                    await forever()
                except asyncio.CancelledError:  # the failure is in: the group is shutting down
                    shutting_down = late()
                    with pytest.raises(RuntimeError, match="shutting down"):
                        failing.create_task(shutting_down)
                    refused.append(inspect.getcoroutinestate(shutting_down))
                    shutting_down.close()
                    raise
        return refused

    state = "CORO_CLOSED" if sys.version_info >= (3, 13) else "CORO_CREATED"
    assert run(main) == [state, state]


# --- wait, as_completed -------------------------------------------------------------------------------


@claim("asyncio.wait", "Waits for a collection of Tasks/Futures until `return_when`")
@claim("asyncio.wait", "It never raises the tasks' exceptions and never cancels anything.")
@claim("asyncio.wait", "Exceptions stay inside the done tasks until you call `.result()` on each.")
@claim("asyncio.FIRST_COMPLETED", "`asyncio.wait()` option: return as soon as any awaitable finishes or is cancelled.")
@claim("asyncio.FIRST_EXCEPTION", "`asyncio.wait()` option: return when any awaitable raises, or when all finish.")
@claim("asyncio.FIRST_EXCEPTION", "Nothing is cancelled for you")
@claim("asyncio.ALL_COMPLETED", "`asyncio.wait()` default: return when every awaitable has finished (or on timeout).")
@claim("asyncio.ALL_COMPLETED", "Exceptions are not raised; inspect each done task.")
@claim("concurrency-patterns.md", "`asyncio.wait()` waits on a set of tasks until the first completes, the first fails, or all are done, and hands back `(done, pending)`.")
@claim("concurrency-patterns.md", "It never raises and never cancels: both are up to you.")
def test_wait_returns_done_and_pending_without_raising_or_cancelling() -> None:
    async def fails(delay: float) -> None:
        await asyncio.sleep(delay)
        raise ValueError("kept inside")

    async def main() -> None:
        never = asyncio.ensure_future(forever())
        failing = asyncio.ensure_future(fails(0.01))
        quick = asyncio.ensure_future(asyncio.sleep(0))
        done, pending = await asyncio.wait({never, failing, quick}, return_when=asyncio.FIRST_COMPLETED)
        assert done == {quick} and pending == {never, failing}
        done, pending = await asyncio.wait({never, failing}, return_when=asyncio.FIRST_EXCEPTION)
        assert done == {failing} and pending == {never} and not never.cancelled()
        done, pending = await asyncio.wait({never, quick}, timeout=0.01)
        assert done == {quick} and pending == {never}
        done, pending = await asyncio.wait({quick, failing})
        assert done == {quick, failing} and not pending
        with pytest.raises(ValueError, match="kept inside"):
            failing.result()
        cancelled = asyncio.ensure_future(forever())
        asyncio.get_running_loop().call_soon(cancelled.cancel)
        done, _ = await asyncio.wait({never, cancelled}, return_when=asyncio.FIRST_COMPLETED)
        assert done == {cancelled}
        never.cancel()

    run(main)


@claim("asyncio.wait", "Pending tasks keep running after a timeout: cancel them (and await them) yourself.")
def test_wait_leaves_pending_tasks_running_after_its_timeout() -> None:
    async def main() -> None:
        release = asyncio.Event()
        task = asyncio.ensure_future(release.wait())
        done, pending = await asyncio.wait({task}, timeout=0.01)
        assert pending == {task}
        release.set()
        assert await task is True

    run(main)


@claim("asyncio.wait", "Passing coroutines raises TypeError since Python 3.11")
@claim("asyncio.wait", "passing coroutine objects directly is forbidden (TypeError).")
@pythons((3, 11))
def test_wait_refuses_coroutines() -> None:
    async def main() -> None:
        coroutine = asyncio.sleep(0)
        with pytest.raises(TypeError):
            await asyncio.wait([coroutine])
        coroutine.close()

    run(main)


@claim("asyncio.FIRST_COMPLETED", "Several tasks may be in `done`; do not assume exactly one.")
def test_first_completed_can_return_several_done_tasks() -> None:
    async def main() -> int:
        tasks = {asyncio.ensure_future(asyncio.sleep(0)) for _ in range(3)}
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        return len(done)

    assert run(main) == 3


@claim("asyncio.as_completed", "Yields awaitables that produce the results of the given awaitables in the order they finish")
@claim("concurrency-patterns.md", "`asyncio.as_completed()` hands you results in completion order")
def test_as_completed_yields_in_finishing_order() -> None:
    async def main() -> list[int]:
        jobs = [asyncio.sleep(delay, result=number) for number, delay in ((1, 0.03), (2, 0.01), (3, 0.02))]
        return [await next_done for next_done in asyncio.as_completed(jobs)]

    assert run(main) == [2, 3, 1]


@claim("asyncio.as_completed", "Raises TimeoutError (`asyncio.TimeoutError` before 3.11) if not all finish within `timeout`.")
@claim("asyncio.as_completed", "On timeout the remaining work is not cancelled.")
def test_as_completed_times_out_without_cancelling() -> None:
    async def main() -> None:
        slow = asyncio.ensure_future(asyncio.sleep(0.05))
        with pytest.raises(TIMEOUT_ERROR):
            for next_done in asyncio.as_completed([slow], timeout=0.01):
                await next_done
        assert not slow.cancelled()
        await slow

    run(main)


@claim("asyncio.as_completed", "Before Python 3.13 the yielded awaitables are not the original tasks")
def test_as_completed_as_a_plain_iterator_yields_new_awaitables() -> None:
    async def main() -> list[bool]:
        tasks = [asyncio.ensure_future(asyncio.sleep(0, result=number)) for number in range(3)]
        yielded = list(asyncio.as_completed(tasks))
        for awaitable in yielded:
            await awaitable
        return [awaitable in tasks for awaitable in yielded]

    assert run(main) == [False, False, False]


@claim("asyncio.as_completed", "the result is also an async iterator: `async for task in as_completed(...)` yields the original tasks and futures.")
@claim("concurrency-patterns.md", "Since Python 3.13 `as_completed()` also supports `async for`, which yields the original tasks")
@pythons((3, 13))
def test_as_completed_as_an_async_iterator_yields_the_original_tasks() -> None:
    async def main() -> list[bool]:
        tasks = [asyncio.ensure_future(asyncio.sleep(delay)) for delay in (0.02, 0.01)]
        return [finished is tasks[1 - index] async for index, finished in _enumerate(asyncio.as_completed(tasks))]

    async def _enumerate(iterator):
        index = 0
        async for item in iterator:
            yield index, item
            index += 1

    assert run(main) == [True, True]


# --- wait_for, timeout, timeout_at, Timeout -----------------------------------------------------------


@claim("asyncio.wait_for", "on expiry the awaitable is cancelled and TimeoutError is raised (`asyncio.TimeoutError` before 3.11")
@claim("asyncio.TimeoutError", "Raised when `wait_for()`, `timeout()` or `as_completed()` run out of time.")
def test_wait_for_cancels_the_awaitable_and_raises_timeout_error() -> None:
    async def main() -> None:
        inner = asyncio.ensure_future(forever())
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(inner, timeout=0.01)
        assert inner.cancelled()
        with pytest.raises(TIMEOUT_ERROR):
            await asyncio.wait_for(forever(), timeout=0.01)

    run(main)


@claim("concurrency-patterns.md", "`asyncio.timeout()` (3.11+) bounds a whole block; `asyncio.wait_for()` bounds one awaitable.")
@claim("concurrency-patterns.md", "Both cancel the work on expiry and raise `TimeoutError`.")
@pythons((3, 11))
def test_timeout_and_wait_for_both_cancel_and_raise_timeout_error() -> None:
    async def main() -> None:
        for bounded in (lambda work: asyncio.wait_for(work, 0.01), _in_a_timeout_block):
            work = asyncio.ensure_future(forever())
            with pytest.raises(TimeoutError):
                await bounded(work)
            assert work.cancelled()

    run(main)


async def _in_a_timeout_block(work: asyncio.Future) -> None:
    async with asyncio.timeout(0.01):
        await work


@claim("asyncio.wait_for", "code that ignores cancellation makes `wait_for` hang past its timeout.")
def test_wait_for_waits_for_an_inner_awaitable_that_ignores_cancellation() -> None:
    steps: list[str] = []

    async def stubborn(release: asyncio.Event) -> str:
        try:
            await forever()
        except asyncio.CancelledError:
            steps.append("ignored the cancellation")
        await release.wait()
        steps.append("finished")
        return "late"

    async def main() -> None:
        release = asyncio.Event()
        asyncio.get_running_loop().call_later(0.05, release.set)
        outcome = await asyncio.wait_for(stubborn(release), timeout=0.01)
        steps.append(f"wait_for returned {outcome!r}")

    run(main)
    assert steps == ["ignored the cancellation", "finished", "wait_for returned 'late'"]


@claim("asyncio.wait_for", "`timeout=None` waits forever")
def test_wait_for_without_a_timeout_never_times_out() -> None:
    async def main() -> str:
        return await asyncio.wait_for(asyncio.sleep(0.02, result="finished"), timeout=None)

    assert run(main) == "finished"


@claim("asyncio.wait_for", "reimplemented on top of `asyncio.timeout()`.")
@pythons((3, 12))
def test_wait_for_uses_timeout_since_3_12() -> None:
    assert "timeouts.timeout(" in inspect.getsource(asyncio.wait_for)


@claim("asyncio.timeout", "An async context manager that cancels the enclosed block when `delay` seconds pass and turns that cancellation into TimeoutError at the `async with`.")
@claim("asyncio.timeout", "The TimeoutError is raised at the `async with` line, outside the block")
@claim("asyncio.timeout", "Only usable inside a task (it cancels the current task).")
@claim("concurrency-patterns.md", "The timeout works by cancelling the task, so code inside the block must let `CancelledError` propagate.")
@pythons((3, 11))
def test_timeout_cancels_the_block_and_raises_at_the_async_with() -> None:
    seen: list[str] = []

    async def main() -> None:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.01):
                try:
                    await forever()
                except TimeoutError:
                    seen.append("caught inside")
                except asyncio.CancelledError:
                    seen.append("cancelled inside")
                    raise
        refused: list[BaseException] = []

        def in_a_callback() -> None:
            entering = asyncio.timeout(1).__aenter__()
            try:
                entering.send(None)
            except BaseException as error:
                refused.append(error)

        asyncio.get_running_loop().call_soon(in_a_callback)
        await asyncio.sleep(0)
        assert isinstance(refused[0], RuntimeError)

    run(main)
    assert seen == ["cancelled inside"]


@claim("asyncio.timeout", "`None` means no limit; the deadline can be moved later with `reschedule()`.")
@claim("asyncio.Timeout", "inspect the deadline with `when()`, move it with `reschedule()` and ask `expired()` afterwards.")
@claim("asyncio.Timeout.when", "Returns the deadline on the loop clock, or None when there is none.")
@claim("asyncio.Timeout.reschedule", "Moves the deadline (absolute, on the loop clock), or removes it with None.")
@claim("asyncio.Timeout.expired", "True if the deadline passed and the block was cancelled by it.")
@claim("concurrency-patterns.md", "the `Timeout` object's `reschedule()` moves the deadline")
@pythons((3, 11))
def test_a_timeout_can_be_inspected_and_moved() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        async with asyncio.timeout(None) as unlimited:
            assert unlimited.when() is None
            await asyncio.sleep(0.01)
        assert not unlimited.expired()
        async with asyncio.timeout(0.01) as moved:
            moved.reschedule(loop.time() + 10)
            await asyncio.sleep(0.02)
            moved.reschedule(None)
            assert moved.when() is None
        assert not moved.expired()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(10) as shortened:
                shortened.reschedule(loop.time() + 0.01)
                await forever()
        assert shortened.expired()
        assert isinstance(shortened, asyncio.Timeout) and isinstance(asyncio.timeout_at(None), asyncio.Timeout)

    run(main)


@claim("asyncio.Timeout.reschedule", "Takes an absolute time; passing a duration sets a deadline in the past.")
@claim("asyncio.Timeout.when", "It is `loop.time()`, not wall-clock time.")
@pythons((3, 11))
def test_reschedule_takes_a_loop_time() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        assert loop.time() > 5  # the monotonic clock has run longer than the duration below
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(10) as deadline:
                assert abs(deadline.when() - (loop.time() + 10)) < 1
                deadline.reschedule(5)
                await forever()

    run(main)


@claim("asyncio.Timeout.expired", "Only meaningful after the block has exited.")
@pythons((3, 11))
def test_expired_turns_true_as_the_block_is_cancelled() -> None:
    async def main() -> None:
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.01) as deadline:
                try:
                    await forever()
                finally:
                    seen_inside = deadline.expired()
        assert deadline.expired() and seen_inside  # inside, it only says the cancel was sent

    run(main)


@claim("asyncio.timeout", "Code inside that catches CancelledError and carries on defeats the timeout.")
@pythons((3, 11))
def test_swallowing_the_cancellation_defeats_the_timeout() -> None:
    steps: list[str] = []

    async def main() -> None:
        async with asyncio.timeout(0.01):
            try:
                await forever()
            except asyncio.CancelledError:
                steps.append("swallowed")
            await asyncio.sleep(0.02)
            steps.append("still running past the deadline")
        steps.append("no TimeoutError")

    run(main)
    assert steps == ["swallowed", "still running past the deadline", "no TimeoutError"]


@claim("asyncio.timeout_at", "takes an absolute deadline on the loop's clock (`loop.time()`), which lets several steps share one overall deadline.")
@claim("concurrency-patterns.md", "`asyncio.timeout_at(deadline)` takes an absolute time on `loop.time()`, so several steps can share one budget")
@pythons((3, 11))
def test_timeout_at_shares_one_deadline_between_steps() -> None:
    steps: list[str] = []

    async def main() -> None:
        deadline = asyncio.get_running_loop().time() + 0.05
        async with asyncio.timeout_at(deadline):
            await asyncio.sleep(0.03)
        steps.append("first step in time")
        with pytest.raises(TimeoutError):
            async with asyncio.timeout_at(deadline):
                await asyncio.sleep(0.03)

    run(main)
    assert steps == ["first step in time"]


@claim("asyncio.timeout_at", "The deadline is on `loop.time()` (a monotonic clock), not `time.time()`")
@claim("asyncio.AbstractEventLoop.time", "The loop's monotonic clock in seconds, used by `call_at()` and `timeout_at()`.")
@claim("asyncio.AbstractEventLoop.time", "Not wall-clock time: never compare it with `time.time()` timestamps.")
@claim("asyncio.AbstractEventLoop.call_at", "Takes loop time, not `time.time()`.")
@claim("asyncio.TimerHandle.when", "Loop clock, not wall-clock time.")
def test_the_loop_clock_is_monotonic_time_not_wall_clock_time() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        before = time.monotonic()
        now = loop.time()
        assert before <= now <= time.monotonic()
        assert time.time() - now > 1_000_000  # a wall-clock "deadline" lies decades ahead
        handle = loop.call_at(time.time(), lambda: None)
        assert handle.when() - loop.time() > 1_000_000
        handle.cancel()

    run(main)


@claim("asyncio.Timeout", "Prefer `asyncio.timeout()`/`timeout_at()` to instantiating it")
@pythons((3, 11))
def test_a_timeout_made_directly_acts_only_inside_async_with() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        unused = asyncio.Timeout(loop.time())
        await asyncio.sleep(0.01)  # not entered: nothing is cancelled
        assert not unused.expired()
        with pytest.raises(TimeoutError):
            async with asyncio.Timeout(loop.time() + 0.01):
                await forever()

    run(main)


# --- shield -------------------------------------------------------------------------------------------


@claim("asyncio.shield", "the outer `await` raises CancelledError but the inner task keeps running.")
@claim("asyncio.shield", "The caller is still cancelled; only the inner task survives.")
@claim("concurrency-patterns.md", "the caller still gets `CancelledError`, but the shielded task runs to completion.")
def test_shield_keeps_the_inner_task_running_while_the_caller_is_cancelled() -> None:
    async def main() -> None:
        inner = asyncio.ensure_future(asyncio.sleep(0.02, result="committed"))

        async def caller() -> None:
            await asyncio.shield(inner)

        outer = asyncio.create_task(caller())
        await asyncio.sleep(0)
        outer.cancel()
        with pytest.raises(asyncio.CancelledError):
            await outer
        assert not inner.done()
        assert await inner == "committed"

    run(main)


@claim("asyncio.shield", "A shielded task still dies when the loop shuts down")
def test_asyncio_run_cancels_a_shielded_task_at_shutdown() -> None:
    seen: list[str] = []

    async def inner() -> None:
        try:
            await forever()
        except asyncio.CancelledError:
            seen.append("inner cancelled")
            raise

    async def main() -> None:
        asyncio.ensure_future(asyncio.shield(inner()))
        await asyncio.sleep(0)

    run(main)
    assert seen == ["inner cancelled"]


# --- Future and its methods ---------------------------------------------------------------------------


@claim("asyncio.Future", "A low-level awaitable holding a result or exception that is set later.")
@claim("asyncio.Future.set_result", "Marks the future done with a result and schedules its callbacks.")
@claim("asyncio.Future.set_exception", "Marks the future done with an exception that awaiting it will raise.")
@claim("asyncio.Future.done", "True once the future has a result, an exception, or was cancelled.")
@claim("asyncio.AbstractEventLoop.create_future", "Creates a Future bound to this loop")
@claim("asyncio.Future.get_loop", "Returns the event loop the future or task is bound to.")
def test_a_future_is_set_later_and_wakes_its_awaiter_and_callbacks() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        assert future.get_loop() is loop and asyncio.current_task().get_loop() is loop
        called: list[object] = []
        future.add_done_callback(called.append)
        loop.call_soon(future.set_result, "later")
        assert not future.done()
        assert await future == "later" and future.done()
        assert called == [] or called == [future]
        await asyncio.sleep(0)
        assert called == [future]
        failed = loop.create_future()
        failed.set_exception(KeyError("stored"))
        assert failed.done()
        with pytest.raises(KeyError):
            await failed
        cancelled = loop.create_future()
        cancelled.cancel()
        assert cancelled.done()

    run(main)


@claim("asyncio.Future", "Setting a result twice raises InvalidStateError")
@claim("asyncio.InvalidStateError", "Raised when a Future is used in the wrong state: setting a result twice, or asking for the result before it is done.")
@claim("asyncio.Future.result", "Calling it on a pending future raises InvalidStateError; await the future instead.")
@claim("asyncio.Future.set_result", "Raises InvalidStateError if already done, e.g. after a timeout cancelled it.")
@claim("asyncio.InvalidStateError", "Usually a race between a callback and a timeout/cancellation: check `done()` first.")
def test_a_future_in_the_wrong_state_raises_invalid_state_error() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with pytest.raises(asyncio.InvalidStateError):
            future.result()
        future.set_result(1)
        with pytest.raises(asyncio.InvalidStateError):
            future.set_result(2)
        raced = loop.create_future()
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(raced, timeout=0.01)
        with pytest.raises(asyncio.InvalidStateError):
            raced.set_result("too late")
        if not raced.done():
            raced.set_result("guarded")

    run(main)


@claim("asyncio.Future.result", "Returns the result of a done future or task; raises its exception, CancelledError if cancelled, or InvalidStateError if not done yet.")
@claim("asyncio.Future.exception", "Returns the exception of a done future or task (None if it succeeded).")
@claim("asyncio.Future.exception", "Raises CancelledError for a cancelled task; check `cancelled()` first.")
def test_result_and_exception_of_done_futures() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        succeeded, failed, cancelled = loop.create_future(), loop.create_future(), loop.create_future()
        succeeded.set_result("value")
        failed.set_exception(KeyError("kept"))
        cancelled.cancel()
        assert succeeded.result() == "value" and succeeded.exception() is None
        assert isinstance(failed.exception(), KeyError)
        with pytest.raises(KeyError):
            failed.result()
        with pytest.raises(asyncio.CancelledError):
            cancelled.result()
        with pytest.raises(asyncio.CancelledError):
            cancelled.exception()

    run(main)


@claim("asyncio.Future.result", "`concurrent.futures.Future.result()` is a different method that blocks the thread.")
@claim("asyncio.Future", "`asyncio.Future` is not `concurrent.futures.Future`; convert with `asyncio.wrap_future()`.")
def test_concurrent_futures_are_another_class_whose_result_blocks() -> None:
    import concurrent.futures

    assert not issubclass(concurrent.futures.Future, asyncio.Future)
    assert not issubclass(asyncio.Future, concurrent.futures.Future)
    with pytest.raises(concurrent.futures.TimeoutError):
        concurrent.futures.Future().result(timeout=0.01)  # it waited in the calling thread

    async def main() -> str:
        threaded: concurrent.futures.Future[str] = concurrent.futures.Future()
        threaded.set_result("converted")
        wrapped = asyncio.wrap_future(threaded)
        assert isinstance(wrapped, asyncio.Future)
        return await wrapped

    assert run(main) == "converted"


@claim("asyncio.Future.done", "A polling loop on `done()` burns CPU; await the future.")
def test_polling_done_spins_where_await_wakes_once() -> None:
    async def main() -> int:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        loop.call_later(0.02, future.set_result, None)
        spins = 0
        while not future.done():
            spins += 1
            await asyncio.sleep(0)
        return spins

    assert run(main) > 10


@claim("asyncio.Future.cancel", "Suppressing CancelledError when awaiting a task you cancelled is fine; suppressing your own cancellation is not.")
@pythons((3, 11))
def test_suppressing_a_childs_cancellation_differs_from_suppressing_ones_own() -> None:
    import contextlib

    async def parent(steps: list[str]) -> None:
        child = asyncio.create_task(forever())
        await asyncio.sleep(0)
        child.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await child
        steps.append(f"child stopped, parent asked to stop: {asyncio.current_task().cancelling()}")
        with contextlib.suppress(asyncio.CancelledError):
            await forever()
        steps.append(f"parent swallowed its own stop request: {asyncio.current_task().cancelling()}")

    async def main() -> list[str]:
        steps: list[str] = []
        task = asyncio.create_task(parent(steps))
        await asyncio.sleep(0.01)
        task.cancel()
        await task
        return steps

    assert run(main) == ["child stopped, parent asked to stop: 0", "parent swallowed its own stop request: 1"]


@claim("asyncio.Future.add_done_callback", "Schedules `callback(future)` to run (via `call_soon`) when the future completes; immediately scheduled if it already has.")
@claim("asyncio.Future.add_done_callback", "The callback is synchronous and its exceptions only reach the loop's exception handler.")
def test_done_callbacks_are_scheduled_and_their_errors_go_to_the_handler() -> None:
    async def main() -> tuple[list, list[str]]:
        loop = asyncio.get_running_loop()
        errors: list[str] = []
        loop.set_exception_handler(lambda loop, context: errors.append(repr(context.get("exception"))))
        calls: list[object] = []
        future = loop.create_future()
        future.add_done_callback(calls.append)
        future.set_result(None)
        assert calls == []  # scheduled, not called
        await asyncio.sleep(0)
        future.add_done_callback(calls.append)
        assert calls == [future]
        await asyncio.sleep(0)

        def broken(_: asyncio.Future) -> None:
            raise ValueError("in a callback")

        failing = loop.create_future()
        failing.add_done_callback(broken)
        failing.set_result(None)
        await asyncio.sleep(0)
        return calls, errors

    calls, errors = run(main)
    assert len(calls) == 2 and errors == ["ValueError('in a callback')"]


@claim("asyncio.Future.add_done_callback", "It does not retrieve the exception for you")
def test_a_done_callback_that_ignores_the_exception_leaves_it_unretrieved() -> None:
    async def fails() -> None:
        raise ValueError

    async def main() -> None:
        task = asyncio.create_task(fails())
        task.add_done_callback(lambda task: None)
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        del task

    assert unretrieved_messages(main) == ["Task exception was never retrieved"]


@claim("asyncio.Future.remove_done_callback", "Removes every registration of `callback`; returns how many were removed.")
@claim("asyncio.Future.remove_done_callback", "Compares with `==`: bound methods of the same object match, but a second lambda never does.")
def test_remove_done_callback_counts_equal_registrations() -> None:
    class Listener:
        def heard(self, future: asyncio.Future) -> None:
            pass

    async def main() -> None:
        future = asyncio.get_running_loop().create_future()
        listener = Listener()
        future.add_done_callback(listener.heard)
        future.add_done_callback(listener.heard)
        assert future.remove_done_callback(listener.heard) == 2  # a new bound method object, equal
        future.add_done_callback(lambda future: None)
        assert future.remove_done_callback(lambda future: None) == 0

    run(main)


@claim("asyncio.Future.get_loop", "Futures cannot move between loops; awaiting one from another loop fails.")
def test_a_future_cannot_be_awaited_from_another_loop() -> None:
    other = asyncio.new_event_loop()
    try:
        future = other.create_future()

        async def main() -> None:
            await future

        with pytest.raises(RuntimeError, match="different loop"):
            asyncio.run(main())
    finally:
        other.close()


# --- exceptions ---------------------------------------------------------------------------------------


@claim("asyncio.CancelledError", "Since Python 3.8 it derives from BaseException, so `except Exception` does not catch it.")
@claim("asyncio.CancelledError", "now a subclass of BaseException instead of Exception.")
@claim("asyncio.CancelledError", "A bare `except:` or `except BaseException:` catches it too.")
@claim("error-handling.md", "Since Python 3.8 it derives from `BaseException`, so `except Exception` leaves it alone.")
@claim("production-patterns.md", "`except Exception` does not catch `CancelledError` (a `BaseException` since 3.8)")
@claim("error-handling.md", "`except Exception` leaves `CancelledError` alone")
def test_cancelled_error_is_a_base_exception_since_3_8() -> None:
    bases = {first: record.bases for first, _, record in facts_for("asyncio.CancelledError").runs}
    assert bases[(3, 6)] == ("Error",) and bases[(3, 8)] == ("BaseException",)
    assert not issubclass(asyncio.CancelledError, Exception)
    caught: list[str] = []
    for handler in ("except Exception", "except BaseException", "except"):
        try:
            try:
                raise asyncio.CancelledError
            except Exception:
                caught.append("Exception")
        except BaseException:
            caught.append(handler)
    assert "Exception" not in caught


@claim("asyncio.CancelledError", "Swallowing it makes the task refuse cancellation and breaks TaskGroup, timeout() and shutdown.")
@claim("error-handling.md", "Swallowing `CancelledError` (a bare `except:`, `except BaseException:` without re-raise, or `except asyncio.CancelledError: pass`) makes a task refuse to stop")
def test_asyncio_run_shutdown_waits_for_a_task_that_swallows_cancellation() -> None:
    steps: list[str] = []

    async def stubborn() -> None:
        try:
            await forever()
        except BaseException:
            steps.append("swallowed")
        await asyncio.sleep(0.01)
        steps.append("refused to stop")

    async def main() -> None:
        asyncio.create_task(stubborn())
        await asyncio.sleep(0)

    run(main)
    assert steps == ["swallowed", "refused to stop"]


@claim("asyncio.TimeoutError", "Since Python 3.11 it is the built-in TimeoutError.")
@claim("asyncio.TimeoutError", "became an alias of the built-in TimeoutError.")
@claim("error-handling.md", "Since Python 3.11 `asyncio.TimeoutError` is the built-in `TimeoutError`")
@pythons((3, 11))
def test_asyncio_timeout_error_is_the_builtin_since_3_11() -> None:
    assert asyncio.TimeoutError is TimeoutError


@claim("asyncio.TimeoutError", "On 3.10 and older it is a different class from the built-in TimeoutError")
@claim("error-handling.md", "on 3.10 and older they are different classes, so code supporting those versions catches `asyncio.TimeoutError`")
@pythons((3, 10), (3, 10))
def test_asyncio_timeout_error_is_another_class_on_3_10() -> None:
    assert not issubclass(asyncio.TimeoutError, TimeoutError) and not issubclass(TimeoutError, asyncio.TimeoutError)
    assert facts_for("asyncio.TimeoutError").record_at((3, 10)).bases == ("Exception",)


# --- ensure_future, wrap_future, threads --------------------------------------------------------------


@claim("asyncio.ensure_future", "Returns a Future-like object for any awaitable: a Future or Task unchanged, a coroutine wrapped in a Task.")
def test_ensure_future_passes_futures_through_and_wraps_the_rest() -> None:
    class Awaitable:
        def __await__(self):
            return asyncio.sleep(0, result="awaited").__await__()

    async def main() -> None:
        future = asyncio.get_running_loop().create_future()
        future.set_result(None)
        task = asyncio.create_task(asyncio.sleep(0))
        assert asyncio.ensure_future(future) is future and asyncio.ensure_future(task) is task
        wrapped = asyncio.ensure_future(asyncio.sleep(0, result="coroutine"))
        assert isinstance(wrapped, asyncio.Task) and await wrapped == "coroutine"
        other = asyncio.ensure_future(Awaitable())
        assert asyncio.isfuture(other) and await other == "awaited"
        await task

    run(main)


@claim("asyncio.ensure_future", "Called with no running loop and no loop set, it creates one")
@claim("asyncio.ensure_future", "Pass `loop=` or call it from a coroutine.")
def test_ensure_future_creates_a_loop_when_none_is_set_and_warns_since_3_12() -> None:
    implicit = in_fresh_python(
        "import asyncio, warnings\n"
        "warnings.simplefilter('always')\n"
        "async def job(): pass\n"
        "task = asyncio.ensure_future(job())\n"
        "print(type(task).__name__, task.get_loop().is_running())\n"
        "task.get_loop().run_until_complete(task)\n"
    )
    assert implicit.stdout == "Task False\n"
    assert ("DeprecationWarning" in implicit.stderr) == (sys.version_info >= (3, 12)), implicit.stderr
    explicit = in_fresh_python(
        "import asyncio, warnings\n"
        "warnings.simplefilter('error')\n"
        "async def job(): pass\n"
        "loop = asyncio.new_event_loop()\n"
        "loop.run_until_complete(asyncio.ensure_future(job(), loop=loop))\n"
        "loop.close()\n"
    )
    assert explicit.returncode == 0 and explicit.stderr == "", explicit.stderr


@claim("asyncio.wrap_future", "Wraps a `concurrent.futures.Future` (from an executor's `submit()`) in an asyncio Future so it can be awaited without blocking the loop.")
@claim("asyncio.wrap_future", "Calling `.result()` on the concurrent future inside async code blocks the loop")
@claim("mixing-sync-async.md", "`await asyncio.wrap_future(future)` instead of calling its blocking `.result()`")
def test_awaiting_a_wrapped_future_lets_the_loop_run_where_result_blocks_it() -> None:
    import concurrent.futures

    async def main() -> tuple[list[str], list[str]]:
        loop = asyncio.get_running_loop()
        release = threading.Event()
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            ran_while_awaiting: list[str] = []
            future = pool.submit(release.wait)
            loop.call_soon(ran_while_awaiting.append, "callback")
            loop.call_soon(release.set)
            await asyncio.wrap_future(future)
            release.clear()
            ran_while_blocked: list[str] = []
            future = pool.submit(release.wait, 0.05)
            loop.call_soon(ran_while_blocked.append, "callback")
            future.result()
            blocked_snapshot = list(ran_while_blocked)
        return ran_while_awaiting, blocked_snapshot

    assert run(main) == (["callback"], [])


@claim("asyncio.wrap_future", "`loop.run_in_executor()` already returns an awaitable")
@claim("asyncio.AbstractEventLoop.run_in_executor", "Runs a blocking function in an executor (None: the default thread pool) and returns an awaitable for its result.")
def test_run_in_executor_returns_an_awaitable_future() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(None, threading.current_thread)
        assert isinstance(future, asyncio.Future)
        worker = await future
        assert worker is not threading.current_thread()
        assert type(loop._default_executor).__name__ == "ThreadPoolExecutor"

    run(main)


@claim("asyncio.run_coroutine_threadsafe", "Submits a coroutine to an event loop running in another thread and returns a `concurrent.futures.Future` for its result.")
@claim("mixing-sync-async.md", "`asyncio.run_coroutine_threadsafe(coro, loop)` schedules the coroutine and returns a `concurrent.futures.Future` the calling thread can wait on.")
def test_run_coroutine_threadsafe_hands_a_concurrent_future_to_the_thread() -> None:
    import concurrent.futures

    async def lookup() -> str:
        await asyncio.sleep(0)
        return threading.current_thread().name

    async def main() -> tuple[object, str]:
        loop = asyncio.get_running_loop()

        def from_a_thread() -> tuple[object, str]:
            future = asyncio.run_coroutine_threadsafe(lookup(), loop)
            return type(future), future.result(timeout=5)

        return await asyncio.to_thread(from_a_thread)

    kind, ran_in = run(main)
    assert kind is concurrent.futures.Future and ran_in == threading.main_thread().name


@claim("asyncio.run_coroutine_threadsafe", "Calling `future.result()` from the loop's own thread deadlocks")
@claim("mixing-sync-async.md", "Never call `future.result()` of `run_coroutine_threadsafe` from the loop's own thread: the loop would wait for itself forever.")
def test_waiting_for_run_coroutine_threadsafe_in_the_loops_thread_never_finishes() -> None:
    import concurrent.futures

    ran: list[str] = []

    async def job() -> None:
        ran.append("job")

    async def main() -> None:
        future = asyncio.run_coroutine_threadsafe(job(), asyncio.get_running_loop())
        with pytest.raises(concurrent.futures.TimeoutError):
            future.result(timeout=0.05)  # the loop that would run the job is the one waiting
        assert ran == []
        await asyncio.wrap_future(future)

    run(main)
    assert ran == ["job"]


@claim("mixing-sync-async.md", "move the blocking call to a thread with `asyncio.to_thread` or `loop.run_in_executor`;")
@claim("asyncio.to_thread", "Runs a blocking function in the loop's default thread pool and awaits its result, with the current contextvars copied over.")
@claim("mixing-sync-async.md", "`asyncio.to_thread(func, *args, **kwargs)` (3.9+) runs a blocking function in the loop's default thread pool and awaits the result.")
@claim("mixing-sync-async.md", "Context variables (request ids, for example) are copied into the thread.")
@claim("production-patterns.md", "Context variables are copied into each task (and into `to_thread` threads)")
def test_to_thread_runs_in_the_default_pool_with_the_context() -> None:
    variable: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

    def blocking(suffix: str, *, twice: bool) -> tuple[str, str]:
        return threading.current_thread().name, variable.get() + suffix * (2 if twice else 1)

    async def child() -> str:
        return variable.get()

    async def main() -> None:
        variable.set("req-7")
        thread, value = await asyncio.to_thread(blocking, "!", twice=True)
        assert value == "req-7!!" and thread != threading.current_thread().name
        assert await asyncio.create_task(child()) == "req-7"
        assert asyncio.get_running_loop()._default_executor is not None

    run(main)
    assert facts_for("asyncio.to_thread").added == (3, 9)


@claim("asyncio.to_thread", "The default pool is small (min(32, cpu + 4) threads)")
@claim("mixing-sync-async.md", "The default pool has `min(32, os.cpu_count() + 4)` threads.")
def test_the_default_pool_size() -> None:
    import os

    async def main() -> int:
        await asyncio.to_thread(lambda: None)
        return asyncio.get_running_loop()._default_executor._max_workers

    assert run(main) == min(32, (os.cpu_count() or 1) + 4)


@claim("asyncio.to_thread", "many long blocking calls queue up behind each other.")
@claim("mixing-sync-async.md", "Thousands of long blocking calls queue behind each other there")
def test_blocking_calls_beyond_the_pool_size_wait_for_a_thread() -> None:
    async def main() -> tuple[int, int]:
        loop = asyncio.get_running_loop()
        loop.set_default_executor(__import__("concurrent.futures").futures.ThreadPoolExecutor(2))
        release = threading.Event()
        started = 0
        lock = threading.Lock()

        def blocking() -> None:
            nonlocal started
            with lock:
                started += 1
            release.wait()

        calls = [asyncio.ensure_future(asyncio.to_thread(blocking)) for _ in range(5)]
        await asyncio.sleep(0.05)
        running = started
        release.set()
        await asyncio.gather(*calls)
        return running, started

    assert run(main) == (2, 5)


@claim("asyncio.to_thread", "Threads cannot be cancelled: cancelling the await leaves the function running.")
@claim("asyncio.AbstractEventLoop.run_in_executor", "The work keeps running if the await is cancelled.")
@claim("mixing-sync-async.md", "Threads cannot be interrupted: cancelling the `await` only stops waiting, the function runs to its end.")
def test_cancelling_the_await_does_not_stop_the_thread() -> None:
    finished = threading.Event()
    release = threading.Event()

    def blocking() -> None:
        release.wait(5)
        finished.set()

    async def main() -> None:
        waiting = asyncio.ensure_future(asyncio.to_thread(blocking))
        await asyncio.sleep(0.01)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert not finished.is_set()
        release.set()
        await asyncio.to_thread(finished.wait, 5)

    run(main)
    assert finished.is_set()


# --- reaching the loop --------------------------------------------------------------------------------


@claim("mixing-sync-async.md", "Inside coroutines use `asyncio.get_running_loop()`.")
@claim("asyncio.get_running_loop", "Returns the event loop running in the current thread, or raises RuntimeError if there is none.")
@claim("asyncio.get_running_loop", "Raises RuntimeError outside a running loop")
@claim("asyncio.get_event_loop", "Returns the running loop when called from a coroutine or callback; otherwise the loop set for this thread.")
@claim("asyncio.get_event_loop", "Inside coroutines use `asyncio.get_running_loop()`: same result, and it fails loudly instead of creating a stray loop.")
@claim("asyncio.set_event_loop", "Sets the current thread's event loop (what `get_event_loop()` returns when nothing is running).")
def test_get_running_loop_and_get_event_loop() -> None:
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        assert asyncio.get_event_loop() is loop
        seen = loop.create_future()
        loop.call_soon(lambda: seen.set_result((asyncio.get_running_loop(), asyncio.get_event_loop())))
        assert await seen == (loop, loop)

    run(main)
    loop = asyncio.new_event_loop()
    try:
        asyncio.set_event_loop(loop)
        assert asyncio.get_event_loop() is loop
    finally:
        asyncio.set_event_loop(None)
        loop.close()
    stray = in_fresh_python(
        "import asyncio, warnings\nwarnings.simplefilter('ignore')\n"
        "loop = asyncio.get_event_loop()\nprint(type(loop).__name__, loop.is_running())\nloop.close()"
    )
    assert stray.stdout == "_UnixSelectorEventLoop False\n", stray.stderr


@claim("asyncio.get_event_loop", "calling it when no event loop is set emits DeprecationWarning (3.12, 3.13).")
@claim("mixing-sync-async.md", "`get_event_loop()` with no loop set is deprecated (a DeprecationWarning since 3.12")
def test_get_event_loop_warns_when_it_has_to_create_the_loop_since_3_12() -> None:
    completed = in_fresh_python("import asyncio, warnings; warnings.simplefilter('error'); asyncio.get_event_loop()")
    assert ("DeprecationWarning" in completed.stderr) == (sys.version_info >= (3, 12)), completed.stderr


@claim("asyncio.get_event_loop", "Legacy API from before `asyncio.run()`.")
def test_get_event_loop_is_older_than_asyncio_run() -> None:
    assert facts_for("asyncio.get_event_loop").added is None  # in the oldest probed release, 3.6
    assert facts_for("asyncio.run").added == (3, 7)


@claim("asyncio.get_running_loop", "Do not cache the loop in a global at import time; fetch it where it is used.")
def test_a_loop_fetched_at_import_time_is_not_the_one_that_runs() -> None:
    import_time_loop = asyncio.new_event_loop()

    async def main() -> bool:
        return asyncio.get_running_loop() is import_time_loop

    try:
        assert run(main) is False
    finally:
        import_time_loop.close()


@claim("asyncio.set_event_loop", "`asyncio.run()` and `asyncio.Runner` set and reset the loop for you.")
def test_asyncio_run_sets_the_loop_and_resets_it() -> None:
    completed = in_fresh_python(
        "import asyncio\n"
        "policy = asyncio.get_event_loop_policy()\n"
        "async def main():\n"
        "    return policy._local._loop is asyncio.get_running_loop()\n"
        "print(asyncio.run(main()), policy._local._loop)\n"
    )
    assert completed.stdout == "True None\n", completed.stderr


@claim("asyncio.set_event_loop", "A loop set here but never closed leaks its selector and file descriptors.")
@claim("asyncio.new_event_loop", "Creates a new event loop object without setting or running it.")
def test_a_loop_never_closed_warns_when_collected() -> None:
    loop = asyncio.new_event_loop()
    assert not loop.is_running() and not loop.is_closed()
    selector_fd = loop._selector.fileno()
    asyncio.set_event_loop(loop)
    asyncio.set_event_loop(None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del loop
        gc.collect()
    assert any("unclosed event loop" in str(warning.message) for warning in caught)
    assert selector_fd >= 0


@claim("asyncio.current_task", "RuntimeError when no loop is running.")
def test_current_task_without_a_running_loop_raises() -> None:
    with pytest.raises(RuntimeError):
        asyncio.current_task()


@claim("asyncio.current_task", "Returns the Task running the current coroutine: None when the loop is running but no task is (a plain callback)")
@claim("asyncio.current_task", "Returns None when called from a plain callback scheduled with `call_soon`.")
@claim("debugging.md", "`asyncio.current_task()` names the task you are in")
def test_current_task_is_the_running_task_or_none_in_a_callback() -> None:
    async def main() -> tuple[object, object]:
        loop = asyncio.get_running_loop()
        seen = loop.create_future()
        loop.call_soon(lambda: seen.set_result(asyncio.current_task()))
        me = asyncio.current_task()
        assert isinstance(me, asyncio.Task) and me.get_name()
        return await seen, me.get_coro().__name__

    assert run(main) == (None, "main")


@claim("asyncio.all_tasks", "Returns the set of not-yet-finished Tasks of the running loop")
@claim("asyncio.all_tasks", "Includes the current task")
@claim("asyncio.all_tasks", "It is a snapshot; tasks created afterwards are not in it.")
@claim("debugging.md", "`asyncio.all_tasks()` lists the unfinished tasks of the running loop")
def test_all_tasks_is_a_snapshot_of_the_unfinished_tasks_including_this_one() -> None:
    async def main() -> None:
        done = asyncio.create_task(asyncio.sleep(0))
        pending = asyncio.create_task(forever())
        await done
        snapshot = asyncio.all_tasks()
        assert snapshot == {asyncio.current_task(), pending}
        later = asyncio.create_task(forever())
        assert later not in snapshot
        for task in snapshot - {asyncio.current_task()}:
            task.cancel()
        later.cancel()

    run(main)


# --- coroutine and future tests -----------------------------------------------------------------------


@claim("asyncio.iscoroutine", "True for coroutine objects (what calling an `async def` returns); on 3.10 and 3.11 also for any generator")
@claim("asyncio.iscoroutine", "Tests the object, not the function")
def test_iscoroutine_tests_objects() -> None:
    async def native() -> None:
        pass

    def generator():
        yield

    coroutine = native()
    assert asyncio.iscoroutine(coroutine) and not asyncio.iscoroutine(native)
    assert inspect.iscoroutinefunction(native)
    coroutine.close()
    assert asyncio.iscoroutine(generator()) == (sys.version_info < (3, 12))


@claim("asyncio.iscoroutinefunction", "True if the function is an `async def` function (or marked as a coroutine by legacy decorators).")
@claim("asyncio.iscoroutinefunction", "A function wrapped by a plain `def` decorator looks synchronous, even with `functools.wraps`")
def test_iscoroutinefunction_sees_async_def_and_markers_but_not_sync_wrappers() -> None:
    import functools

    async def native() -> None:
        pass

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args):
            return function(*args)

        return wrapper

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert asyncio.iscoroutinefunction(native) and not asyncio.iscoroutinefunction(decorate(native))
        if sys.version_info >= (3, 12):
            assert asyncio.iscoroutinefunction(inspect.markcoroutinefunction(decorate(native)))
        if sys.version_info < (3, 11):
            legacy = asyncio.coroutine(lambda: None)
            assert asyncio.iscoroutinefunction(legacy)


@claim("debugging.md", "`inspect.iscoroutinefunction()` tells whether calling a function gives a coroutine")
@claim("asyncio.iscoroutinefunction", "use `inspect.iscoroutinefunction()`, which gives the same answer.")
@pythons((3, 11))
def test_inspect_iscoroutinefunction_agrees_with_the_asyncio_one() -> None:
    import functools
    from unittest import mock

    async def native() -> None:
        pass

    def plain() -> None:
        pass

    candidates = [native, plain, functools.partial(native), mock.AsyncMock(), mock.Mock(), lambda: None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        assert [asyncio.iscoroutinefunction(item) for item in candidates] == [inspect.iscoroutinefunction(item) for item in candidates]


@claim("asyncio.coroutine", "The decorator that turned a generator using `yield from` into a coroutine")
@pythons((3, 10), (3, 10))
def test_the_coroutine_decorator_makes_a_generator_awaitable_on_3_10() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)

        @asyncio.coroutine
        def legacy():
            yield from asyncio.sleep(0)
            return "legacy"

    async def main() -> str:
        return await legacy()

    assert run(main) == "legacy"


@claim("asyncio.coroutine", "Only Python 3.10 and older still have it.")
@claim("asyncio.coroutine", "Code that still uses it fails with AttributeError on Python 3.11 and newer.")
@claim("asyncio.coroutine", "the decorator was removed in 3.11")
def test_the_coroutine_decorator_is_gone_since_3_11() -> None:
    assert facts_for("asyncio.coroutine").removed == (3, 11)
    assert hasattr(asyncio, "coroutine") == (sys.version_info < (3, 11))
    if sys.version_info >= (3, 11):
        with pytest.raises(AttributeError):
            asyncio.coroutine  # noqa: B018 (the attribute access is the point)
    import types

    assert callable(types.coroutine)  # generator-based coroutines themselves remain


@claim("asyncio.coroutine", "Generator-based coroutines cannot be mixed freely with `async def` ones (no `await` inside them).")
def test_await_is_a_syntax_error_in_a_generator_function() -> None:
    with pytest.raises(SyntaxError):
        compile("def legacy():\n    yield\n    await other()\n", "<legacy>", "exec")


@claim("asyncio.isfuture", "True for asyncio Futures and Tasks and objects that follow their protocol (have `_asyncio_future_blocking`).")
@claim("asyncio.isfuture", "It is False for `concurrent.futures.Future`.")
@claim("asyncio.isfuture", "A coroutine is not a future: use `asyncio.iscoroutine` or `inspect.isawaitable` for a broader test.")
def test_isfuture() -> None:
    import concurrent.futures

    class Lookalike:
        _asyncio_future_blocking = False

    async def main() -> None:
        task = asyncio.create_task(asyncio.sleep(0))
        assert asyncio.isfuture(asyncio.get_running_loop().create_future()) and asyncio.isfuture(task)
        assert asyncio.isfuture(Lookalike()) and not asyncio.isfuture(concurrent.futures.Future())
        coroutine = asyncio.sleep(0)
        assert not asyncio.isfuture(coroutine) and asyncio.iscoroutine(coroutine) and inspect.isawaitable(coroutine)
        coroutine.close()
        await task

    run(main)


# --- eager tasks --------------------------------------------------------------------------------------


@claim("asyncio.eager_task_factory", "A task factory that starts running each new task's coroutine synchronously inside `create_task()`")
@claim("asyncio.eager_task_factory", "Install it with `loop.set_task_factory(asyncio.eager_task_factory)`.")
@claim("asyncio.eager_task_factory", "Code runs inside `create_task()` up to the first real suspension")
@claim("asyncio.AbstractEventLoop.set_task_factory", "Installs the function the loop calls to create tasks (e.g. `asyncio.eager_task_factory`).")
@claim("asyncio.AbstractEventLoop.get_task_factory", "Returns the installed task factory, or None for the default.")
@claim("performance.md", "a new task runs its coroutine synchronously inside `create_task()` until its first real suspension")
@claim("performance.md", "A coroutine that finishes without ever waiting (a cache hit, a memoised result) completes without being scheduled at all")
@claim("performance.md", "Eager execution changes ordering: code up to the first await runs before `create_task()` returns")
@pythons((3, 12))
def test_eager_tasks_run_up_to_their_first_suspension_inside_create_task() -> None:
    steps: list[str] = []

    async def cached() -> int:
        steps.append("cached ran")
        return 1

    async def suspends() -> None:
        steps.append("started")
        await asyncio.sleep(0)
        steps.append("resumed")

    async def main() -> None:
        loop = asyncio.get_running_loop()
        assert loop.get_task_factory() is None
        loop.set_task_factory(asyncio.eager_task_factory)
        assert loop.get_task_factory() is asyncio.eager_task_factory
        scheduled_before = len(loop._ready)
        finished = asyncio.create_task(cached())
        assert finished.done() and finished.result() == 1 and len(loop._ready) == scheduled_before
        running = asyncio.create_task(suspends())
        steps.append("create_task returned")
        await running

    run(main)
    assert steps == ["cached ran", "started", "create_task returned", "resumed"]


@claim("asyncio.create_eager_task_factory", "Builds an eager task factory around a custom Task class")
@claim("asyncio.create_eager_task_factory", "The constructor must accept `eager_start`")
@claim("performance.md", "`asyncio.create_eager_task_factory()` wraps a custom Task class.")
@pythons((3, 12))
def test_create_eager_task_factory_uses_the_given_class() -> None:
    class CountedTask(asyncio.Task):
        made = 0

        def __init__(self, *args, **kwargs) -> None:
            CountedTask.made += 1
            super().__init__(*args, **kwargs)

    class NoEagerStart(asyncio.Future):
        def __init__(self, coro, *, loop=None, name=None, context=None) -> None:
            super().__init__(loop=loop)

    async def immediate() -> str:
        return "eager"

    async def main() -> None:
        loop = asyncio.get_running_loop()
        loop.set_task_factory(asyncio.create_eager_task_factory(CountedTask))
        task = asyncio.create_task(immediate())
        assert type(task) is CountedTask and CountedTask.made == 1 and task.done()
        loop.set_task_factory(asyncio.create_eager_task_factory(NoEagerStart))
        coroutine = immediate()
        with pytest.raises(TypeError, match="eager_start"):
            asyncio.create_task(coroutine)
        coroutine.close()
        loop.set_task_factory(None)

    run(main)


# --- task bookkeeping hooks ---------------------------------------------------------------------------


@claim("asyncio._enter_task", "marks a task as the one currently running on a loop, so `current_task()` sees it.")
@claim("asyncio._leave_task", "clears the running task set by `_enter_task`.")
@claim("asyncio._register_task", "makes a foreign task visible to `asyncio.all_tasks()`.")
@claim("asyncio._unregister_task", "removes a task registered with `_register_task`.")
def test_the_task_bookkeeping_hooks() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        me = asyncio.current_task()
        foreign = loop.create_future()  # what an alternative Task implementation would register
        asyncio._register_task(foreign)
        assert foreign in asyncio.all_tasks()
        asyncio._unregister_task(foreign)
        assert foreign not in asyncio.all_tasks()

        def step_of_another_task() -> object:
            asyncio._enter_task(loop, foreign)
            try:
                return asyncio.current_task()
            finally:
                asyncio._leave_task(loop, foreign)

        seen = loop.create_future()
        loop.call_soon(lambda: seen.set_result((step_of_another_task(), asyncio.current_task())))
        assert await seen == (foreign, None)
        assert asyncio.current_task() is me

    run(main)


@claim("asyncio._get_running_loop", "returns the running loop or None, without raising.")
@claim("asyncio._get_running_loop", "Returning None hides mistakes that `get_running_loop()` would report.")
@claim("asyncio._set_running_loop", "Low-level hook used by event loop implementations to register themselves as running in the current thread.")
@claim("asyncio._set_running_loop", "Calling it from application code corrupts the loop bookkeeping.")
def test_the_running_loop_hooks() -> None:
    assert asyncio._get_running_loop() is None
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()
    loop = asyncio.new_event_loop()
    try:
        asyncio._set_running_loop(loop)
        assert asyncio.get_running_loop() is loop and not loop.is_running()
        coroutine = asyncio.sleep(0)
        with pytest.raises(RuntimeError):
            asyncio.run(coroutine)  # it believes a loop is already running here
        coroutine.close()
    finally:
        asyncio._set_running_loop(None)
        loop.close()

    async def main() -> bool:
        return asyncio._get_running_loop() is asyncio.get_running_loop()

    assert run(main) is True


@claim("asyncio._enter_task", "Raises RuntimeError while another task is marked as running on that loop.")
@claim("asyncio._leave_task", "Raises RuntimeError if the task given is not the one marked as running.")
@claim("asyncio._register_task", "The registry holds tasks weakly")
@claim("asyncio._unregister_task", "Unregistering a task that was never registered is silently ignored.")
def test_the_task_bookkeeping_hooks_guard_their_state() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        other = loop.create_future()
        with pytest.raises(RuntimeError, match="Cannot enter"):
            asyncio._enter_task(loop, other)
        with pytest.raises(RuntimeError, match="does not match"):
            asyncio._leave_task(loop, other)
        asyncio._unregister_task(other)
        registered = loop.create_future()
        asyncio._register_task(registered)
        count = len(asyncio.all_tasks())
        del registered
        gc.collect()
        assert len(asyncio.all_tasks()) == count - 1

    run(main)


@claim("asyncio.Future.set_exception", "Python 3.10-3.12 raise TypeError")
@pythons((3, 10), (3, 12))
def test_set_exception_with_stop_iteration_raises_type_error() -> None:
    async def main() -> None:
        future = asyncio.get_running_loop().create_future()
        with pytest.raises(TypeError):
            future.set_exception(StopIteration())

    run(main)


@claim("asyncio.Future.set_exception", "3.13 stores a RuntimeError caused by it instead")
@pythons((3, 13))
def test_set_exception_with_stop_iteration_stores_a_runtime_error() -> None:
    async def main() -> BaseException:
        future = asyncio.get_running_loop().create_future()
        future.set_exception(StopIteration())
        return future.exception()

    stored = run(main)
    assert isinstance(stored, RuntimeError) and isinstance(stored.__cause__, StopIteration)


@claim("asyncio.current_task", "Handy for naming, logging and cancelling yourself.")
def test_the_current_task_can_rename_and_cancel_itself() -> None:
    async def worker() -> None:
        me = asyncio.current_task()
        me.set_name("renamed by itself")
        me.cancel()
        await asyncio.sleep(0)

    async def main() -> None:
        task = asyncio.create_task(worker())
        with pytest.raises(asyncio.CancelledError):
            await task
        assert task.get_name() == "renamed by itself" and task.cancelled()

    run(main)


@claim("asyncio.sleep", "sleeping a constant interval after the work drifts.")
def test_sleeping_a_constant_interval_after_the_work_falls_behind_the_schedule() -> None:
    interval, work = 0.02, 0.01

    async def main() -> float:
        loop = asyncio.get_running_loop()
        started = loop.time()
        for _ in range(3):
            time.sleep(work)
            await asyncio.sleep(interval)
        return loop.time() - started

    # Three periods of the schedule are 0.06 s; the loop above cannot take less than 0.09 s.
    assert run(main) >= 3 * (interval + work) - 0.005


@claim("asyncio.Runner.get_loop", "Do not run or close the loop yourself; the runner owns it.")
@pythons((3, 11))
def test_a_runner_whose_loop_was_closed_by_hand_fails_to_close() -> None:
    runner = asyncio.Runner()
    runner.get_loop().close()
    with pytest.raises(RuntimeError, match="closed"):
        runner.close()


# --- the basics of concurrency-patterns.md -----------------------------------------------------------


@claim("concurrency-patterns.md", "Every example runs as-is on Python 3.11 or newer (the ones that need newer versions say so).")
def test_the_examples_ask_for_python_3_11_or_newer_where_they_ask() -> None:
    import re

    from async_patterns.docs import reference_documents

    text = reference_documents()["concurrency-patterns.md"]
    required = [(int(major), int(minor)) for major, minor in re.findall(r"^# Requires Python (\d+)\.(\d+)", text, re.M)]
    assert required and min(required) >= (3, 11)
    # test_docs_examples.py runs each example under every Python, skipping those older than it asks.


@claim("concurrency-patterns.md", "An `async def` function returns a coroutine object when called; nothing runs until something awaits it.")
@claim("concurrency-patterns.md", "Awaiting a coroutine runs it *inside* the current task, one step after another.")
@claim("concurrency-patterns.md", "To run work *concurrently* you wrap it in a **task**: the event loop switches between tasks whenever one of them waits")
def test_coroutines_run_when_awaited_inside_the_task_and_tasks_interleave_at_awaits() -> None:
    steps: list[str] = []

    async def step(name: str) -> asyncio.Task | None:
        steps.append(f"{name} runs")
        return asyncio.current_task()

    async def waits(name: str) -> None:
        steps.append(f"{name} before")
        await asyncio.sleep(0.001)
        steps.append(f"{name} after")

    async def main() -> None:
        coroutine = step("coroutine")
        assert inspect.iscoroutine(coroutine) and steps == []
        assert await coroutine is asyncio.current_task()
        await waits("first")
        await waits("second")
        assert steps[1:] == ["first before", "first after", "second before", "second after"]
        steps.clear()
        await asyncio.gather(asyncio.create_task(waits("a")), asyncio.create_task(waits("b")))
        assert steps == ["a before", "b before", "a after", "b after"]

    run(main)
