"""Claims about locks, events, conditions, semaphores, barriers and queues, run.

The mechanism (how sentences are found, `claim()`, `pythons()`) is described in tests/docs_claims.py.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from docs_claims import claim, pythons, run


async def settle() -> None:
    """Let every task that can run do so."""
    for _ in range(5):
        await asyncio.sleep(0)


# --- Lock ---------------------------------------------------------------------------------------------


@claim("asyncio.Lock", "`async with lock:` lets one task at a time into a critical section that spans awaits.")
@claim("asyncio.Lock", "a lock held across slow I/O serialises everything behind it.")
@claim("asyncio.Lock.acquire", "Waits until the lock is free and takes it.")
@claim("asyncio.Lock.release", "Releases the lock and wakes the next waiter.")
@claim("asyncio.Lock.locked", "True if some task holds the lock right now.")
@claim("concurrency-patterns.md", "An `asyncio.Lock` protects state that must not change between two awaits of one task.")
def test_a_lock_lets_one_task_at_a_time_through_a_section_with_awaits() -> None:
    events: list[str] = []

    async def critical(name: str, lock: asyncio.Lock) -> None:
        async with lock:
            assert lock.locked()
            events.append(f"{name} in")
            await asyncio.sleep(0.001)
            events.append(f"{name} out")

    async def main() -> None:
        lock = asyncio.Lock()
        await asyncio.gather(*(critical(name, lock) for name in "abc"))
        assert not lock.locked()

    run(main)
    assert events == ["a in", "a out", "b in", "b out", "c in", "c out"]


@claim("asyncio.Lock", "Not thread-safe and not re-entrant: acquiring it twice in the same task deadlocks.")
@claim("asyncio.Lock.acquire", "Not re-entrant: acquiring it again in the same task deadlocks.")
@claim("concurrency-patterns.md", "The lock is not re-entrant, not thread-safe, and never a `threading.Lock`")
def test_a_lock_is_neither_reentrant_nor_shared_between_loops_in_threads() -> None:
    lock = asyncio.Lock()

    async def reenter() -> None:
        async with lock:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(lock.acquire(), timeout=0.02)  # it would wait forever

    run(reenter)
    lock = asyncio.Lock()

    async def hold_contended() -> None:
        await lock.acquire()
        waiter = asyncio.ensure_future(lock.acquire())  # binds the lock to this loop
        await asyncio.sleep(0)
        errors: list[BaseException] = []

        def other_thread() -> None:
            async def contend() -> None:
                await lock.acquire()

            try:
                asyncio.run(contend())
            except RuntimeError as error:
                errors.append(error)

        thread = threading.Thread(target=other_thread)
        thread.start()
        await asyncio.to_thread(thread.join)
        lock.release()
        await waiter
        lock.release()
        assert "different event loop" in str(errors[0])

    run(hold_contended)


@claim("asyncio.Lock", "Code without an `await` between read and write needs no lock at all")
@claim("concurrency-patterns.md", "Without an `await` inside the critical section you need no lock at all: nothing else can run there.")
def test_an_update_without_await_cannot_interleave() -> None:
    counter = {"value": 0}

    async def increment() -> None:
        for _ in range(1000):
            value = counter["value"]
            counter["value"] = value + 1
            if _ % 100 == 0:
                await asyncio.sleep(0)  # between updates, never inside one

    async def main() -> None:
        await asyncio.gather(*(increment() for _ in range(10)))

    run(main)
    assert counter["value"] == 10_000


@claim("asyncio.Lock", "`threading.Lock` in async code blocks the loop while waiting.")
@claim("concurrency-patterns.md", "waiting for a thread lock blocks the whole loop.")
def test_waiting_for_a_thread_lock_blocks_the_loop() -> None:
    held = threading.Lock()
    held.acquire()

    async def main() -> list[str]:
        ran: list[str] = []
        asyncio.get_running_loop().call_soon(ran.append, "callback")
        held.acquire(timeout=0.02)
        blocked = list(ran)
        await asyncio.sleep(0)
        return blocked + ran

    assert run(main) == ["callback"]  # nothing ran during the wait, the callback only after
    held.release()


@claim("asyncio.Lock", "the lock binds to the running loop when first used, not when created.")
def test_a_lock_made_outside_a_loop_works_in_one() -> None:
    lock = asyncio.Lock()

    async def main() -> bool:
        async with lock:
            return lock.locked()

    assert run(main) is True


@claim("asyncio.Lock.acquire", "A manual `acquire()` without `try/finally: release()` leaks the lock on errors.")
@claim("asyncio.Lock.release", "Releasing an unlocked lock raises RuntimeError.")
def test_a_manual_acquire_without_finally_leaves_the_lock_held() -> None:
    async def main() -> None:
        lock = asyncio.Lock()

        async def careless() -> None:
            await lock.acquire()
            raise ValueError
            lock.release()  # never reached

        with pytest.raises(ValueError):
            await careless()
        assert lock.locked()
        lock.release()
        with pytest.raises(RuntimeError):
            lock.release()

    run(main)


@claim("asyncio.Lock.locked", "Checking and then acquiring is a race")
@claim("asyncio.Semaphore.locked", "A snapshot; acquiring afterwards may still wait.")
def test_a_free_lock_can_be_taken_between_the_check_and_the_acquire() -> None:
    async def main() -> None:
        for primitive in (asyncio.Lock(), asyncio.Semaphore(1)):
            assert not primitive.locked()
            rival = asyncio.ensure_future(primitive.acquire())
            await asyncio.sleep(0)  # any await lets the rival in
            mine = asyncio.ensure_future(primitive.acquire())
            await asyncio.sleep(0.01)
            assert rival.done() and not mine.done()
            primitive.release()
            await mine
            primitive.release()

    run(main)


@claim("concurrency-patterns.md", "Twenty concurrent callers cause a single refresh.")
def test_twenty_callers_behind_one_lock_refresh_once() -> None:
    refreshes = 0
    token: str | None = None
    lock = asyncio.Lock()

    async def get_token() -> str:
        nonlocal refreshes, token
        async with lock:
            if token is None:
                await asyncio.sleep(0.01)
                refreshes += 1
                token = "token"
            return token

    async def main() -> list[str]:
        return await asyncio.gather(*(get_token() for _ in range(20)))

    assert set(run(main)) == {"token"} and refreshes == 1


# --- Event --------------------------------------------------------------------------------------------


@claim("asyncio.Event", "A flag tasks can wait for: `await event.wait()` blocks until another task calls `event.set()`, then every waiter wakes.")
@claim("asyncio.Event", "`set()` wakes every waiter and stays set until `clear()`")
@claim("asyncio.Event.wait", "Waits until the event is set; returns True immediately if it already is.")
@claim("asyncio.Event.set", "Sets the flag and wakes every task waiting on it.")
@claim("asyncio.Event.clear", "Resets the flag so later `wait()` calls block again.")
@claim("asyncio.Event.is_set", "True if the flag is set.")
@claim("concurrency-patterns.md", "An `asyncio.Event` is a flag tasks wait on: `set()` wakes all waiters, and the flag stays set until `clear()`.")
def test_an_event_wakes_every_waiter_and_stays_set_until_cleared() -> None:
    async def main() -> None:
        event = asyncio.Event()
        waiters = [asyncio.ensure_future(event.wait()) for _ in range(3)]
        await settle()
        assert not any(waiter.done() for waiter in waiters) and not event.is_set()
        event.set()
        assert await asyncio.gather(*waiters) == [True, True, True]
        assert event.is_set() and await event.wait() is True
        event.clear()
        later = asyncio.ensure_future(event.wait())
        await settle()
        assert not later.done()
        event.set()
        await later

    run(main)


@claim("asyncio.Event", "for one-at-a-time hand-off use a Queue.")
@claim("asyncio.Event.clear", "Clearing right after waking loses sets that happened in between; a Queue does not.")
@claim("concurrency-patterns.md", "Events are not queues: sets that happen while nobody is waiting collapse into one.")
def test_sets_while_nobody_waits_collapse_where_queue_items_do_not() -> None:
    async def main() -> tuple[int, int]:
        event, queue = asyncio.Event(), asyncio.Queue()
        for _ in range(3):
            event.set()
            queue.put_nowait("signal")
        seen_events = 0
        while event.is_set():
            await event.wait()
            event.clear()
            seen_events += 1
        return seen_events, queue.qsize()

    assert run(main) == (1, 3)


@claim("asyncio.Event.wait", "Waits forever if nobody sets it")
def test_an_event_nobody_sets_is_never_done() -> None:
    async def main() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.Event().wait(), timeout=0.02)

    run(main)


@claim("asyncio.Event", "Not thread-safe: from another thread call `loop.call_soon_threadsafe(event.set)`.")
@claim("asyncio.Event.set", "From another thread or a signal handler, go through `call_soon_threadsafe`.")
@claim("concurrency-patterns.md", "From another thread, set it with `loop.call_soon_threadsafe(event.set)`.")
def test_another_thread_sets_an_event_through_call_soon_threadsafe() -> None:
    async def main() -> bool:
        loop, event = asyncio.get_running_loop(), asyncio.Event()
        thread = threading.Thread(target=loop.call_soon_threadsafe, args=(event.set,))
        thread.start()
        result = await asyncio.wait_for(event.wait(), timeout=5)
        thread.join()
        return result

    assert run(main) is True


@claim("asyncio.Event.is_set", "Polling `is_set()` with sleeps adds latency; `await event.wait()` wakes at once.")
def test_a_waiter_wakes_in_the_iteration_after_set_where_a_poller_sleeps_on() -> None:
    async def main() -> tuple[float, float]:
        loop, event = asyncio.get_running_loop(), asyncio.Event()
        woke: dict[str, float] = {}

        async def waiter() -> None:
            await event.wait()
            woke["waiter"] = loop.time()

        async def poller() -> None:
            while not event.is_set():
                await asyncio.sleep(0.05)
            woke["poller"] = loop.time()

        tasks = [asyncio.ensure_future(waiter()), asyncio.ensure_future(poller())]
        await asyncio.sleep(0.01)
        set_at = loop.time()
        event.set()
        await asyncio.gather(*tasks)
        return woke["waiter"] - set_at, woke["poller"] - set_at

    waiter_delay, poller_delay = run(main)
    assert waiter_delay < poller_delay  # the poller only notices at its next wake-up


# --- Condition ----------------------------------------------------------------------------------------


@claim("asyncio.Condition", "A lock plus a way to wait until shared state reaches some condition")
@claim("asyncio.Condition.wait", "Releases the lock, waits for a notification, then re-acquires the lock.")
@claim("asyncio.Condition.wait_for", "Waits until `predicate()` is true, re-checking after each notification.")
@claim("asyncio.Condition.wait_for", "it runs with the lock held.")
@claim("asyncio.Condition.notify_all", "Wakes every task waiting on the condition.")
@claim("concurrency-patterns.md", "A `Condition` combines a lock with \"wait until the shared state looks like this\".")
@claim("concurrency-patterns.md", "Waiters call `wait_for(predicate)` while holding the condition")
def test_a_condition_waits_for_a_predicate_with_the_lock_released_in_between() -> None:
    async def main() -> tuple[list[int], list[bool]]:
        condition = asyncio.Condition()
        items: list[int] = []
        checks: list[bool] = []

        def enough() -> bool:
            checks.append(condition.locked())
            return len(items) >= 3

        async def consumer() -> list[int]:
            async with condition:
                await condition.wait_for(enough)
                return list(items)

        waiting = asyncio.ensure_future(consumer())
        for item in range(3):
            await settle()
            assert not condition.locked()  # released while it waits
            async with condition:
                items.append(item)
                condition.notify_all()
        return await waiting, checks

    batch, checks = run(main)
    assert batch == [0, 1, 2] and len(checks) == 4 and all(checks)


@claim("asyncio.Condition", "`wait()`, `notify()` and `notify_all()` need the lock held; otherwise RuntimeError.")
@claim("asyncio.Condition.notify", "Must hold the lock (`async with condition:`), or RuntimeError.")
def test_condition_methods_without_the_lock_raise() -> None:
    async def main() -> None:
        condition = asyncio.Condition()
        for method in (condition.notify, condition.notify_all):
            with pytest.raises(RuntimeError):
                method()
        with pytest.raises(RuntimeError):
            await condition.wait()

    run(main)


@claim("asyncio.Condition", "Wake-ups can be stale (another task got there first)")
@claim("asyncio.Condition.wait", "Always re-check the state in a loop after waking; or use `wait_for()`.")
@claim("asyncio.Condition.notify_all", "every woken task re-acquires it one by one.")
def test_a_woken_waiter_can_find_the_state_already_consumed() -> None:
    async def main() -> list[str]:
        condition = asyncio.Condition()
        items: list[str] = []
        outcomes: list[str] = []
        inside = 0

        async def consumer() -> None:
            nonlocal inside
            async with condition:
                await condition.wait()
                inside += 1
                assert inside == 1 and condition.locked()
                outcomes.append(items.pop() if items else "woke to nothing")
                await asyncio.sleep(0)
                inside -= 1

        consumers = [asyncio.ensure_future(consumer()) for _ in range(2)]
        await settle()
        async with condition:
            items.append("the only item")
            condition.notify_all()
        await asyncio.gather(*consumers)
        return outcomes

    assert run(main) == ["the only item", "woke to nothing"]


@claim("asyncio.Condition.notify", "Wakes up to `n` (default 1) tasks waiting on the condition.")
def test_notify_wakes_n_waiters() -> None:
    async def main() -> list[int]:
        condition = asyncio.Condition()
        woken: list[int] = []

        async def waiter(number: int) -> None:
            async with condition:
                await condition.wait()
                woken.append(number)

        tasks = [asyncio.ensure_future(waiter(number)) for number in range(4)]
        await settle()
        counts = []
        for n in (None, 2):
            async with condition:
                condition.notify() if n is None else condition.notify(n)
            await settle()
            counts.append(len(woken))
        async with condition:
            condition.notify_all()
        await asyncio.gather(*tasks)
        return counts

    assert run(main) == [1, 3]


# --- Semaphore, BoundedSemaphore ----------------------------------------------------------------------


@claim("asyncio.Semaphore", "A counter that lets at most `value` tasks into a section at once")
@claim("asyncio.Semaphore.acquire", "Waits until the counter is above zero, then decrements it.")
@claim("asyncio.Semaphore.release", "Increments the counter and wakes a waiter.")
@claim("asyncio.Semaphore.locked", "True if `acquire()` would wait right now (the counter is zero).")
@claim("concurrency-patterns.md", "A `Semaphore(n)` lets at most `n` tasks into a section at a time")
def test_a_semaphore_counts_tasks_in() -> None:
    async def main() -> int:
        gate = asyncio.Semaphore(3)
        inside = peak = 0

        async def section() -> None:
            nonlocal inside, peak
            async with gate:
                inside += 1
                peak = max(peak, inside)
                await asyncio.sleep(0.001)
                inside -= 1

        await gate.acquire()
        await gate.acquire()
        assert not gate.locked()
        await gate.acquire()
        assert gate.locked()
        blocked = asyncio.ensure_future(gate.acquire())
        await settle()
        assert not blocked.done()
        gate.release()
        await blocked
        for _ in range(3):
            gate.release()
        await asyncio.gather(*(section() for _ in range(10)))
        return peak

    assert run(main) == 3


@claim("asyncio.Semaphore", "Calling `release()` more often than `acquire()` silently raises the limit; BoundedSemaphore catches that.")
@claim("asyncio.Semaphore.release", "Extra releases raise the limit silently; BoundedSemaphore raises ValueError.")
@claim("asyncio.BoundedSemaphore", "A Semaphore that raises ValueError when released more times than acquired")
@claim("concurrency-patterns.md", "Use `BoundedSemaphore` when you release by hand, so an extra `release()` raises instead of silently raising the limit.")
def test_an_extra_release_raises_the_limit_unless_the_semaphore_is_bounded() -> None:
    async def main() -> None:
        plain = asyncio.Semaphore(1)
        plain.release()
        await plain.acquire()
        assert not plain.locked()  # two fit now where one should
        bounded = asyncio.BoundedSemaphore(1)
        with pytest.raises(ValueError):
            bounded.release()

    run(main)


@claim("asyncio.Semaphore.acquire", "A manual acquire without `finally: release()` shrinks the pool on every error.")
@claim("asyncio.BoundedSemaphore", "Use `async with` so every acquire has exactly one release, even on errors.")
def test_errors_without_release_shrink_the_pool_where_async_with_restores_it() -> None:
    async def main() -> None:
        manual, managed = asyncio.Semaphore(2), asyncio.BoundedSemaphore(2)
        for _ in range(2):
            with pytest.raises(ValueError):
                await manual.acquire()
                raise ValueError
            with pytest.raises(ValueError):
                async with managed:
                    raise ValueError
        assert manual.locked() and not managed.locked()

    run(main)


# --- Barrier ------------------------------------------------------------------------------------------


@claim("asyncio.Barrier", "each `await barrier.wait()` blocks until all parties arrive, then all proceed together.")
@claim("asyncio.Barrier", "It resets itself for the next round.")
@claim("asyncio.Barrier.wait", "Waits until all parties have called `wait()`; returns a distinct index (0 to parties - 1) to each")
@claim("asyncio.Barrier.parties", "The number of tasks that must call `wait()` to pass the barrier.")
@claim("asyncio.Barrier.n_waiting", "How many tasks are currently waiting at the barrier.")
@claim("asyncio.Barrier.n_waiting", "Diagnostic only; it changes at every await.")
@claim("concurrency-patterns.md", "blocks each arriving task until `parties` of them have arrived, then releases them all together; it resets itself for the next round.")
@claim("concurrency-patterns.md", "It suits phased work where every worker must finish phase one before any starts phase two.")
@pythons((3, 11))
def test_a_barrier_releases_all_parties_together_round_after_round() -> None:
    async def main() -> None:
        barrier = asyncio.Barrier(3)
        log: list[str] = []

        async def worker(number: int) -> list[int]:
            indexes = []
            for phase in range(2):
                log.append(f"phase {phase} by {number}")
                indexes.append(await barrier.wait())
            return indexes

        first = asyncio.ensure_future(worker(0))
        await settle()
        assert barrier.n_waiting == 1 and barrier.parties == 3
        rest = [asyncio.ensure_future(worker(number)) for number in (1, 2)]
        results = await asyncio.gather(first, *rest)
        assert sorted(indexes[0] for indexes in results) == [0, 1, 2]
        assert sorted(indexes[1] for indexes in results) == [0, 1, 2]
        assert {entry[:7] for entry in log[:3]} == {"phase 0"} and {entry[:7] for entry in log[3:]} == {"phase 1"}
        assert barrier.n_waiting == 0

    run(main)


@claim("asyncio.Barrier", "Cancelling a waiting party does not break the barrier")
@claim("asyncio.BrokenBarrierError", "Cancelling a waiting party does not raise it in the others.")
@claim("asyncio.Barrier.broken", "True if `abort()` broke the barrier; cancelling a waiter does not break it.")
@claim("concurrency-patterns.md", "Cancelling a waiting task does not break the barrier: that task leaves and the barrier counts one waiter fewer.")
@pythons((3, 11))
def test_cancelling_a_barrier_waiter_does_not_break_it() -> None:
    async def main() -> None:
        barrier = asyncio.Barrier(3)
        first = asyncio.create_task(barrier.wait())
        second = asyncio.create_task(barrier.wait())
        await settle()
        first.cancel()
        await settle()
        assert (barrier.broken, barrier.n_waiting, second.done()) == (False, 1, False)
        replacements = [asyncio.create_task(barrier.wait()) for _ in range(2)]
        await asyncio.gather(second, *replacements)
        await barrier.abort()
        assert barrier.broken

    run(main)


@claim("asyncio.Barrier", "`abort()` releases them all with BrokenBarrierError.")
@claim("asyncio.Barrier", "a task that never arrives blocks the others forever")
@claim("asyncio.BrokenBarrierError", "Raised by `Barrier.wait()` when the barrier is broken (aborted) or reset while tasks waited.")
@claim("asyncio.BrokenBarrierError", "A broken barrier stays broken until `reset()`; later `wait()` calls fail immediately.")
@claim("asyncio.Barrier.wait", "Raises BrokenBarrierError if the barrier is broken or reset while waiting.")
@claim("asyncio.Barrier.reset", "Returns the barrier to its empty state; current waiters get BrokenBarrierError.")
@claim("asyncio.Barrier.abort", "Breaks the barrier: current and future `wait()` calls raise BrokenBarrierError.")
@claim("asyncio.Barrier.abort", "Stays broken until `reset()`.")
@claim("asyncio.Barrier.broken", "Check it before reusing a barrier after a failure.")
@claim("concurrency-patterns.md", "`abort()` breaks it, and then every waiting and later `wait()` raises `BrokenBarrierError`")
@pythons((3, 11))
def test_abort_and_reset_release_waiters_with_broken_barrier_error() -> None:
    async def main() -> None:
        barrier = asyncio.Barrier(2)
        alone = asyncio.create_task(barrier.wait())
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(asyncio.shield(alone), timeout=0.02)  # its partner never comes
        await barrier.abort()
        with pytest.raises(asyncio.BrokenBarrierError):
            await alone
        assert barrier.broken
        with pytest.raises(asyncio.BrokenBarrierError):
            await barrier.wait()
        await barrier.reset()
        assert not barrier.broken
        waiting = asyncio.create_task(barrier.wait())
        await settle()
        await barrier.reset()
        with pytest.raises(asyncio.BrokenBarrierError):
            await waiting
        assert not barrier.broken and barrier.n_waiting == 0
        pair = [asyncio.create_task(barrier.wait()) for _ in range(2)]
        assert sorted(await asyncio.gather(*pair)) == [0, 1]

    run(main)


@claim("asyncio.Barrier.reset", "It is a coroutine: without `await` nothing is reset.")
@claim("asyncio.Barrier.parties", "Fixed at construction; it cannot grow with the number of workers.")
@pythons((3, 11))
def test_reset_must_be_awaited_and_parties_is_read_only() -> None:
    import gc
    import warnings

    async def main() -> None:
        barrier = asyncio.Barrier(2)
        await barrier.abort()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            barrier.reset()  # noqa: AP201 (the missing await is the point)
            gc.collect()
        assert barrier.broken
        with pytest.raises(AttributeError):
            barrier.parties = 3

    run(main)


# --- Queue and friends --------------------------------------------------------------------------------


@claim("asyncio.Queue", "A FIFO queue for passing work between tasks.")
@claim("asyncio.Queue", "`await put()` waits when a bounded queue is full (back-pressure), `await get()` waits when it is empty")
@claim("asyncio.Queue.get", "Removes and returns the next item, waiting while the queue is empty.")
@claim("asyncio.Queue.put", "Adds an item, waiting while a bounded queue is full: this is the back-pressure.")
@claim("asyncio.Queue.qsize", "Returns the number of items currently waiting in the queue.")
@claim("asyncio.Queue.empty", "True if the queue holds no items right now.")
@claim("asyncio.Queue.full", "True if a bounded queue has `maxsize` items (always False when unbounded).")
@claim("concurrency-patterns.md", "`put()` waits when the queue is full, which slows producers down to the consumers' pace (back-pressure)")
def test_a_bounded_queue_is_fifo_and_makes_producers_and_consumers_wait() -> None:
    async def main() -> None:
        queue: asyncio.Queue[int] = asyncio.Queue(maxsize=2)
        assert queue.empty() and not queue.full()
        getter = asyncio.ensure_future(queue.get())
        await settle()
        assert not getter.done()
        await queue.put(1)
        assert await getter == 1
        await queue.put(2)
        await queue.put(3)
        assert queue.full() and queue.qsize() == 2
        putter = asyncio.ensure_future(queue.put(4))
        await settle()
        assert not putter.done()
        assert await queue.get() == 2
        await putter
        assert [queue.get_nowait() for _ in range(2)] == [3, 4]
        unbounded: asyncio.Queue[int] = asyncio.Queue()
        for number in range(100):
            unbounded.put_nowait(number)
        assert not unbounded.full()

    run(main)


@claim("asyncio.Queue", "`task_done()` with `join()` tells when every item has been processed.")
@claim("asyncio.Queue", "Every `get()` needs exactly one `task_done()` (in a `finally`), or `join()` never returns.")
@claim("asyncio.Queue.get", "Pair every `get()` with one `task_done()` in a `finally`, or `queue.join()` hangs.")
@claim("asyncio.Queue.task_done", "Tells the queue one previously fetched item is fully processed; when the count of unfinished items reaches zero, `join()` returns.")
@claim("asyncio.Queue.join", "Waits until every item put into the queue has been marked with `task_done()`.")
@claim("asyncio.Queue.join", "If a worker dies without calling `task_done()`, `join()` waits forever")
@claim("concurrency-patterns.md", "`task_done()` and `join()` tell when all the work is processed.")
def test_join_waits_for_one_task_done_per_item() -> None:
    async def main() -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        for number in range(3):
            queue.put_nowait(number)
        joined = asyncio.ensure_future(queue.join())
        for _ in range(3):
            await queue.get()
        await settle()
        assert not joined.done()  # fetched is not processed
        queue.task_done()
        queue.task_done()
        await settle()
        assert not joined.done()
        queue.task_done()
        await joined

        async def dies(queue: asyncio.Queue[int]) -> None:
            await queue.get()
            raise ValueError("the worker died")

        queue.put_nowait(1)
        worker = asyncio.ensure_future(dies(queue))
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(queue.join(), timeout=0.02)
        with pytest.raises(ValueError):
            await worker

    run(main)


@claim("asyncio.Queue.join", "run workers in a TaskGroup so a crash surfaces.")
@pythons((3, 11))
def test_a_crashing_worker_in_a_task_group_ends_the_wait_for_join() -> None:
    async def main() -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        queue.put_nowait(1)

        async def dies() -> None:
            await queue.get()
            raise ValueError("the worker died")

        with pytest.raises(ExceptionGroup):
            async with asyncio.TaskGroup() as group:
                group.create_task(dies())
                await queue.join()

    run(main)


@claim("asyncio.Queue", "`maxsize=0` (the default) is unbounded: a fast producer fills memory, so bound it.")
@claim("asyncio.Queue.maxsize", "The capacity given to the constructor; 0 or less means unbounded.")
@claim("asyncio.Queue.maxsize", "The default 0 is unbounded")
@claim("asyncio.Queue.put", "On an unbounded queue (`maxsize=0`) it never waits")
@claim("asyncio.QueueFull", "An unbounded queue never raises it")
def test_an_unbounded_queue_never_makes_the_producer_wait() -> None:
    async def main() -> None:
        for queue in (asyncio.Queue(), asyncio.Queue(maxsize=-1)):
            assert queue.maxsize <= 0
            for number in range(10_000):
                put = queue.put(number)
                with pytest.raises(StopIteration):
                    put.send(None)  # finished in its first step: it never suspended
            assert queue.qsize() == 10_000 and not queue.full()
        assert asyncio.Queue(maxsize=7).maxsize == 7

    run(main)


@claim("asyncio.Queue", "Not thread-safe: threads feed it with `loop.call_soon_threadsafe(queue.put_nowait, item)`.")
@claim("asyncio.Queue.put_nowait", "The method to call from callbacks and, via `loop.call_soon_threadsafe`, from other threads.")
@claim("mixing-sync-async.md", "Threads that produce events feed a queue the same way")
def test_a_thread_feeds_a_queue_through_call_soon_threadsafe() -> None:
    async def main() -> list[int]:
        loop, queue = asyncio.get_running_loop(), asyncio.Queue()

        def producer() -> None:
            for number in range(3):
                loop.call_soon_threadsafe(queue.put_nowait, number)

        loop.call_soon(queue.put_nowait, -1)  # from a plain callback
        thread = threading.Thread(target=producer)
        thread.start()
        items = [await asyncio.wait_for(queue.get(), timeout=5) for _ in range(4)]
        thread.join()
        return items

    assert run(main) == [-1, 0, 1, 2]


@claim("asyncio.Queue.put_nowait", "Calling it directly from another thread wakes a waiter with a call that is not thread-safe")
def test_put_nowait_from_another_thread_trips_debug_mode() -> None:
    async def main() -> list[str]:
        queue: asyncio.Queue[int] = asyncio.Queue()
        getter = asyncio.ensure_future(queue.get())
        await settle()
        errors: list[str] = []

        def producer() -> None:
            try:
                queue.put_nowait(1)
            except RuntimeError as error:
                errors.append(str(error))

        thread = threading.Thread(target=producer)
        thread.start()
        thread.join()
        getter.cancel()
        return errors

    errors = asyncio.run(main(), debug=True)
    assert errors and "thread" in errors[0].lower()


@claim("asyncio.Queue.get_nowait", "Returns an item immediately or raises QueueEmpty; never waits.")
@claim("asyncio.Queue.put_nowait", "Adds an item immediately or raises QueueFull.")
@claim("asyncio.QueueEmpty", "Raised by `Queue.get_nowait()` when the queue has no item.")
@claim("asyncio.QueueFull", "Raised by `Queue.put_nowait()` when a bounded queue is full: the point to shed load.")
@claim("asyncio.Queue.full", "Use `put_nowait()` and catch QueueFull rather than check-then-put.")
def test_the_nowait_methods_raise_instead_of_waiting() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue(maxsize=1)
    with pytest.raises(asyncio.QueueEmpty):
        queue.get_nowait()
    queue.put_nowait(1)
    with pytest.raises(asyncio.QueueFull):
        queue.put_nowait(2)
    assert queue.get_nowait() == 1


@claim("asyncio.Queue.get_nowait", "Looping on it with `sleep()` is polling; `await queue.get()` is cheaper.")
@claim("asyncio.QueueEmpty", "Polling `get_nowait()` in a loop with sleeps is busy waiting; `await queue.get()` waits efficiently.")
def test_polling_get_nowait_wakes_many_times_where_get_wakes_once() -> None:
    async def main() -> int:
        loop, queue = asyncio.get_running_loop(), asyncio.Queue()
        loop.call_later(0.02, queue.put_nowait, "item")
        wake_ups = 0
        while True:
            try:
                queue.get_nowait()
                break
            except asyncio.QueueEmpty:
                wake_ups += 1
                await asyncio.sleep(0.001)
        loop.call_later(0.02, queue.put_nowait, "item")
        await queue.get()  # one suspension, woken once by the put
        return wake_ups

    assert run(main) > 5


@claim("asyncio.Queue.task_done", "Calling it more often than items were put raises ValueError.")
def test_task_done_beyond_the_items_put_raises() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue()
    queue.put_nowait(1)
    queue.put_nowait(2)
    queue.get_nowait()
    queue.task_done()
    queue.task_done()  # more often than get(), still fine: two items were put
    with pytest.raises(ValueError):
        queue.task_done()


@claim("asyncio.Queue.qsize", "A snapshot for metrics, not a basis for decisions: it can change at the next await.")
@claim("asyncio.Queue.empty", "`if not queue.empty(): await queue.get()` can still wait: another task may win.")
def test_a_non_empty_queue_can_be_emptied_before_the_get() -> None:
    async def main() -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        rival = asyncio.ensure_future(queue.get())
        await settle()
        queue.put_nowait(1)
        assert not queue.empty() and queue.qsize() == 1
        mine = asyncio.ensure_future(queue.get())
        await settle()
        assert rival.done() and not mine.done() and queue.qsize() == 0
        mine.cancel()

    run(main)


@claim("asyncio.Queue.get", "A consumer blocked in `get()` never notices shutdown unless you cancel it, send a sentinel")
@claim("concurrency-patterns.md", "on older versions cancel the consumers (or send one sentinel per consumer)")
def test_a_blocked_consumer_leaves_on_cancel_or_sentinel() -> None:
    async def consumer(queue: asyncio.Queue) -> str:
        while True:
            item = await queue.get()
            if item is None:
                return "sentinel"

    async def main() -> None:
        queue: asyncio.Queue = asyncio.Queue()
        blocked = asyncio.ensure_future(consumer(queue))
        await settle()
        assert not blocked.done()
        blocked.cancel()
        with pytest.raises(asyncio.CancelledError):
            await blocked
        stopping = asyncio.ensure_future(consumer(queue))
        queue.put_nowait(None)
        assert await stopping == "sentinel"

    run(main)


@claim("asyncio.Queue", "`shutdown()` and QueueShutDown give queues a clean way to stop.")
@claim("asyncio.Queue.get", "raises QueueShutDown once the queue is shut down and empty.")
@claim("asyncio.Queue.get", "or (3.13+) call `queue.shutdown()`.")
@claim("asyncio.Queue.put", "raises QueueShutDown after `shutdown()`.")
@claim("asyncio.Queue.shutdown", "Shuts the queue down: further `put()` calls raise QueueShutDown, and `get()` raises it once the queue is drained.")
@claim("asyncio.Queue.shutdown", "Consumers must catch QueueShutDown around `get()` to exit their loop.")
@claim("asyncio.QueueShutDown", "Raised by `put()` on a queue after `shutdown()`, and by `get()` once a shut-down queue is empty")
@claim("asyncio.QueueShutDown", "Consumers catch it to leave their loop cleanly.")
@claim("concurrency-patterns.md", "Python 3.13 adds `queue.shutdown()`, which makes blocked `get()` calls raise `QueueShutDown`")
@claim("concurrency-patterns.md", "The same pipeline with Python 3.13's `shutdown()`, where consumers leave on their own")
@pythons((3, 13))
def test_shutdown_stops_producers_at_once_and_consumers_once_drained() -> None:
    async def consumer(queue: asyncio.Queue[int]) -> list[int]:
        handled = []
        while True:
            try:
                handled.append(await queue.get())
            except asyncio.QueueShutDown:
                return handled

    async def main() -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        blocked = asyncio.ensure_future(consumer(queue))
        await settle()
        queue.put_nowait(1)
        queue.put_nowait(2)
        queue.shutdown()
        with pytest.raises(asyncio.QueueShutDown):
            await queue.put(3)
        with pytest.raises(asyncio.QueueShutDown):
            queue.put_nowait(3)
        assert await blocked == [1, 2]
        with pytest.raises(asyncio.QueueShutDown):
            queue.get_nowait()

    run(main)


@claim("asyncio.Queue.shutdown", "With `immediate=True` pending items are dropped and blocked getters wake at once.")
@claim("asyncio.QueueShutDown", "(or immediately after `shutdown(immediate=True)`)")
@pythons((3, 13))
def test_an_immediate_shutdown_drops_the_items() -> None:
    async def main() -> None:
        queue: asyncio.Queue[int] = asyncio.Queue()
        queue.put_nowait(1)
        queue.shutdown(immediate=True)
        assert queue.empty()
        with pytest.raises(asyncio.QueueShutDown):
            await queue.get()
        empty: asyncio.Queue[int] = asyncio.Queue()
        blocked = asyncio.ensure_future(empty.get())
        await settle()
        empty.shutdown(immediate=True)
        with pytest.raises(asyncio.QueueShutDown):
            await blocked

    run(main)


@claim("asyncio.PriorityQueue", "A Queue that hands out the smallest item first (heap order)")
@claim("asyncio.PriorityQueue", "Items with equal priority are compared next")
@claim("asyncio.LifoQueue", "A Queue that hands out the most recently added item first (a stack).")
@claim("asyncio.LifoQueue", "Old items can starve under constant load")
@claim("concurrency-patterns.md", "`PriorityQueue` hands out the smallest item first (use `(priority, sequence, payload)` tuples so payloads are never compared) and `LifoQueue` the newest.")
def test_priority_and_lifo_order() -> None:
    priority: asyncio.PriorityQueue = asyncio.PriorityQueue()
    for item in (3, 1, 2):
        priority.put_nowait(item)
    assert [priority.get_nowait() for _ in range(3)] == [1, 2, 3]
    priority.put_nowait((1, {"payload": "a"}))
    with pytest.raises(TypeError):
        priority.put_nowait((1, {"payload": "b"}))  # equal priorities: the dicts get compared
    priority = asyncio.PriorityQueue()
    priority.put_nowait((1, 0, {"payload": "a"}))
    priority.put_nowait((1, 1, {"payload": "b"}))
    assert priority.get_nowait()[2] == {"payload": "a"}

    lifo: asyncio.LifoQueue = asyncio.LifoQueue()
    lifo.put_nowait("oldest")
    served = []
    for number in range(5):  # constant load: one new item for each one served
        lifo.put_nowait(number)
        served.append(lifo.get_nowait())
    assert served == [0, 1, 2, 3, 4] and lifo.get_nowait() == "oldest"
