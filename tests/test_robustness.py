"""The server under abuse: edit storms, odd requests, huge and too-new files, exits in any order."""

from __future__ import annotations

import asyncio
import random
import re
import subprocess
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.exceptions import (
    JsonRpcContentModified,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
    JsonRpcMethodNotFound,
    JsonRpcRequestCancelled,
)
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from async_patterns.analysis import analyze
from async_patterns.analysis.positions import LineIndex
from async_patterns.lsp.convert import to_diagnostic
from async_patterns.analysis.notebook import analyze_notebook
from conftest import SERVER_COMMAND, Publishes
from notebook_client import Notebook, notebook_capabilities, position_at
from stdio_session import StdioSession

WAIT = 60  # seconds; generous because the machine is shared, but a dead server must not hang the suite

# Valid Python with every awkward ingredient: mixed line ends, a form feed, tabs, non-BMP text and
# a line separator inside a comment. Three findings.
BASE = (
    "import time\r\n"
    "\x0c\n"
    "from pathlib import Path\n"
    "# 日本語 😀 comment \u2028 still the comment\n"
    "async def main():\r\n"
    "\tlabel = '😀'; time.sleep(1)\n"
    "\tPath('x').read_text()\r"
    "\tinput()\n"
)
EDIT_PIECES = ("😀", "日本", "\t", "\r\n", "\r", "\n", "\x00", "\x0c", "\ud800", "\u2028", "(", '"', "async ", "time.sleep(3)", "")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    lsp_client.published = Publishes(lsp_client)
    await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _position(text: str, offset: int) -> types.Position:
    """LSP position of a code-point offset: lines end only at \\n, \\r\\n and \\r."""
    lines = re.split(r"\r\n|\r|\n", text[:offset])
    return types.Position(line=len(lines) - 1, character=_utf16_length(lines[-1]))


def _range(text: str, start: int, end: int) -> types.Range:
    return types.Range(start=_position(text, start), end=_position(text, end))


def _edit_offsets(text: str) -> list[int]:
    """Offsets an LSP position can name: not between the two halves of a \\r\\n."""
    return [offset for offset in range(len(text) + 1) if not (text[offset - 1 : offset + 1] == "\r\n")]


def _expected_diagnostics(text: str) -> list[tuple]:
    index = LineIndex.of(text)
    return [_comparable(to_diagnostic(finding, index)) for finding in analyze(text).findings]


def _comparable(diagnostic: types.Diagnostic) -> tuple:
    return diagnostic.code, diagnostic.message, diagnostic.range


def _open(client: LanguageClient, uri: str, text: str) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )


def _change(client: LanguageClient, uri: str, version: int, change) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change])
    )


async def _diagnostics_for_version(client: LanguageClient, uri: str, version: int) -> list:
    return await client.published.for_version(uri, version, WAIT)


def _side_requests(client: LanguageClient, uri: str, position: types.Position) -> list[asyncio.Future]:
    document = types.TextDocumentIdentifier(uri=uri)
    return [
        client.text_document_hover_async(types.HoverParams(text_document=document, position=position)),
        client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=document,
                range=types.Range(start=position, end=position),
                context=types.CodeActionContext(diagnostics=[]),
            )
        ),
    ]


async def _assert_answered(requests: list[asyncio.Future]) -> None:
    """Each request got a result or an error that means "not supported" or "outdated", never silence."""
    outcomes = await asyncio.wait_for(asyncio.gather(*requests, return_exceptions=True), WAIT)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            assert isinstance(
                outcome, (JsonRpcMethodNotFound, JsonRpcRequestCancelled, JsonRpcContentModified)
            ), repr(outcome)


async def test_edit_storm_then_undo_ends_with_the_analysis_of_the_final_text(client: LanguageClient):
    uri = "file:///nonexistent-workspace/storm.py"
    rng = random.Random(8)
    text, version, undo, requests = BASE, 1, [], []
    _open(client, uri, text)

    def send(change, new_text: str) -> None:
        nonlocal text, version
        version += 1
        _change(client, uri, version, change)
        text = new_text

    for step in range(300):
        if rng.random() < 0.1:
            kept = text[: rng.randrange(len(text) + 1)]
            undo.append(("full", text))
            send(types.TextDocumentContentChangeWholeDocument(text=kept), kept)
        else:
            offsets = _edit_offsets(text)
            start = rng.choice(offsets)
            end = rng.choice([offset for offset in offsets if start <= offset <= start + 6])
            inserted = "".join(rng.choice(EDIT_PIECES) for _ in range(rng.randrange(4)))
            undo.append((start, len(inserted), text[start:end]))
            change = types.TextDocumentContentChangePartial(range=_range(text, start, end), text=inserted)
            send(change, text[:start] + inserted + text[end:])
        if step % 15 == 0:
            position = rng.choice([_position(text, rng.randrange(len(text) + 1)), types.Position(999, 999)])
            requests += _side_requests(client, uri, position)

    # Undoing every edit, in reverse and incrementally, restores BASE only if the server's copy of the
    # text never drifted from ours: any misplaced edit would leave a different text behind.
    for record in reversed(undo):
        if record[0] == "full":
            send(types.TextDocumentContentChangeWholeDocument(text=record[1]), record[1])
        else:
            start, inserted_length, removed = record
            end = start + inserted_length
            change = types.TextDocumentContentChangePartial(range=_range(text, start, end), text=removed)
            send(change, text[:start] + removed + text[end:])
    assert text == BASE
    tail = "async def tail():\n\ttime.sleep(2)\n"
    send(types.TextDocumentContentChangePartial(range=_range(text, len(text), len(text)), text=tail), text + tail)

    diagnostics = await _diagnostics_for_version(client, uri, version)
    await _assert_answered(requests)
    assert [_comparable(diagnostic) for diagnostic in diagnostics] == _expected_diagnostics(text)
    assert len(diagnostics) == 4


async def test_incremental_edits_after_form_feeds_and_line_separators_land_where_the_editor_put_them(
    client: LanguageClient,
):
    uri = "file:///nonexistent-workspace/separators.py"
    text = "import time\n\x0c\nasync def main():\n    x = '\u2028'\n    pass\n"
    _open(client, uri, text)
    start = text.index("pass")
    _change(client, uri, 2, types.TextDocumentContentChangePartial(range=_range(text, start, start + 4), text="time.sleep(1)"))
    [diagnostic] = await _diagnostics_for_version(client, uri, 2)
    assert diagnostic.code == "ASYNC251"
    assert diagnostic.range == types.Range(start=types.Position(4, 4), end=types.Position(4, 17))


async def test_documents_with_quoted_characters_in_their_uri_are_analysed(client: LanguageClient):
    # VS Code quotes spaces, non-ASCII letters and the colon of Windows drive letters.
    uri = "file:///c%3A/My%20Project/caf%C3%A9.py"
    _open(client, uri, BASE)
    assert len(await _diagnostics_for_version(client, uri, 1)) == 3


async def test_requests_about_unopened_documents_and_past_the_end_get_answers(client: LanguageClient):
    never_opened = "file:///dev/zero"  # a server that read it from disk would never finish
    await _assert_answered(_side_requests(client, never_opened, types.Position(0, 0)))
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=never_opened)))
    uri = "file:///nonexistent-workspace/short.py"
    _open(client, uri, BASE)
    await _diagnostics_for_version(client, uri, 1)
    await _assert_answered(_side_requests(client, uri, types.Position(line=10_000, character=10_000)))
    await _assert_answered(_side_requests(client, uri, types.Position(line=5, character=10_000)))
    assert len(await _diagnostics_after_reopen(client, "file:///nonexistent-workspace/alive.py")) == 3


async def _diagnostics_after_reopen(client: LanguageClient, uri: str) -> list:
    _open(client, uri, BASE)
    return await _diagnostics_for_version(client, uri, 1)


async def test_a_ten_megabyte_document_is_skipped_with_one_log_message(client: LanguageClient):
    uri = "file:///nonexistent-workspace/huge.py"
    line = "    time.sleep(1)  # 😀\n"
    huge = "import time\nasync def main():\n" + line * (10_000_000 // len(line.encode()))
    _open(client, uri, huge)
    assert await _diagnostics_for_version(client, uri, 1) == []
    end = _position(huge, len(huge))
    for version in (2, 3):
        _change(client, uri, version, types.TextDocumentContentChangePartial(range=types.Range(end, end), text="x\n"))
        assert await _diagnostics_for_version(client, uri, version) == []
    await _assert_answered(_side_requests(client, uri, types.Position(line=5, character=4)))
    assert len(await _diagnostics_after_reopen(client, "file:///nonexistent-workspace/small.py")) == 3
    told = [message.message for message in client.log_messages if "larger than" in message.message]
    assert len(told) == 1 and "huge.py" in told[0] and "--max-file-bytes" in told[0]


def _newer_syntax() -> str:
    if sys.version_info < (3, 12):
        return "type Seconds = float\n"
    if sys.version_info < (3, 14):
        return "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n"
    pytest.skip("no syntax is newer than this Python yet")


async def test_newer_syntax_is_explained_once_and_other_files_are_unaffected(client: LanguageClient):
    uri = "file:///nonexistent-workspace/modern.py"
    modern = _newer_syntax() + "import time\nasync def main():\n    time.sleep(1)\n"
    _open(client, uri, modern)
    assert await _diagnostics_for_version(client, uri, 1) == []
    _change(client, uri, 2, types.TextDocumentContentChangeWholeDocument(text=modern + "\n"))
    assert await _diagnostics_for_version(client, uri, 2) == []
    assert len(await _diagnostics_after_reopen(client, "file:///nonexistent-workspace/classic.py")) == 3
    told = [message.message for message in client.log_messages if "newer" in message.message]
    assert len(told) == 1, told
    assert "/nonexistent-workspace/modern.py" in told[0] and "asyncPatterns.interpreter" in told[0]


# -- notebooks --------------------------------------------------------------------------------------

NOTEBOOK_PIECES = (
    "main()\n", "asyncio.run(main())\n", "asyncio.create_task(main())\n", "!pip install x\n", "%time main()\n",
    "%%bash\n", "x = !ls\n", "main?\n", "def broken(:\n", "async def main():\n    pass\n", "import asyncio\n",
    "😀", "日本", "\t", "\r\n", "\n", "(", '"', "    ", "",
)
NOTEBOOK_START = ["import asyncio\nasync def main():\n    await asyncio.sleep(1)", ("markdown", "# notes"), "main()", "asyncio.run(main())"]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def notebook_client(lsp_client: LanguageClient):
    lsp_client.publishes = Publishes(lsp_client)
    await lsp_client.initialize_session(types.InitializeParams(capabilities=notebook_capabilities()))
    yield
    await lsp_client.shutdown_session()


def _random_cell_text(rng: random.Random) -> str:
    return "".join(rng.choice(NOTEBOOK_PIECES) for _ in range(rng.randrange(5)))


def _expected_cell_diagnostics(notebook: Notebook) -> dict[str, list[tuple]]:
    code_cells = [cell for cell in notebook.cells if cell["kind"] == "code"]
    result = analyze_notebook([cell["text"] for cell in code_cells])
    expected = {}
    for number, cell in enumerate(code_cells):
        if result.notebook.problems[number] is None:
            index = LineIndex.of(cell["text"])
            expected[cell["uri"]] = [_comparable(to_diagnostic(finding, index)) for finding in result.findings[number]]
    return expected


def _inside(text: str, position: types.Position) -> bool:
    lines = re.split(r"\r\n|\r|\n", text)
    return position.line < len(lines) and position.character <= _utf16_length(lines[position.line])


async def test_notebook_storm_of_every_kind_of_change_ends_with_the_analysis_of_the_final_cells(
    notebook_client: LanguageClient,
):
    client, rng, requests = notebook_client, random.Random(11), []
    notebook = Notebook(client, "/nonexistent-workspace/storm.ipynb", NOTEBOOK_START)
    notebook.open()
    for step in range(250):
        code = [number for number, cell in enumerate(notebook.cells) if cell["kind"] == "code"]
        choice = rng.random()
        if choice < 0.5 and code:
            number = rng.choice(code)
            text = notebook.cells[number]["text"]
            offsets = _edit_offsets(text)
            start = rng.choice(offsets)
            end = rng.choice([offset for offset in offsets if start <= offset <= start + 8])
            notebook.edit(number, _random_cell_text(rng), types.Range(position_at(text, start), position_at(text, end)))
        elif choice < 0.6 and code:
            notebook.edit(rng.choice(code), _random_cell_text(rng))
        elif choice < 0.72:
            kind = "code" if rng.random() < 0.8 else "markdown"
            notebook.insert(rng.randrange(len(notebook.cells) + 1), (kind, _random_cell_text(rng)))
        elif choice < 0.8 and len(notebook.cells) > 1:
            notebook.remove(rng.randrange(len(notebook.cells)), rng.choice((1, 1, 2)))
        elif choice < 0.92 and len(notebook.cells) > 1:
            notebook.move(rng.randrange(len(notebook.cells)), rng.randrange(len(notebook.cells)))
        elif notebook.cells:
            notebook.change_metadata(rng.randrange(len(notebook.cells)))
        if step % 20 == 0 and notebook.cells:
            cell = rng.choice(notebook.cells)
            position = rng.choice([position_at(cell["text"], rng.randrange(len(cell["text"]) + 1)), types.Position(999, 999)])
            requests += _side_requests(client, cell["uri"], position)
    notebook.insert(len(notebook.cells), "main()")

    current = {cell["uri"] for cell in notebook.cells if cell["kind"] == "code"}
    left = {uri for uri, _ in notebook.texts} - current

    def final_analysis_published() -> bool:
        expected = _expected_cell_diagnostics(notebook)
        latest = {cell["uri"]: client.publishes.latest(cell["uri"]) for cell in notebook.cells if cell["kind"] == "code"}
        return all(
            latest[cell["uri"]] is not None
            and latest[cell["uri"]].version == cell["version"]
            and (cell["uri"] not in expected or [_comparable(d) for d in latest[cell["uri"]].diagnostics] == expected[cell["uri"]])
            for cell in notebook.cells
            if cell["kind"] == "code"
        ) and all((params := client.publishes.latest(uri)) is None or params.diagnostics == () for uri in left)

    await client.publishes.until(final_analysis_published, WAIT)
    await _assert_answered(requests)
    for params in client.publishes.history:
        if params.diagnostics:
            text = notebook.texts[(params.uri, params.version)]
            for diagnostic in params.diagnostics:
                assert _inside(text, diagnostic.range.start) and _inside(text, diagnostic.range.end), (params, text)
    assert any(params.diagnostics for params in client.publishes.history)


# -- process lifetime: raw sessions, because a well-behaved client never sends these orders ---------


@pytest.fixture
def session():
    started = StdioSession(SERVER_COMMAND)
    yield started
    started.close()


def test_unknown_methods_and_malformed_params_get_errors_not_silence(session: StdioSession):
    session.initialize()
    assert session.request("asyncPatterns/noSuchMethod", {})["error"]["code"] == JsonRpcMethodNotFound.CODE
    malformed = session.request(types.TEXT_DOCUMENT_CODE_ACTION, {"textDocument": 42})
    assert malformed["error"]["code"] == JsonRpcInvalidParams.CODE
    session.notify(types.TEXT_DOCUMENT_DID_OPEN, {"textDocument": {"uri": 7}})
    session.notify("asyncPatterns/noSuchNotification", {"x": 1})
    uri = "file:///nonexistent-workspace/after.py"
    session.open(uri, BASE)
    assert len(session.wait_for_diagnostics(uri)) == 3


def test_malformed_input_is_logged_as_one_line_each_without_tracebacks(session: StdioSession):
    session.initialize()
    body = b"{this is not json"
    session.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    session.notify(
        types.TEXT_DOCUMENT_DID_OPEN,
        {"textDocument": {"uri": "file:///broken.py", "languageId": "python", "version": "one", "text": None}},
    )
    uri = "file:///nonexistent-workspace/after.py"
    session.open(uri, BASE)
    assert len(session.wait_for_diagnostics(uri)) == 3
    logged = [
        message["params"]["message"]
        for message in session.notifications
        if message.get("method") == types.WINDOW_LOG_MESSAGE and "ignored" in message["params"]["message"]
    ]
    assert len(logged) == 2
    assert logged[0].startswith("ignored a message whose body is not JSON: Expecting property name")
    assert logged[1].startswith("ignored a malformed textDocument/didOpen message for file:///broken.py: ")
    assert "$.params.text_document.version" in logged[1] and "\n" not in logged[1]
    assert not any(message.get("method") == types.WINDOW_SHOW_MESSAGE for message in session.notifications)
    session.request("shutdown")
    session.notify("exit")
    session.exit_status()
    assert "Traceback" not in session.log()


def test_exit_without_shutdown_exits_with_status_1(session: StdioSession):
    session.initialize()
    session.notify("exit")
    assert session.exit_status() == 1


def test_shutdown_then_exit_exits_with_status_0_and_refuses_requests_between(session: StdioSession):
    session.initialize()
    assert session.request("shutdown")["result"] is None
    refused = session.request("textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}})
    assert refused["error"]["code"] == JsonRpcInvalidRequest.CODE
    assert "error" in session.request("shutdown")
    session.notify("exit")
    assert session.exit_status() == 0


def test_exit_before_initialize_and_end_of_input_both_end_the_process():
    for stop in ("exit", "end of input"):
        session = StdioSession(SERVER_COMMAND)
        try:
            if stop == "exit":
                session.notify("exit")
            else:
                session.process.stdin.close()
            assert session.exit_status() == 1, stop
        finally:
            session.close()


def test_the_server_exits_when_the_editor_process_is_gone(session: StdioSession):
    editor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        session.initialize(process_id=editor.pid)
        assert session.request("shutdown") and session.process.poll() is None
    finally:
        editor.kill()
        editor.wait()
    assert session.exit_status(timeout=WAIT) == 1
    assert f"editor process {editor.pid} is gone" in session.log()


def test_an_editor_process_that_is_not_visible_is_not_watched(session: StdioSession):
    # A client in a container sends its own pid, which need not exist on the server's side.
    session.initialize(process_id=2**22 + 12345)
    uri = "file:///nonexistent-workspace/container.py"
    session.open(uri, BASE)
    assert len(session.wait_for_diagnostics(uri)) == 3
    assert session.process.poll() is None
