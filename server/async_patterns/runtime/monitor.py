"""The loop-stall monitor, inside the user's program.

How a stall is seen: every running event loop gets a heartbeat, a callback that reschedules itself
every `interval` (a tenth of the threshold, at most 10 ms). A loop that is busy in one callback, or
in thousands of short ones without returning to its selector, runs no heartbeat: when the next one
comes late, the loop was away for the time since the previous one, less half an interval on
average (the stall began at an unknown point between two heartbeats: the estimate is within half an
interval of the truth). A watchdog thread looks at each loop's last heartbeat and, once a loop is
late, samples the loop thread's stack with `sys._current_frames()` until it comes back, so the
record says where the time went whatever caused it: CPU work, blocking I/O, any library. A C call
that holds the GIL (a large `json.loads`) cannot be sampled while it runs; the watchdog gets the GIL
as soon as the call returns to Python, before its callers' frames are gone. (A C callback that holds
the GIL from start to end, with no Python frame after it, leaves no sample and is not recorded.)

Which loops: every loop that runs, through the hook all event loops call when they start and stop
running in a thread (`asyncio.events._set_running_loop`; uvloop looks it up on `asyncio` when it is
imported, which is why the hook goes in before anything imports asyncio). That covers
`asyncio.run`, `asyncio.Runner`, `run_until_complete`, loops in several threads, and uvloop. The
cost on the loop is one timer callback per interval; nothing runs per callback or per iteration.

Imports only the standard library and `records` (relatively, lazily): this runs inside programs on
any Python from 3.10 on, and must not change what they import or see.
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` costs the program start-up time; annotations are never evaluated
    from typing import Any, Callable

OUTPUT_VARIABLE = "ASYNC_PATTERNS_STALLS_OUTPUT"
THRESHOLD_VARIABLE = "ASYNC_PATTERNS_STALLS_THRESHOLD_MS"
DEFAULT_THRESHOLD_MS = 100.0
_MAX_INTERVAL = 0.010
_MAX_SAMPLE_PERIOD = 0.025
_MIN_SECONDS_BETWEEN_WRITES = 0.5
_MAX_SAMPLED_FRAMES = 200
# As `records` writes them (not imported here: it is loaded only when there is something to write).
_MAX_DURATIONS = 256
_MAX_TESTS = 5
_CO_COROUTINE = 0x80  # inspect.CO_COROUTINE, without importing inspect into the program
_HOOK_ATTRIBUTE = "_async_patterns_stall_monitor"
_clock = time.perf_counter


class SampledFrame:
    __slots__ = ("path", "line", "function", "coroutine")

    def __init__(self, path: str, line: int, function: str, coroutine: bool) -> None:
        self.path, self.line, self.function, self.coroutine = path, line, function, coroutine


class Stall:
    """One stall as it ended: how long the loop was away, the stack sampled meanwhile (innermost
    last; empty when no sample could be taken), which of its frames is the stall's place (see
    `Monitor._place_in`), and the test that was running, if the pytest plugin said."""

    __slots__ = ("duration_ms", "frames", "place", "test")

    def __init__(self, duration_ms: float, frames: tuple[SampledFrame, ...], place: int | None, test: str | None) -> None:
        self.duration_ms, self.frames, self.place, self.test = duration_ms, frames, place, test

    @property
    def where(self) -> SampledFrame | None:
        return self.frames[self.place] if self.place is not None else None


class _Place:
    """What the stalls at one line add up to, in this process; `frames` are the longest one's."""

    __slots__ = ("frames", "position", "longest_ms", "total_ms", "count", "durations", "tests")

    def __init__(self, stall: Stall) -> None:
        self.frames, self.position = stall.frames, stall.place
        self.longest_ms = self.total_ms = 0.0
        self.count = 0
        self.durations: list[float] = []
        self.tests: list[str] = []


class _Watch:
    """One running loop: its heartbeat, and the stacks sampled while it is late."""

    def __init__(self, monitor: Monitor, loop: Any, thread_id: int) -> None:
        self.monitor = monitor
        self.loop = loop
        self.thread_id = thread_id
        self.last_beat = _clock()
        self.samples: list[tuple[float, tuple[SampledFrame, ...]]] = []  # (when, stack)
        self.handle = loop.call_later(monitor.interval, self.beat)

    def beat(self) -> None:
        now = _clock()
        self.handle = self.loop.call_later(self.monitor.interval, self.beat)
        self.monitor.loop_came_back(self, now)

    def stop(self) -> None:
        self.handle.cancel()


class Monitor:
    def __init__(self, threshold_ms: float = DEFAULT_THRESHOLD_MS, output: str | None = None) -> None:
        import atexit
        import threading

        self._threading = threading
        self.threshold = threshold_ms / 1000
        self.interval = max(0.001, min(_MAX_INTERVAL, self.threshold / 10))
        self.sample_period = max(0.002, min(_MAX_SAMPLE_PERIOD, self.threshold / 4))
        # Stacks are sampled once a loop is this late: halfway to the threshold.
        self.late_after = self.interval + self.threshold / 2
        self.output = output
        # Set by the pytest plugin to the test that is running, recorded with the stalls it causes.
        self.current_test: str | None = None
        self._start_folder = os.getcwd()
        self._project_files: dict[str, bool] = {}
        self._library_folders: tuple[str, ...] | None = None
        self._reset()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.flush)

    def _reset(self) -> None:
        """Start afresh: when created, and in a forked child (where no other thread survived)."""
        threading = self._threading
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._wakeup = threading.Event()
        self._watches: dict[int, _Watch] = {}
        self._pending: list[Stall] = []
        self._places: dict[tuple[str, int], _Place] = {}
        self._dirty = False
        self._last_write = 0.0
        self._watchdog: Any = None

    # -- in the loop's thread -----------------------------------------------------------------

    def loop_started(self, loop: Any) -> None:
        thread_id = self._threading.get_ident()
        try:
            watch = _Watch(self, loop, thread_id)
        except Exception:  # a loop without call_later cannot be watched; it still runs as before
            return
        with self._lock:
            previous = self._watches.pop(thread_id, None)
            self._watches[thread_id] = watch
        if previous is not None:
            previous.stop()
        if self._watchdog is None:
            self._watchdog = self._threading.Thread(target=self._watch_loops, name="async-patterns-stall-monitor", daemon=True)
            self._watchdog.start()
        self._wakeup.set()

    def loop_stopped(self) -> None:
        with self._lock:
            watch = self._watches.pop(self._threading.get_ident(), None)
        if watch is not None:
            watch.stop()
            self.loop_came_back(watch, _clock())

    def loop_came_back(self, watch: _Watch, now: float) -> None:
        with self._lock:
            away = now - watch.last_beat - self.interval / 2
            since = watch.last_beat
            watch.last_beat = now
            samples, watch.samples = watch.samples, []
        if away < self.threshold:
            return
        frames, place = self._placed(since, samples)
        with self._lock:
            self._pending.append(Stall(round(away * 1000, 1), frames, place, self.current_test))
        self._wakeup.set()

    # -- in the watchdog's thread -------------------------------------------------------------

    def _watch_loops(self) -> None:
        # Everything the watchdog will need, loaded now: an import later could keep it busy (and
        # off the GIL) just when a stall begins, and a stall in C code is sampled only if the
        # watchdog is waiting for the GIL the moment that code returns.
        import linecache  # noqa: F401

        self._library_folders = _library_folders()
        _records()
        while True:
            with self._lock:
                idle = not self._watches and not self._pending and not self._dirty
                # Each wake takes the GIL from the loop: sleep until a loop could first be late.
                first_late = min((watch.last_beat + self.late_after for watch in self._watches.values()), default=0.0)
            if idle:
                self._wakeup.wait()
                self._wakeup.clear()
                continue
            time.sleep(max(self.sample_period, first_late - _clock()))
            self._sample_late_loops()
            self._take_pending()
            if self._dirty and _clock() - self._last_write >= _MIN_SECONDS_BETWEEN_WRITES:
                self.flush()

    def _sample_late_loops(self) -> None:
        with self._lock:
            now = _clock()
            late = [watch for watch in self._watches.values() if now - watch.last_beat > self.late_after]
            if late:
                stacks = sys._current_frames()
                for watch in late:
                    if watch.thread_id in stacks:
                        watch.samples.append((now, self._stack(stacks[watch.thread_id])))
                stacks.clear()  # frames hold their locals alive

    def _stack(self, frame: Any) -> tuple[SampledFrame, ...]:
        stack = []
        while frame is not None and len(stack) < _MAX_SAMPLED_FRAMES:
            code = frame.f_code
            stack.append(
                SampledFrame(
                    self._absolute(code.co_filename),
                    frame.f_lineno or code.co_firstlineno,
                    getattr(code, "co_qualname", code.co_name),
                    bool(code.co_flags & _CO_COROUTINE),
                )
            )
            frame = frame.f_back
        stack.reverse()
        return tuple(stack)

    def _take_pending(self) -> None:
        """Add the stalls that ended to this process's places."""
        with self._lock:
            pending, self._pending = self._pending, []
            for stall in pending:
                where = stall.where
                if where is None:  # no sample caught it: a C call that held the GIL to the end of its callback
                    continue
                place = self._places.get((where.path, where.line))
                if place is None:
                    place = self._places[(where.path, where.line)] = _Place(stall)
                if stall.duration_ms > place.longest_ms:
                    place.longest_ms, place.frames, place.position = stall.duration_ms, stall.frames, stall.place
                place.count += 1
                place.total_ms += stall.duration_ms
                place.durations.append(stall.duration_ms)
                del place.durations[:-_MAX_DURATIONS]
                if stall.test and stall.test not in place.tests and len(place.tests) < _MAX_TESTS:
                    place.tests.append(stall.test)
            if pending and self.output is not None:
                self._dirty = True

    # -- where a stall happened ---------------------------------------------------------------

    def _absolute(self, filename: str) -> str:
        if filename.startswith("<") or os.path.isabs(filename):
            return filename
        return os.path.normpath(os.path.join(self._start_folder, filename))

    def _is_project_file(self, path: str) -> bool:
        """A file of the program itself: not the standard library, site-packages or this monitor."""
        known = self._project_files.get(path)
        if known is None:
            if self._library_folders is None:
                self._library_folders = _library_folders()
            normalized = os.path.normcase(path)
            parts = set(normalized.replace("\\", "/").split("/"))
            known = self._project_files[path] = not (
                path.startswith("<")
                or "site-packages" in parts
                or "dist-packages" in parts
                or normalized.startswith(self._library_folders)
            )
        return known

    def _place_in(self, stack: tuple[SampledFrame, ...]) -> int | None:
        """Where in a stack the stall is recorded: its innermost project frame, else its innermost
        frame that is a file."""
        for position in range(len(stack) - 1, -1, -1):
            if self._is_project_file(stack[position].path):
                return position
        for position in range(len(stack) - 1, -1, -1):
            if not stack[position].path.startswith("<"):
                return position
        return None

    def _placed(
        self, since: float, samples: list[tuple[float, tuple[SampledFrame, ...]]]
    ) -> tuple[tuple[SampledFrame, ...], int | None]:
        """The stack to record and its place: where the loop spent most of the stall, each sample
        standing for the time since the one before. A call that holds the GIL (`json.loads`) is
        sampled once, as it returns, after all that time: that one sample outweighs the ones taken
        while the loop finished the callback."""
        weights: dict[tuple[str, int], float] = {}
        latest: dict[tuple[str, int], tuple[tuple[SampledFrame, ...], int]] = {}
        previous = since
        for taken, stack in samples:
            position = self._place_in(stack)
            if position is not None:
                key = (stack[position].path, stack[position].line)
                weights[key] = weights.get(key, 0.0) + taken - previous
                latest[key] = (stack, position)
            previous = taken
        if not weights:
            return (), None
        return latest[max(weights, key=weights.__getitem__)]

    # -- records ------------------------------------------------------------------------------

    def part_entries(self) -> list[dict[str, Any]]:
        """This process's places, in the part-file form (see `records`)."""
        import linecache

        records = _records()
        self._take_pending()
        with self._lock:
            places = list(self._places.items())
        entries = []
        for (path, line), place in places:
            where = place.frames[place.position]
            entries.append(
                {
                    "path": path,
                    "line": line,
                    "function": where.function,
                    "line_hash": records.line_fingerprint(linecache.getline(path, line)),
                    "coroutine": where.coroutine,
                    "count": place.count,
                    "duration_ms": place.longest_ms,
                    "total_ms": round(place.total_ms, 1),
                    "durations_ms": list(place.durations),
                    "frames": [
                        {"path": frame.path, "line": frame.line, "function": frame.function}
                        for frame in place.frames[-records.MAX_FRAMES :]
                    ],
                    "tests": list(place.tests),
                }
            )
        return entries

    def flush(self) -> None:
        """Write this process's part and merge every part of the run into the output file."""
        self._take_pending()
        # Checked under the lock: a flush at exit that found nothing new while the watchdog was
        # still writing would let the process end (and the watchdog die) before the file is written.
        with self._write_lock:
            if self.output is None or not self._dirty:
                return
            records = _records()
            self._dirty = False
            self._last_write = _clock()
            parts = records.parts_folder(self.output)
            try:
                os.makedirs(parts, exist_ok=True)
                records.write_atomically(os.path.join(parts, f"{os.getpid()}.json"), self.part_entries())
                with _Exclusive(os.path.join(parts, "lock")):
                    records.write_atomically(self.output, records.merge_parts(records.read_parts(parts)))
            except OSError as error:
                print(f"async-patterns: cannot write the loop stalls to {self.output}: {error}", file=sys.stderr)
                self.output = None

    # -- installation -------------------------------------------------------------------------

    def hook(self, original: Callable[[Any], None]) -> Callable[[Any], None]:
        """`asyncio.events._set_running_loop` that also tells this monitor."""

        def _set_running_loop(loop: Any) -> None:
            original(loop)
            try:
                if loop is not None:
                    self.loop_started(loop)
                else:
                    self.loop_stopped()
            except Exception:  # the monitor must never break the program it watches
                pass

        setattr(_set_running_loop, _HOOK_ATTRIBUTE, self)
        _set_running_loop.__wrapped__ = original  # type: ignore[attr-defined]
        return _set_running_loop

    def patch(self, events: Any) -> None:
        """Hook the module `asyncio.events` (and `asyncio`, where uvloop looks it up)."""
        if installed_monitor(events) is not None:
            return
        hooked = self.hook(events._set_running_loop)
        events._set_running_loop = hooked
        asyncio = sys.modules.get("asyncio")
        if asyncio is not None and hasattr(asyncio, "_set_running_loop"):
            asyncio._set_running_loop = hooked


def installed_monitor(events: Any = None) -> Monitor | None:
    """The monitor already hooked into this process, if any (the run's, the plugin's)."""
    events = events or sys.modules.get("asyncio.events")
    function = getattr(events, "_set_running_loop", None) if events is not None else None
    return getattr(function, _HOOK_ATTRIBUTE, None)


def install(make_monitor: Callable[[], Monitor]) -> Monitor | None:
    """Hook a monitor into asyncio now, or as soon as `asyncio.events` is imported (then `None` is
    returned: the monitor is made only then). A monitor already hooked in stays, and is returned."""
    events = sys.modules.get("asyncio.events")
    if events is None:
        sys.meta_path.insert(0, _PatchOnImport(make_monitor))
        return None
    existing = installed_monitor(events)
    if existing is not None:
        return existing
    monitor = make_monitor()
    monitor.patch(events)
    return monitor


def install_from_environment() -> None:
    """Install the monitor `async-patterns run` configured in the environment, if it did."""
    output = os.environ.get(OUTPUT_VARIABLE)
    if not output:
        return
    try:
        threshold = float(os.environ.get(THRESHOLD_VARIABLE, DEFAULT_THRESHOLD_MS))
    except ValueError:
        threshold = DEFAULT_THRESHOLD_MS
    install(lambda: Monitor(threshold, output))


class _PatchOnImport:
    """A meta-path finder that patches `asyncio.events` right after it executes, before anyone
    (asyncio's own `__init__`, uvloop) copies `_set_running_loop` out of it. Importing asyncio
    ourselves at start-up would change the program (import order, start-up time)."""

    def __init__(self, make_monitor: Callable[[], Monitor]) -> None:
        self.make_monitor = make_monitor

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "asyncio.events":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _PatchingLoader(spec.loader, self.make_monitor)
        return spec

    def invalidate_caches(self) -> None:  # `importlib.invalidate_caches()` calls it on every finder
        pass


class _PatchingLoader:
    def __init__(self, loader: Any, make_monitor: Callable[[], Monitor]) -> None:
        self._loader = loader
        self._make_monitor = make_monitor

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        # Leave no trace of this wrapper on the module.
        module.__loader__ = module.__spec__.loader = self._loader
        self._loader.exec_module(module)
        try:
            self._make_monitor().patch(module)
        except Exception as error:  # the program runs on, unwatched, and says why once
            print(f"async-patterns: the loop-stall monitor could not start: {error!r}", file=sys.stderr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)


def _library_folders() -> tuple[str, ...]:
    import sysconfig

    paths = sysconfig.get_paths()
    folders = {paths.get(name) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    folders.add(os.path.dirname(os.path.abspath(__file__)))
    return tuple(os.path.normcase(os.path.join(folder, "")) for folder in folders if folder)


class _Exclusive:
    """An advisory lock on a file, so that processes of one run merge their parts one at a time."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __enter__(self) -> None:
        self.descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl
        except ImportError:  # Windows: the last writer wins
            return
        fcntl.flock(self.descriptor, fcntl.LOCK_EX)

    def __exit__(self, *exc: Any) -> None:
        os.close(self.descriptor)


def _records() -> Any:
    """`records`, imported on first use: most programs never stall, and its imports cost start-up."""
    from . import records

    return records
