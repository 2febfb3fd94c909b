"""The stalls.json format: written by the monitor, read by the language server and the pytest plugin.

The file is a JSON list, one entry per place where the event loop stalled:

    {"path": "/abs/app.py", "line": 12, "function": "handle", "line_hash": "…", "coroutine": true,
     "count": 2, "duration_ms": 352.0, "median_ms": 340.5, "total_ms": 681.0,
     "frames": [{"path": …, "line": …, "function": …}, …], "tests": ["tests/test_app.py::test_x"]}

`path`/`line` is the innermost frame in the program's own files (not the standard library, not
site-packages, not the monitor), else the innermost frame; `frames` is the stack sampled during the
longest stall there, innermost last. `duration_ms` is the longest stall, `median_ms` the median,
`count` how many. `line_hash` is `line_fingerprint` of the source line when it was recorded, so a
reader drops entries whose line has changed since. `coroutine` says whether that line's function is
a coroutine function. `tests` (only from the pytest plugin) names up to a few tests that stalled there.

Each process of a run writes its own part file (with the durations, so medians merge exactly) into
a folder next to stalls.json, then merges all parts into stalls.json. Every file is replaced
atomically, so a reader never sees half of one. Sizes are capped: a reader can trust none of that,
and `parse_records` accepts any bytes without raising.

Pure and standard-library only: the monitor imports this inside the user's program.
"""

from __future__ import annotations

import json
import math
import os
from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:  # `typing` and `dataclasses` would cost every watched program start-up time
    from typing import Any, Iterable

FOLDER = ".async-patterns"
FILE_NAME = "stalls.json"
PARTS_SUFFIX = ".parts"
# Written: the places that cost most, each with the innermost frames of its stack.
MAX_ENTRIES = 200
MAX_FRAMES = 50
MAX_DURATIONS = 256
MAX_TESTS = 5
# Read: what a reader accepts from a file anyone could have written.
MAX_RECORD_BYTES = 8 * 1024 * 1024
MAX_READ_ENTRIES = 1000
MAX_READ_FRAMES = 100
MAX_TEXT = 4096
MAX_LINE = 10_000_000


def line_fingerprint(text: str) -> str:
    """What identifies a source line across runs: its text without the surrounding whitespace."""
    import hashlib  # here: the monitor loads this module into programs, most of which never stall

    return hashlib.sha256(text.strip().encode("utf-8", "surrogatepass")).hexdigest()[:16]


def default_output(folder: str) -> str:
    return os.path.join(folder, FOLDER, FILE_NAME)


def parts_folder(output: str) -> str:
    return output + PARTS_SUFFIX


Frame = namedtuple("Frame", "path line function")
Frame.__doc__ = "One frame of a sampled stack: an absolute path, a 1-based line, the function's name."

StallEntry = namedtuple(
    "StallEntry",
    "path line function line_hash coroutine count duration_ms median_ms frames tests",
    defaults=((),),
)
StallEntry.__doc__ = "One place of a record, as read (see the module's docstring); `frames` are Frames."

ParsedRecords = namedtuple("ParsedRecords", "entries problem", defaults=(None,))
ParsedRecords.__doc__ = "The valid entries of a record and, when some of it was unusable, why (one line)."


def parse_records(data: bytes, base: str | None = None) -> ParsedRecords:
    """The entries of a stalls.json; relative paths are taken from `base`. Never raises."""
    if len(data) > MAX_RECORD_BYTES:
        return ParsedRecords((), f"larger than {MAX_RECORD_BYTES // (1024 * 1024)} MB; ignored")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        return ParsedRecords((), f"not a JSON document ({_first_line(error)})")
    if not isinstance(document, list):
        return ParsedRecords((), f"expected a JSON list of stalls, found {type(document).__name__}")
    entries: list[StallEntry] = []
    skipped = 0
    for raw in document[:MAX_READ_ENTRIES]:
        entry = _entry(raw, base)
        if entry is None:
            skipped += 1
        else:
            entries.append(entry)
    problems = []
    if skipped:
        problems.append(f"{skipped} malformed entr{'y' if skipped == 1 else 'ies'} ignored")
    if len(document) > MAX_READ_ENTRIES:
        problems.append(f"only the first {MAX_READ_ENTRIES} of {len(document)} entries read")
    return ParsedRecords(tuple(entries), "; ".join(problems) or None)


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and 0 < len(value) <= MAX_TEXT and "\x00" not in value else None


def _line(value: Any) -> int | None:
    return value if type(value) is int and 1 <= value <= MAX_LINE else None


def _milliseconds(value: Any) -> float | None:
    if type(value) in (int, float) and math.isfinite(value) and 0 <= value < 1e12:
        return float(value)
    return None


def _path(value: Any, base: str | None) -> str | None:
    path = _text(value)
    if path is None:
        return None
    if not os.path.isabs(path):
        if base is None:
            return None
        path = os.path.join(base, path)
    return os.path.normpath(path)


def _frame(raw: Any, base: str | None) -> Frame | None:
    if not isinstance(raw, dict):
        return None
    path, line = _path(raw.get("path"), base), _line(raw.get("line"))
    function = raw.get("function")
    if path is None or line is None:
        return None
    return Frame(path, line, function if isinstance(function, str) and len(function) <= MAX_TEXT else "")


def _entry(raw: Any, base: str | None) -> StallEntry | None:
    if not isinstance(raw, dict):
        return None
    path, line = _path(raw.get("path"), base), _line(raw.get("line"))
    line_hash = _text(raw.get("line_hash"))
    duration = _milliseconds(raw.get("duration_ms"))
    count = raw.get("count")
    if path is None or line is None or line_hash is None or duration is None:
        return None
    if type(count) is not int or count < 1:
        return None
    median = _milliseconds(raw.get("median_ms"))
    frames = raw.get("frames")
    parsed_frames = [_frame(frame, base) for frame in frames[-MAX_READ_FRAMES:]] if isinstance(frames, list) else []
    tests = raw.get("tests")
    function = raw.get("function")
    return StallEntry(
        path=path,
        line=line,
        function=function if isinstance(function, str) and len(function) <= MAX_TEXT else "",
        line_hash=line_hash,
        coroutine=raw.get("coroutine") is True,
        count=count,
        duration_ms=duration,
        median_ms=median if median is not None and median <= duration else duration,
        frames=tuple(frame for frame in parsed_frames if frame is not None),
        tests=tuple(test for test in tests[:MAX_TESTS] if _text(test)) if isinstance(tests, list) else (),
    )


# -- writing --------------------------------------------------------------------------------------


def merge_parts(parts: Iterable[list[Any]]) -> list[dict[str, Any]]:
    """One entry per place from the part files of every process, the costliest first, capped."""
    places: dict[tuple[str, int], dict[str, Any]] = {}
    for part in parts:
        for raw in part:
            if not isinstance(raw, dict) or not isinstance(raw.get("path"), str) or type(raw.get("line")) is not int:
                continue
            key = (raw["path"], raw["line"])
            merged = places.get(key)
            if merged is None:
                places[key] = merged = {**raw, "durations_ms": [], "tests": [], "count": 0, "total_ms": 0.0}
            elif raw.get("duration_ms", 0) > merged.get("duration_ms", 0):
                merged.update({name: raw[name] for name in ("duration_ms", "frames", "function", "line_hash", "coroutine") if name in raw})
            merged["count"] += raw.get("count", 0)
            merged["total_ms"] += raw.get("total_ms", 0.0)
            merged["durations_ms"].extend(raw.get("durations_ms", ()))
            merged["tests"].extend(test for test in raw.get("tests", ()) if test not in merged["tests"])
    entries = sorted(places.values(), key=lambda entry: -entry["total_ms"])[:MAX_ENTRIES]
    return [_finished(entry) for entry in entries]


def _finished(entry: dict[str, Any]) -> dict[str, Any]:
    durations = entry.pop("durations_ms")
    tests = entry.pop("tests")[:MAX_TESTS]
    entry["median_ms"] = round(_median(durations), 1) if durations else entry["duration_ms"]
    entry["total_ms"] = round(entry["total_ms"], 1)
    entry["frames"] = entry.get("frames", [])[-MAX_FRAMES:]
    if tests:
        entry["tests"] = tests
    return entry


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def read_parts(folder: str) -> list[list[Any]]:
    """The part files in a folder; a part being replaced or unreadable is skipped, never fatal."""
    parts = []
    try:
        names = sorted(name for name in os.listdir(folder) if name.endswith(".json"))
    except OSError:
        return []
    for name in names:
        try:
            with open(os.path.join(folder, name), "rb") as part:
                document = json.loads(part.read().decode("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(document, list):
            parts.append(document)
    return parts


def start_record(output: str) -> None:
    """An empty record at `output` for a new run, without the parts of an earlier one; in the
    default folder, a .gitignore keeps the records out of version control."""
    folder = os.path.dirname(output)
    os.makedirs(folder, exist_ok=True)
    ignore = os.path.join(folder, ".gitignore")
    if os.path.basename(folder) == FOLDER and not os.path.exists(ignore):
        with open(ignore, "w", encoding="utf-8") as file:
            file.write("# Written by async-patterns: loop stalls recorded at run time.\n*\n")
    import shutil

    shutil.rmtree(parts_folder(output), ignore_errors=True)
    write_atomically(output, [])


def write_atomically(path: str, document: Any) -> None:
    """Replace `path` with the JSON of `document` in one step: readers see the old file or the new."""
    # Named by process and thread, so that no other writer can be writing the same temporary file.
    import threading

    temporary = os.path.join(os.path.dirname(path) or ".", f".stalls-{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8") as file:
            json.dump(document, file, indent=1, ensure_ascii=False)
            file.write("\n")
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
