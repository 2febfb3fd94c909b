"""Hand-written hover entries for the module-level names of asyncio (Python 3.11-3.13)."""

from __future__ import annotations

from .model import ApiEntry, Source

_POLICY_DEPRECATION = (
    "the event loop policy system is deprecated and scheduled for removal in Python 3.16. "
    "Choose the loop with `asyncio.run(main(), loop_factory=...)` (Python 3.12+) or "
    "`asyncio.Runner(loop_factory=...)` (Python 3.11+) instead."
)
# Sources of sentences several entries share.
_POLICY_REMOVAL = Source(
    "the event loop policy system is deprecated and scheduled for removal in Python 3.16.",
    "https://docs.python.org/3/library/asyncio-policy.html#policies",
)
_WINDOWS_ONLY = Source("Windows only", "https://docs.python.org/3/library/asyncio-platforms.html#windows")
_UNIX_ONLY = (
    Source("Unix only.", "https://docs.python.org/3/library/asyncio-platforms.html#windows"),
    Source("Not available on Windows.", "https://docs.python.org/3/library/asyncio-platforms.html#windows"),
)
_CHILD_WATCHER_DEPRECATION = (
    "child watchers are deprecated; the event loop now picks the best way to wait for child "
    "processes by itself. Just call `asyncio.create_subprocess_exec()` and drop the watcher code."
)

_RUNNING = "concurrency-patterns.md#coroutines-tasks-and-the-event-loop"
_SYNC_BRIDGE = "mixing-sync-async.md#calling-async-code-from-sync-code"
_THREADS = "mixing-sync-async.md#calling-into-the-loop-from-other-threads"
_SUBPROCESS = "mixing-sync-async.md#subprocesses-without-blocking"
_LOOPS = "performance.md#faster-event-loops-with-uvloop"
_TRANSPORTS = "performance.md#protocols-and-transports"
_STREAMS = "production-patterns.md#network-servers-with-streams"
_SELECTIVE_WAIT = "concurrency-patterns.md#waiting-selectively-with-wait-and-as_completed"
_TASK_INTERNALS = "debugging.md#dumping-running-tasks"

ASYNCIO_ENTRIES: tuple[ApiEntry, ...] = (
    # --- Running coroutines -------------------------------------------------------------------
    ApiEntry(
        "asyncio.run",
        sources=(
            Source(
                "It is the one entry point a program should have",
                "https://docs.python.org/3/library/asyncio-runner.html#asyncio.run",
            ),
        ),
        reference=_SYNC_BRIDGE,
        summary="""
            Creates a fresh event loop, runs the coroutine to completion, then cancels what is
            left, shuts down async generators and the default executor, and closes the loop. It is
            the one entry point a program should have: call it once, from synchronous code.
        """,
        pattern="""
            async def main() -> None:
                await serve()

            if __name__ == "__main__":
                asyncio.run(main())
        """,
        pitfalls=(
            "It raises RuntimeError when called while a loop is already running in this thread "
            "(inside a coroutine, or in Jupyter): await the coroutine there instead.",
            "Each call makes a new loop: objects bound to the previous loop (sessions, queues, "
            "locks created in one `run`) cannot be reused in the next. Use `asyncio.Runner` to run "
            "several coroutines on one loop.",
            "Tasks still running when `main()` returns are cancelled; keep them in a TaskGroup if "
            "they must finish.",
        ),
    ),
    ApiEntry(
        "asyncio.Runner",
        sources=(
            Source(
                "Useful in synchronous test suites",
                "https://docs.python.org/3/library/asyncio-runner.html#asyncio.Runner",
            ),
        ),
        reference=_SYNC_BRIDGE,
        summary="""
            A context manager that owns one event loop and runs several top-level coroutines on it
            in turn, with the same clean-up as `asyncio.run`. Useful in synchronous test suites,
            REPL-like tools and programs that must call async code more than once.
        """,
        pattern="""
            with asyncio.Runner() as runner:
                runner.run(connect())
                runner.run(migrate())
        """,
        pitfalls=(
            "`run()` cannot be called from inside a running loop; it is for synchronous callers.",
            "Objects created by one `run()` stay bound to the runner's loop: do not use them after "
            "the `with` block closes it.",
        ),
    ),
    ApiEntry(
        "asyncio.create_task",
        reference="production-patterns.md#background-tasks",
        summary="""
            Schedules a coroutine to run concurrently as a Task on the running loop and returns
            the Task at once. The coroutine starts at the next loop iteration; await the Task (or
            gather it) to get its result or exception.
        """,
        pattern="""
            background_tasks: set[asyncio.Task[None]] = set()

            async def start_heartbeat() -> None:
                task = asyncio.create_task(heartbeat())
                background_tasks.add(task)
                task.add_done_callback(background_tasks.discard)
        """,
        pitfalls=(
            "The loop keeps only a weak reference to tasks: keep the returned Task (a set, a "
            "TaskGroup) or it can be garbage-collected mid-flight.",
            "An exception in a task nobody awaits is only logged when the task is destroyed "
            "(\"Task exception was never retrieved\"). Prefer `TaskGroup.create_task`, which "
            "propagates failures.",
            "Needs a running loop: calling it from synchronous code raises RuntimeError.",
        ),
    ),
    ApiEntry(
        "asyncio.Task",
        sources=(
            Source(
                "Tasks are what make coroutines run concurrently",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.Task",
            ),
        ),
        reference=_RUNNING,
        summary="""
            A Future that drives a coroutine on the event loop. Tasks are what make coroutines
            run concurrently; create them with `asyncio.create_task()` or
            `TaskGroup.create_task()`, never by instantiating the class directly.
        """,
        pattern="""
            async def main() -> None:
                task = asyncio.create_task(fetch_report(), name="fetch-report")
                report = await task
        """,
        pitfalls=(
            "`Task.cancel()` only requests cancellation: the coroutine sees CancelledError at its "
            "next await and may clean up first. Await the task to know it has finished.",
            "`set_result()` and `set_exception()` raise RuntimeError on a Task; only the "
            "coroutine decides its result.",
            "A finished Task no longer holds its coroutine's frame, but it keeps its result or "
            "exception (with the traceback and the frames it references): long-lived "
            "references to finished tasks keep those in memory.",
        ),
        changes=((
            (3, 12),
            "with `eager_start=True` the coroutine starts running inside the constructor, up to "
            "its first suspension.",
        ),),
    ),
    ApiEntry(
        "asyncio.sleep",
        reference=_RUNNING,
        summary="""
            Suspends the current coroutine for `delay` seconds and lets every other task run
            meanwhile; returns `result`. `await asyncio.sleep(0)` yields to the loop once, which
            lets a long CPU loop stay fair to other tasks.
        """,
        pattern="""
            async def poll(check, interval: float = 5.0) -> None:
                while not await check():
                    await asyncio.sleep(interval)
        """,
        pitfalls=(
            "`time.sleep()` in async code blocks the whole loop; always `await asyncio.sleep()`.",
            "Forgetting `await` creates a coroutine that never runs (\"coroutine 'sleep' was never "
            "awaited\") and the code does not wait at all.",
            "For fixed-rate schedules, compute the next deadline from `loop.time()`; sleeping a "
            "constant interval after the work drifts.",
        ),
    ),
    ApiEntry(
        "asyncio.gather",
        reference="concurrency-patterns.md#waiting-for-many-awaitables-with-gather",
        summary="""
            Runs awaitables concurrently (coroutines are wrapped in Tasks) and returns their
            results in argument order once all finish. With `return_exceptions=True`, exceptions
            are returned in the results list instead of raised.
        """,
        pattern="""
            async def load_dashboard(user_id: int) -> tuple[dict, list, list]:
                profile, orders, alerts = await asyncio.gather(
                    fetch_profile(user_id), fetch_orders(user_id), fetch_alerts(user_id)
                )
                return profile, orders, alerts
        """,
        pitfalls=(
            "Without `return_exceptions=True`, the first exception propagates but the other "
            "awaitables keep running unattended; use `asyncio.TaskGroup` when a failure should "
            "cancel the siblings.",
            "Gathering thousands of coroutines starts them all at once: bound the concurrency with "
            "a Semaphore or a worker pool.",
            "With `return_exceptions=True`, check every result with `isinstance(result, "
            "BaseException)`; an unchecked list silently hides failures.",
            "Cancelling the gather cancels all children; cancelling one child makes it count as "
            "CancelledError in the results.",
        ),
    ),
    ApiEntry(
        "asyncio.TaskGroup",
        sources=(
            Source(
                "better handling when an external cancellation and an internal one",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.TaskGroup",
            ),
        ),
        reference="concurrency-patterns.md#structured-concurrency-with-taskgroup",
        summary="""
            An async context manager for structured concurrency: tasks created with
            `tg.create_task()` all finish before the `async with` block exits. If any task fails,
            the others are cancelled and the failures are raised together as an ExceptionGroup.
        """,
        pattern="""
            async def fetch_all(urls: list[str]) -> list[bytes]:
                async with asyncio.TaskGroup() as tg:
                    tasks = [tg.create_task(fetch(url)) for url in urls]
                return [task.result() for task in tasks]
        """,
        pitfalls=(
            "Errors arrive as an ExceptionGroup even when only one task failed: catch them with "
            "`except*`, not `except ValueError`.",
            "One failing task cancels all its siblings; use `gather(..., return_exceptions=True)` "
            "when partial results are wanted.",
            "Do not swallow CancelledError inside the tasks, or the group cannot stop them.",
        ),
        changes=((
            (3, 13),
            "better handling when an external cancellation and an internal one (from a failing "
            "task) happen at the same time; cancellation counts are preserved.",
        ),),
    ),
    ApiEntry(
        "asyncio.wait",
        reference=_SELECTIVE_WAIT,
        summary="""
            Waits for a collection of Tasks/Futures until `return_when` (FIRST_COMPLETED,
            FIRST_EXCEPTION or ALL_COMPLETED) or the timeout, and returns the `(done, pending)`
            sets. It never raises the tasks' exceptions and never cancels anything.
        """,
        pattern="""
            async def first_answer(tasks: set[asyncio.Task[str]]) -> str:
                done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
                return done.pop().result()
        """,
        pitfalls=(
            "Pending tasks keep running after a timeout: cancel them (and await them) yourself.",
            "Passing coroutines raises TypeError since Python 3.11; wrap them with `create_task`.",
            "Exceptions stay inside the done tasks until you call `.result()` on each.",
        ),
        changes=(((3, 11), "passing coroutine objects directly is forbidden (TypeError)."),),
    ),
    ApiEntry(
        "asyncio.wait_for",
        sources=(
            Source(
                "`asyncio.timeout()` is the more flexible form",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.timeout",
            ),
        ),
        reference="concurrency-patterns.md#timeouts-with-timeout-and-wait_for",
        summary="""
            Awaits one awaitable with a timeout: on expiry the awaitable is cancelled and
            TimeoutError is raised (`asyncio.TimeoutError` before 3.11, a different class).
            `asyncio.timeout()` is the more flexible form for a block of several awaits.
        """,
        pattern="""
            async def read_reply(reader: asyncio.StreamReader) -> bytes:
                return await asyncio.wait_for(reader.readline(), timeout=10)
        """,
        pitfalls=(
            "On timeout it waits until the inner awaitable has really been cancelled; code that "
            "ignores cancellation makes `wait_for` hang past its timeout.",
            "`timeout=None` waits forever, so a peer that never answers stalls the caller.",
        ),
        changes=(((3, 12), "reimplemented on top of `asyncio.timeout()`."),),
    ),
    ApiEntry(
        "asyncio.timeout",
        reference="concurrency-patterns.md#timeouts-with-timeout-and-wait_for",
        summary="""
            An async context manager that cancels the enclosed block when `delay` seconds pass
            and turns that cancellation into TimeoutError at the `async with`. `None` means no
            limit; the deadline can be moved later with `reschedule()`.
        """,
        pattern="""
            async def fetch_with_deadline(session, url: str) -> bytes:
                async with asyncio.timeout(10):
                    async with session.get(url) as response:
                        return await response.read()
        """,
        pitfalls=(
            "The TimeoutError is raised at the `async with` line, outside the block: put the "
            "`try/except TimeoutError` around the whole `async with`.",
            "Code inside that catches CancelledError and carries on defeats the timeout.",
            "Only usable inside a task (it cancels the current task).",
        ),
    ),
    ApiEntry(
        "asyncio.timeout_at",
        reference="concurrency-patterns.md#timeouts-with-timeout-and-wait_for",
        summary="""
            Like `asyncio.timeout()`, but takes an absolute deadline on the loop's clock
            (`loop.time()`), which lets several steps share one overall deadline.
        """,
        pattern="""
            async def handshake(reader: asyncio.StreamReader) -> list[bytes]:
                deadline = asyncio.get_running_loop().time() + 5
                async with asyncio.timeout_at(deadline):
                    return [await reader.readline() for _ in range(3)]
        """,
        pitfalls=(
            "The deadline is on `loop.time()` (a monotonic clock), not `time.time()`: wall-clock "
            "timestamps give wrong deadlines.",
        ),
    ),
    ApiEntry(
        "asyncio.Timeout",
        reference="concurrency-patterns.md#timeouts-with-timeout-and-wait_for",
        summary="""
            The object returned by `asyncio.timeout()` and `asyncio.timeout_at()`: inspect the
            deadline with `when()`, move it with `reschedule()` and ask `expired()` afterwards.
        """,
        pattern="""
            async def stream_until_idle(reader: asyncio.StreamReader) -> None:
                async with asyncio.timeout(30) as idle:
                    while line := await reader.readline():
                        handle(line)
                        idle.reschedule(asyncio.get_running_loop().time() + 30)
        """,
        pitfalls=(
            "Prefer `asyncio.timeout()`/`timeout_at()` to instantiating it; either way it acts "
            "only inside `async with`.",
        ),
    ),
    ApiEntry(
        "asyncio.shield",
        sources=(
            Source(
                "Keep a reference to the inner task",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.shield",
            ),
        ),
        reference="concurrency-patterns.md#cancellation-and-shield",
        summary="""
            Protects an awaitable from being cancelled when the awaiting task is cancelled: the
            outer `await` raises CancelledError but the inner task keeps running.
        """,
        pattern="""
            async def save_then_reply(order) -> None:
                await asyncio.shield(persist(order))
                await notify(order)
        """,
        pitfalls=(
            "The caller is still cancelled; only the inner task survives. Keep a reference to "
            "the inner task: once the caller is cancelled, nothing else holds it or its result.",
            "A shielded task still dies when the loop shuts down; it is no substitute for a "
            "proper shutdown sequence.",
        ),
    ),
    ApiEntry(
        "asyncio.as_completed",
        reference=_SELECTIVE_WAIT,
        summary="""
            Yields awaitables that produce the results of the given awaitables in the order they
            finish, so each result can be handled as soon as it is ready. Raises TimeoutError
            (`asyncio.TimeoutError` before 3.11) if not all finish within `timeout`.
        """,
        pattern="""
            async def print_fastest_first(urls: list[str]) -> None:
                for next_done in asyncio.as_completed([fetch(url) for url in urls]):
                    print(await next_done)
        """,
        pitfalls=(
            "Before Python 3.13 the yielded awaitables are not the original tasks, so you cannot "
            "tell which input finished; return the identity from the coroutine itself.",
            "On timeout the remaining work is not cancelled.",
        ),
        changes=((
            (3, 13),
            "the result is also an async iterator: `async for task in as_completed(...)` yields the "
            "original tasks and futures.",
        ),),
    ),
    ApiEntry(
        "asyncio.ensure_future",
        sources=(
            Source(
                "Library code that must accept both uses it",
                "https://docs.python.org/3/library/asyncio-future.html#asyncio.ensure_future",
            ),
            Source(
                "Like `create_task`, the returned Task must be kept referenced and awaited.",
                "https://docs.python.org/3/library/asyncio-future.html#asyncio.ensure_future",
            ),
        ),
        reference=_RUNNING,
        summary="""
            Returns a Future-like object for any awaitable: a Future or Task unchanged, a
            coroutine wrapped in a Task. Library code that must accept both uses it; application
            code should call `asyncio.create_task()`.
        """,
        pattern="""
            async def as_task(awaitable) -> asyncio.Future:
                return asyncio.ensure_future(awaitable)
        """,
        pitfalls=(
            "Like `create_task`, the returned Task must be kept referenced and awaited.",
            "Called with no running loop and no loop set, it creates one implicitly, with a "
            "DeprecationWarning since 3.12; Python 3.14 raises RuntimeError there instead. Pass "
            "`loop=` or call it from a coroutine.",
        ),
    ),
    ApiEntry(
        "asyncio.Future",
        sources=(
            Source(
                "Use it to bridge callback-based APIs into coroutines",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.create_future",
            ),
            Source(
                "Not thread-safe: from another thread use `loop.call_soon_threadsafe(future.set_result, value)`.",
                "https://docs.python.org/3/library/asyncio-future.html#asyncio.Future",
            ),
        ),
        reference=_THREADS,
        summary="""
            A low-level awaitable holding a result or exception that is set later. Use it to
            bridge callback-based APIs into coroutines; create it with
            `loop.create_future()`.
        """,
        pattern="""
            async def wait_for_callback(client) -> bytes:
                future = asyncio.get_running_loop().create_future()
                client.on_message(future.set_result)
                return await future
        """,
        pitfalls=(
            "Setting a result twice raises InvalidStateError; guard callbacks with "
            "`if not future.done()`.",
            "Not thread-safe: from another thread use `loop.call_soon_threadsafe(future.set_result, "
            "value)`.",
            "`asyncio.Future` is not `concurrent.futures.Future`; convert with "
            "`asyncio.wrap_future()`.",
        ),
    ),
    ApiEntry(
        "asyncio.wrap_future",
        reference="mixing-sync-async.md#run_in_executor-with-thread-and-process-pools",
        summary="""
            Wraps a `concurrent.futures.Future` (from an executor's `submit()`) in an asyncio
            Future so it can be awaited without blocking the loop.
        """,
        pattern="""
            async def checksum(executor, path: str) -> str:
                return await asyncio.wrap_future(executor.submit(sha256_of_file, path))
        """,
        pitfalls=(
            "Calling `.result()` on the concurrent future inside async code blocks the loop; "
            "await the wrapped future instead.",
            "`loop.run_in_executor()` already returns an awaitable and is usually simpler.",
        ),
    ),
    ApiEntry(
        "asyncio.run_coroutine_threadsafe",
        sources=(
            Source(
                "This is the way for plain threads to call into async code.",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.run_coroutine_threadsafe",
            ),
            Source(
                "Always give `result()` a timeout, and cancel the future when it expires.",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.run_coroutine_threadsafe",
            ),
        ),
        reference=_THREADS,
        summary="""
            Submits a coroutine to an event loop running in another thread and returns a
            `concurrent.futures.Future` for its result. This is the way for plain threads to call
            into async code.
        """,
        pattern="""
            def lookup_from_worker_thread(loop: asyncio.AbstractEventLoop, key: str) -> str:
                future = asyncio.run_coroutine_threadsafe(cache_get(key), loop)
                return future.result(timeout=5)
        """,
        pitfalls=(
            "Calling `future.result()` from the loop's own thread deadlocks: only call it from "
            "other threads.",
            "Always give `result()` a timeout, and cancel the future when it expires.",
        ),
    ),
    ApiEntry(
        "asyncio.to_thread",
        sources=(
            Source(
                "The simplest fix for a blocking call inside async code.",
                "https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code",
            ),
            Source(
                "Use a dedicated executor for them.",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.run_in_executor",
            ),
            Source(
                "CPU-bound work still holds the GIL",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.to_thread",
            ),
        ),
        reference="mixing-sync-async.md#offloading-with-to_thread",
        summary="""
            Runs a blocking function in the loop's default thread pool and awaits its result, with
            the current contextvars copied over. The simplest fix for a blocking call inside
            async code.
        """,
        pattern="""
            async def load_config(path: str) -> dict:
                text = await asyncio.to_thread(read_text_file, path)
                return json.loads(text)
        """,
        pitfalls=(
            "The default pool is small (min(32, cpu + 4) threads); many long blocking calls queue "
            "up behind each other. Use a dedicated executor for them.",
            "Threads cannot be cancelled: cancelling the await leaves the function running.",
            "CPU-bound work still holds the GIL; use a ProcessPoolExecutor for it.",
        ),
    ),
    ApiEntry(
        "asyncio.get_running_loop",
        sources=(
            Source(
                "The right way for a coroutine or callback to reach its loop.",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_event_loop",
            ),
        ),
        reference=_RUNNING,
        summary="""
            Returns the event loop running in the current thread, or raises RuntimeError if there
            is none. The right way for a coroutine or callback to reach its loop.
        """,
        pattern="""
            async def offload(blocking_function, *args):
                loop = asyncio.get_running_loop()
                return await loop.run_in_executor(None, blocking_function, *args)
        """,
        pitfalls=(
            "Raises RuntimeError outside a running loop, which is what you want: it catches code "
            "that would otherwise act on the wrong loop.",
            "Do not cache the loop in a global at import time; fetch it where it is used.",
        ),
    ),
    ApiEntry(
        "asyncio.get_event_loop",
        sources=(
            Source(
                "is the old idiom: write `asyncio.run(main())`",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_event_loop",
            ),
            Source(
                "Python 3.14 raises RuntimeError instead.",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_event_loop",
            ),
            Source(
                "Use `asyncio.get_running_loop()` inside coroutines and `asyncio.run()` or `asyncio.Runner` at the top level.",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_event_loop",
            ),
        ),
        facts_source="https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.get_event_loop",
        reference=_SYNC_BRIDGE,
        summary="""
            Returns the running loop when called from a coroutine or callback; otherwise the
            loop set for this thread. Legacy API from before `asyncio.run()`.
        """,
        pattern="""
            async def schedule_later(callback) -> None:
                asyncio.get_running_loop().call_later(1.0, callback)
        """,
        pitfalls=(
            "Inside coroutines use `asyncio.get_running_loop()`: same result, and it fails loudly "
            "instead of creating a stray loop.",
            "In synchronous code, `get_event_loop().run_until_complete(main())` is the old idiom: "
            "write `asyncio.run(main())`.",
        ),
        deprecated=(3, 12),
        deprecation=(
            "calling it when no event loop is set emits DeprecationWarning (3.12, 3.13). Python "
            "3.14 raises RuntimeError instead. Use `asyncio.get_running_loop()` inside coroutines "
            "and `asyncio.run()` or `asyncio.Runner` at the top level."
        ),
    ),
    ApiEntry(
        "asyncio.set_event_loop",
        sources=(
            Source(
                "Only needed by code that manages loops by hand.",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.set_event_loop",
            ),
        ),
        reference=_SYNC_BRIDGE,
        summary="""
            Sets the current thread's event loop (what `get_event_loop()` returns when nothing is
            running). Only needed by code that manages loops by hand.
        """,
        pattern="""
            def run_in_new_thread_loop(main) -> None:
                with asyncio.Runner() as runner:
                    runner.run(main())
        """,
        pitfalls=(
            "Manual loop management is rarely needed: `asyncio.run()` and `asyncio.Runner` set "
            "and reset the loop for you.",
            "A loop set here but never closed leaks its selector and file descriptors.",
        ),
    ),
    ApiEntry(
        "asyncio.new_event_loop",
        sources=(
            Source(
                "Used when a dedicated thread needs its own loop.",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.new_event_loop",
            ),
            Source(
                "You own the loop: run it, then shut down async generators and close it",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.loop.shutdown_asyncgens",
            ),
        ),
        reference=_SYNC_BRIDGE,
        summary="""
            Creates a new event loop object without setting or running it. Used when a dedicated
            thread needs its own loop.
        """,
        pattern="""
            def loop_thread_main(ready: threading.Event, holder: list) -> None:
                loop = asyncio.new_event_loop()
                holder.append(loop)
                loop.call_soon(ready.set)
                try:
                    loop.run_forever()
                finally:
                    loop.close()
        """,
        pitfalls=(
            "You own the loop: run it, then shut down async generators and close it, or use "
            "`asyncio.Runner`, which does all of that.",
        ),
    ),
    ApiEntry(
        "asyncio.current_task",
        reference=_TASK_INTERNALS,
        summary="""
            Returns the Task running the current coroutine: None when the loop is running but
            no task is (a plain callback), RuntimeError when no loop is running. Handy for
            naming, logging and cancelling yourself.
        """,
        pattern="""
            async def log_progress(step: str) -> None:
                task = asyncio.current_task()
                logger.info("%s: %s", task.get_name() if task else "?", step)
        """,
        pitfalls=(
            "Returns None when called from a plain callback scheduled with `call_soon`.",
        ),
    ),
    ApiEntry(
        "asyncio.all_tasks",
        reference=_TASK_INTERNALS,
        summary="""
            Returns the set of not-yet-finished Tasks of the running loop: the starting point for
            dumping what a stuck program is doing, and for shutdown code.
        """,
        pattern="""
            def dump_tasks() -> None:
                for task in asyncio.all_tasks():
                    task.print_stack(limit=5)
        """,
        pitfalls=(
            "Includes the current task: exclude `asyncio.current_task()` before cancelling all of "
            "them, or you cancel yourself.",
            "It is a snapshot; tasks created afterwards are not in it.",
        ),
    ),
    ApiEntry(
        "asyncio.iscoroutine",
        reference="debugging.md#coroutines-that-were-never-awaited",
        summary="""
            True for coroutine objects (what calling an `async def` returns); on 3.10 and 3.11 also
            for any generator (the generator-based coroutines of old).
        """,
        pattern="""
            async def call_maybe_async(callback, *args):
                result = callback(*args)
                if asyncio.iscoroutine(result):
                    result = await result
                return result
        """,
        pitfalls=(
            "Tests the object, not the function: use `inspect.iscoroutinefunction(f)` to know "
            "whether calling `f` returns a coroutine.",
        ),
    ),
    ApiEntry(
        "asyncio.iscoroutinefunction",
        facts_source="https://docs.python.org/3/library/asyncio-task.html#asyncio.iscoroutinefunction",
        reference="debugging.md#coroutines-that-were-never-awaited",
        summary="""
            True if the function is an `async def` function (or marked as a coroutine by legacy
            decorators).
        """,
        pattern="""
            def describe(handler) -> str:
                return "async" if inspect.iscoroutinefunction(handler) else "sync"
        """,
        pitfalls=(
            "A function wrapped by a plain `def` decorator looks synchronous, even with "
            "`functools.wraps`; from 3.12 mark the wrapper with `inspect.markcoroutinefunction()`.",
        ),
        deprecated=(3, 14),
        deprecation="use `inspect.iscoroutinefunction()`, which gives the same answer.",
    ),
    ApiEntry(
        "asyncio.coroutine",
        deprecation="the decorator was removed in 3.11: write `async def` and `await` instead of `yield from`.",
        reference="debugging.md#coroutines-that-were-never-awaited",
        summary="""
            The decorator that turned a generator using `yield from` into a coroutine, from before
            `async def` existed. Only Python 3.10 and older still have it.
        """,
        pattern="""
            async def fetch_status(session, url: str) -> int:
                async with session.get(url) as response:
                    return response.status
        """,
        pitfalls=(
            "Code that still uses it fails with AttributeError on Python 3.11 and newer.",
            "Generator-based coroutines cannot be mixed freely with `async def` ones (no `await` "
            "inside them).",
        ),
    ),
    ApiEntry(
        "asyncio.isfuture",
        reference=_RUNNING,
        summary="""
            True for asyncio Futures and Tasks and objects that follow their protocol (have
            `_asyncio_future_blocking`). It is False for `concurrent.futures.Future`.
        """,
        pattern="""
            def ensure_awaitable(value):
                return value if asyncio.isfuture(value) else asyncio.ensure_future(value)
        """,
        pitfalls=(
            "A coroutine is not a future: use `asyncio.iscoroutine` or `inspect.isawaitable` for "
            "a broader test.",
        ),
    ),
    ApiEntry(
        "asyncio.eager_task_factory",
        sources=(
            Source(
                "Gains show only where many tasks complete from caches",
                "https://docs.python.org/3/library/asyncio-task.html#eager-task-factory",
            ),
        ),
        reference="performance.md#eager-task-factories",
        summary="""
            A task factory that starts running each new task's coroutine synchronously inside
            `create_task()`; a coroutine that finishes without suspending never touches the loop's
            scheduler. Install it with `loop.set_task_factory(asyncio.eager_task_factory)`.
        """,
        pattern="""
            async def main() -> None:
                asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
                await serve()
        """,
        pitfalls=(
            "Code runs inside `create_task()` up to the first real suspension: ordering "
            "assumptions (\"the task starts later\") break.",
            "Gains show only where many tasks complete from caches without awaiting; measure first.",
        ),
    ),
    ApiEntry(
        "asyncio.create_eager_task_factory",
        reference="performance.md#eager-task-factories",
        summary="""
            Builds an eager task factory around a custom Task class (for example an instrumented
            subclass), so tasks start eagerly and are still created by your constructor.
        """,
        pattern="""
            async def main() -> None:
                factory = asyncio.create_eager_task_factory(asyncio.Task)
                asyncio.get_running_loop().set_task_factory(factory)
                await serve()
        """,
        pitfalls=(
            "The constructor must accept `eager_start` (asyncio.Task's does); one that does not "
            "fails with TypeError at the first `create_task()`.",
        ),
    ),
    # --- Synchronisation primitives ------------------------------------------------------------
    ApiEntry(
        "asyncio.Lock",
        reference="concurrency-patterns.md#mutual-exclusion-with-lock",
        summary="""
            A mutual-exclusion lock for tasks of one event loop: `async with lock:` lets one task
            at a time into a critical section that spans awaits.
        """,
        pattern="""
            token_lock = asyncio.Lock()

            async def get_token() -> str:
                async with token_lock:
                    if token_cache.expired:
                        token_cache.value = await refresh_token()
                    return token_cache.value
        """,
        pitfalls=(
            "Not thread-safe and not re-entrant: acquiring it twice in the same task deadlocks.",
            "Code without an `await` between read and write needs no lock at all; a lock held "
            "across slow I/O serialises everything behind it.",
            "`threading.Lock` in async code blocks the loop while waiting.",
        ),
        changes=(((3, 10), "the lock binds to the running loop when first used, not when created."),),
    ),
    ApiEntry(
        "asyncio.Event",
        sources=(
            Source(
                "Good for \"ready\" and \"stop\" signals.",
                "https://docs.python.org/3/library/asyncio-sync.html#asyncio.Event",
            ),
        ),
        reference="concurrency-patterns.md#signalling-with-event",
        summary="""
            A flag tasks can wait for: `await event.wait()` blocks until another task calls
            `event.set()`, then every waiter wakes. Good for "ready" and "stop" signals.
        """,
        pattern="""
            stopping = asyncio.Event()

            async def worker() -> None:
                while not stopping.is_set():
                    await do_one_job()
        """,
        pitfalls=(
            "`set()` wakes every waiter and stays set until `clear()`; for one-at-a-time hand-off "
            "use a Queue.",
            "Not thread-safe: from another thread call `loop.call_soon_threadsafe(event.set)`.",
        ),
    ),
    ApiEntry(
        "asyncio.Condition",
        reference="concurrency-patterns.md#waiting-for-a-state-with-condition",
        summary="""
            A lock plus a way to wait until shared state reaches some condition:
            `await cond.wait_for(predicate)` inside `async with cond:`, and the changer calls
            `cond.notify()` or `notify_all()`.
        """,
        pattern="""
            slots = asyncio.Condition()

            async def take_slot(state) -> None:
                async with slots:
                    await slots.wait_for(lambda: state.free > 0)
                    state.free -= 1
        """,
        pitfalls=(
            "`wait()`, `notify()` and `notify_all()` need the lock held; otherwise RuntimeError.",
            "Wake-ups can be stale (another task got there first): prefer `wait_for(predicate)` "
            "over a bare `wait()`.",
        ),
    ),
    ApiEntry(
        "asyncio.Semaphore",
        sources=(
            Source(
                "For huge inputs use a fixed pool of workers reading a Queue.",
                "https://docs.python.org/3/library/asyncio-queue.html#examples",
            ),
        ),
        reference="concurrency-patterns.md#bounded-concurrency-with-semaphore",
        summary="""
            A counter that lets at most `value` tasks into a section at once: the standard way to
            bound concurrency (open connections, requests in flight).
        """,
        pattern="""
            async def fetch_all(urls: list[str], limit: int = 10) -> list[bytes]:
                gate = asyncio.Semaphore(limit)

                async def fetch_one(url: str) -> bytes:
                    async with gate:
                        return await fetch(url)

                return await asyncio.gather(*(fetch_one(url) for url in urls))
        """,
        pitfalls=(
            "It bounds concurrency, not creation: gathering a million coroutines still creates a "
            "million tasks. For huge inputs use a fixed pool of workers reading a Queue.",
            "Calling `release()` more often than `acquire()` silently raises the limit; "
            "BoundedSemaphore catches that.",
        ),
    ),
    ApiEntry(
        "asyncio.BoundedSemaphore",
        reference="concurrency-patterns.md#bounded-concurrency-with-semaphore",
        summary="""
            A Semaphore that raises ValueError when released more times than acquired, turning a
            counting bug into a loud error.
        """,
        pattern="""
            connection_slots = asyncio.BoundedSemaphore(20)

            async def query(sql: str):
                async with connection_slots:
                    return await run_query(sql)
        """,
        pitfalls=(
            "Use `async with` so every acquire has exactly one release, even on errors.",
        ),
    ),
    ApiEntry(
        "asyncio.Barrier",
        reference="concurrency-patterns.md#meeting-points-with-barrier",
        summary="""
            Makes a fixed number of tasks (`parties`) wait for each other: each `await
            barrier.wait()` blocks until all parties arrive, then all proceed together. It resets
            itself for the next round.
        """,
        pattern="""
            async def phase_worker(barrier: asyncio.Barrier, shard) -> None:
                await load(shard)
                await barrier.wait()
                await compute(shard)
        """,
        pitfalls=(
            "Cancelling a waiting party does not break the barrier: it leaves, and the others wait "
            "for a replacement; `abort()` releases them all with BrokenBarrierError.",
            "The party count is fixed: a task that never arrives blocks the others forever; "
            "combine with `asyncio.timeout()`.",
        ),
    ),
    ApiEntry(
        "asyncio.BrokenBarrierError",
        reference="concurrency-patterns.md#meeting-points-with-barrier",
        summary="""
            Raised by `Barrier.wait()` when the barrier is broken (aborted) or reset while tasks
            waited. Cancelling a waiting party does not raise it in the others.
        """,
        pattern="""
            async def synchronised_step(barrier: asyncio.Barrier) -> bool:
                try:
                    await barrier.wait()
                except asyncio.BrokenBarrierError:
                    return False
                return True
        """,
        pitfalls=(
            "A broken barrier stays broken until `reset()`; later `wait()` calls fail immediately.",
        ),
    ),
    # --- Queues ---------------------------------------------------------------------------------
    ApiEntry(
        "asyncio.Queue",
        reference="concurrency-patterns.md#producer-and-consumer-with-queue",
        summary="""
            A FIFO queue for passing work between tasks. `await put()` waits when a bounded queue
            is full (back-pressure), `await get()` waits when it is empty, and `task_done()` with
            `join()` tells when every item has been processed.
        """,
        pattern="""
            async def crawl(urls: list[str], workers: int = 5) -> None:
                queue: asyncio.Queue[str] = asyncio.Queue(maxsize=100)

                async def worker() -> None:
                    while True:
                        url = await queue.get()
                        try:
                            await fetch(url)
                        finally:
                            queue.task_done()

                async with asyncio.TaskGroup() as tg:
                    consumers = [tg.create_task(worker()) for _ in range(workers)]
                    for url in urls:
                        await queue.put(url)
                    await queue.join()
                    for consumer in consumers:
                        consumer.cancel()
        """,
        pitfalls=(
            "`maxsize=0` (the default) is unbounded: a fast producer fills memory, so bound it.",
            "Every `get()` needs exactly one `task_done()` (in a `finally`), or `join()` never "
            "returns.",
            "Not thread-safe: threads feed it with `loop.call_soon_threadsafe(queue.put_nowait, "
            "item)`.",
        ),
        changes=(((3, 13), "`shutdown()` and QueueShutDown give queues a clean way to stop."),),
    ),
    ApiEntry(
        "asyncio.PriorityQueue",
        reference="concurrency-patterns.md#producer-and-consumer-with-queue",
        summary="""
            A Queue that hands out the smallest item first (heap order); items are usually
            `(priority, sequence, payload)` tuples.
        """,
        pattern="""
            jobs: asyncio.PriorityQueue[tuple[int, int, str]] = asyncio.PriorityQueue()

            async def submit(priority: int, sequence: int, job: str) -> None:
                await jobs.put((priority, sequence, job))
        """,
        pitfalls=(
            "Items with equal priority are compared next: add a sequence number so payloads that "
            "are not comparable never get compared (TypeError).",
        ),
    ),
    ApiEntry(
        "asyncio.LifoQueue",
        reference="concurrency-patterns.md#producer-and-consumer-with-queue",
        summary="""
            A Queue that hands out the most recently added item first (a stack).
        """,
        pattern="""
            pending: asyncio.LifoQueue[str] = asyncio.LifoQueue()

            async def newest() -> str:
                return await pending.get()
        """,
        pitfalls=(
            "Old items can starve under constant load; make sure that is what you want.",
        ),
    ),
    ApiEntry(
        "asyncio.QueueEmpty",
        reference="concurrency-patterns.md#producer-and-consumer-with-queue",
        summary="""
            Raised by `Queue.get_nowait()` when the queue has no item.
        """,
        pattern="""
            def drain(queue: asyncio.Queue) -> list:
                items = []
                while True:
                    try:
                        items.append(queue.get_nowait())
                    except asyncio.QueueEmpty:
                        return items
        """,
        pitfalls=(
            "Polling `get_nowait()` in a loop with sleeps is busy waiting; `await queue.get()` "
            "waits efficiently.",
        ),
    ),
    ApiEntry(
        "asyncio.QueueFull",
        reference="concurrency-patterns.md#producer-and-consumer-with-queue",
        summary="""
            Raised by `Queue.put_nowait()` when a bounded queue is full: the point to shed load.
        """,
        pattern="""
            def offer(queue: asyncio.Queue, event) -> bool:
                try:
                    queue.put_nowait(event)
                except asyncio.QueueFull:
                    return False
                return True
        """,
        pitfalls=(
            "An unbounded queue never raises it: only a `maxsize` makes load shedding possible.",
        ),
    ),
    ApiEntry(
        "asyncio.QueueShutDown",
        sources=(
            Source(
                "Before 3.13, stop consumers with a sentinel item or by cancelling them instead.",
                "https://docs.python.org/3/library/asyncio-queue.html#examples",
            ),
        ),
        reference="concurrency-patterns.md#producer-and-consumer-with-queue",
        summary="""
            Raised by `put()` on a queue after `shutdown()`, and by `get()` once a shut-down
            queue is empty (or immediately after `shutdown(immediate=True)`). Consumers catch it
            to leave their loop cleanly.
        """,
        pattern="""
            async def consumer(queue: asyncio.Queue) -> None:
                while True:
                    try:
                        item = await queue.get()
                    except asyncio.QueueShutDown:
                        return
                    await process(item)
                    queue.task_done()
        """,
        pitfalls=(
            "Before 3.13, stop consumers with a sentinel item or by cancelling them instead.",
        ),
    ),
    # --- Exceptions -----------------------------------------------------------------------------
    ApiEntry(
        "asyncio.CancelledError",
        sources=(
            Source(
                "Always re-raise it after cleanup.",
                "https://docs.python.org/3/library/asyncio-exceptions.html#asyncio.CancelledError",
            ),
        ),
        reference="error-handling.md#cancellation-is-not-an-error",
        summary="""
            Raised inside a task at its current `await` when the task is cancelled. Since Python
            3.8 it derives from BaseException, so `except Exception` does not catch it.
        """,
        pattern="""
            async def worker(conn) -> None:
                try:
                    await serve(conn)
                except asyncio.CancelledError:
                    await conn.close()
                    raise
        """,
        pitfalls=(
            "Always re-raise it after cleanup. Swallowing it makes the task refuse cancellation "
            "and breaks TaskGroup, timeout() and shutdown.",
            "A bare `except:` or `except BaseException:` catches it too.",
        ),
        changes=(((3, 8), "now a subclass of BaseException instead of Exception."),),
    ),
    ApiEntry(
        "asyncio.TimeoutError",
        reference="error-handling.md#timeout-errors",
        summary="""
            Raised when `wait_for()`, `timeout()` or `as_completed()` run out of time. Since
            Python 3.11 it is the built-in TimeoutError.
        """,
        pattern="""
            async def ping(host: str) -> bool:
                try:
                    async with asyncio.timeout(2):
                        await send_ping(host)
                except TimeoutError:
                    return False
                return True
        """,
        pitfalls=(
            "On 3.10 and older it is a different class from the built-in TimeoutError: catch "
            "`asyncio.TimeoutError` when you support those versions.",
        ),
        changes=(((3, 11), "became an alias of the built-in TimeoutError."),),
    ),
    ApiEntry(
        "asyncio.InvalidStateError",
        reference=_THREADS,
        summary="""
            Raised when a Future is used in the wrong state: setting a result twice, or asking for
            the result before it is done.
        """,
        pattern="""
            def resolve_once(future: asyncio.Future, value) -> None:
                if not future.done():
                    future.set_result(value)
        """,
        pitfalls=(
            "Usually a race between a callback and a timeout/cancellation: check `done()` first.",
        ),
    ),
    ApiEntry(
        "asyncio.IncompleteReadError",
        reference="performance.md#buffer-sizes-and-flow-control",
        summary="""
            Raised by `StreamReader.readexactly()` and `readuntil()` when the stream ends first;
            `.partial` holds the bytes read before EOF.
        """,
        pattern="""
            async def read_frame(reader: asyncio.StreamReader) -> bytes | None:
                try:
                    header = await reader.readexactly(4)
                except asyncio.IncompleteReadError:
                    return None
                return await reader.readexactly(int.from_bytes(header, "big"))
        """,
        pitfalls=(
            "A clean disconnect between frames also raises it (with empty `partial`): treat that "
            "case as end of stream, not corruption.",
        ),
    ),
    ApiEntry(
        "asyncio.LimitOverrunError",
        reference="performance.md#buffer-sizes-and-flow-control",
        summary="""
            Raised by `StreamReader.readuntil()` when the separator is not found within the
            reader's buffer limit (64 KiB by default); `readline()` turns it into ValueError.
        """,
        pattern="""
            async def open_with_long_lines(host: str, port: int):
                return await asyncio.open_connection(host, port, limit=1024 * 1024)
        """,
        pitfalls=(
            "Raising the limit without bounds lets a peer make you buffer unlimited data.",
        ),
    ),
    ApiEntry(
        "asyncio.SendfileNotAvailableError",
        reference="performance.md#buffer-sizes-and-flow-control",
        summary="""
            Raised by `loop.sendfile()`/`sock_sendfile()` when the zero-copy path is not available
            and `fallback=False` was given.
        """,
        pattern="""
            async def send_file(loop, transport, file) -> int:
                return await loop.sendfile(transport, file, fallback=True)
        """,
        pitfalls=(
            "TLS transports and some platforms never support native sendfile; keep `fallback=True`.",
        ),
    ),
    # --- Streams --------------------------------------------------------------------------------
    ApiEntry(
        "asyncio.open_connection",
        reference=_STREAMS,
        summary="""
            Opens a TCP (optionally TLS) connection and returns a `(StreamReader, StreamWriter)`
            pair: the high-level way to write network clients.
        """,
        pattern="""
            async def fetch_banner(host: str, port: int) -> bytes:
                reader, writer = await asyncio.open_connection(host, port)
                try:
                    return await reader.readline()
                finally:
                    writer.close()
                    await writer.wait_closed()
        """,
        pitfalls=(
            "No timeout by default: wrap connect and reads in `asyncio.timeout()`.",
            "Close the writer and `await writer.wait_closed()`, or the socket leaks.",
        ),
    ),
    ApiEntry(
        "asyncio.start_server",
        reference=_STREAMS,
        summary="""
            Starts a TCP server that calls `client_connected_cb(reader, writer)` for each
            connection (a coroutine callback runs as its own task) and returns a Server.
        """,
        pattern="""
            async def main() -> None:
                server = await asyncio.start_server(handle_client, "127.0.0.1", 8888)
                async with server:
                    await server.serve_forever()
        """,
        pitfalls=(
            "An exception in the handler is only logged; catch and log per connection yourself.",
            "Handlers must close their writer; the server does not (since 3.13 a writer the "
            "handler drops is closed when garbage-collected, with a ResourceWarning).",
        ),
    ),
    ApiEntry(
        "asyncio.open_unix_connection",
        sources=(
            *_UNIX_ONLY,
        ),
        reference=_STREAMS,
        summary="""
            Like `open_connection()`, over a Unix domain socket path. Unix only.
        """,
        pattern="""
            async def query_daemon(path: str, command: bytes) -> bytes:
                reader, writer = await asyncio.open_unix_connection(path)
                writer.write(command)
                await writer.drain()
                reply = await reader.readline()
                writer.close()
                await writer.wait_closed()
                return reply
        """,
        pitfalls=("Not available on Windows.",),
    ),
    ApiEntry(
        "asyncio.start_unix_server",
        sources=(
            Source(
                "Unix only.",
                "https://docs.python.org/3/library/asyncio-platforms.html#windows",
            ),
        ),
        reference=_STREAMS,
        summary="""
            Like `start_server()`, listening on a Unix domain socket path. Unix only.
        """,
        pattern="""
            async def main() -> None:
                server = await asyncio.start_unix_server(handle_client, path="/run/app.sock")
                async with server:
                    await server.serve_forever()
        """,
        pitfalls=(
            "Before 3.13 the socket file stays on disk after the server closes (a stale one is "
            "replaced at the next start); since 3.13 the server removes it (`cleanup_socket`).",
        ),
    ),
    ApiEntry(
        "asyncio.StreamReader",
        reference=_STREAMS,
        summary="""
            The read side of a stream connection: `read()`, `readline()`, `readexactly()`,
            `readuntil()`, and `async for line in reader`. Obtain it from `open_connection()` or a
            server callback.
        """,
        pattern="""
            async def read_lines(reader: asyncio.StreamReader) -> list[bytes]:
                return [line async for line in reader]
        """,
        pitfalls=(
            "Lines longer than the buffer limit (64 KiB) raise; set `limit=` when opening.",
            "Reads have no timeout: wrap them in `asyncio.timeout()`.",
        ),
    ),
    ApiEntry(
        "asyncio.StreamWriter",
        reference=_STREAMS,
        summary="""
            The write side of a stream connection. `write()` buffers data; `await drain()` waits
            until the buffer is below the high-water mark; `close()` plus `await wait_closed()`
            ends the connection.
        """,
        pattern="""
            async def send_lines(writer: asyncio.StreamWriter, lines: list[bytes]) -> None:
                for line in lines:
                    writer.write(line + b"\\n")
                    await writer.drain()
        """,
        pitfalls=(
            "`write()` without `drain()` lets a slow peer make you buffer unbounded data.",
            "Not awaiting `wait_closed()` can leave the socket open and hides close errors.",
        ),
    ),
    ApiEntry(
        "asyncio.StreamReaderProtocol",
        sources=(
            Source(
                "An implementation detail of streams; prefer the high-level functions.",
                "Lib/asyncio/streams.py: StreamReaderProtocol",
            ),
        ),
        reference=_TRANSPORTS,
        summary="""
            The Protocol adapter that feeds a StreamReader from a transport. Used internally by
            `open_connection()`/`start_server()`; only needed when building streams on top of a
            custom transport.
        """,
        pattern="""
            async def streams_over_pipe(pipe):
                loop = asyncio.get_running_loop()
                reader = asyncio.StreamReader()
                await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), pipe)
                return reader
        """,
        pitfalls=("An implementation detail of streams; prefer the high-level functions.",),
    ),
    ApiEntry(
        "asyncio.Server",
        reference=_STREAMS,
        summary="""
            The listening server returned by `loop.create_server()` and `asyncio.start_server()`.
            Use it as an async context manager and call `serve_forever()`; `close()` stops
            accepting connections.
        """,
        pattern="""
            async def main() -> None:
                server = await asyncio.start_server(handle_client, "0.0.0.0", 8080)
                async with server:
                    await server.serve_forever()
        """,
        pitfalls=(
            "`close()` does not close connections already accepted (before 3.13 there is no "
            "`close_clients()`): track them and close them yourself.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractServer",
        sources=(
            Source(
                "Only useful for annotations and alternative loop implementations.",
                "Lib/asyncio/events.py: AbstractServer",
            ),
        ),
        reference=_STREAMS,
        summary="""
            The abstract interface of servers (`close`, `wait_closed`, `serve_forever`, ...);
            the concrete object you get is an `asyncio.Server`.
        """,
        pattern="""
            async def stop(server: asyncio.AbstractServer) -> None:
                server.close()
                await server.wait_closed()
        """,
        pitfalls=("Only useful for annotations and alternative loop implementations.",),
    ),
    # --- Subprocesses ---------------------------------------------------------------------------
    ApiEntry(
        "asyncio.create_subprocess_exec",
        reference=_SUBPROCESS,
        summary="""
            Starts a program (argument list, no shell) and returns an `asyncio.subprocess.Process`
            whose pipes are streams and whose `wait()`/`communicate()` are awaitable.
        """,
        pattern="""
            async def git_head(repo: str) -> str:
                process = await asyncio.create_subprocess_exec(
                    "git", "-C", repo, "rev-parse", "HEAD", stdout=asyncio.subprocess.PIPE
                )
                stdout, _ = await process.communicate()
                return stdout.decode().strip()
        """,
        pitfalls=(
            "Reading only stdout while stderr is also a PIPE can deadlock once stderr fills; use "
            "`communicate()`.",
            "`subprocess.run()` in async code blocks the loop for the whole run.",
            "A timeout around `communicate()` leaves the child running: kill it and "
            "`await process.wait()`.",
        ),
    ),
    ApiEntry(
        "asyncio.create_subprocess_shell",
        reference=_SUBPROCESS,
        summary="""
            Runs a command line through the shell and returns an `asyncio.subprocess.Process`.
        """,
        pattern="""
            async def disk_usage(path: str) -> str:
                process = await asyncio.create_subprocess_shell(
                    f"du -sh {shlex.quote(path)}", stdout=asyncio.subprocess.PIPE
                )
                stdout, _ = await process.communicate()
                return stdout.decode()
        """,
        pitfalls=(
            "Shell injection: quote every interpolated value with `shlex.quote`, or prefer "
            "`create_subprocess_exec`.",
            "`kill()` kills the shell, not necessarily its children.",
        ),
    ),
    # --- Event loops and policies ---------------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop",
        sources=(
            Source(
                "Application code gets it with `asyncio.get_running_loop()`",
                "https://docs.python.org/3/library/asyncio-eventloop.html#event-loop",
            ),
            Source(
                "Loop methods are not thread-safe except `call_soon_threadsafe()`.",
                "https://docs.python.org/3/library/asyncio-dev.html#concurrency-and-multithreading",
            ),
            Source(
                "Low-level API: prefer `asyncio.run`, tasks and streams where they fit.",
                "https://docs.python.org/3/library/asyncio-eventloop.html#event-loop",
            ),
        ),
        reference=_RUNNING,
        summary="""
            The event loop interface: scheduling callbacks, running tasks, network and subprocess
            I/O, executors and signal handling. Application code gets it with
            `asyncio.get_running_loop()` and mostly needs only `run_in_executor`, `call_later`
            and `time`.
        """,
        pattern="""
            async def main() -> None:
                loop: asyncio.AbstractEventLoop = asyncio.get_running_loop()
                loop.call_later(5, warn_if_slow)
        """,
        pitfalls=(
            "Loop methods are not thread-safe except `call_soon_threadsafe()`.",
            "Low-level API: prefer `asyncio.run`, tasks and streams where they fit.",
        ),
    ),
    ApiEntry(
        "asyncio.BaseEventLoop",
        sources=(
            Source(
                "subclass it only to write a new event loop.",
                "https://docs.python.org/3/library/asyncio-extending.html#writing-a-custom-event-loop",
            ),
            Source(
                "A subclass implements private methods such as `_make_socket_transport()`",
                "https://docs.python.org/3/library/asyncio-extending.html#writing-a-custom-event-loop",
            ),
        ),
        reference=_RUNNING,
        summary="""
            The shared implementation behind SelectorEventLoop and ProactorEventLoop. Use the
            loop returned by `asyncio.get_running_loop()`; subclass it only to write a new event
            loop.
        """,
        pattern="""
            async def main() -> None:
                loop = asyncio.get_running_loop()
                print(type(loop).__name__, loop.time())
        """,
        pitfalls=(
            "A subclass implements private methods such as `_make_socket_transport()`, which are "
            "internal API.",
        ),
    ),
    ApiEntry(
        "asyncio.SelectorEventLoop",
        sources=(
            Source(
                "On Windows it lacks subprocess and pipe support.",
                "https://docs.python.org/3/library/asyncio-platforms.html#windows",
            ),
            Source(
                "On Windows use it only for libraries that need `add_reader()`",
                "https://docs.python.org/3/library/asyncio-platforms.html#windows",
            ),
        ),
        reference=_LOOPS,
        summary="""
            The event loop based on the `selectors` module; the default on Unix. On Windows it
            lacks subprocess and pipe support.
        """,
        pattern="""
            if __name__ == "__main__":
                asyncio.run(main(), loop_factory=asyncio.SelectorEventLoop)
        """,
        pitfalls=(
            "On Windows use it only for libraries that need `add_reader()` (the default Proactor "
            "loop lacks it).",
        ),
    ),
    ApiEntry(
        "asyncio.ProactorEventLoop",
        sources=(
            Source(
                "The Windows event loop based on I/O completion ports",
                "https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.ProactorEventLoop",
            ),
            Source(
                "Supports subprocesses and pipes.",
                "https://docs.python.org/3/library/asyncio-platforms.html#windows",
            ),
            Source(
                "Windows only.",
                "https://docs.python.org/3/library/asyncio-platforms.html#windows",
            ),
            Source(
                "It has no `add_reader()`/`add_writer()`",
                "https://docs.python.org/3/library/asyncio-platforms.html#windows",
            ),
        ),
        signature="class asyncio.ProactorEventLoop(proactor=None)",
        facts_source="https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.ProactorEventLoop",
        reference=_LOOPS,
        summary="""
            The Windows event loop based on I/O completion ports; the default on Windows since
            3.8. Supports subprocesses and pipes. Windows only.
        """,
        pattern="""
            if __name__ == "__main__":
                asyncio.run(main())
        """,
        pitfalls=(
            "It has no `add_reader()`/`add_writer()`; libraries that need them require the "
            "SelectorEventLoop.",
        ),
    ),
    ApiEntry(
        "asyncio.EventLoop",
        reference=_LOOPS,
        summary="""
            An alias for the platform's preferred event loop class: SelectorEventLoop on Unix,
            ProactorEventLoop on Windows. Handy as a `loop_factory`.
        """,
        pattern="""
            with asyncio.Runner(loop_factory=asyncio.EventLoop) as runner:
                runner.run(main())
        """,
        pitfalls=("Absent before 3.13; use `asyncio.new_event_loop` as the factory there.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoopPolicy",
        sources=(
            _POLICY_REMOVAL,
        ),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.AbstractEventLoopPolicy",
        reference=_LOOPS,
        summary="""
            The interface of event loop policies, the global object that decides what
            `get_event_loop()` and `new_event_loop()` return.
        """,
        pattern="""
            if __name__ == "__main__":
                asyncio.run(main(), loop_factory=uvloop.new_event_loop)
        """,
        pitfalls=("Global state: a policy set by one library affects every other.",),
        deprecated=(3, 14),
        deprecation=_POLICY_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.DefaultEventLoopPolicy",
        sources=(
            _POLICY_REMOVAL,
            Source(
                "On Windows it creates ProactorEventLoop.",
                "https://docs.python.org/3/library/asyncio-policy.html#asyncio.DefaultEventLoopPolicy",
            ),
        ),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.DefaultEventLoopPolicy",
        reference=_LOOPS,
        summary="""
            The policy in effect unless another is set: it creates SelectorEventLoop on Unix. On
            Windows it creates ProactorEventLoop.
        """,
        pattern="""
            if __name__ == "__main__":
                asyncio.run(main(), loop_factory=asyncio.new_event_loop)
        """,
        pitfalls=("Setting a policy is process-wide: every thread's new loops come from it.",),
        deprecated=(3, 14),
        deprecation=_POLICY_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.WindowsSelectorEventLoopPolicy",
        sources=(
            _POLICY_REMOVAL,
            Source(
                "A Windows policy that makes new loops SelectorEventLoops",
                "https://docs.python.org/3/library/asyncio-policy.html#asyncio.WindowsSelectorEventLoopPolicy",
            ),
            _WINDOWS_ONLY,
            Source(
                "Selector loops on Windows cannot run subprocesses.",
                "https://docs.python.org/3/library/asyncio-platforms.html#windows",
            ),
        ),
        signature="class asyncio.WindowsSelectorEventLoopPolicy()",
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.WindowsSelectorEventLoopPolicy",
        reference=_LOOPS,
        summary="""
            A Windows policy that makes new loops SelectorEventLoops (for libraries needing
            `add_reader`). Windows only.
        """,
        pattern="""
            if __name__ == "__main__":
                asyncio.run(main(), loop_factory=asyncio.SelectorEventLoop)
        """,
        pitfalls=("Selector loops on Windows cannot run subprocesses.",),
        deprecated=(3, 14),
        deprecation=_POLICY_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.WindowsProactorEventLoopPolicy",
        sources=(
            _POLICY_REMOVAL,
            Source(
                "A Windows policy that makes new loops ProactorEventLoops; the default since 3.8.",
                "https://docs.python.org/3/library/asyncio-policy.html#asyncio.DefaultEventLoopPolicy",
            ),
            _WINDOWS_ONLY,
            Source(
                "Already the default on Windows since 3.8",
                "https://docs.python.org/3/library/asyncio-policy.html#asyncio.DefaultEventLoopPolicy",
            ),
        ),
        signature="class asyncio.WindowsProactorEventLoopPolicy()",
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.WindowsProactorEventLoopPolicy",
        reference=_LOOPS,
        summary="""
            A Windows policy that makes new loops ProactorEventLoops; the default since 3.8.
            Windows only.
        """,
        pattern="""
            if __name__ == "__main__":
                asyncio.run(main(), loop_factory=asyncio.ProactorEventLoop)
        """,
        pitfalls=("Already the default on Windows since 3.8; setting it is usually redundant.",),
        deprecated=(3, 14),
        deprecation=_POLICY_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.IocpProactor",
        sources=(
            Source(
                "The I/O completion port engine behind ProactorEventLoop.",
                "Lib/asyncio/windows_events.py: IocpProactor",
            ),
            _WINDOWS_ONLY,
            Source(
                "Internal machinery: there is nothing to configure on it in normal code.",
                "Lib/asyncio/windows_events.py: IocpProactor",
            ),
        ),
        signature="class asyncio.IocpProactor(concurrency=0xffffffff)",
        facts_source="https://docs.python.org/3/library/asyncio-eventloop.html#asyncio.IocpProactor",
        reference=_LOOPS,
        summary="""
            The I/O completion port engine behind ProactorEventLoop. Windows only; not used
            directly by applications.
        """,
        pattern="""
            if __name__ == "__main__":
                asyncio.run(main(), loop_factory=asyncio.ProactorEventLoop)
        """,
        pitfalls=("Internal machinery: there is nothing to configure on it in normal code.",),
    ),
    ApiEntry(
        "asyncio.get_event_loop_policy",
        sources=(
            _POLICY_REMOVAL,
        ),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.get_event_loop_policy",
        reference=_LOOPS,
        summary="""
            Returns the process-wide event loop policy.
        """,
        pattern="""
            async def main() -> None:
                loop = asyncio.get_running_loop()
                print(type(loop).__module__)
        """,
        pitfalls=("Inspect the running loop instead of the policy to learn what is in use.",),
        deprecated=(3, 14),
        deprecation=_POLICY_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.set_event_loop_policy",
        sources=(
            _POLICY_REMOVAL,
        ),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.set_event_loop_policy",
        reference=_LOOPS,
        summary="""
            Replaces the process-wide event loop policy, the old way to switch to uvloop or to a
            selector loop on Windows.
        """,
        pattern="""
            if __name__ == "__main__":
                asyncio.run(main(), loop_factory=uvloop.new_event_loop)
        """,
        pitfalls=(
            "Process-wide: it changes the loop for every library and test in the process.",
        ),
        deprecated=(3, 14),
        deprecation=_POLICY_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.AbstractChildWatcher",
        sources=(
            Source(
                "Code that installs watchers breaks on 3.14",
                "https://docs.python.org/3.13/library/asyncio-policy.html#process-watchers",
            ),
        ),
        removed=(3, 14),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.AbstractChildWatcher",
        reference=_SUBPROCESS,
        summary="""
            The interface of child watchers, which told the Unix event loop when child processes
            exited.
        """,
        pattern="""
            async def run_tool() -> int:
                process = await asyncio.create_subprocess_exec("tool", "--check")
                return await process.wait()
        """,
        pitfalls=("Code that installs watchers breaks on 3.14, where they no longer exist.",),
        deprecation=_CHILD_WATCHER_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.SafeChildWatcher",
        sources=(
            Source(
                "A child watcher that polls every child on SIGCHLD",
                "Lib/asyncio/unix_events.py: SafeChildWatcher",
            ),
            Source(
                "O(n) per signal",
                "Lib/asyncio/unix_events.py: SafeChildWatcher",
            ),
        ),
        removed=(3, 14),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.SafeChildWatcher",
        reference=_SUBPROCESS,
        summary="""
            A child watcher that polls every child on SIGCHLD; slow with many children.
        """,
        pattern="""
            async def run_tool() -> int:
                process = await asyncio.create_subprocess_exec("tool")
                return await process.wait()
        """,
        pitfalls=("O(n) per signal; never the right choice on modern Pythons.",),
        deprecation=_CHILD_WATCHER_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.FastChildWatcher",
        sources=(
            Source(
                "A child watcher that reaps every child with `waitpid(-1)`",
                "Lib/asyncio/unix_events.py: FastChildWatcher",
            ),
            Source(
                "It reaps children it did not start",
                "Lib/asyncio/unix_events.py: FastChildWatcher",
            ),
        ),
        removed=(3, 14),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.FastChildWatcher",
        reference=_SUBPROCESS,
        summary="""
            A child watcher that reaps every child with `waitpid(-1)`, stealing exits from
            `subprocess` and `os.fork` users in the same process.
        """,
        pattern="""
            async def run_tool() -> int:
                process = await asyncio.create_subprocess_exec("tool")
                return await process.wait()
        """,
        pitfalls=("It reaps children it did not start, breaking other libraries.",),
        deprecation=_CHILD_WATCHER_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.MultiLoopChildWatcher",
        sources=(
            Source(
                "A child watcher usable from several loops",
                "Lib/asyncio/unix_events.py: MultiLoopChildWatcher",
            ),
            Source(
                "It installs a process-wide SIGCHLD handler",
                "Lib/asyncio/unix_events.py: MultiLoopChildWatcher",
            ),
        ),
        removed=(3, 14),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.MultiLoopChildWatcher",
        reference=_SUBPROCESS,
        summary="""
            A child watcher usable from several loops in different threads, using a SIGCHLD
            handler.
        """,
        pattern="""
            async def run_tool() -> int:
                process = await asyncio.create_subprocess_exec("tool")
                return await process.wait()
        """,
        pitfalls=("It installs a process-wide SIGCHLD handler that other code may replace.",),
        deprecation=_CHILD_WATCHER_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.ThreadedChildWatcher",
        sources=(
            Source(
                "One thread per running child.",
                "Lib/asyncio/unix_events.py: ThreadedChildWatcher",
            ),
        ),
        removed=(3, 14),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.ThreadedChildWatcher",
        reference=_SUBPROCESS,
        summary="""
            A child watcher that waits for each child in a dedicated thread; the default before
            pidfd support.
        """,
        pattern="""
            async def run_tool() -> int:
                process = await asyncio.create_subprocess_exec("tool")
                return await process.wait()
        """,
        pitfalls=("One thread per running child.",),
        deprecated=(3, 12),
        deprecation=_CHILD_WATCHER_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.PidfdChildWatcher",
        sources=(
            Source(
                "A child watcher using Linux pidfds (Linux 5.3+)",
                "Lib/asyncio/unix_events.py: PidfdChildWatcher",
            ),
            Source(
                "Linux only; other platforms fall back to threads.",
                "Lib/asyncio/unix_events.py: can_use_pidfd",
            ),
        ),
        removed=(3, 14),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.PidfdChildWatcher",
        reference=_SUBPROCESS,
        summary="""
            A child watcher using Linux pidfds (Linux 5.3+): no signals, no threads. The loop now
            uses this mechanism by itself where available.
        """,
        pattern="""
            async def run_tool() -> int:
                process = await asyncio.create_subprocess_exec("tool")
                return await process.wait()
        """,
        pitfalls=("Linux only; other platforms fall back to threads.",),
        deprecated=(3, 12),
        deprecation=_CHILD_WATCHER_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.get_child_watcher",
        removed=(3, 14),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.get_child_watcher",
        reference=_SUBPROCESS,
        summary="""
            Returned the current child watcher of the event loop policy.
        """,
        pattern="""
            async def run_tool() -> int:
                process = await asyncio.create_subprocess_exec("tool")
                return await process.wait()
        """,
        pitfalls=("Nothing needs it any more; remove the call.",),
        deprecation=_CHILD_WATCHER_DEPRECATION,
    ),
    ApiEntry(
        "asyncio.set_child_watcher",
        removed=(3, 14),
        facts_source="https://docs.python.org/3/library/asyncio-policy.html#asyncio.set_child_watcher",
        reference=_SUBPROCESS,
        summary="""
            Installed a child watcher on the event loop policy.
        """,
        pattern="""
            async def run_tool() -> int:
                process = await asyncio.create_subprocess_exec("tool")
                return await process.wait()
        """,
        pitfalls=("Setting a watcher from library code changes behaviour for the whole process.",),
        deprecation=_CHILD_WATCHER_DEPRECATION,
    ),
    # --- Callbacks, handles, constants ----------------------------------------------------------
    ApiEntry(
        "asyncio.Handle",
        reference=_RUNNING,
        summary="""
            Returned by `loop.call_soon()` and `call_soon_threadsafe()`: a scheduled callback
            you can `cancel()` before it runs.
        """,
        pattern="""
            async def main() -> None:
                handle = asyncio.get_running_loop().call_soon(flush_metrics)
                if shutting_down():
                    handle.cancel()
        """,
        pitfalls=(
            "Callbacks are plain functions: an exception in one is only logged by the loop's "
            "exception handler.",
        ),
        changes=(((3, 12), "new `get_context()` returning the callback's contextvars.Context."),),
    ),
    ApiEntry(
        "asyncio.TimerHandle",
        reference=_RUNNING,
        summary="""
            Returned by `loop.call_later()` and `call_at()`: a Handle with a `when()` time on the
            loop clock.
        """,
        pattern="""
            async def arm_watchdog(timeout: float) -> asyncio.TimerHandle:
                return asyncio.get_running_loop().call_later(timeout, report_stall)
        """,
        pitfalls=("Keep the handle if you may need to cancel the timer; it is the only way.",),
    ),
    ApiEntry(
        "asyncio.FIRST_COMPLETED",
        reference=_SELECTIVE_WAIT,
        summary="""
            `asyncio.wait()` option: return as soon as any awaitable finishes or is cancelled.
        """,
        pattern="""
            async def race(tasks: set[asyncio.Task]) -> asyncio.Task:
                done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                for task in pending:
                    task.cancel()
                return done.pop()
        """,
        pitfalls=("Several tasks may be in `done`; do not assume exactly one.",),
    ),
    ApiEntry(
        "asyncio.FIRST_EXCEPTION",
        reference=_SELECTIVE_WAIT,
        summary="""
            `asyncio.wait()` option: return when any awaitable raises, or when all finish.
        """,
        pattern="""
            async def fail_fast(tasks: set[asyncio.Task]) -> None:
                done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
                for task in pending:
                    task.cancel()
                for task in done:
                    task.result()
        """,
        pitfalls=(
            "Nothing is cancelled for you; a TaskGroup does fail-fast with cleanup built in.",
        ),
    ),
    ApiEntry(
        "asyncio.ALL_COMPLETED",
        reference=_SELECTIVE_WAIT,
        summary="""
            `asyncio.wait()` default: return when every awaitable has finished (or on timeout).
        """,
        pattern="""
            async def settle(tasks: set[asyncio.Task]) -> list:
                done, _ = await asyncio.wait(tasks, return_when=asyncio.ALL_COMPLETED)
                return [task.exception() for task in done]
        """,
        pitfalls=("Exceptions are not raised; inspect each done task.",),
    ),
    # --- Protocols and transports ---------------------------------------------------------------
    ApiEntry(
        "asyncio.BaseProtocol",
        reference=_TRANSPORTS,
        summary="""
            Base of all protocols: `connection_made`, `connection_lost`, and the flow-control
            hooks `pause_writing`/`resume_writing`.
        """,
        pattern="""
            class Quiet(asyncio.BaseProtocol):
                def connection_made(self, transport) -> None:
                    self.transport = transport
        """,
        pitfalls=("Protocol callbacks are synchronous: never block in them.",),
    ),
    ApiEntry(
        "asyncio.Protocol",
        reference=_TRANSPORTS,
        summary="""
            Callback interface for stream transports (TCP, TLS, pipes): `data_received(data)` and
            `eof_received()`. Streams are built on it; using it directly saves their buffering and
            task switches, at the cost of callback-style code.
        """,
        pattern="""
            class Echo(asyncio.Protocol):
                def connection_made(self, transport) -> None:
                    self.transport = transport

                def data_received(self, data: bytes) -> None:
                    self.transport.write(data)
        """,
        pitfalls=(
            "`data_received` gets arbitrary chunks, not messages: buffer and frame yourself.",
            "Respect `pause_writing()` or a slow peer makes you buffer without bound.",
        ),
    ),
    ApiEntry(
        "asyncio.BufferedProtocol",
        reference=_TRANSPORTS,
        summary="""
            A protocol that supplies its own receive buffer (`get_buffer`, `buffer_updated`), so
            the loop reads straight into it and avoids copies.
        """,
        pattern="""
            class Counter(asyncio.BufferedProtocol):
                def __init__(self) -> None:
                    self.buffer = bytearray(65536)
                    self.received = 0

                def get_buffer(self, sizehint: int) -> memoryview:
                    return memoryview(self.buffer)

                def buffer_updated(self, nbytes: int) -> None:
                    self.received += nbytes
        """,
        pitfalls=("The buffer is overwritten on the next read: consume it in `buffer_updated`.",),
    ),
    ApiEntry(
        "asyncio.DatagramProtocol",
        sources=(
            Source(
                "Flow control (`pause_writing()`) is not supported on BSD systems",
                "https://docs.python.org/3/library/asyncio-protocol.html#datagram-protocols",
            ),
        ),
        reference=_TRANSPORTS,
        summary="""
            Callback interface for UDP endpoints: `datagram_received(data, addr)` and
            `error_received(exc)`.
        """,
        pattern="""
            class Collector(asyncio.DatagramProtocol):
                def __init__(self) -> None:
                    self.packets: list[bytes] = []

                def datagram_received(self, data: bytes, addr) -> None:
                    self.packets.append(data)
        """,
        pitfalls=(
            "Flow control (`pause_writing()`) is not supported on BSD systems such as macOS, where "
            "send failures from writing too many packets cannot be detected.",
        ),
    ),
    ApiEntry(
        "asyncio.SubprocessProtocol",
        sources=(
            Source(
                "The stream-based `create_subprocess_exec()` is simpler",
                "https://docs.python.org/3/library/asyncio-subprocess.html#creating-subprocesses",
            ),
        ),
        reference=_TRANSPORTS,
        summary="""
            Callback interface for `loop.subprocess_exec()`: `pipe_data_received`,
            `pipe_connection_lost`, `process_exited`.
        """,
        pattern="""
            async def run(argv: list[str]) -> int:
                process = await asyncio.create_subprocess_exec(*argv)
                return await process.wait()
        """,
        pitfalls=("The stream-based `create_subprocess_exec()` is simpler for almost every case.",),
    ),
    ApiEntry(
        "asyncio.BaseTransport",
        sources=(
            Source(
                "Transports are created by the loop; never instantiate them.",
                "https://docs.python.org/3/library/asyncio-protocol.html#transports",
            ),
        ),
        reference=_TRANSPORTS,
        summary="""
            Base of all transports: `close()`, `is_closing()`, `get_extra_info()`.
        """,
        pattern="""
            def peer_of(transport: asyncio.BaseTransport):
                return transport.get_extra_info("peername")
        """,
        pitfalls=("Transports are created by the loop; never instantiate them.",),
    ),
    ApiEntry(
        "asyncio.Transport",
        reference=_TRANSPORTS,
        summary="""
            A bidirectional stream transport (TCP, TLS, pipes): `write()`, `write_eof()`,
            `pause_reading()`, `set_write_buffer_limits()`.
        """,
        pattern="""
            def tune(transport: asyncio.Transport) -> None:
                transport.set_write_buffer_limits(high=256 * 1024)
        """,
        pitfalls=("`write()` never blocks; the protocol must honour `pause_writing()`.",),
    ),
    ApiEntry(
        "asyncio.ReadTransport",
        reference=_TRANSPORTS,
        summary="""
            The read half of a transport: `pause_reading()`, `resume_reading()`, `is_reading()`.
        """,
        pattern="""
            def throttle(transport: asyncio.ReadTransport, backlog: int) -> None:
                if backlog > 1000:
                    transport.pause_reading()
        """,
        pitfalls=("Pausing without resuming stalls the connection silently.",),
    ),
    ApiEntry(
        "asyncio.WriteTransport",
        reference=_TRANSPORTS,
        summary="""
            The write half of a transport: `write()`, `writelines()`, `write_eof()`, buffer size
            and limits.
        """,
        pattern="""
            def send(transport: asyncio.WriteTransport, payload: bytes) -> None:
                transport.write(payload)
        """,
        pitfalls=("Check `get_write_buffer_size()` or use flow control; writes queue in memory.",),
    ),
    ApiEntry(
        "asyncio.DatagramTransport",
        reference=_TRANSPORTS,
        summary="""
            A UDP transport: `sendto(data, addr)` and `abort()`.
        """,
        pattern="""
            async def send_metric(line: bytes) -> None:
                loop = asyncio.get_running_loop()
                transport, _ = await loop.create_datagram_endpoint(
                    asyncio.DatagramProtocol, remote_addr=("127.0.0.1", 8125)
                )
                transport.sendto(line)
                transport.close()
        """,
        pitfalls=("Send errors arrive later through `error_received`, not as exceptions here.",),
    ),
    ApiEntry(
        "asyncio.SubprocessTransport",
        reference=_TRANSPORTS,
        summary="""
            The transport of a child process: `get_pid()`, `get_returncode()`,
            `get_pipe_transport(fd)`, `kill()`.
        """,
        pattern="""
            def stop(transport: asyncio.SubprocessTransport) -> None:
                if transport.get_returncode() is None:
                    transport.terminate()
        """,
        pitfalls=("Close it after the process exits, or the pipes leak.",),
    ),
    # --- Hooks for alternative Task and loop implementations ------------------------------------
    ApiEntry(
        "asyncio._enter_task",
        sources=(
            Source(
                "Only for alternative Task implementations.",
                "https://docs.python.org/3/library/asyncio-extending.html#task-lifetime-support",
            ),
        ),
        reference=_TASK_INTERNALS,
        summary="""
            Low-level hook: marks a task as the one currently running on a loop, so
            `current_task()` sees it. Only for alternative Task implementations.
        """,
        pattern="""
            task = asyncio.current_task()
        """,
        pitfalls=("Raises RuntimeError while another task is marked as running on that loop.",),
    ),
    ApiEntry(
        "asyncio._leave_task",
        sources=(
            Source(
                "Only for alternative Task implementations.",
                "https://docs.python.org/3/library/asyncio-extending.html#task-lifetime-support",
            ),
        ),
        reference=_TASK_INTERNALS,
        summary="""
            Low-level hook: clears the running task set by `_enter_task`. Only for alternative
            Task implementations.
        """,
        pattern="""
            task = asyncio.current_task()
        """,
        pitfalls=("Raises RuntimeError if the task given is not the one marked as running.",),
    ),
    ApiEntry(
        "asyncio._register_task",
        sources=(
            Source(
                "Only for alternative Task implementations.",
                "https://docs.python.org/3/library/asyncio-extending.html#task-lifetime-support",
            ),
        ),
        reference=_TASK_INTERNALS,
        summary="""
            Low-level hook: makes a foreign task visible to `asyncio.all_tasks()`. Only for
            alternative Task implementations.
        """,
        pattern="""
            pending = asyncio.all_tasks()
        """,
        pitfalls=("The registry holds tasks weakly: a registered task nobody references drops out of `all_tasks()`.",),
    ),
    ApiEntry(
        "asyncio._unregister_task",
        sources=(
            Source(
                "Only for alternative Task implementations.",
                "https://docs.python.org/3/library/asyncio-extending.html#task-lifetime-support",
            ),
        ),
        reference=_TASK_INTERNALS,
        summary="""
            Low-level hook: removes a task registered with `_register_task`. Only for
            alternative Task implementations.
        """,
        pattern="""
            pending = asyncio.all_tasks()
        """,
        pitfalls=("Unregistering a task that was never registered is silently ignored.",),
    ),
    ApiEntry(
        "asyncio._get_running_loop",
        sources=(
            Source(
                "Application code should call `asyncio.get_running_loop()`.",
                "Lib/asyncio/events.py: _get_running_loop",
            ),
        ),
        reference=_RUNNING,
        summary="""
            Low-level hook: returns the running loop or None, without raising. Application code
            should call `asyncio.get_running_loop()`.
        """,
        pattern="""
            loop = asyncio.get_running_loop()
        """,
        pitfalls=("Returning None hides mistakes that `get_running_loop()` would report.",),
    ),
    ApiEntry(
        "asyncio._set_running_loop",
        reference=_RUNNING,
        summary="""
            Low-level hook used by event loop implementations to register themselves as running
            in the current thread.
        """,
        pattern="""
            loop = asyncio.get_running_loop()
        """,
        pitfalls=("Calling it from application code corrupts the loop bookkeeping.",),
    ),
)
