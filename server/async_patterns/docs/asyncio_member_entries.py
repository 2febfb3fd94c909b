"""Hand-written hover entries for the methods and attributes of asyncio's classes.

Members a subclass inherits are documented once, on the class that defines them
("asyncio.PriorityQueue.get" is answered by "asyncio.Queue.get"; see names.py).
"""

from __future__ import annotations

from .model import ApiEntry, Source

_QUEUE = "concurrency-patterns.md#producer-and-consumer-with-queue"
_LOCK = "concurrency-patterns.md#mutual-exclusion-with-lock"
_EVENT = "concurrency-patterns.md#signalling-with-event"
_CONDITION = "concurrency-patterns.md#waiting-for-a-state-with-condition"
_SEMAPHORE = "concurrency-patterns.md#bounded-concurrency-with-semaphore"
_BARRIER = "concurrency-patterns.md#meeting-points-with-barrier"
_TASKGROUP = "concurrency-patterns.md#structured-concurrency-with-taskgroup"
_TIMEOUT = "concurrency-patterns.md#timeouts-with-timeout-and-wait_for"
_CANCELLATION = "concurrency-patterns.md#cancellation-and-shield"
_RUNNING = "concurrency-patterns.md#coroutines-tasks-and-the-event-loop"
_SYNC_BRIDGE = "mixing-sync-async.md#calling-async-code-from-sync-code"
_THREADS = "mixing-sync-async.md#calling-into-the-loop-from-other-threads"
_SUBPROCESS = "mixing-sync-async.md#subprocesses-without-blocking"
_DUMP = "debugging.md#dumping-running-tasks"
_UNRETRIEVED = "debugging.md#task-exceptions-that-were-never-retrieved"
_SHUTDOWN = "production-patterns.md#graceful-shutdown"
_STREAMS = "production-patterns.md#network-servers-with-streams"
_TRANSPORTS = "performance.md#protocols-and-transports"
_BUFFERS = "performance.md#buffer-sizes-and-flow-control"

_LOOP_NOT_THREADSAFE = "Not thread-safe: from another thread use `loop.call_soon_threadsafe()`."

ASYNCIO_MEMBER_ENTRIES: tuple[ApiEntry, ...] = (
    # --- Queue ----------------------------------------------------------------------------------
    ApiEntry(
        "asyncio.Queue.get",
        reference=_QUEUE,
        summary="Removes and returns the next item, waiting while the queue is empty.",
        pattern="""
            item = await queue.get()
            try:
                await process(item)
            finally:
                queue.task_done()
        """,
        pitfalls=(
            "Pair every `get()` with one `task_done()` in a `finally`, or `queue.join()` hangs.",
            "A consumer blocked in `get()` never notices shutdown unless you cancel it, send a "
            "sentinel, or (3.13+) call `queue.shutdown()`.",
        ),
        changes=(((3, 13), "raises QueueShutDown once the queue is shut down and empty."),),
    ),
    ApiEntry(
        "asyncio.Queue.put",
        reference=_QUEUE,
        summary="Adds an item, waiting while a bounded queue is full: this is the back-pressure.",
        pattern="""
            for job in jobs:
                await queue.put(job)
        """,
        pitfalls=(
            "On an unbounded queue (`maxsize=0`) it never waits, so the producer is never slowed.",
            "Forgetting `await` drops the item: the coroutine is created and never run.",
        ),
        changes=(((3, 13), "raises QueueShutDown after `shutdown()`."),),
    ),
    ApiEntry(
        "asyncio.Queue.get_nowait",
        reference=_QUEUE,
        summary="Returns an item immediately or raises QueueEmpty; never waits.",
        pattern="""
            try:
                item = queue.get_nowait()
            except asyncio.QueueEmpty:
                item = None
        """,
        pitfalls=("Looping on it with `sleep()` is polling; `await queue.get()` is cheaper.",),
    ),
    ApiEntry(
        "asyncio.Queue.put_nowait",
        reference=_QUEUE,
        summary="""
            Adds an item immediately or raises QueueFull. The method to call from callbacks and,
            via `loop.call_soon_threadsafe`, from other threads.
        """,
        pattern="""
            loop.call_soon_threadsafe(queue.put_nowait, event)
        """,
        pitfalls=(
            "Calling it directly from another thread wakes a waiter with a call that is not "
            "thread-safe (debug mode raises RuntimeError).",
        ),
    ),
    ApiEntry(
        "asyncio.Queue.task_done",
        reference=_QUEUE,
        summary="""
            Tells the queue one previously fetched item is fully processed; when the count of
            unfinished items reaches zero, `join()` returns.
        """,
        pattern="""
            item = await queue.get()
            try:
                await process(item)
            finally:
                queue.task_done()
        """,
        pitfalls=("Calling it more often than items were put raises ValueError.",),
    ),
    ApiEntry(
        "asyncio.Queue.join",
        reference=_QUEUE,
        summary="Waits until every item put into the queue has been marked with `task_done()`.",
        pattern="""
            await queue.join()
            for worker in workers:
                worker.cancel()
        """,
        pitfalls=(
            "If a worker dies without calling `task_done()`, `join()` waits forever; run workers in "
            "a TaskGroup so a crash surfaces.",
        ),
    ),
    ApiEntry(
        "asyncio.Queue.qsize",
        reference=_QUEUE,
        summary="Returns the number of items currently waiting in the queue.",
        pattern="""
            metrics.gauge("queue.depth", queue.qsize())
        """,
        pitfalls=("A snapshot for metrics, not a basis for decisions: it can change at the next await.",),
    ),
    ApiEntry(
        "asyncio.Queue.empty",
        reference=_QUEUE,
        summary="True if the queue holds no items right now.",
        pattern="""
            if queue.empty():
                logger.debug("idle")
        """,
        pitfalls=("`if not queue.empty(): await queue.get()` can still wait: another task may win.",),
    ),
    ApiEntry(
        "asyncio.Queue.full",
        reference=_QUEUE,
        summary="True if a bounded queue has `maxsize` items (always False when unbounded).",
        pattern="""
            if queue.full():
                metrics.increment("queue.saturated")
        """,
        pitfalls=("Use `put_nowait()` and catch QueueFull rather than check-then-put.",),
    ),
    ApiEntry(
        "asyncio.Queue.maxsize",
        signature="asyncio.Queue.maxsize: int",
        reference=_QUEUE,
        summary="The capacity given to the constructor; 0 or less means unbounded.",
        pattern="""
            queue: asyncio.Queue[bytes] = asyncio.Queue(maxsize=1000)
        """,
        pitfalls=("The default 0 is unbounded; choose a bound for any queue fed from outside.",),
    ),
    ApiEntry(
        "asyncio.Queue.shutdown",
        sources=(
            Source(
                "Before 3.13, use a sentinel per consumer or cancel the consumers.",
                "https://docs.python.org/3/library/asyncio-queue.html#examples",
            ),
        ),
        reference=_QUEUE,
        summary="""
            Shuts the queue down: further `put()` calls raise QueueShutDown, and `get()` raises
            it once the queue is drained. With `immediate=True` pending items are dropped and
            blocked getters wake at once.
        """,
        pattern="""
            for url in urls:
                await queue.put(url)
            queue.shutdown()
            await queue.join()
        """,
        pitfalls=(
            "Consumers must catch QueueShutDown around `get()` to exit their loop.",
            "Before 3.13, use a sentinel per consumer or cancel the consumers.",
        ),
    ),
    # --- Lock, Event, Condition, Semaphore, Barrier ---------------------------------------------
    ApiEntry(
        "asyncio.Lock.acquire",
        sources=(
            Source(
                "Prefer `async with lock:`.",
                "https://docs.python.org/3/library/asyncio-sync.html#asyncio.Lock",
            ),
        ),
        reference=_LOCK,
        summary="Waits until the lock is free and takes it. Prefer `async with lock:`.",
        pattern="""
            async with lock:
                await update_shared_state()
        """,
        pitfalls=(
            "A manual `acquire()` without `try/finally: release()` leaks the lock on errors.",
            "Not re-entrant: acquiring it again in the same task deadlocks.",
        ),
    ),
    ApiEntry(
        "asyncio.Lock.release",
        reference=_LOCK,
        summary="Releases the lock and wakes the next waiter.",
        pattern="""
            await lock.acquire()
            try:
                await update_shared_state()
            finally:
                lock.release()
        """,
        pitfalls=("Releasing an unlocked lock raises RuntimeError.",),
    ),
    ApiEntry(
        "asyncio.Lock.locked",
        reference=_LOCK,
        summary="True if some task holds the lock right now.",
        pattern="""
            if lock.locked():
                logger.debug("refresh already in progress")
        """,
        pitfalls=("Checking and then acquiring is a race; just `async with lock:`.",),
    ),
    ApiEntry(
        "asyncio.Event.wait",
        reference=_EVENT,
        summary="Waits until the event is set; returns True immediately if it already is.",
        pattern="""
            async with asyncio.timeout(30):
                await ready.wait()
        """,
        pitfalls=("Waits forever if nobody sets it: add a timeout for external signals.",),
    ),
    ApiEntry(
        "asyncio.Event.set",
        reference=_EVENT,
        summary="Sets the flag and wakes every task waiting on it.",
        pattern="""
            loop.call_soon_threadsafe(stop_event.set)
        """,
        pitfalls=("From another thread or a signal handler, go through `call_soon_threadsafe`.",),
    ),
    ApiEntry(
        "asyncio.Event.clear",
        reference=_EVENT,
        summary="Resets the flag so later `wait()` calls block again.",
        pattern="""
            await data_ready.wait()
            data_ready.clear()
        """,
        pitfalls=("Clearing right after waking loses sets that happened in between; a Queue does not.",),
    ),
    ApiEntry(
        "asyncio.Event.is_set",
        reference=_EVENT,
        summary="True if the flag is set.",
        pattern="""
            while not stopping.is_set():
                await do_one_job()
        """,
        pitfalls=("Polling `is_set()` with sleeps adds latency; `await event.wait()` wakes at once.",),
    ),
    ApiEntry(
        "asyncio.Condition.wait",
        reference=_CONDITION,
        summary="Releases the lock, waits for a notification, then re-acquires the lock.",
        pattern="""
            async with condition:
                while not state.ready:
                    await condition.wait()
        """,
        pitfalls=("Always re-check the state in a loop after waking; or use `wait_for()`.",),
    ),
    ApiEntry(
        "asyncio.Condition.wait_for",
        reference=_CONDITION,
        summary="Waits until `predicate()` is true, re-checking after each notification.",
        pattern="""
            async with condition:
                await condition.wait_for(lambda: len(buffer) >= batch_size)
                batch = buffer[:batch_size]
        """,
        pitfalls=("The predicate must read shared state only; it runs with the lock held.",),
    ),
    ApiEntry(
        "asyncio.Condition.notify",
        reference=_CONDITION,
        summary="Wakes up to `n` (default 1) tasks waiting on the condition.",
        pattern="""
            async with condition:
                buffer.append(item)
                condition.notify()
        """,
        pitfalls=("Must hold the lock (`async with condition:`), or RuntimeError.",),
    ),
    ApiEntry(
        "asyncio.Condition.notify_all",
        reference=_CONDITION,
        summary="Wakes every task waiting on the condition.",
        pattern="""
            async with condition:
                state.closed = True
                condition.notify_all()
        """,
        pitfalls=("Must hold the lock; and every woken task re-acquires it one by one.",),
    ),
    ApiEntry(
        "asyncio.Semaphore.acquire",
        sources=(
            Source(
                "Prefer `async with`.",
                "https://docs.python.org/3/library/asyncio-sync.html#asyncio.Semaphore",
            ),
        ),
        reference=_SEMAPHORE,
        summary="Waits until the counter is above zero, then decrements it. Prefer `async with`.",
        pattern="""
            async with semaphore:
                return await fetch(url)
        """,
        pitfalls=("A manual acquire without `finally: release()` shrinks the pool on every error.",),
    ),
    ApiEntry(
        "asyncio.Semaphore.release",
        reference=_SEMAPHORE,
        summary="Increments the counter and wakes a waiter.",
        pattern="""
            await semaphore.acquire()
            try:
                await fetch(url)
            finally:
                semaphore.release()
        """,
        pitfalls=("Extra releases raise the limit silently; BoundedSemaphore raises ValueError.",),
    ),
    ApiEntry(
        "asyncio.Semaphore.locked",
        reference=_SEMAPHORE,
        summary="True if `acquire()` would wait right now (the counter is zero).",
        pattern="""
            if semaphore.locked():
                metrics.increment("throttled")
        """,
        pitfalls=("A snapshot; acquiring afterwards may still wait.",),
    ),
    ApiEntry(
        "asyncio.Barrier.wait",
        reference=_BARRIER,
        summary="""
            Waits until all parties have called `wait()`; returns a distinct index (0 to
            parties - 1) to each, so one of them can do once-per-round work.
        """,
        pattern="""
            if await barrier.wait() == 0:
                logger.info("round complete")
        """,
        pitfalls=("Raises BrokenBarrierError if the barrier is broken or reset while waiting.",),
    ),
    ApiEntry(
        "asyncio.Barrier.reset",
        reference=_BARRIER,
        summary="Returns the barrier to its empty state; current waiters get BrokenBarrierError.",
        pattern="""
            await barrier.reset()
        """,
        pitfalls=("It is a coroutine: without `await` nothing is reset.",),
    ),
    ApiEntry(
        "asyncio.Barrier.abort",
        reference=_BARRIER,
        summary="Breaks the barrier: current and future `wait()` calls raise BrokenBarrierError.",
        pattern="""
            await barrier.abort()
        """,
        pitfalls=("Stays broken until `reset()`.",),
    ),
    ApiEntry(
        "asyncio.Barrier.parties",
        signature="asyncio.Barrier.parties: int",
        reference=_BARRIER,
        summary="The number of tasks that must call `wait()` to pass the barrier.",
        pattern="""
            barrier = asyncio.Barrier(len(shards))
        """,
        pitfalls=("Fixed at construction; it cannot grow with the number of workers.",),
    ),
    ApiEntry(
        "asyncio.Barrier.n_waiting",
        signature="asyncio.Barrier.n_waiting: int",
        reference=_BARRIER,
        summary="How many tasks are currently waiting at the barrier.",
        pattern="""
            logger.debug("%d/%d arrived", barrier.n_waiting, barrier.parties)
        """,
        pitfalls=("Diagnostic only; it changes at every await.",),
    ),
    ApiEntry(
        "asyncio.Barrier.broken",
        signature="asyncio.Barrier.broken: bool",
        reference=_BARRIER,
        summary="True if `abort()` broke the barrier; cancelling a waiter does not break it.",
        pattern="""
            if barrier.broken:
                await barrier.reset()
        """,
        pitfalls=("Check it before reusing a barrier after a failure.",),
    ),
    # --- Future and Task ------------------------------------------------------------------------
    ApiEntry(
        "asyncio.Future.result",
        reference=_RUNNING,
        summary="""
            Returns the result of a done future or task; raises its exception, CancelledError if
            cancelled, or InvalidStateError if not done yet.
        """,
        pattern="""
            async with asyncio.TaskGroup() as tg:
                task = tg.create_task(compute())
            value = task.result()
        """,
        pitfalls=(
            "Calling it on a pending future raises InvalidStateError; await the future instead.",
            "`concurrent.futures.Future.result()` is a different method that blocks the thread.",
        ),
    ),
    ApiEntry(
        "asyncio.Future.exception",
        reference=_UNRETRIEVED,
        summary="Returns the exception of a done future or task (None if it succeeded).",
        pattern="""
            for task in done:
                if task.exception() is not None:
                    logger.error("failed", exc_info=task.exception())
        """,
        pitfalls=("Raises CancelledError for a cancelled task; check `cancelled()` first.",),
    ),
    ApiEntry(
        "asyncio.Future.done",
        reference=_RUNNING,
        summary="True once the future has a result, an exception, or was cancelled.",
        pattern="""
            if not future.done():
                future.set_result(value)
        """,
        pitfalls=("A polling loop on `done()` burns CPU; await the future.",),
    ),
    ApiEntry(
        "asyncio.Future.cancelled",
        reference=_CANCELLATION,
        summary="True if the future or task was cancelled.",
        pattern="""
            outcomes = [task.cancelled() or task.exception() is None for task in done]
        """,
        pitfalls=("A task that caught CancelledError and returned normally is not `cancelled()`.",),
    ),
    ApiEntry(
        "asyncio.Future.cancel",
        reference=_CANCELLATION,
        summary="""
            Cancels the future (for a Task: requests cancellation by throwing CancelledError into
            the coroutine at its next await). Returns False if already done.
        """,
        pattern="""
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        """,
        pitfalls=(
            "Returns immediately; the task is not finished until you await it.",
            "Suppressing CancelledError when awaiting a task you cancelled is fine; suppressing "
            "your own cancellation is not.",
        ),
    ),
    ApiEntry(
        "asyncio.Future.add_done_callback",
        signature="def asyncio.Future.add_done_callback(callback, *, context=None)",
        reference=_UNRETRIEVED,
        summary="""
            Schedules `callback(future)` to run (via `call_soon`) when the future completes;
            immediately scheduled if it already has.
        """,
        pattern="""
            task = asyncio.create_task(refresh_cache())
            background_tasks.add(task)
            task.add_done_callback(background_tasks.discard)
        """,
        pitfalls=(
            "The callback is synchronous and its exceptions only reach the loop's exception "
            "handler.",
            "It does not retrieve the exception for you: call `task.exception()` in it if failures "
            "matter.",
        ),
    ),
    ApiEntry(
        "asyncio.Future.remove_done_callback",
        reference=_RUNNING,
        summary="Removes every registration of `callback`; returns how many were removed.",
        pattern="""
            future.remove_done_callback(on_done)
        """,
        pitfalls=("Compares with `==`: bound methods of the same object match, but a second lambda never does.",),
    ),
    ApiEntry(
        "asyncio.Future.set_result",
        sources=(
            Source(
                "Not thread-safe: from another thread use `loop.call_soon_threadsafe()`.",
                "https://docs.python.org/3/library/asyncio-future.html#asyncio.Future",
            ),
        ),
        reference=_THREADS,
        summary="Marks the future done with a result and schedules its callbacks.",
        pattern="""
            if not future.done():
                future.set_result(payload)
        """,
        pitfalls=(
            "Raises InvalidStateError if already done, e.g. after a timeout cancelled it.",
            "On a Task it raises RuntimeError: tasks get results from their coroutine.",
            _LOOP_NOT_THREADSAFE,
        ),
    ),
    ApiEntry(
        "asyncio.Future.set_exception",
        reference=_THREADS,
        summary="Marks the future done with an exception that awaiting it will raise.",
        pattern="""
            if not future.done():
                future.set_exception(ConnectionError("peer went away"))
        """,
        pitfalls=(
            "Do not pass StopIteration: Python 3.10-3.12 raise TypeError, 3.13 stores a "
            "RuntimeError caused by it instead.",
            "If nobody awaits the future, the exception is only logged at garbage collection.",
        ),
    ),
    ApiEntry(
        "asyncio.Future.get_loop",
        reference=_RUNNING,
        summary="Returns the event loop the future or task is bound to.",
        pattern="""
            future.get_loop().call_soon_threadsafe(future.set_result, value)
        """,
        pitfalls=("Futures cannot move between loops; awaiting one from another loop fails.",),
    ),
    ApiEntry(
        "asyncio.Task.cancel",
        reference=_CANCELLATION,
        summary="""
            Requests cancellation: CancelledError (with the optional `msg`) is thrown into the
            coroutine at its next await. Returns False if the task is already done.
        """,
        pattern="""
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        """,
        pitfalls=(
            "Cancellation is cooperative: a coroutine that catches CancelledError and carries on "
            "ignores it.",
            "Await the task after cancelling so clean-up finishes before you move on.",
        ),
        changes=((
            (3, 9),
            "the `msg` given to `cancel()` becomes the argument of the CancelledError the coroutine sees.",
        ),),
    ),
    ApiEntry(
        "asyncio.Task.cancelling",
        sources=(
            Source(
                "Nonzero means someone wants this task to stop",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.Task.uncancel",
            ),
        ),
        reference=_CANCELLATION,
        summary="""
            Returns the number of pending cancellation requests (calls to `cancel()` not yet
            matched by `uncancel()`). Lets code tell its own cancellation from a timeout's.
        """,
        pattern="""
            try:
                await serve()
            except asyncio.CancelledError:
                if asyncio.current_task().cancelling():
                    logger.info("stopping on request")
                raise
        """,
        pitfalls=("Nonzero means someone wants this task to stop: do not swallow the error then.",),
    ),
    ApiEntry(
        "asyncio.Task.uncancel",
        sources=(
            Source(
                "Application code should almost never call it",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.Task.uncancel",
            ),
        ),
        reference=_CANCELLATION,
        summary="""
            Decrements the count of cancellation requests. For structured-concurrency helpers
            (timeout, TaskGroup) that cancel a task and then absorb that cancellation themselves.
        """,
        pattern="""
            if task.uncancel() == 0:
                raise TimeoutError
        """,
        pitfalls=("Application code should almost never call it; it undoes someone's request to stop.",),
    ),
    ApiEntry(
        "asyncio.Task.get_name",
        sources=(
            Source(
                "Default names say nothing",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task",
            ),
        ),
        reference=_DUMP,
        summary="Returns the task's name (default `Task-N`), shown in reprs, logs and task dumps.",
        pattern="""
            logger.info("running in %s", asyncio.current_task().get_name())
        """,
        pitfalls=("Default names say nothing; pass `name=` to `create_task` for anything long-lived.",),
    ),
    ApiEntry(
        "asyncio.Task.set_name",
        sources=(
            Source(
                "Prefer `create_task(..., name=...)`",
                "https://docs.python.org/3/library/asyncio-task.html#asyncio.create_task",
            ),
        ),
        reference=_DUMP,
        summary="Renames the task; the name shows in its repr, in task dumps and in log records.",
        pattern="""
            asyncio.current_task().set_name(f"conn-{peer}")
        """,
        pitfalls=("Prefer `create_task(..., name=...)` so the name is right from the start.",),
    ),
    ApiEntry(
        "asyncio.Task.get_coro",
        reference=_DUMP,
        summary="Returns the coroutine object the task wraps.",
        pattern="""
            coroutine_name = task.get_coro().__qualname__
        """,
        pitfalls=(
            "Returns None for eager tasks that already finished (3.12+); on 3.12.0 to 3.12.4 that "
            "call crashes the interpreter (fixed in 3.12.5).",
        ),
    ),
    ApiEntry(
        "asyncio.Task.get_context",
        reference=_DUMP,
        summary="Returns the contextvars.Context the task runs in.",
        pattern="""
            request_id = task.get_context().get(request_id_var)
        """,
        pitfalls=("Each task gets a copy of the creator's context; changes do not flow back.",),
    ),
    ApiEntry(
        "asyncio.Task.get_stack",
        reference=_DUMP,
        summary="Returns the frames where the task is suspended (or the traceback if it failed).",
        pattern="""
            for frame in task.get_stack(limit=3):
                logger.debug("%s:%d", frame.f_code.co_filename, frame.f_lineno)
        """,
        pitfalls=("Only the task's own coroutine frame is available, not the full await chain.",),
    ),
    ApiEntry(
        "asyncio.Task.print_stack",
        reference=_DUMP,
        summary="Prints where the task is suspended; the quick way to see what a stuck task waits on.",
        pattern="""
            for task in asyncio.all_tasks():
                task.print_stack(limit=5)
        """,
        pitfalls=("Writes to stderr by default; pass `file=` to send it to your log.",),
    ),
    # --- TaskGroup, Timeout, Runner -------------------------------------------------------------
    ApiEntry(
        "asyncio.TaskGroup.create_task",
        reference=_TASKGROUP,
        summary="""
            Creates a task owned by the group: the `async with` block waits for it, and its
            failure cancels the group's other tasks.
        """,
        pattern="""
            async with asyncio.TaskGroup() as tg:
                users = tg.create_task(fetch_users())
                teams = tg.create_task(fetch_teams())
            render(users.result(), teams.result())
        """,
        pitfalls=(
            "Raises RuntimeError once the group is shutting down (a task failed) or finished.",
            "The refused coroutine is closed since 3.13; before, it is left unawaited and warns "
            "that it was never awaited.",
        ),
    ),
    ApiEntry(
        "asyncio.Timeout.when",
        reference=_TIMEOUT,
        summary="Returns the deadline on the loop clock, or None when there is none.",
        pattern="""
            async with asyncio.timeout(10) as deadline:
                remaining = deadline.when() - asyncio.get_running_loop().time()
        """,
        pitfalls=("It is `loop.time()`, not wall-clock time.",),
    ),
    ApiEntry(
        "asyncio.Timeout.reschedule",
        reference=_TIMEOUT,
        summary="Moves the deadline (absolute, on the loop clock), or removes it with None.",
        pattern="""
            async with asyncio.timeout(None) as deadline:
                deadline.reschedule(asyncio.get_running_loop().time() + 5)
                await work()
        """,
        pitfalls=("Takes an absolute time; passing a duration sets a deadline in the past.",),
    ),
    ApiEntry(
        "asyncio.Timeout.expired",
        reference=_TIMEOUT,
        summary="True if the deadline passed and the block was cancelled by it.",
        pattern="""
            try:
                async with asyncio.timeout(5) as deadline:
                    await work()
            except TimeoutError:
                assert deadline.expired()
        """,
        pitfalls=("Only meaningful after the block has exited.",),
    ),
    ApiEntry(
        "asyncio.Runner.run",
        reference=_SYNC_BRIDGE,
        summary="Runs a coroutine to completion on the runner's loop and returns its result.",
        pattern="""
            with asyncio.Runner() as runner:
                settings = runner.run(load_settings())
                runner.run(serve(settings))
        """,
        pitfalls=("Raises RuntimeError when called from a running loop.",),
    ),
    ApiEntry(
        "asyncio.Runner.close",
        reference=_SYNC_BRIDGE,
        summary="Cancels remaining tasks, shuts down async generators and the executor, closes the loop.",
        pattern="""
            runner = asyncio.Runner()
            try:
                runner.run(main())
            finally:
                runner.close()
        """,
        pitfalls=("The `with` statement calls it for you; a forgotten close leaks the loop.",),
    ),
    ApiEntry(
        "asyncio.Runner.get_loop",
        reference=_SYNC_BRIDGE,
        summary="Returns the runner's event loop, creating it if needed.",
        pattern="""
            with asyncio.Runner() as runner:
                runner.get_loop().set_debug(True)
                runner.run(main())
        """,
        pitfalls=("Do not run or close the loop yourself; the runner owns it.",),
    ),
    # --- Handles --------------------------------------------------------------------------------
    ApiEntry(
        "asyncio.Handle.cancel",
        reference=_RUNNING,
        summary="Cancels the scheduled callback; no effect if it already ran.",
        pattern="""
            handle = loop.call_later(30, expire_session, session_id)
            handle.cancel()
        """,
        pitfalls=("Cancelling after the callback ran is silently a no-op.",),
    ),
    ApiEntry(
        "asyncio.Handle.cancelled",
        reference=_RUNNING,
        summary="True if the callback was cancelled.",
        pattern="""
            if not handle.cancelled():
                handle.cancel()
        """,
        pitfalls=("False for a callback that already ran: it was not cancelled.",),
    ),
    ApiEntry(
        "asyncio.Handle.get_context",
        reference=_RUNNING,
        summary="Returns the contextvars.Context the callback will run in.",
        pattern="""
            context = handle.get_context()
        """,
        pitfalls=("The context was copied when the callback was scheduled.",),
    ),
    ApiEntry(
        "asyncio.TimerHandle.when",
        reference=_RUNNING,
        summary="Returns the time (on the loop clock) the callback is scheduled for.",
        pattern="""
            seconds_left = handle.when() - loop.time()
        """,
        pitfalls=("Loop clock, not wall-clock time.",),
    ),
    # --- Streams --------------------------------------------------------------------------------
    ApiEntry(
        "asyncio.StreamReader.read",
        reference=_STREAMS,
        summary="""
            Reads up to `n` bytes (default -1: until EOF). Returns b"" at EOF.
        """,
        pattern="""
            while chunk := await reader.read(64 * 1024):
                await sink.write(chunk)
        """,
        pitfalls=(
            "`read()` with no argument buffers the whole stream in memory.",
            "Returns fewer bytes than asked; use `readexactly()` for fixed-size fields.",
        ),
    ),
    ApiEntry(
        "asyncio.StreamReader.readline",
        reference=_STREAMS,
        summary="Reads one line ending in b\"\\n\"; returns what is left (maybe b\"\") at EOF.",
        pattern="""
            async with asyncio.timeout(30):
                line = await reader.readline()
        """,
        pitfalls=("Lines over the buffer limit raise ValueError; raise `limit=` when opening.",),
    ),
    ApiEntry(
        "asyncio.StreamReader.readexactly",
        reference=_STREAMS,
        summary="Reads exactly `n` bytes or raises IncompleteReadError at EOF.",
        pattern="""
            header = await reader.readexactly(4)
            body = await reader.readexactly(int.from_bytes(header, "big"))
        """,
        pitfalls=(
            "It buffers up to `n` bytes whatever the stream's limit: bound a size read from the peer "
            "before using it as `n`.",
        ),
    ),
    ApiEntry(
        "asyncio.StreamReader.readuntil",
        reference=_STREAMS,
        summary="Reads until `separator` (included) is found.",
        pattern="""
            headers = await reader.readuntil(b"\\r\\n\\r\\n")
        """,
        pitfalls=(
            "Raises LimitOverrunError past the buffer limit, IncompleteReadError at EOF.",
        ),
        changes=(((3, 13), "`separator` may be a tuple of separators."),),
    ),
    ApiEntry(
        "asyncio.StreamReader.at_eof",
        reference=_STREAMS,
        summary="True when the buffer is empty and the peer has closed its side.",
        pattern="""
            while not reader.at_eof():
                await handle(await reader.readline())
        """,
        pitfalls=("False while data is still buffered, even after the peer has closed.",),
    ),
    ApiEntry(
        "asyncio.StreamReader.exception",
        reference=_STREAMS,
        summary="Returns the exception set on the reader by its protocol, if any.",
        pattern="""
            if reader.exception() is not None:
                raise reader.exception()
        """,
        pitfalls=("Reads raise it anyway; this is for inspection only.",),
    ),
    ApiEntry(
        "asyncio.StreamReader.feed_data",
        reference=_TRANSPORTS,
        summary="Appends bytes to the reader's buffer; how protocols (and tests) feed a StreamReader.",
        pattern="""
            reader = asyncio.StreamReader()
            reader.feed_data(b"hello\\n")
            reader.feed_eof()
            assert await reader.readline() == b"hello\\n"
        """,
        pitfalls=("Data fed after `feed_eof()` trips an internal assertion: feed everything first.",),
    ),
    ApiEntry(
        "asyncio.StreamReader.feed_eof",
        reference=_TRANSPORTS,
        summary="Marks the end of the stream; pending and later reads return what is buffered.",
        pattern="""
            reader.feed_eof()
        """,
        pitfalls=("Without it, readers wait forever for more data.",),
    ),
    ApiEntry(
        "asyncio.StreamReader.set_exception",
        sources=(
            Source(
                "Used by protocols.",
                "Lib/asyncio/streams.py: StreamReaderProtocol.connection_lost",
            ),
            Source(
                "Part of the protocol-facing side; application code rarely calls it.",
                "Lib/asyncio/streams.py: StreamReaderProtocol.connection_lost",
            ),
        ),
        reference=_TRANSPORTS,
        summary="Makes pending and later reads raise the given exception. Used by protocols.",
        pattern="""
            reader.set_exception(ConnectionResetError())
        """,
        pitfalls=("Part of the protocol-facing side; application code rarely calls it.",),
    ),
    ApiEntry(
        "asyncio.StreamReader.set_transport",
        reference=_TRANSPORTS,
        summary="Attaches the transport the reader pauses and resumes for flow control.",
        pattern="""
            reader.set_transport(transport)
        """,
        pitfalls=("Set once by the protocol; a second call raises.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.write",
        sources=(
            Source(
                "Follow it with `await writer.drain()`.",
                "https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.write",
            ),
        ),
        reference=_BUFFERS,
        summary="Buffers bytes for sending; never blocks. Follow it with `await writer.drain()`.",
        pattern="""
            writer.write(payload)
            await writer.drain()
        """,
        pitfalls=("Without `drain()` the buffer grows without limit when the peer is slow.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.writelines",
        reference=_BUFFERS,
        summary="Buffers a sequence of byte strings; like several `write()` calls.",
        pattern="""
            writer.writelines([header, body])
            await writer.drain()
        """,
        pitfalls=("Items must be bytes; there is no newline added.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.drain",
        reference=_BUFFERS,
        summary="Waits until the write buffer is below its high-water mark: the stream's back-pressure.",
        pattern="""
            for chunk in chunks:
                writer.write(chunk)
                await writer.drain()
        """,
        pitfalls=("Raises the connection's error (e.g. ConnectionResetError) if the peer went away.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.close",
        sources=(
            Source(
                "Follow it with `await wait_closed()`.",
                "https://docs.python.org/3/library/asyncio-stream.html#asyncio.StreamWriter.close",
            ),
        ),
        reference=_STREAMS,
        summary="Starts closing the stream and its socket. Follow it with `await wait_closed()`.",
        pattern="""
            writer.close()
            await writer.wait_closed()
        """,
        pitfalls=("Not a coroutine; the close completes later.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.wait_closed",
        reference=_STREAMS,
        summary="Waits until the stream is really closed, and surfaces errors from closing.",
        pattern="""
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
        """,
        pitfalls=("Can raise the connection's error; suppress ConnectionError where that is expected.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.is_closing",
        reference=_STREAMS,
        summary="True if the stream is closed or being closed.",
        pattern="""
            if not writer.is_closing():
                writer.write(b"bye\\n")
        """,
        pitfalls=("Writing to a closing stream is silently ignored or raises later.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.get_extra_info",
        reference=_STREAMS,
        summary="Returns transport details: \"peername\", \"sockname\", \"socket\", \"ssl_object\", ...",
        pattern="""
            host, port = writer.get_extra_info("peername")[:2]
        """,
        pitfalls=("Returns the default (None) for keys the transport does not know.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.write_eof",
        reference=_STREAMS,
        summary="Closes the write half after flushing, leaving the read half open.",
        pattern="""
            if writer.can_write_eof():
                writer.write_eof()
        """,
        pitfalls=("TLS streams cannot half-close; check `can_write_eof()`.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.can_write_eof",
        reference=_STREAMS,
        summary="True if the transport supports `write_eof()`.",
        pattern="""
            if writer.can_write_eof():
                writer.write_eof()
        """,
        pitfalls=("False for TLS connections.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.start_tls",
        reference=_STREAMS,
        summary="Upgrades an open connection to TLS in place (STARTTLS-style protocols).",
        pattern="""
            await writer.start_tls(ssl.create_default_context(), server_hostname=host)
        """,
        pitfalls=("It awaits `drain()` itself first, so earlier plaintext writes go out before the handshake.",),
    ),
    ApiEntry(
        "asyncio.StreamWriter.transport",
        signature="asyncio.StreamWriter.transport: asyncio.Transport",
        reference=_TRANSPORTS,
        summary="The underlying transport, for flow-control tuning and low-level details.",
        pattern="""
            writer.transport.set_write_buffer_limits(high=256 * 1024)
        """,
        pitfalls=(
            "`writer.write()` is the transport's `write()`; the buffer limits set here decide when "
            "`drain()` waits.",
        ),
    ),
    # --- Server ---------------------------------------------------------------------------------
    ApiEntry(
        "asyncio.Server.serve_forever",
        reference=_STREAMS,
        summary="Accepts connections until cancelled, then closes the server.",
        pattern="""
            async with server:
                await server.serve_forever()
        """,
        pitfalls=("Only one `serve_forever()` per server; a second raises RuntimeError.",),
    ),
    ApiEntry(
        "asyncio.Server.close",
        reference=_SHUTDOWN,
        summary="Stops listening. Existing connections stay open (until 3.13's `close_clients`).",
        pattern="""
            server.close()
            await server.wait_closed()
        """,
        pitfalls=("Not a coroutine; follow it with `await server.wait_closed()`.",),
    ),
    ApiEntry(
        "asyncio.Server.wait_closed",
        reference=_SHUTDOWN,
        summary="Waits until the server is closed and (since 3.12) its connections are gone.",
        pattern="""
            server.close()
            await server.wait_closed()
        """,
        pitfalls=("Since 3.12 it waits for open connections: close them, or it can hang.",),
        changes=(((3, 12), "waits for all active connections to close."),),
    ),
    ApiEntry(
        "asyncio.Server.start_serving",
        reference=_STREAMS,
        summary="Starts accepting connections without blocking (when created with `start_serving=False`).",
        pattern="""
            await server.start_serving()
        """,
        pitfalls=("Servers start serving on creation by default; this is rarely needed.",),
    ),
    ApiEntry(
        "asyncio.Server.is_serving",
        reference=_STREAMS,
        summary="True while the server accepts connections.",
        pattern="""
            healthy = server.is_serving()
        """,
        pitfalls=("A serving socket says nothing about the health of the handlers.",),
    ),
    ApiEntry(
        "asyncio.Server.sockets",
        signature="asyncio.Server.sockets: tuple[socket.socket, ...]",
        reference=_STREAMS,
        summary="The listening sockets; read the real port after binding port 0.",
        pattern="""
            port = server.sockets[0].getsockname()[1]
        """,
        pitfalls=("Do not read from or close these sockets yourself.",),
    ),
    ApiEntry(
        "asyncio.Server.get_loop",
        reference=_STREAMS,
        summary="Returns the loop the server runs on.",
        pattern="""
            loop = server.get_loop()
        """,
        pitfalls=("Servers cannot be used from another loop.",),
    ),
    ApiEntry(
        "asyncio.Server.close_clients",
        reference=_SHUTDOWN,
        summary="Closes every connection the server accepted (gracefully, after buffered writes).",
        pattern="""
            server.close()
            server.close_clients()
            await server.wait_closed()
        """,
        pitfalls=("Before 3.13, track writers in a set and close them yourself.",),
    ),
    ApiEntry(
        "asyncio.Server.abort_clients",
        reference=_SHUTDOWN,
        summary="Aborts every accepted connection at once, dropping unsent data.",
        pattern="""
            server.close()
            server.abort_clients()
        """,
        pitfalls=("Data still buffered is lost; try `close_clients()` with a timeout first.",),
    ),
    # --- Subprocess -----------------------------------------------------------------------------
    ApiEntry(
        "asyncio.subprocess.Process",
        reference=_SUBPROCESS,
        summary="""
            A child process started by `create_subprocess_exec`/`_shell`, with stream pipes and
            awaitable `wait()` and `communicate()`.
        """,
        pattern="""
            process = await asyncio.create_subprocess_exec("ls", stdout=asyncio.subprocess.PIPE)
            output, _ = await process.communicate()
        """,
        pitfalls=(
            "After `kill()`, `await process.wait()` before reading `returncode`: the loop notices the "
            "exit only at a later iteration.",
        ),
    ),
    ApiEntry(
        "asyncio.subprocess.Process.wait",
        reference=_SUBPROCESS,
        summary="Waits for the process to exit and returns its return code.",
        pattern="""
            try:
                async with asyncio.timeout(60):
                    code = await process.wait()
            except TimeoutError:
                process.kill()
                code = await process.wait()
        """,
        pitfalls=("Deadlocks with `stdout=PIPE` if the output fills the pipe: use `communicate()`.",),
    ),
    ApiEntry(
        "asyncio.subprocess.Process.communicate",
        reference=_SUBPROCESS,
        summary="Sends `input`, reads stdout and stderr to EOF and waits for exit; returns `(stdout, stderr)`.",
        pattern="""
            stdout, stderr = await process.communicate(input=b"data")
        """,
        pitfalls=(
            "Buffers all output in memory; stream `process.stdout` for large outputs.",
            "Needs `stdin=PIPE` to send input and `stdout=PIPE` to capture output.",
        ),
    ),
    ApiEntry(
        "asyncio.subprocess.Process.send_signal",
        reference=_SUBPROCESS,
        summary="Sends a signal to the child process.",
        pattern="""
            process.send_signal(signal.SIGINT)
            await process.wait()
        """,
        pitfalls=("Raises ProcessLookupError if the process already exited.",),
    ),
    ApiEntry(
        "asyncio.subprocess.Process.terminate",
        reference=_SUBPROCESS,
        summary="Asks the process to stop (SIGTERM on Unix, TerminateProcess on Windows).",
        pattern="""
            process.terminate()
            try:
                async with asyncio.timeout(10):
                    await process.wait()
            except TimeoutError:
                process.kill()
                await process.wait()
        """,
        pitfalls=("Not a coroutine and does not wait: follow with `await process.wait()`.",),
    ),
    ApiEntry(
        "asyncio.subprocess.Process.kill",
        reference=_SUBPROCESS,
        summary="Kills the process (SIGKILL on Unix).",
        pattern="""
            process.kill()
            await process.wait()
        """,
        pitfalls=("Kills only this process, not its children (e.g. under a shell).",),
    ),
    ApiEntry(
        "asyncio.subprocess.Process.returncode",
        signature="asyncio.subprocess.Process.returncode: int | None",
        reference=_SUBPROCESS,
        summary="""
            The exit code once the loop has noticed the child exit (it reaps children itself,
            no `wait()` needed); None while it runs.
        """,
        pattern="""
            if process.returncode is None:
                process.terminate()
        """,
        pitfalls=("Negative values mean \"killed by signal -N\" on Unix.",),
    ),
    ApiEntry(
        "asyncio.subprocess.Process.pid",
        signature="asyncio.subprocess.Process.pid: int",
        facts_source="https://docs.python.org/3/library/asyncio-subprocess.html#asyncio.subprocess.Process.pid",
        reference=_SUBPROCESS,
        summary="The operating-system process id of the child, for logs and external tools.",
        pattern="""
            logger.info("started worker pid=%d", process.pid)
        """,
        pitfalls=("For a shell command it is the shell's pid.",),
    ),
    ApiEntry(
        "asyncio.subprocess.PIPE",
        reference=_SUBPROCESS,
        summary="Pass as stdin/stdout/stderr to get a stream for that pipe on the Process.",
        pattern="""
            process = await asyncio.create_subprocess_exec("cat", stdin=asyncio.subprocess.PIPE)
        """,
        pitfalls=("An unread PIPE fills up and stalls the child.",),
    ),
    ApiEntry(
        "asyncio.subprocess.STDOUT",
        reference=_SUBPROCESS,
        summary="Pass as `stderr=` to merge the child's stderr into its stdout.",
        pattern="""
            process = await asyncio.create_subprocess_exec(
                "make", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
            )
        """,
        pitfalls=("Once merged you cannot tell errors from output.",),
    ),
    ApiEntry(
        "asyncio.subprocess.DEVNULL",
        reference=_SUBPROCESS,
        summary="Pass as stdin/stdout/stderr to connect that stream to the null device.",
        pattern="""
            process = await asyncio.create_subprocess_exec("daemon", stdout=asyncio.subprocess.DEVNULL)
        """,
        pitfalls=("Discarded output is gone when you need to debug a failure.",),
    ),
)
