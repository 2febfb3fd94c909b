"""Loop stalls recorded at run time (AP190) in open documents.

The records are each workspace folder's `.async-patterns/stalls.json` (without workspace folders,
those of the open documents' folders), written by `async-patterns run` or `pytest --async-stalls`.
They are read once the first document is published and checked every second after that (size,
modification time, inode), always off the event loop; a record that changed re-publishes only the
open documents whose entries changed. The server only reads them, through the pure parser in
`runtime.records`, compares their paths with open documents, and never starts a program. A record
that cannot be used (missing, huge, malformed, half-written by a tool that does not replace it
atomically) counts as empty, and what was wrong is logged once.

An entry is shown only where the recorded line still reads the same (its `line_hash`), so an edited
line loses its stall at once. The command `async-patterns.clearRecordedStalls` deletes the records
it reads (the editor's "Clear Recorded Stalls").
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from async_patterns.analysis import Settings
from async_patterns.analysis.code_spans import code_span
from async_patterns.analysis.findings import Finding
from async_patterns.analysis.line_call import plain_call_on_line
from async_patterns.analysis.noqa import is_suppressed
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.rules.ap190_loop_stall import LoopStall
from async_patterns.lsp.documents import path_of
from async_patterns.lsp.server import AsyncPatternsServer, server
from async_patterns.runtime import records
from async_patterns.runtime.records import StallEntry

logger = logging.getLogger(__name__)

POLL_SECONDS = 1.0
CLEAR_COMMAND = "async-patterns.clearRecordedStalls"
_MAX_RELATED_FRAMES = 20
_Signature = tuple[int, int, int]


def _key(path: str) -> str:
    return os.path.normcase(os.path.normpath(path))


@dataclass(frozen=True)
class _RecordFile:
    signature: _Signature | None
    entries: tuple[StallEntry, ...] = ()
    problem: str | None = None


def read_record(path: str, signature: _Signature | None) -> _RecordFile:
    """One record file as it is on disk now; never raises."""
    if signature is None:
        return _RecordFile(None)
    if signature[1] > records.MAX_RECORD_BYTES:
        return _RecordFile(signature, problem=f"larger than {records.MAX_RECORD_BYTES // (1024 * 1024)} MB; ignored")
    try:
        # Non-blocking and regular files only: a FIFO or a device put there must not hang the reader.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as file:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return _RecordFile(signature, problem="not a regular file; ignored")
            data = file.read(records.MAX_RECORD_BYTES + 1)
    except OSError as error:
        return _RecordFile(signature, problem=f"cannot read it: {error.strerror or error}")
    # The folder the program ran from: the record sits in its `.async-patterns/`.
    parsed = records.parse_records(data, base=os.path.dirname(os.path.dirname(path)))
    return _RecordFile(signature, parsed.entries, parsed.problem)


def _signature(path: str) -> _Signature | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_mtime_ns, status.st_size, status.st_ino)


@dataclass
class RecordedStalls:
    """The entries of every record file, by the file they point at; a record's problem is handed to
    `report` once, when it first appears."""

    report: Callable[[str], None]
    files: dict[str, _RecordFile] = field(default_factory=dict)
    by_path: dict[str, tuple[StallEntry, ...]] = field(default_factory=dict)

    def read_changes(self, paths: list[str]) -> dict[str, _RecordFile]:
        """The record files, re-read where they changed (runs in a worker thread: no state changes)."""
        current = {}
        for path in paths:
            signature = _signature(path)
            known = self.files.get(path)
            current[path] = known if known is not None and known.signature == signature else read_record(path, signature)
        return current

    def apply(self, files: dict[str, _RecordFile]) -> set[str]:
        """Take the files read; the keys of the documents whose entries changed."""
        for path, record in files.items():
            previous = self.files.get(path)
            if record.problem and (previous is None or previous.problem != record.problem):
                self.report(f"loop stall record {path}: {record.problem}")
        self.files = files
        by_path: dict[str, list[StallEntry]] = {}
        for record in files.values():
            for entry in record.entries:
                by_path.setdefault(_key(entry.path), []).append(entry)
        new = {key: tuple(entries) for key, entries in by_path.items()}
        changed = {key for key in set(new) | set(self.by_path) if new.get(key) != self.by_path.get(key)}
        self.by_path = new
        return changed

    def for_document(self, uri: str) -> tuple[StallEntry, ...]:
        path = path_of(uri)
        return self.by_path.get(_key(str(path)), ()) if path is not None else ()


def stall_findings(entries: tuple[StallEntry, ...], index: LineIndex, settings: Settings) -> list[Finding]:
    """AP190 findings for a document's text: entries whose line still reads as recorded."""
    if not entries or not settings.is_enabled(LoopStall.code, LoopStall.enabled_by_default):
        return []
    findings = []
    for entry in entries:
        text = index.line_text(entry.line)
        if entry.line > len(index.lines) or records.line_fingerprint(text) != entry.line_hash:
            continue
        call = plain_call_on_line(text)
        if call is not None:
            column, end_column = call.column, call.end_column
        else:
            column, end_column = len(text) - len(text.lstrip()), len(text.rstrip())
        if end_column <= column:
            continue
        data: dict[str, Any] = {"related": _related(entry)}
        if call is not None and entry.coroutine:
            data.update(fix="to_thread", call=call.callee)
        finding = Finding(
            LoopStall.code,
            _message(entry, call.callee if call else None, text),
            entry.line,
            column,
            entry.line,
            end_column,
            settings.severity_of(LoopStall.code),
            data,
        )
        if not is_suppressed(finding, index):
            findings.append(finding)
    return findings


def _message(entry: StallEntry, callee: str | None, line_text: str) -> str:
    """"`json.loads()` blocked the event loop for 352 ms (2×, median 340 ms), sampled at decoder.py:353":
    the call the line makes, else the line itself."""
    code = code_span(f"{callee}()" if callee else line_text.strip())
    repeats = f" ({entry.count}×, median {entry.median_ms:.0f} ms)" if entry.count > 1 else ""
    innermost = entry.frames[-1] if entry.frames else None
    where = ""
    if innermost is not None and (_key(innermost.path), innermost.line) != (_key(entry.path), entry.line):
        function = f" in {code_span(innermost.function)}" if not callee and innermost.function else ""
        where = f", sampled{function} at {os.path.basename(innermost.path)}:{innermost.line}"
    return LoopStall.message.format(code=code, duration=f"{entry.duration_ms:.0f} ms{repeats}", where=where)


def _related(entry: StallEntry) -> list[dict[str, Any]]:
    """The sampled stack, innermost first, without the stall's own line."""
    frames = [frame for frame in reversed(entry.frames) if (_key(frame.path), frame.line) != (_key(entry.path), entry.line)]
    return [
        {"path": frame.path, "line": frame.line, "message": f"in `{frame.function}`" if frame.function else "in the stack"}
        for frame in frames[:_MAX_RELATED_FRAMES]
    ]


# -- the server's side ----------------------------------------------------------------------------

recorded = RecordedStalls(report=server.log_warning)
_watching: asyncio.Task | None = None


def _record_files(ls: AsyncPatternsServer) -> list[str]:
    folders = [path_of(folder.uri) for folder in ls.workspace.folders.values()]
    if not folders and ls.workspace.root_path:
        folders = [Path(ls.workspace.root_path)]
    if not folders:
        folders = [path.parent for path in map(path_of, ls.workspace.text_documents) if path is not None]
    return sorted({records.default_output(str(folder)) for folder in folders if folder is not None})


async def refresh(ls: AsyncPatternsServer) -> None:
    """Read the records that changed and re-publish the documents whose stalls changed."""
    files = await asyncio.get_running_loop().run_in_executor(None, recorded.read_changes, _record_files(ls))
    changed = recorded.apply(files)
    if changed:
        for uri in list(ls.workspace.text_documents):
            path = path_of(uri)
            if path is not None and _key(str(path)) in changed:
                ls.schedule_analysis(uri)


async def _watch(ls: AsyncPatternsServer) -> None:
    while True:
        try:
            await refresh(ls)
        except Exception:  # a bug here must cost the stalls, never the server
            logger.exception("reading the loop stall records failed")
        await asyncio.sleep(POLL_SECONDS)


def _findings_for_document(uri: str, index: LineIndex, settings: Settings) -> list[Finding]:
    global _watching
    if _watching is None:
        _watching = asyncio.get_running_loop().create_task(_watch(server))
    return stall_findings(recorded.for_document(uri), index, settings)


server.finding_sources.append(_findings_for_document)


@server.command(CLEAR_COMMAND)
async def clear_recorded_stalls(ls: AsyncPatternsServer, *arguments: Any) -> int:
    """Delete the records this server reads (and the runs' parts); how many records there were."""
    cleared = await asyncio.get_running_loop().run_in_executor(None, _delete_records, _record_files(ls))
    await refresh(ls)
    return cleared


def _delete_records(paths: list[str]) -> int:
    cleared = 0
    for path in paths:
        try:
            os.unlink(path)
            cleared += 1
        except FileNotFoundError:
            pass
        except OSError as error:
            server.log_warning(f"cannot delete the loop stall record {path}: {error.strerror or error}")
        parts = records.parts_folder(path)
        try:
            names = os.listdir(parts)
        except OSError:
            continue
        for name in names:
            if name.endswith(".json") or name == "lock":
                try:
                    os.unlink(os.path.join(parts, name))
                except OSError:
                    pass
        try:
            os.rmdir(parts)
        except OSError:
            pass
    return cleared
