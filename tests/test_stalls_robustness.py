"""The stalls record under abuse: truncated, huge, malformed, not a file, rewritten while it is read.

The promise is the server's usual one: it keeps serving, never publishes a position outside the
document or one whose line changed since the run, and never runs the user's code (the record names
files; nothing in it is imported or executed: see also test_security)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
import pytest_lsp
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from async_patterns.analysis import Settings
from async_patterns.analysis.positions import LineIndex
from async_patterns.lsp.stalls import stall_findings
from async_patterns.runtime.records import MAX_RECORD_BYTES, line_fingerprint, parse_records
from conftest import SERVER_COMMAND
from test_server_stalls import (
    SOURCE,
    STALL_LINE,
    arrival,
    entry,
    open_document,
    stalls,
    wait_for,
    watch_notifications,
    write_record,
)

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=30,
)
ENTRY_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "path": st.sampled_from(["/w/app.py", "app.py", "", "\x00", 3]) | st.text(max_size=10),
        "line": st.integers(-5, 12) | st.floats() | st.text(max_size=3),
        "line_hash": st.text(max_size=16) | st.integers(),
        "duration_ms": st.floats() | st.integers() | st.none(),
        "median_ms": st.floats() | st.integers(),
        "count": st.integers(-2, 5) | st.booleans(),
        "coroutine": JSON_VALUES,
        "function": JSON_VALUES,
        "frames": JSON_VALUES | st.lists(st.dictionaries(st.sampled_from(["path", "line", "function"]), JSON_VALUES)),
        "tests": JSON_VALUES,
    },
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | JSON_VALUES.map(lambda value: json.dumps(value).encode()))
def test_any_bytes_parse_to_valid_entries_or_a_problem(data: bytes):
    parsed = parse_records(data, base="/w")
    for parsed_entry in parsed.entries:
        assert os.path.isabs(parsed_entry.path) and parsed_entry.line >= 1 and parsed_entry.count >= 1


@settings(max_examples=300, deadline=None)
@given(st.lists(ENTRY_FIELDS, max_size=6), st.text(max_size=80))
def test_findings_from_any_record_stay_inside_the_document_and_on_unchanged_lines(raw: list, text: str):
    parsed = parse_records(json.dumps(raw).encode(), base="/w")
    index = LineIndex.of(text)
    for finding in stall_findings(parsed.entries, index, Settings()):
        assert 1 <= finding.line == finding.end_line <= len(index.lines)
        line = index.line_text(finding.line)
        assert 0 <= finding.column < finding.end_column <= len(line)
        assert any(line_fingerprint(line) == recorded.line_hash for recorded in parsed.entries)


def test_a_record_larger_than_the_limit_is_refused_without_reading_its_entries():
    huge = b"[" + b" " * MAX_RECORD_BYTES + b"]"
    assert parse_records(huge).problem.startswith("larger than")


def test_truncated_and_deeply_nested_records_are_problems_not_crashes():
    whole = json.dumps([entry(Path("/w"))]).encode()
    for cut in range(0, len(whole), 7):
        parsed = parse_records(whole[:cut])
        assert parsed.entries == () and parsed.problem
    assert parse_records(b"[" * 100_000 + b"]" * 100_000).problem


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient, tmp_path: Path):
    workspace = tmp_path / "project"
    (workspace / ".async-patterns").mkdir(parents=True)
    lsp_client.workspace = workspace
    watch_notifications(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="project")],
        )
    )
    yield
    await lsp_client.shutdown_session()


_CHECKS = iter(range(1_000_000))


async def _still_serving(client: LanguageClient, uri: str) -> None:
    """A new document is analysed and a hover answered, as if nothing had happened."""
    other = uri.replace("app.py", f"other{next(_CHECKS)}.py")
    open_document(client, other, "import asyncio, time\n\nasync def main():\n    time.sleep(1)\n    await asyncio.sleep(1)\n")
    [diagnostic] = await wait_for(client, other, lambda found: True)
    assert diagnostic.code == "ASYNC251"
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=other), position=types.Position(4, 20))
    )
    assert hover is not None and "asyncio.sleep" in hover.contents.value


async def _logged(client: LanguageClient, text: str) -> None:
    await arrival(client, lambda: any(text in message.message for message in client.log_messages), lambda: client.log_messages)


def _inside(diagnostics: list[types.Diagnostic], text: str) -> None:
    lines = text.split("\n")
    for diagnostic in diagnostics:
        start, end = diagnostic.range.start, diagnostic.range.end
        assert 0 <= start.line <= end.line < len(lines)
        assert 0 <= start.character <= len(lines[start.line]) and 0 <= end.character <= len(lines[end.line])


async def test_broken_records_never_stop_the_server(client: LanguageClient):
    workspace = client.workspace
    uri = (workspace / "app.py").as_uri()
    open_document(client, uri)
    good = [entry(workspace)]
    record = workspace / ".async-patterns" / "stalls.json"
    broken = [
        json.dumps(good)[:40],  # truncated
        "{not json",
        json.dumps({"path": "app.py"}),
        json.dumps([entry(workspace, line=10_000), entry(workspace, line=0), entry(workspace, line_hash="stale")]),
        "\ud800",
    ]
    for text in broken:
        write_record(workspace, good)
        await wait_for(client, uri, stalls)
        record.write_bytes(text.encode("utf-8", "surrogatepass"))
        diagnostics = await wait_for(client, uri, lambda found: not stalls(found))
        _inside(diagnostics, SOURCE)
        await _still_serving(client, uri)
    # Huge: refused whole, from its size alone.
    write_record(workspace, good)
    await wait_for(client, uri, stalls)
    with open(record, "wb") as file:
        file.truncate(MAX_RECORD_BYTES + 1)
    await wait_for(client, uri, lambda found: not stalls(found))
    # Not a regular file: a FIFO must not hang the reader.
    record.unlink()
    os.mkfifo(record)
    await _logged(client, "not a regular file")
    await _still_serving(client, uri)
    write_record(workspace, [])
    log = "\n".join(message.message for message in client.log_messages)
    assert "Traceback" not in log


async def test_a_record_rewritten_in_place_while_it_is_read_shows_only_whole_entries(client: LanguageClient):
    """A writer that truncates and rewrites the file (not atomically) while the server reads it: the
    server sees whole records, half ones (malformed), empty ones, and publishes only valid positions."""
    workspace = client.workspace
    uri = (workspace / "app.py").as_uri()
    record = workspace / ".async-patterns" / "stalls.json"
    versions = [
        json.dumps([entry(workspace)]).encode(),
        json.dumps([entry(workspace, line=STALL_LINE + 1, text=SOURCE.splitlines()[STALL_LINE])]).encode(),
    ]
    stop = threading.Event()

    def rewrite() -> None:
        turn = 0
        while not stop.is_set():
            data = versions[turn % 2]
            with open(record, "wb") as file:
                for start in range(0, len(data), 64):
                    file.write(data[start : start + 64])
                    file.flush()
            turn += 1

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        open_document(client, uri)
        seen_lines = set()
        for _ in range(5):
            diagnostics = await wait_for(client, uri, lambda found: True)
            _inside(diagnostics, SOURCE)
            seen_lines.update(diagnostic.range.start.line + 1 for diagnostic in stalls(diagnostics))
            assert seen_lines <= {STALL_LINE, STALL_LINE + 1}
            await _still_serving(client, uri)
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(uri=uri, version=_ + 2),
                    [types.TextDocumentContentChangeWholeDocument(text=SOURCE)],
                )
            )
    finally:
        stop.set()
        writer.join()
    write_record(workspace, versions[0].decode())
    await wait_for(client, uri, lambda found: [d.range.start.line + 1 for d in stalls(found)] == [STALL_LINE])
