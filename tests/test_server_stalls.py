"""AP190 in the editor: a recorded stall appears when stalls.json is written and goes when the record
is cleared or the line is edited; settings, noqa, hover and the quick fix work for it as for any rule."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from async_patterns.analysis import Settings
from async_patterns.analysis.positions import LineIndex
from docs_claims import claim
from async_patterns.lsp.stalls import stall_findings
from async_patterns.runtime.records import line_fingerprint, parse_records
from conftest import SERVER_COMMAND, assert_message_names_its_code

WAIT = 60

SOURCE = """\
import asyncio
import hashlib


async def register(password: bytes) -> bytes:
    digest = hashlib.pbkdf2_hmac("sha256", password, b"salt", 600_000)
    return digest
"""
STALL_LINE = 6


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    (folder / ".async-patterns").mkdir(parents=True)
    (folder / "app.py").write_text(SOURCE, encoding="utf-8")
    return folder


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient, workspace: Path):
    lsp_client.workspace = workspace
    watch_notifications(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="project")],
            initialization_options={"severity": {"AP190": "error"}},
        )
    )
    yield
    await lsp_client.shutdown_session()


def entry(workspace: Path, line: int = STALL_LINE, text: str | None = None, **changes) -> dict:
    lines = SOURCE.splitlines()
    source_line = text if text is not None else lines[line - 1] if 0 < line <= len(lines) else ""
    return {
        "path": str(workspace / "app.py"),
        "line": line,
        "function": "register",
        "line_hash": line_fingerprint(source_line),
        "coroutine": True,
        "count": 2,
        "duration_ms": 352.4,
        "median_ms": 340.0,
        "total_ms": 692.4,
        "frames": [
            {"path": str(workspace / "main.py"), "line": 30, "function": "<module>"},
            {"path": "/usr/lib/python3.11/asyncio/events.py", "line": 80, "function": "Handle._run"},
            {"path": str(workspace / "app.py"), "line": line, "function": "register"},
        ],
        **changes,
    }


def write_record(workspace: Path, entries: list[dict] | str) -> None:
    record = workspace / ".async-patterns" / "stalls.json"
    temporary = record.with_suffix(".tmp")
    temporary.write_text(entries if isinstance(entries, str) else json.dumps(entries), encoding="utf-8")
    temporary.replace(record)


def watch_notifications(client: LanguageClient) -> None:
    """Keep the URIs published (`client.published_uris`) and wake `arrival` on every publish or log
    message. (Waiting on pytest-lsp's notification future with a timeout would cancel it, and a
    notification arriving just then would be lost with an error.)"""
    client.notified = asyncio.Event()
    client.published_uris = []
    features = client.protocol.fm.features
    for method in (types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, types.WINDOW_LOG_MESSAGE):
        original = features[method]

        def record(params, original=original, method=method):
            result = original(params)
            if method == types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS:
                client.published_uris.append(params.uri)
            client.notified.set()
            return result

        features[method] = record


async def arrival(client: LanguageClient, condition, what) -> None:
    """Wait, notification by notification, until `condition()` holds."""
    deadline = asyncio.get_running_loop().time() + WAIT
    while not condition():
        remaining = deadline - asyncio.get_running_loop().time()
        assert remaining > 0, what()
        client.notified.clear()
        try:
            await asyncio.wait_for(client.notified.wait(), min(remaining, 1))
        except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
            pass


async def wait_for(client: LanguageClient, uri: str, wanted) -> list[types.Diagnostic]:
    """The diagnostics of `uri` once they satisfy `wanted` (the server checks the record every second)."""
    await arrival(client, lambda: uri in client.diagnostics and wanted(client.diagnostics[uri]), lambda: client.diagnostics.get(uri))
    return client.diagnostics[uri]


async def open_with_stall(client: LanguageClient) -> str:
    """app.py, open, with a stall recorded at its pbkdf2 line; its URI once the stall is shown."""
    uri = (client.workspace / "app.py").as_uri()
    write_record(client.workspace, [entry(client.workspace)])
    open_document(client, uri)
    await wait_for(client, uri, stalls)
    return uri


def stalls(diagnostics: list[types.Diagnostic]) -> list[types.Diagnostic]:
    return [diagnostic for diagnostic in diagnostics if diagnostic.code == "AP190"]


def open_document(client: LanguageClient, uri: str, text: str = SOURCE, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text))
    )


def change(client: LanguageClient, uri: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            [types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@pytest.mark.parametrize(
    "line, frames, message",
    [
        (6, [], "`hashlib.pbkdf2_hmac()` blocked the event loop for 352 ms (2×, median 340 ms)"),
        (6, [("/lib/json/decoder.py", 353, "raw_decode")], "`hashlib.pbkdf2_hmac()` blocked the event loop for 352 ms (2×, median 340 ms), sampled at decoder.py:353"),
        (7, [("/lib/json/decoder.py", 353, "raw_decode")], "`return digest` blocked the event loop for 352 ms (2×, median 340 ms), sampled in `raw_decode` at decoder.py:353"),
        (7, [("/lib/json/decoder.py", 353, "")], "`return digest` blocked the event loop for 352 ms (2×, median 340 ms), sampled at decoder.py:353"),
        (7, [], "`return digest` blocked the event loop for 352 ms (2×, median 340 ms)"),
    ],
)
def test_the_message_names_the_call_and_where_the_time_went(tmp_path: Path, line, frames, message):
    raw = entry(tmp_path, line=line, frames=[{"path": path, "line": number, "function": name} for path, number, name in frames])
    [parsed] = parse_records(json.dumps([raw]).encode()).entries
    [finding] = stall_findings((parsed,), LineIndex.of(SOURCE), Settings())
    assert finding.message == message
    assert_message_names_its_code(finding, SOURCE)


async def test_a_stall_appears_when_recorded_and_goes_when_cleared(client: LanguageClient):
    workspace = client.workspace
    uri = (workspace / "app.py").as_uri()
    open_document(client, uri)
    assert stalls(await wait_for(client, uri, lambda diagnostics: True)) == []
    write_record(workspace, [entry(workspace)])
    [stall] = stalls(await wait_for(client, uri, stalls))
    assert stall.message == (
        "`hashlib.pbkdf2_hmac()` blocked the event loop for 352 ms (2×, median 340 ms)"
    )
    assert stall.severity == types.DiagnosticSeverity.Error
    assert stall.source == "async-patterns"
    assert stall.code_description.href.endswith("rules.md#ap190")
    assert stall.range == types.Range(start=types.Position(5, 13), end=types.Position(5, 70))
    assert [(info.location.uri, info.location.range.start.line, info.message) for info in stall.related_information] == [
        (Path("/usr/lib/python3.11/asyncio/events.py").as_uri(), 79, "in `Handle._run`"),
        ((workspace / "main.py").as_uri(), 29, "in `<module>`"),
    ]
    write_record(workspace, [])
    assert stalls(await wait_for(client, uri, lambda diagnostics: not stalls(diagnostics))) == []
    write_record(workspace, [entry(workspace)])
    await wait_for(client, uri, stalls)
    (workspace / ".async-patterns" / "stalls.json").unlink()
    await wait_for(client, uri, lambda diagnostics: not stalls(diagnostics))


@claim("debugging.md", "an edited line loses its entry at once")
async def test_a_stall_goes_when_its_line_is_edited_or_moved_and_comes_back_with_the_text(client: LanguageClient):
    uri = await open_with_stall(client)
    edited = SOURCE.replace("600_000", "700_000")
    change(client, uri, 2, edited)
    assert stalls(await wait_for(client, uri, lambda diagnostics: not stalls(diagnostics))) == []
    change(client, uri, 3, SOURCE)
    await wait_for(client, uri, stalls)
    # A line added above: the recorded line number now names another line, so nothing is shown.
    change(client, uri, 4, "# a new first line\n" + SOURCE)
    await wait_for(client, uri, lambda diagnostics: not stalls(diagnostics))


async def test_the_quick_fix_moves_the_call_to_a_thread(client: LanguageClient):
    uri = await open_with_stall(client)
    [stall] = stalls(client.diagnostics[uri])
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=stall.range,
            context=types.CodeActionContext(diagnostics=[stall]),
        )
    )
    titles = [action.title for action in actions]
    assert titles == ["Run `hashlib.pbkdf2_hmac` in a worker thread (asyncio.to_thread)", "Suppress AP190 on this line"]
    resolved = await client.code_action_resolve_async(actions[0])
    [edit] = resolved.edit.document_changes
    [text_edit] = edit.edits
    assert text_edit.new_text.startswith("await asyncio.to_thread(hashlib.pbkdf2_hmac, ")
    # Fix-all applies only what the analysis found: a recorded stall's fix is the reader's choice.
    fix_all = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=stall.range,
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert list(fix_all) == []


async def test_no_fix_where_the_line_is_not_a_plain_call_in_a_coroutine(client: LanguageClient):
    workspace = client.workspace
    uri = (workspace / "app.py").as_uri()
    write_record(workspace, [entry(workspace, coroutine=False), entry(workspace, line=7, frames=[])])
    open_document(client, uri)
    found = stalls(await wait_for(client, uri, lambda diagnostics: len(stalls(diagnostics)) == 2))
    assert [diagnostic.message for diagnostic in found] == [
        "`hashlib.pbkdf2_hmac()` blocked the event loop for 352 ms (2×, median 340 ms)",
        "`return digest` blocked the event loop for 352 ms (2×, median 340 ms)",
    ]
    for stall in found:
        assert "fix" not in stall.data
    assert found[1].range == types.Range(start=types.Position(6, 4), end=types.Position(6, 17))


async def test_hover_explains_the_stall(client: LanguageClient):
    uri = await open_with_stall(client)
    [stall] = stalls(client.diagnostics[uri])
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=stall.range.start)
    )
    assert "AP190 · loop-stall" in hover.contents.value


async def test_settings_and_noqa_apply_to_stalls(client: LanguageClient):
    uri = await open_with_stall(client)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"asyncPatterns": {"ignore": ["AP19"]}})
    )
    await wait_for(client, uri, lambda diagnostics: not stalls(diagnostics))
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"asyncPatterns": {"severity": {"AP190": "hint"}}})
    )
    [stall] = stalls(await wait_for(client, uri, stalls))
    assert stall.severity == types.DiagnosticSeverity.Hint
    suppressed = SOURCE.replace("600_000)\n", "600_000)  # noqa: AP190\n")
    write_record(client.workspace, [entry(client.workspace, text=suppressed.splitlines()[STALL_LINE - 1])])
    change(client, uri, 2, suppressed)
    await wait_for(client, uri, lambda diagnostics: not stalls(diagnostics))


@claim("debugging.md", '"Async Patterns: Clear Recorded Stalls" deletes the record')
async def test_the_clear_command_deletes_the_record_and_the_stalls(client: LanguageClient):
    workspace = client.workspace
    parts = workspace / ".async-patterns" / "stalls.json.parts"
    parts.mkdir()
    (parts / "123.json").write_text("[]")
    (parts / "keep.txt").write_text("not ours")
    uri = await open_with_stall(client)
    cleared = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(command="async-patterns.clearRecordedStalls")
    )
    assert cleared == 1
    await wait_for(client, uri, lambda diagnostics: not stalls(diagnostics))
    assert not (workspace / ".async-patterns" / "stalls.json").exists()
    assert sorted(path.name for path in parts.iterdir()) == ["keep.txt"]


async def test_only_documents_whose_stalls_changed_are_published_again(client: LanguageClient):
    workspace = client.workspace
    app, other = (workspace / "app.py").as_uri(), (workspace / "other.py").as_uri()
    open_document(client, other, "async def main():\n    pass\n")
    open_document(client, app)
    await wait_for(client, app, lambda diagnostics: True)
    await wait_for(client, other, lambda diagnostics: True)
    client.published_uris.clear()
    write_record(workspace, [entry(workspace)])
    await wait_for(client, app, stalls)
    write_record(workspace, [entry(workspace, duration_ms=500.0)])
    await wait_for(client, app, lambda diagnostics: "500 ms" in stalls(diagnostics)[0].message if stalls(diagnostics) else False)
    assert set(client.published_uris) == {app}
