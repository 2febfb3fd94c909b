"""Jupyter notebooks over LSP 3.17 end to end: diagnostics per cell, hover, code actions and
completions in cells, every form of notebookDocument/didChange, and bad input."""

from __future__ import annotations

import asyncio

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

from async_patterns.analysis.notebook import analyze_notebook
from async_patterns.analysis.positions import LineIndex
from async_patterns.fixes.text import TextEdit, apply_edits
from conftest import SERVER_COMMAND, Publishes
from notebook_client import Notebook, notebook_capabilities, settled

DEFINITIONS = "import asyncio\nasync def main():\n    await asyncio.sleep(1)"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    lsp_client.publishes = Publishes(lsp_client)
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=notebook_capabilities()))
    lsp_client.capabilities_of_server = result.capabilities
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, cells, path="/tmp/notebook.ipynb") -> tuple[Notebook, dict]:
    notebook = Notebook(client, path, cells)
    mark = client.publishes.mark()
    notebook.open()
    return notebook, await settled(client.publishes, notebook, mark)


async def _after(client: LanguageClient, notebook: Notebook, change) -> dict:
    mark = client.publishes.mark()
    change()
    return await settled(client.publishes, notebook, mark)


def _codes(notebook: Notebook, diagnostics: dict) -> list[list[tuple]]:
    return [
        [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character) for d in diagnostics[cell["uri"]]]
        for cell in notebook.cells
        if cell["kind"] == "code"
    ]


def _expected(notebook: Notebook) -> list[list[tuple]]:
    """What the pure analysis finds in the client's cells, in LSP positions."""
    cells = [cell for cell in notebook.cells if cell["kind"] == "code"]
    result = analyze_notebook([cell["text"] for cell in cells])
    expected = []
    for cell, findings in zip(cells, result.findings):
        index = LineIndex.of(cell["text"])
        expected.append(
            [
                (
                    finding.code,
                    finding.line - 1,
                    index.utf16_from_codepoint(finding.line, finding.column),
                    finding.end_line - 1,
                    index.utf16_from_codepoint(finding.end_line, finding.end_column),
                )
                for finding in findings
            ]
        )
    return expected


def _apply(text: str, edits) -> str:
    index = LineIndex.of(text)

    def codepoints(position):
        return index.codepoint_from_utf16(position.line + 1, position.character)

    return apply_edits(
        text,
        [TextEdit(e.range.start.line + 1, codepoints(e.range.start), e.range.end.line + 1, codepoints(e.range.end), e.new_text) for e in edits],
    )


async def test_the_server_declares_notebook_sync_for_python_cells_of_jupyter_notebooks(client: LanguageClient):
    sync = client.capabilities_of_server.notebook_document_sync
    [selector] = sync.notebook_selector
    assert selector.notebook == "jupyter-notebook"
    assert [cell.language for cell in selector.cells] == ["python"]


async def test_diagnostics_per_cell_with_the_cells_version_and_utf16_columns(client: LanguageClient):
    notebook, diagnostics = await _open(
        client,
        [("markdown", "# asyncio.run(main())"), DEFINITIONS, "label = '😀'; asyncio.run(main())", "%%bash\nmain()", "main()"],
    )
    assert _codes(notebook, diagnostics) == [[], [("AP202", 0, 14, 0, 25)], [], [("AP201", 0, 0, 0, 6)]]
    published = client.publishes.latest(notebook.uri_of(2))
    assert published.version == 1
    [diagnostic] = published.diagnostics
    assert diagnostic.source == "async-patterns" and diagnostic.code_description.href.endswith("#ap202")
    assert "notebook cell" in diagnostic.message
    assert client.publishes.latest(notebook.uri_of(0)) is None  # Markdown is not ours


async def test_hover_in_a_cell_resolves_names_imported_in_another_cell(client: LanguageClient):
    notebook, diagnostics = await _open(client, [DEFINITIONS, "x = 1\nresults = await asyncio.gather(main())\nasyncio.run(main())"])
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=notebook.uri_of(1)), position=types.Position(1, 27))
    )
    assert "### asyncio.gather" in hover.contents.value
    assert hover.range == types.Range(types.Position(1, 24), types.Position(1, 30))
    on_finding = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=notebook.uri_of(1)), position=types.Position(2, 2))
    )
    assert "AP202" in on_finding.contents.value


async def _actions(client: LanguageClient, uri: str, diagnostics: list, only=None) -> list[types.CodeAction]:
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostics[0].range if diagnostics else types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )


async def test_a_quick_fix_in_a_cell_edits_that_cell_at_its_version(client: LanguageClient):
    notebook, diagnostics = await _open(client, [DEFINITIONS, "x = 1\nasyncio.run(main())"])
    uri = notebook.uri_of(1)
    actions = await _actions(client, uri, diagnostics[uri])
    assert [action.title for action in actions][:2] == ["Await the coroutine instead", "Suppress AP202 on this line"]
    resolved = await client.code_action_resolve_async(actions[0])
    [change] = resolved.edit.document_changes
    assert change.text_document.uri == uri and change.text_document.version == 1
    assert _apply(notebook.cells[1]["text"], change.edits) == "x = 1\nawait main()"


async def test_a_fix_that_needs_a_module_line_edits_two_cells(client: LanguageClient):
    notebook, diagnostics = await _open(client, ["import asyncio", "async def main():\n    pass", "asyncio.create_task(main())"])
    uri = notebook.uri_of(2)
    fix = (await _actions(client, uri, diagnostics[uri]))[0]
    resolved = await client.code_action_resolve_async(fix)
    changes = {change.text_document.uri: change for change in resolved.edit.document_changes}
    assert set(changes) == {notebook.uri_of(1), uri}
    assert _apply(notebook.cells[1]["text"], changes[notebook.uri_of(1)].edits).startswith("background_tasks = set()\n")
    assert _apply(notebook.cells[2]["text"], changes[uri].edits).startswith("task = asyncio.create_task(main())\n")


async def test_fix_all_in_a_cell_fixes_the_notebook_and_a_stale_action_gets_no_edit(client: LanguageClient):
    notebook, diagnostics = await _open(client, [DEFINITIONS, "main()", "async def tick():\n    import time\n    time.sleep(1)"])
    uri = notebook.uri_of(1)
    [fix_all] = await _actions(client, uri, [], only=[types.CodeActionKind.SourceFixAll])
    resolved = await client.code_action_resolve_async(fix_all)
    changes = {change.text_document.uri: change for change in resolved.edit.document_changes}
    assert _apply(notebook.cells[1]["text"], changes[uri].edits) == "await main()"
    assert "await asyncio.sleep(1)" in _apply(notebook.cells[2]["text"], changes[notebook.uri_of(2)].edits)
    quick_fix = (await _actions(client, uri, diagnostics[uri]))[0]
    await _after(client, notebook, lambda: notebook.edit(1, "main()\n"))
    stale = await client.code_action_resolve_async(quick_fix)
    assert stale.edit is None


async def test_snippets_are_offered_in_a_cell(client: LanguageClient):
    notebook, _ = await _open(client, [DEFINITIONS, "tg"])
    completions = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=notebook.uri_of(1)), position=types.Position(0, 2))
    )
    assert "tg" in {item.label for item in completions.items}


async def test_every_form_of_change_gives_the_analysis_of_the_cells_the_client_has(client: LanguageClient):
    notebook, diagnostics = await _open(client, ["main()", ("markdown", "text"), "x = 1"])
    assert _codes(notebook, diagnostics) == [[], []]
    # A cell inserted before: its coroutine function makes the first cell's call a finding.
    diagnostics = await _after(client, notebook, lambda: notebook.insert(0, DEFINITIONS))
    assert _codes(notebook, diagnostics) == [[], [("AP201", 0, 0, 0, 6)], []] == _expected(notebook)
    # Typing in a cell, an incremental change.
    diagnostics = await _after(
        client, notebook, lambda: notebook.edit(3, "asyncio.run(main())", types.Range(types.Position(0, 0), types.Position(0, 5)))
    )
    assert _codes(notebook, diagnostics) == _expected(notebook) == [[], [("AP201", 0, 0, 0, 6)], [("AP202", 0, 0, 0, 11)]]
    # Moved: the order of the cells is the module's order; findings stay in their cells.
    diagnostics = await _after(client, notebook, lambda: notebook.move(3, 0))
    assert _codes(notebook, diagnostics) == _expected(notebook) == [[("AP202", 0, 0, 0, 11)], [], [("AP201", 0, 0, 0, 6)]]
    # Metadata and an execution summary: nothing to analyse again, the server keeps serving.
    notebook.change_metadata(1)
    # Removed: the definitions go, and with them the findings that needed them.
    removed = notebook.uri_of(1)
    diagnostics = await _after(client, notebook, lambda: notebook.remove(1))
    assert _codes(notebook, diagnostics) == _expected(notebook) == [[], []]
    assert client.publishes.latest(removed).diagnostics == ()
    # Replaced wholesale.
    diagnostics = await _after(client, notebook, lambda: notebook.edit(2, DEFINITIONS + "\nmain()"))
    assert _codes(notebook, diagnostics) == _expected(notebook)


async def test_a_broken_cell_keeps_its_unchanged_findings_and_the_others_are_analysed(client: LanguageClient):
    notebook, diagnostics = await _open(client, [DEFINITIONS, "main()\nasyncio.run(main())", "main()"])
    assert _codes(notebook, diagnostics) == [[], [("AP201", 0, 0, 0, 6), ("AP202", 1, 0, 1, 11)], [("AP201", 0, 0, 0, 6)]]
    diagnostics = await _after(client, notebook, lambda: notebook.edit(1, "main()\nasyncio.run(main()", types.Range(types.Position(1, 0), types.Position(1, 19))))
    assert _codes(notebook, diagnostics) == [[], [("AP201", 0, 0, 0, 6)], [("AP201", 0, 0, 0, 6)]]
    # A broken cell is analysed as empty: what it defined is unknown to the others meanwhile.
    diagnostics = await _after(client, notebook, lambda: notebook.edit(0, "def broken(:"))
    assert _codes(notebook, diagnostics) == [[], [("AP201", 0, 0, 0, 6)], []]


async def test_empty_and_markdown_only_notebooks_publish_nothing_and_the_server_keeps_serving(client: LanguageClient):
    for number, cells in enumerate(([], [("markdown", "# Only words")])):
        notebook = Notebook(client, f"/tmp/empty{number}.ipynb", cells)
        mark = client.publishes.mark()
        notebook.open()
        # The first code cell added later is the first thing published for the notebook.
        diagnostics = await _after(client, notebook, lambda: notebook.insert(len(cells), "main()"))
        assert _codes(notebook, diagnostics) == [[]]
        published = {params.uri for params in client.publishes.history[mark:]}
        assert notebook.cells[-1]["uri"] in published and not {cell["uri"] for cell in notebook.cells[:-1]} & published
        notebook.close()
    _, diagnostics = await _open(client, [DEFINITIONS, "main()"], path="/tmp/after.ipynb")
    assert [len(found) for found in diagnostics.values()] == [0, 1]


async def test_a_notebook_closed_while_analysed_publishes_nothing_more(client: LanguageClient):
    many = "\n".join(f"async def job{n}():\n    main()\n    await asyncio.sleep(0)" for n in range(1500))
    notebook = Notebook(client, "/tmp/closing.ipynb", [DEFINITIONS, many, "main()"])
    notebook.open()
    # Answered while the analysis runs in its thread; the close then arrives during it.
    await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=notebook.uri_of(2)), position=types.Position(0, 1))
    )
    notebook.close()
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=notebook.uri_of(2)), position=types.Position(0, 1))
    )
    assert hover is None
    # One analysis thread: the next notebook's findings come after anything of the closed one.
    _, diagnostics = await _open(client, [DEFINITIONS, "main()"], path="/tmp/next.ipynb")
    assert [len(found) for found in diagnostics.values()] == [0, 1]
    # The close clears each cell's diagnostics; nothing is published for them after that (what the
    # analysis finished before the close arrived may be published before it, and is cleared).
    history = client.publishes.history
    for cell in notebook.cells:
        cleared = max(
            (index for index, params in enumerate(history) if params.uri == cell["uri"] and not params.diagnostics), default=-1
        )
        assert not [params for params in history[cleared + 1 :] if params.uri == cell["uri"]]


async def test_changes_to_unknown_notebooks_and_cells_and_saves_are_ignored_quietly(client: LanguageClient):
    stranger = Notebook(client, "/tmp/never-opened.ipynb", ["main()"])
    stranger.edit(0, "asyncio.run(main())")
    stranger.insert(0, DEFINITIONS)
    stranger.close()
    notebook, _ = await _open(client, [DEFINITIONS, "main()"])
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(uri=notebook.uri, version=99),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    structure=types.NotebookDocumentCellChangeStructure(
                        array=types.NotebookCellArrayChange(start=50, delete_count=3)
                    ),
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(uri="vscode-notebook-cell:/nowhere#x", version=2),
                            changes=[types.TextDocumentContentChangeWholeDocument(text="x")],
                        )
                    ],
                )
            ),
        )
    )
    client.notebook_document_did_save(
        types.DidSaveNotebookDocumentParams(notebook_document=types.NotebookDocumentIdentifier(uri=notebook.uri))
    )
    diagnostics = await _after(client, notebook, lambda: notebook.edit(1, "main()\nmain()"))
    assert _codes(notebook, diagnostics) == [[], [("AP201", 0, 0, 0, 6), ("AP201", 1, 0, 1, 6)]]
    assert not [message for message in client.log_messages if message.type == types.MessageType.Error]


async def test_a_notebook_opened_twice_is_the_second_one(client: LanguageClient):
    first, _ = await _open(client, [DEFINITIONS, "main()"], path="/tmp/twice.ipynb")
    second, diagnostics = await _open(client, ["x = 1", "y = 2"], path="/tmp/twice.ipynb")
    assert _codes(second, diagnostics) == [[], []]
    assert client.publishes.latest(first.uri_of(1)).diagnostics == ()
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=first.uri_of(1)), position=types.Position(0, 1))
    )
    assert hover is None


# -- what the server keeps, in process ------------------------------------------------------------


def _open_params(uri: str, cells: list[tuple[str, str]]) -> types.DidOpenNotebookDocumentParams:
    return types.DidOpenNotebookDocumentParams(
        notebook_document=types.NotebookDocument(
            uri=uri,
            notebook_type="jupyter-notebook",
            version=1,
            cells=[types.NotebookCell(kind=types.NotebookCellKind.Code, document=cell_uri) for cell_uri, _ in cells],
        ),
        cell_text_documents=[types.TextDocumentItem(uri=cell_uri, language_id="python", version=1, text=text) for cell_uri, text in cells],
    )


def _structure_change(uri, start, delete_count, cells, opened, closed) -> types.DidChangeNotebookDocumentParams:
    return types.DidChangeNotebookDocumentParams(
        notebook_document=types.VersionedNotebookDocumentIdentifier(uri=uri, version=2),
        change=types.NotebookDocumentChangeEvent(
            cells=types.NotebookDocumentCellChanges(
                structure=types.NotebookDocumentCellChangeStructure(
                    array=types.NotebookCellArrayChange(
                        start=start,
                        delete_count=delete_count,
                        cells=[types.NotebookCell(kind=types.NotebookCellKind.Code, document=cell.uri) for cell in cells],
                    ),
                    did_open=opened,
                    did_close=[types.TextDocumentIdentifier(uri=cell.uri) for cell in closed],
                )
            )
        ),
    )


async def test_nothing_of_a_closed_notebook_stays_in_the_server():
    from async_patterns.lsp.server import AsyncPatternsServer
    from async_patterns.lsp.workspace import LspWorkspace

    ls = AsyncPatternsServer()
    ls.protocol._workspace = LspWorkspace(None)
    sent: list[types.PublishDiagnosticsParams] = []
    ls.text_document_publish_diagnostics = sent.append
    uri = "file:///tmp/kept%20nothing.ipynb"
    cells = [(f"vscode-notebook-cell:/tmp/kept%20nothing.ipynb#W{n}", text) for n, text in enumerate([DEFINITIONS, "main()"])]
    ls.workspace.put_notebook_document(_open_params(uri, cells))
    ls.notebooks.schedule(ls, uri)
    await next(iter(ls.notebooks.pending.values()))
    assert set(ls.published) == {cell_uri for cell_uri, _ in cells}
    # A cell added and not listed when the notebook closes (a client's mistake) goes too.
    added = types.TextDocumentItem(uri="vscode-notebook-cell:/tmp/kept%20nothing.ipynb#W9", language_id="python", version=1, text="x")
    ls.workspace.update_notebook_document(_structure_change(uri, 2, 0, [added], opened=[added], closed=[]))
    ls.notebooks.schedule(ls, uri)
    ls.workspace.remove_notebook_document(
        types.DidCloseNotebookDocumentParams(notebook_document=types.NotebookDocumentIdentifier(uri=uri), cell_text_documents=[])
    )
    ls.notebooks.forget(ls, uri)
    await asyncio.gather(*ls.notebooks.pending.values(), return_exceptions=True)
    assert ls.published == {} and ls.notebooks.pending == {} and ls.notebooks.published_cells == {}
    assert ls.notebooks.analyses == {} and ls.safeguards._told == {}
    assert ls.workspace.text_documents == {} and ls.workspace.notebook_documents == {}
    assert ls.workspace._cell_in_notebook == {}
    assert [params.diagnostics for params in sent[-2:]] == [[], []]
    ls.analysis_thread.shutdown()


def test_a_structure_change_that_closes_and_opens_one_cell_keeps_it():
    from async_patterns.lsp.workspace import LspWorkspace

    workspace = LspWorkspace(None)
    uri = "file:///tmp/reopened.ipynb"
    cell = types.TextDocumentItem(uri="vscode-notebook-cell:/tmp/reopened.ipynb#W0", language_id="python", version=1, text="old")
    workspace.put_notebook_document(_open_params(uri, [(cell.uri, cell.text)]))
    reopened = types.TextDocumentItem(uri=cell.uri, language_id="python", version=2, text="new")
    workspace.update_notebook_document(_structure_change(uri, 0, 1, [reopened], opened=[reopened], closed=[cell]))
    assert workspace.get_text_document(cell.uri).source == "new"
    assert workspace.get_notebook_document(cell_uri=cell.uri).uri == uri


def test_malformed_notebook_notifications_leave_the_server_serving_notebooks():
    from stdio_session import StdioSession

    session = StdioSession(SERVER_COMMAND)
    try:
        session.initialize()
        session.notify(types.NOTEBOOK_DOCUMENT_DID_OPEN, {"notebookDocument": {"uri": 7}, "cellTextDocuments": "x"})
        session.notify(types.NOTEBOOK_DOCUMENT_DID_CHANGE, {"notebookDocument": {"uri": "file:///x.ipynb", "version": "one"}})
        session.notify(types.NOTEBOOK_DOCUMENT_DID_CLOSE, {"notebookDocument": None})
        uri, cell = "file:///tmp/fine.ipynb", "vscode-notebook-cell:/tmp/fine.ipynb#W0"
        session.notify(
            types.NOTEBOOK_DOCUMENT_DID_OPEN,
            {
                "notebookDocument": {"uri": uri, "notebookType": "jupyter-notebook", "version": 1, "cells": [{"kind": 2, "document": cell}]},
                "cellTextDocuments": [{"uri": cell, "languageId": "python", "version": 1, "text": DEFINITIONS + "\nmain()"}],
            },
        )
        [diagnostic] = session.wait_for_diagnostics(cell)
        assert diagnostic["code"] == "AP201" and diagnostic["range"]["start"] == {"line": 3, "character": 0}
        assert session.process.poll() is None
    finally:
        session.close()
