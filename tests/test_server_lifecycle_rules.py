"""Task, await and cancellation rules as an editor sees them: diagnostics over stdio."""

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import SERVER_COMMAND


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


async def _diagnostics(client: LanguageClient, uri: str, text: str) -> list[types.Diagnostic]:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)
        )
    )
    published = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert published.uri == uri
    return sorted(published.diagnostics, key=lambda diagnostic: (diagnostic.range.start.line, diagnostic.code))


async def test_dangling_task_and_forgotten_await_carry_their_fix_recipes(client: LanguageClient):
    text = (
        "import asyncio\n"
        "\n"
        "async def refresh():\n"
        "    pass\n"
        "\n"
        "async def main():\n"
        "    asyncio.create_task(refresh())\n"
        "    refresh()\n"
    )
    dangling, forgotten = await _diagnostics(client, "file:///tmp/lifecycle.py", text)
    assert dangling.code == "ASYNC300"
    assert dangling.range == types.Range(start=types.Position(line=6, character=4), end=types.Position(line=6, character=34))
    assert dangling.data["fix"] == "keep_task_reference"
    assert forgotten.code == "AP201"
    assert forgotten.range.start == types.Position(line=7, character=4)
    assert forgotten.data["fix"] == "add_await"
    assert "`await refresh(...)`" in forgotten.message
    assert forgotten.code_description.href.endswith("#ap201")


async def test_swallowed_cancellation_points_at_the_except_clause(client: LanguageClient):
    text = (
        "import asyncio\n"
        "async def worker(queue):\n"
        "    try:\n"
        "        await queue.get()\n"
        "    except asyncio.CancelledError:\n"
        "        pass\n"
        "    try:\n"
        "        await queue.get()\n"
        "    except asyncio.CancelledError:\n"
        "        return None\n"
    )
    swallowed, replaced = await _diagnostics(client, "file:///tmp/cancel.py", text)
    assert swallowed.code == "ASYNC103"
    assert swallowed.range == types.Range(start=types.Position(line=4, character=4), end=types.Position(line=4, character=33))
    assert replaced.code == "ASYNC104"
    assert replaced.range.start == types.Position(line=9, character=8)


async def test_async124_stays_off_until_selected(client: LanguageClient):
    text = "async def add(a, b):\n    return a + b\n"
    assert await _diagnostics(client, "file:///tmp/sync_enough.py", text) == []
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"asyncPatterns": {"select": ["ASYNC", "AP", "ASYNC124"]}})
    )
    published = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [diagnostic.code for diagnostic in published.diagnostics] == ["ASYNC124"]
