"""Hand-written hover entries for the event loop's methods (asyncio.AbstractEventLoop.*).

Concrete loops (SelectorEventLoop, ProactorEventLoop, uvloop's Loop via the engine's type) are
answered by these entries; see names.py.
"""

from __future__ import annotations

from .asyncio_entries import _UNIX_ONLY
from .model import ApiEntry, Source

_RUNNING = "concurrency-patterns.md#coroutines-tasks-and-the-event-loop"
_SYNC_BRIDGE = "mixing-sync-async.md#calling-async-code-from-sync-code"
_THREADS = "mixing-sync-async.md#calling-into-the-loop-from-other-threads"
_EXECUTORS = "mixing-sync-async.md#run_in_executor-with-thread-and-process-pools"
_SUBPROCESS = "mixing-sync-async.md#subprocesses-without-blocking"
_DEBUG = "debugging.md#debug-mode"
_UNRETRIEVED = "debugging.md#task-exceptions-that-were-never-retrieved"
_SHUTDOWN = "production-patterns.md#graceful-shutdown"
_SIGNALS = "production-patterns.md#signal-handling"
_TRANSPORTS = "performance.md#protocols-and-transports"
_BUFFERS = "performance.md#buffer-sizes-and-flow-control"
_EAGER = "performance.md#eager-task-factories"

_SYNC_ONLY = "Only for synchronous code that owns the loop; inside coroutines just `await`."
_NON_BLOCKING_SOCKET = (
    "The socket must be non-blocking (`sock.setblocking(False)`); streams are simpler for most code."
)
_UNIX_SELECTOR_ONLY = "Unix selector loops only: Windows' default Proactor loop raises NotImplementedError."
_UNIX_SELECTOR_ONLY_SOURCE = Source(_UNIX_SELECTOR_ONLY, "https://docs.python.org/3/library/asyncio-platforms.html#windows")

ASYNCIO_LOOP_ENTRIES: tuple[ApiEntry, ...] = (
    # --- Running and stopping -------------------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop.run_until_complete",
        reference=_SYNC_BRIDGE,
        summary="Runs the loop until the given future or coroutine is done and returns its result.",
        pattern="""
            with asyncio.Runner() as runner:
                result = runner.run(main())
        """,
        pitfalls=(
            _SYNC_ONLY,
            "Raises RuntimeError if the loop is already running (nested loops are not supported).",
            "`asyncio.run()`/`Runner` do the clean-up this old idiom forgets (async generators, "
            "executor, closing).",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.run_forever",
        reference=_THREADS,
        summary="Runs the loop until `stop()` is called; the building block for a loop thread.",
        pattern="""
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, daemon=True)
            thread.start()
        """,
        pitfalls=(
            "Stop it from another thread with `loop.call_soon_threadsafe(loop.stop)`; close it "
            "once `run_forever()` has returned.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.stop",
        reference=_THREADS,
        summary="Makes `run_forever()` return after the current iteration.",
        pattern="""
            loop.call_soon_threadsafe(loop.stop)
        """,
        pitfalls=("Pending tasks are not cancelled; cancel and await them before closing.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.close",
        reference=_SHUTDOWN,
        summary="Closes a stopped loop, discarding pending callbacks and shutting down its executor without waiting.",
        pattern="""
            try:
                loop.run_until_complete(loop.shutdown_asyncgens())
            finally:
                loop.close()
        """,
        pitfalls=("Raises RuntimeError on a running loop.", "Irreversible: a closed loop cannot run again."),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.is_running",
        reference=_RUNNING,
        summary="True while the loop is running.",
        pattern="""
            if not loop.is_running():
                loop.run_until_complete(warm_up())
        """,
        pitfalls=("It says nothing about which thread runs it.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.is_closed",
        reference=_RUNNING,
        summary="True once the loop has been closed.",
        pattern="""
            if not loop.is_closed():
                loop.close()
        """,
        pitfalls=("Scheduling on a closed loop raises RuntimeError (\"Event loop is closed\").",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.shutdown_asyncgens",
        reference=_SHUTDOWN,
        summary="Closes every async generator still suspended, so their `finally` blocks run.",
        pattern="""
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
        """,
        pitfalls=("`asyncio.run()` calls it for you; hand-managed loops forget it.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.shutdown_default_executor",
        reference=_SHUTDOWN,
        summary="Waits for the default thread pool (used by `to_thread`) to finish and shuts it down.",
        pattern="""
            loop.run_until_complete(loop.shutdown_default_executor())
            loop.close()
        """,
        pitfalls=("A thread stuck in a blocking call makes this wait as long (3.12 adds a timeout).",),
    ),
    # --- Tasks, futures, factories --------------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop.create_task",
        reference=_RUNNING,
        summary="Schedules a coroutine as a Task on this loop; `asyncio.create_task()` is the usual spelling.",
        pattern="""
            task = loop.create_task(refresh(), name="refresh")
            background_tasks.add(task)
            task.add_done_callback(background_tasks.discard)
        """,
        pitfalls=(
            "Keep a reference to the task; the loop holds it only weakly.",
            "Not thread-safe: from another thread use `asyncio.run_coroutine_threadsafe()`.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.create_future",
        reference=_THREADS,
        summary="Creates a Future bound to this loop: the right way to make one.",
        pattern="""
            future = asyncio.get_running_loop().create_future()
            client.on_reply(future.set_result)
            reply = await future
        """,
        pitfalls=("Await it with a timeout if the callback may never fire.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.set_task_factory",
        reference=_EAGER,
        summary="Installs the function the loop calls to create tasks (e.g. `asyncio.eager_task_factory`).",
        pattern="""
            asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
        """,
        pitfalls=("Affects every library's tasks on this loop; measure before changing it.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.get_task_factory",
        reference=_EAGER,
        summary="Returns the installed task factory, or None for the default.",
        pattern="""
            previous = loop.get_task_factory()
        """,
        pitfalls=("Restore the previous factory if you install one temporarily.",),
    ),
    # --- Scheduling callbacks -------------------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop.call_soon",
        reference=_RUNNING,
        summary="Schedules a plain callback for the next loop iteration; returns a Handle.",
        pattern="""
            loop.call_soon(flush_buffer)
        """,
        pitfalls=(
            "Not thread-safe: use `call_soon_threadsafe()` from other threads.",
            "A coroutine function passed here is called but its coroutine never awaited.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.call_soon_threadsafe",
        reference=_THREADS,
        summary="""
            Schedules a callback from any thread and wakes the loop: the one loop method other
            threads may call.
        """,
        pattern="""
            def on_sensor_reading(value: float) -> None:
                loop.call_soon_threadsafe(readings.put_nowait, value)
        """,
        pitfalls=(
            "It schedules a callback, not a coroutine: use `run_coroutine_threadsafe()` for those.",
            "Raises RuntimeError once the loop is closed; guard shutdown races.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.call_later",
        reference=_RUNNING,
        summary="Schedules a callback after `delay` seconds; returns a cancellable TimerHandle.",
        pattern="""
            handle = loop.call_later(30, expire_session, session_id)
        """,
        pitfalls=("Callbacks are synchronous; to run a coroutine later, create a task that sleeps.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.call_at",
        reference=_RUNNING,
        summary="Schedules a callback at an absolute time on the loop clock (`loop.time()`).",
        pattern="""
            handle = loop.call_at(loop.time() + 60, rotate_keys)
        """,
        pitfalls=("Takes loop time, not `time.time()`.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.time",
        reference=_RUNNING,
        summary="The loop's monotonic clock in seconds, used by `call_at()` and `timeout_at()`.",
        pattern="""
            started = loop.time()
            await work()
            elapsed = loop.time() - started
        """,
        pitfalls=("Not wall-clock time: never compare it with `time.time()` timestamps.",),
    ),
    # --- Executors ------------------------------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop.run_in_executor",
        reference=_EXECUTORS,
        summary="""
            Runs a blocking function in an executor (None: the default thread pool) and returns an
            awaitable for its result.
        """,
        pattern="""
            with concurrent.futures.ProcessPoolExecutor() as pool:
                digest = await loop.run_in_executor(pool, hash_large_file, path)
        """,
        pitfalls=(
            "Only positional arguments: wrap keyword arguments with `functools.partial`.",
            "Process pools need picklable, module-level functions and arguments.",
            "The work keeps running if the await is cancelled.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.set_default_executor",
        reference=_EXECUTORS,
        summary="Replaces the default executor used by `run_in_executor(None, ...)` and `to_thread`.",
        pattern="""
            loop.set_default_executor(concurrent.futures.ThreadPoolExecutor(max_workers=64))
        """,
        pitfalls=("Must be a ThreadPoolExecutor since 3.11; process pools are rejected.",),
    ),
    # --- Networking -----------------------------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop.create_connection",
        sources=(
            Source(
                "For most clients `asyncio.open_connection()` (streams) is simpler.",
                "https://docs.python.org/3/library/asyncio-stream.html#streams",
            ),
        ),
        reference=_TRANSPORTS,
        summary="Opens a TCP/TLS connection with a Protocol; returns `(transport, protocol)`.",
        pattern="""
            transport, protocol = await loop.create_connection(ClientProtocol, host, 443, ssl=True)
        """,
        pitfalls=(
            "No timeout of its own: wrap it in `asyncio.timeout()`.",
            "For most clients `asyncio.open_connection()` (streams) is simpler.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.create_server",
        reference=_TRANSPORTS,
        summary="Listens on a host/port with a Protocol factory; returns a Server.",
        pattern="""
            server = await loop.create_server(EchoProtocol, "127.0.0.1", 8888)
            async with server:
                await server.serve_forever()
        """,
        pitfalls=("`host=None` listens on all interfaces; be explicit in production.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.create_unix_connection",
        sources=(
            *_UNIX_ONLY,
        ),
        reference=_TRANSPORTS,
        summary="Like `create_connection()` over a Unix socket path. Unix only.",
        pattern="""
            transport, protocol = await loop.create_unix_connection(ClientProtocol, "/run/app.sock")
        """,
        pitfalls=("Not available on Windows.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.create_unix_server",
        sources=(
            Source(
                "Unix only.",
                "https://docs.python.org/3/library/asyncio-platforms.html#windows",
            ),
        ),
        reference=_TRANSPORTS,
        summary="Like `create_server()` on a Unix socket path. Unix only.",
        pattern="""
            server = await loop.create_unix_server(EchoProtocol, "/run/app.sock")
        """,
        pitfalls=("Before 3.13 the socket file stays on disk after the server closes.",),
        changes=(((3, 13), "the socket file is removed when the server closes, unless `cleanup_socket=False`."),),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.create_datagram_endpoint",
        reference=_TRANSPORTS,
        summary="Creates a UDP endpoint; returns `(transport, protocol)`.",
        pattern="""
            transport, protocol = await loop.create_datagram_endpoint(
                StatsProtocol, local_addr=("127.0.0.1", 9999)
            )
        """,
        pitfalls=(
            "`reuse_address=True` is refused for security reasons (ValueError on 3.10; the "
            "parameter is gone since 3.11); use `reuse_port`.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.connect_accepted_socket",
        reference=_TRANSPORTS,
        summary="Wraps a socket accepted elsewhere (e.g. by another framework) into a transport/protocol pair.",
        pattern="""
            transport, protocol = await loop.connect_accepted_socket(HandlerProtocol, sock)
        """,
        pitfalls=("The loop takes ownership of the socket; do not use it afterwards.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.start_tls",
        reference=_TRANSPORTS,
        summary="Upgrades an existing transport to TLS and returns the new transport.",
        pattern="""
            tls_transport = await loop.start_tls(transport, protocol, ssl_context, server_hostname=host)
        """,
        pitfalls=("Use only the returned transport afterwards; the old one is unusable.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.sendfile",
        sources=(
            Source(
                "`open()` itself can block on a slow disk",
                "https://docs.python.org/3/library/asyncio-dev.html#running-blocking-code",
            ),
        ),
        reference=_BUFFERS,
        summary="Sends a file over a transport, zero-copy where the OS allows.",
        pattern="""
            file = await asyncio.to_thread(open, path, "rb")
            try:
                sent = await loop.sendfile(transport, file)
            finally:
                file.close()
        """,
        pitfalls=(
            "`open()` itself can block on a slow disk: open the file in a thread, as in the pattern.",
            "TLS transports have no zero-copy path; keep `fallback=True` so it still works there.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.getaddrinfo",
        reference=_TRANSPORTS,
        summary="Resolves a host name without blocking the loop (runs `socket.getaddrinfo` in the executor).",
        pattern="""
            infos = await loop.getaddrinfo("example.org", 443, type=socket.SOCK_STREAM)
        """,
        pitfalls=("`socket.getaddrinfo()` called directly blocks the loop during DNS lookups.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.getnameinfo",
        reference=_TRANSPORTS,
        summary="Reverse-resolves an address without blocking the loop.",
        pattern="""
            host, port = await loop.getnameinfo(("127.0.0.1", 80))
        """,
        pitfalls=(
            "It runs `socket.getnameinfo` in the default executor: a slow lookup holds one of its "
            "threads even after a timeout gives up on it.",
        ),
    ),
    # --- Raw sockets ----------------------------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop.sock_recv",
        reference=_TRANSPORTS,
        summary="Receives up to `nbytes` from a non-blocking socket.",
        pattern="""
            data = await loop.sock_recv(sock, 4096)
        """,
        pitfalls=(_NON_BLOCKING_SOCKET,),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.sock_recv_into",
        reference=_TRANSPORTS,
        summary="Receives into a caller-supplied buffer; returns the byte count.",
        pattern="""
            buffer = bytearray(65536)
            received = await loop.sock_recv_into(sock, buffer)
        """,
        pitfalls=(_NON_BLOCKING_SOCKET,),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.sock_recvfrom",
        reference=_TRANSPORTS,
        summary="Receives a datagram and its sender address from a non-blocking socket.",
        pattern="""
            data, address = await loop.sock_recvfrom(sock, 2048)
        """,
        pitfalls=(_NON_BLOCKING_SOCKET,),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.sock_recvfrom_into",
        reference=_TRANSPORTS,
        summary="Receives a datagram into a buffer; returns `(nbytes, address)`.",
        pattern="""
            received, address = await loop.sock_recvfrom_into(sock, buffer)
        """,
        pitfalls=(_NON_BLOCKING_SOCKET,),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.sock_sendall",
        reference=_TRANSPORTS,
        summary="Sends all the data on a non-blocking socket.",
        pattern="""
            await loop.sock_sendall(sock, payload)
        """,
        pitfalls=(_NON_BLOCKING_SOCKET, "`sock.sendall()` called directly blocks the loop."),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.sock_sendto",
        reference=_TRANSPORTS,
        summary="Sends a datagram to an address on a non-blocking socket.",
        pattern="""
            await loop.sock_sendto(sock, packet, ("127.0.0.1", 9999))
        """,
        pitfalls=(_NON_BLOCKING_SOCKET,),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.sock_connect",
        reference=_TRANSPORTS,
        summary="Connects a non-blocking socket to an address without blocking the loop.",
        pattern="""
            await loop.sock_connect(sock, ("127.0.0.1", 8080))
        """,
        pitfalls=(_NON_BLOCKING_SOCKET, "A host name is first resolved with `loop.getaddrinfo()` (in the executor); pass an IP address to skip that."),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.sock_accept",
        reference=_TRANSPORTS,
        summary="Accepts a connection on a listening non-blocking socket.",
        pattern="""
            connection, address = await loop.sock_accept(listener)
            connection.setblocking(False)
        """,
        pitfalls=(_NON_BLOCKING_SOCKET,),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.sock_sendfile",
        reference=_BUFFERS,
        summary="Sends a file over a socket with `os.sendfile` where possible.",
        pattern="""
            sent = await loop.sock_sendfile(sock, file)
        """,
        pitfalls=("Raises SendfileNotAvailableError only when `fallback=False`.",),
    ),
    # --- File descriptors, pipes, signals -------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop.add_reader",
        sources=(
            _UNIX_SELECTOR_ONLY_SOURCE,
        ),
        reference=_TRANSPORTS,
        summary="Calls a callback whenever a file descriptor is readable.",
        pattern="""
            loop.add_reader(sock.fileno(), on_readable)
        """,
        pitfalls=(_UNIX_SELECTOR_ONLY, "Remove it with `remove_reader()` before closing the descriptor."),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.remove_reader",
        reference=_TRANSPORTS,
        summary="Stops watching a file descriptor for readability.",
        pattern="""
            loop.remove_reader(sock.fileno())
            sock.close()
        """,
        pitfalls=("Closing the descriptor first leaves a stale registration.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.add_writer",
        sources=(
            _UNIX_SELECTOR_ONLY_SOURCE,
        ),
        reference=_TRANSPORTS,
        summary="Calls a callback whenever a file descriptor is writable.",
        pattern="""
            loop.add_writer(sock.fileno(), flush_pending)
        """,
        pitfalls=(
            _UNIX_SELECTOR_ONLY,
            "A socket is almost always writable: remove the writer once drained, or it spins.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.remove_writer",
        reference=_TRANSPORTS,
        summary="Stops watching a file descriptor for writability.",
        pattern="""
            loop.remove_writer(sock.fileno())
        """,
        pitfalls=("Forgetting it keeps the callback firing every iteration.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.connect_read_pipe",
        reference=_TRANSPORTS,
        summary="Wraps the read end of a pipe (or other file-like object) in a transport.",
        pattern="""
            transport, protocol = await loop.connect_read_pipe(PipeProtocol, pipe)
        """,
        pitfalls=("Regular files are not supported; only pipes, sockets and character devices.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.connect_write_pipe",
        reference=_TRANSPORTS,
        summary="Wraps the write end of a pipe in a transport.",
        pattern="""
            transport, protocol = await loop.connect_write_pipe(asyncio.BaseProtocol, pipe)
        """,
        pitfalls=("Respect flow control; a full pipe buffers writes in memory.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.add_signal_handler",
        sources=(
            Source(
                "Unix only; on Windows catch KeyboardInterrupt",
                "https://docs.python.org/3/library/asyncio-platforms.html#windows",
            ),
        ),
        reference=_SIGNALS,
        summary="""
            Runs a callback in the loop when a Unix signal arrives, safely (unlike
            `signal.signal`, whose handlers interrupt arbitrary code).
        """,
        pattern="""
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signal_number in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signal_number, stop.set)
            await stop.wait()
        """,
        pitfalls=(
            "Unix only; on Windows catch KeyboardInterrupt around `asyncio.run()` instead.",
            "Must be called from the main thread.",
        ),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.remove_signal_handler",
        reference=_SIGNALS,
        summary="Removes a handler set with `add_signal_handler()`; returns True if one was set.",
        pattern="""
            loop.remove_signal_handler(signal.SIGTERM)
        """,
        pitfalls=("Restores the default action, not a handler set with `signal.signal` before.",),
    ),
    # --- Subprocesses ---------------------------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop.subprocess_exec",
        sources=(
            Source(
                "Prefer `asyncio.create_subprocess_exec()` unless you need protocol callbacks.",
                "https://docs.python.org/3/library/asyncio-subprocess.html#creating-subprocesses",
            ),
        ),
        reference=_SUBPROCESS,
        summary="Starts a program with a SubprocessProtocol; the low-level form of `create_subprocess_exec`.",
        pattern="""
            process = await asyncio.create_subprocess_exec("tool", stdout=asyncio.subprocess.PIPE)
        """,
        pitfalls=("Prefer `asyncio.create_subprocess_exec()` unless you need protocol callbacks.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.subprocess_shell",
        reference=_SUBPROCESS,
        summary="Starts a shell command with a SubprocessProtocol.",
        pattern="""
            process = await asyncio.create_subprocess_shell("make -j4")
        """,
        pitfalls=("Shell injection: quote interpolated values with `shlex.quote`.",),
    ),
    # --- Errors and debugging -------------------------------------------------------------------
    ApiEntry(
        "asyncio.AbstractEventLoop.set_exception_handler",
        reference=_UNRETRIEVED,
        summary="""
            Installs the handler for errors nobody else caught (failed callbacks, unretrieved task
            exceptions); called as `handler(loop, context)`.
        """,
        pattern="""
            def report(loop: asyncio.AbstractEventLoop, context: dict) -> None:
                logger.error("asyncio: %s", context["message"], exc_info=context.get("exception"))

            asyncio.get_running_loop().set_exception_handler(report)
        """,
        pitfalls=("`context[\"exception\"]` may be missing; always fall back to `context[\"message\"]`.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.get_exception_handler",
        reference=_UNRETRIEVED,
        summary="Returns the installed exception handler, or None for the default.",
        pattern="""
            previous = loop.get_exception_handler()
        """,
        pitfalls=("Chain to the previous handler when wrapping one a framework installed.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.default_exception_handler",
        reference=_UNRETRIEVED,
        summary="The built-in handler that logs the error context to the `asyncio` logger.",
        pattern="""
            def report(loop, context):
                metrics.increment("asyncio.unhandled")
                loop.default_exception_handler(context)
        """,
        pitfalls=("Call it from a custom handler to keep the standard log line.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.call_exception_handler",
        reference=_UNRETRIEVED,
        summary="Reports an error context to the installed handler; for libraries running callbacks.",
        pattern="""
            loop.call_exception_handler({"message": "listener failed", "exception": error})
        """,
        pitfalls=("Without a \"message\" key the default handler logs \"Unhandled exception in event loop\".",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.set_debug",
        sources=(
            Source(
                "Noticeably slower; enable it in development and tests",
                "https://docs.python.org/3/library/asyncio-dev.html#debug-mode",
            ),
        ),
        reference=_DEBUG,
        summary="Turns debug mode on or off: slow-callback warnings, creation tracebacks, thread checks.",
        pattern="""
            loop = asyncio.get_running_loop()
            loop.set_debug(True)
            loop.slow_callback_duration = 0.05
        """,
        pitfalls=("Noticeably slower; enable it in development and tests, not in production.",),
    ),
    ApiEntry(
        "asyncio.AbstractEventLoop.get_debug",
        reference=_DEBUG,
        summary="True if debug mode is enabled (also via `PYTHONASYNCIODEBUG=1` or `-X dev`).",
        pattern="""
            if asyncio.get_running_loop().get_debug():
                logger.setLevel(logging.DEBUG)
        """,
        pitfalls=("Debug mode can be on without you calling `set_debug` (dev mode).",),
    ),
)
