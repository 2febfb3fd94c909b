"""What the server says in its log: who it is at start, and each settings change once."""

import asyncio
import platform

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import EXAMPLES, SERVER_COMMAND


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[types.WorkspaceFolder(uri=EXAMPLES.as_uri(), name="examples")],
            initialization_options={"ignore": ["AP103"]},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _messages_until(client: LanguageClient, last: str) -> list[str]:
    for _ in range(100):
        messages = [message.message for message in client.log_messages]
        if any(last in message for message in messages):
            return messages
        await asyncio.sleep(0.05)
    raise AssertionError(f"no log message with {last!r} in {messages}")


async def test_the_start_names_version_python_folders_config_and_settings(client: LanguageClient):
    messages = await _messages_until(client, "ready")
    identity, folder, ready = messages[-3:]
    assert identity.startswith("async-patterns 0.1.0 on Python ")
    assert platform.python_version() in identity and "generated methods" in identity
    assert folder.startswith(f"workspace folder {EXAMPLES.as_uri()}: config {EXAMPLES / 'pyproject.toml'}")
    assert "editor settings ignore=[AP103]" in folder
    # The examples' pyproject configures extra blocking calls; the editor adds an ignore.
    assert "in effect: ignore=[AP103], extra_blocking_calls=[shop.legacy.fetch_rates -> shop.client.fetch_async]" in folder
    assert ready == "ready"


async def test_each_settings_change_is_logged_once(client: LanguageClient):
    await _messages_until(client, "ready")
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"asyncPatterns": {"select": ["ASYNC2"]}})
    )
    messages = await _messages_until(client, "editor settings changed")
    assert [message for message in messages if "settings changed" in message] == [
        "editor settings changed: select=[ASYNC2]"
    ]
