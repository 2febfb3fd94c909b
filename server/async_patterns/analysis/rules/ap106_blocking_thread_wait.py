"""AP106: waiting on threads, thread locks, sync queues, futures and process pools."""

import ast

from async_patterns.analysis import catalogue
from async_patterns.analysis.rule import BlockingCallRule, CallSite, Invalid, is_constant, keyword_value

# The parameter that makes each waiting method return at once, and its position.
_NON_BLOCKING_SWITCH = {
    "acquire": ("blocking", 0),
    "get": ("block", 0),
    "put": ("block", 1),
}
_TIMEOUT_POSITION = {"acquire": 1, "get": 1, "put": 2, "wait": 0, "join": 0, "result": 0, "exception": 0}


class BlockingThreadWait(BlockingCallRule):
    code = "AP106"
    name = "blocking-thread-wait"
    message = "{call} waits for another thread or process with the event loop blocked; {instead}"
    explanation = """\
Thread-world synchronisation blocks the thread that waits: `threading.Lock/RLock/Semaphore.acquire()`,
`Event.wait()`, `Condition.wait()`, `Barrier.wait()`, `Thread.join()`, `queue.Queue.get()/put()/join()`,
`concurrent.futures.Future.result()`, `concurrent.futures.wait()`, `Executor.shutdown()`,
`multiprocessing.Process.join()` and `Pool.map/apply/join`. In a coroutine that thread is the event
loop, and if the thread it waits for needs the loop (for a callback or a `run_coroutine_threadsafe`),
the program deadlocks. Use asyncio's primitives (`asyncio.Lock`, `Event`, `Queue`), await executor
futures with `await asyncio.wrap_future(future)` or `loop.run_in_executor`, or wait in a worker
thread with `await asyncio.to_thread(thread.join)`. Calls that cannot block (`get(block=False)`,
`acquire(timeout=0)`, `shutdown(wait=False)`) are not reported."""
    peers = """\
Neither flake8-async nor ruff has this rule."""
    calls = frozenset({"concurrent.futures.wait", "concurrent.futures.as_completed"})
    methods = {
        catalogue.THREAD_LOCK: frozenset({"acquire"}),
        catalogue.THREAD_CONDITION: frozenset({"acquire", "wait", "wait_for"}),
        catalogue.THREAD_EVENT: frozenset({"wait"}),
        catalogue.THREAD_BARRIER: frozenset({"wait"}),
        catalogue.THREAD: frozenset({"join"}),
        catalogue.SYNC_QUEUE: frozenset({"get", "put", "join"}),
        catalogue.CONCURRENT_FUTURE: frozenset({"result", "exception"}),
        catalogue.EXECUTOR: frozenset({"shutdown"}),
        catalogue.PROCESS: frozenset({"join"}),
        catalogue.PROCESS_POOL: frozenset({"map", "starmap", "apply", "join"}),
    }
    instead = "use asyncio's Lock/Event/Queue, `asyncio.wrap_future(...)` or `await asyncio.to_thread(...)`"

    def accepts(self, site: CallSite) -> bool:
        call, method = site.node, site.method or ""
        if method == "shutdown":
            return not is_constant(keyword_value(call, "wait", 0), False)
        switch = _NON_BLOCKING_SWITCH.get(method)
        if switch is not None and is_constant(keyword_value(call, *switch), False, 0):
            return False
        timeout_position = _TIMEOUT_POSITION.get(method)
        timeout = keyword_value(call, "timeout", timeout_position)
        return not (isinstance(timeout, ast.Constant) and timeout.value in (0, 0.0) and timeout.value is not False)

    VALID = (
        "import asyncio\nasync def main(queue: asyncio.Queue):\n    await queue.get()\n",
        "import queue\nasync def main():\n    jobs = queue.Queue()\n    jobs.put_nowait(1)\n    return jobs.get(block=False)\n",
        "import threading\nasync def main():\n    lock = threading.Lock()\n    if lock.acquire(blocking=False):\n        lock.release()\n",
        "async def main(thread, results):\n    thread.join()\n    results.get()\n",
        "import asyncio, threading\nasync def main():\n    worker = threading.Thread(target=print)\n    worker.start()\n    await asyncio.to_thread(worker.join)\n",
        "from concurrent.futures import ThreadPoolExecutor\nasync def main():\n    pool = ThreadPoolExecutor()\n    pool.shutdown(wait=False)\n",
        "import threading\nasync def main():\n    done = threading.Event()\n    return done.wait(0)\n",
    )
    INVALID = (
        Invalid(
            "import threading\nasync def main():\n    worker = threading.Thread(target=print)\n    worker.start()\n    worker.join()\n",
            fixed="import asyncio\nimport threading\nasync def main():\n    worker = threading.Thread(target=print)\n"
            "    worker.start()\n    await asyncio.to_thread(worker.join)\n",
        ),
        Invalid("import queue\nasync def main():\n    jobs = queue.Queue()\n    return jobs.get()\n"),
        Invalid("import threading\nlock = threading.Lock()\nasync def main():\n    lock.acquire()\n"),
        Invalid(
            "from concurrent.futures import ThreadPoolExecutor\nasync def main():\n"
            "    with ThreadPoolExecutor() as pool:\n        future = pool.submit(print)\n        return future.result()\n"
        ),
        Invalid("import threading\nasync def main(ready: threading.Event):\n    ready.wait()\n"),
        Invalid("import multiprocessing\nasync def main():\n    with multiprocessing.Pool() as pool:\n        return pool.map(abs, [1])\n"),
    )
