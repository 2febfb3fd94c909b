"""Per-file ignores and thread decorators from the editor's settings, decided by the document's path;
hint-level suggestions published as hints."""

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import SERVER_COMMAND

WORKSPACE = "file:///nonexistent-workspace-settings"
BLOCKING = "import time\nasync def main():\n    time.sleep(1)\n"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[types.WorkspaceFolder(uri=WORKSPACE, name="workspace")],
            initialization_options={
                "perFileIgnores": {"tests/**": ["ASYNC251"]},
                "threadDecorators": ["workers.in_thread"],
            },
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _codes(client: LanguageClient, uri: str, text: str) -> list[tuple[str, types.DiagnosticSeverity | None]]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )
    published = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert published.uri == uri
    return [(diagnostic.code, diagnostic.severity) for diagnostic in published.diagnostics]


async def test_editor_per_file_ignores_are_relative_to_the_workspace_folder(client: LanguageClient):
    assert await _codes(client, f"{WORKSPACE}/tests/unit/test_app.py", BLOCKING) == []
    warning = types.DiagnosticSeverity.Warning
    assert await _codes(client, f"{WORKSPACE}/src/tests.py", BLOCKING) == [("ASYNC251", warning)]
    assert await _codes(client, "file:///elsewhere/tests/test_app.py", BLOCKING) == [("ASYNC251", warning)]


async def test_thread_decorators_and_suggestions(client: LanguageClient):
    threaded = "import time\nfrom workers import in_thread\n@in_thread\nasync def load():\n    time.sleep(1)\n"
    assert await _codes(client, f"{WORKSPACE}/app.py", threaded) == []
    zero = "import time\nasync def main():\n    time.sleep(0)\n"
    assert await _codes(client, f"{WORKSPACE}/zero.py", zero) == [("ASYNC251", types.DiagnosticSeverity.Hint)]
