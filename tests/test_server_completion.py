"""Snippets offered as completions to editors other than VS Code, from the one snippets file."""

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from async_patterns.snippets_catalog import load_snippets
from conftest import SERVER_COMMAND

URI = "file:///tmp/snippets.py"


async def _start(client: LanguageClient, options) -> None:
    await client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("neovim"), initialization_options=options)
    )
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=URI, language_id="python", version=1, text="async def main():\n    tg\n    x = tg\n"
            )
        )
    )


async def _complete(client: LanguageClient, line: int, character: int):
    return await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=types.Position(line=line, character=character),
        )
    )


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await _start(lsp_client, {"select": ["ASYNC"]})
    yield
    await lsp_client.shutdown_session()


async def test_every_snippet_prefix_is_offered_at_a_statement_start(client: LanguageClient):
    completions = await _complete(client, 1, 6)
    by_label = {item.label: item for item in completions.items}
    assert set(by_label) == {prefix for snippet in load_snippets() for prefix in snippet.prefixes}
    task_group = by_label["tg"]
    assert task_group.insert_text_format == types.InsertTextFormat.Snippet
    assert "TaskGroup" in task_group.insert_text
    assert "```python" in task_group.documentation.value


async def test_no_snippets_inside_an_expression(client: LanguageClient):
    assert await _complete(client, 2, 10) is None


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def vscode_client(lsp_client: LanguageClient):
    await _start(lsp_client, {"snippetCompletions": False})
    yield
    await lsp_client.shutdown_session()


async def test_vscode_client_turns_snippet_completions_off_without_a_settings_warning(vscode_client: LanguageClient):
    assert await _complete(vscode_client, 1, 6) is None
    assert not [message for message in vscode_client.log_messages if message.type == types.MessageType.Warning]
