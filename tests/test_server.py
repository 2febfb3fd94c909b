"""The language server end to end over stdio."""


import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import SERVER_COMMAND, Publishes

SOURCE = 'import time\n\n\nasync def main():\n    label = "日本語😀"; time.sleep(1)\n'


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    lsp_client.published = Publishes(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={"severity": {"AP101": "error"}},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, uri: str, text: str, version: int = 1) -> types.PublishDiagnosticsParams:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=version, text=text)
        )
    )
    return await _published(client, uri, version)


async def _published(client: LanguageClient, uri: str, version: int) -> types.PublishDiagnosticsParams:
    # That version's own: the server may publish other documents, or this one again, meanwhile
    # (once the project around it is indexed).
    diagnostics = await client.published.for_version(uri, version)
    return types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)


async def _change(client: LanguageClient, uri: str, version: int, change) -> types.PublishDiagnosticsParams:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version), content_changes=[change]
        )
    )
    return await _published(client, uri, version)


async def test_diagnostic_on_open_has_utf16_range_and_metadata(client: LanguageClient):
    published = await _open(client, "file:///tmp/app.py", SOURCE)
    assert published.version == 1
    [diagnostic] = published.diagnostics
    # '    label = "' is 13 units, "日本語" 3, the emoji 2 (a surrogate pair), '"; ' 3 more.
    assert diagnostic.range == types.Range(
        start=types.Position(line=4, character=21), end=types.Position(line=4, character=34)
    )
    assert diagnostic.code == "ASYNC251"
    assert diagnostic.source == "async-patterns"
    assert diagnostic.severity == types.DiagnosticSeverity.Warning
    assert diagnostic.code_description.href.endswith("rules.md#async251")
    assert diagnostic.data["fix"] == "asyncio.sleep"


async def test_diagnostics_follow_changes_and_clear_on_close(client: LanguageClient):
    uri = "file:///tmp/edited.py"
    await _open(client, uri, "async def main():\n    pass\n")
    published = await _change(
        client,
        uri,
        2,
        types.TextDocumentContentChangePartial(
            range=types.Range(start=types.Position(line=1, character=4), end=types.Position(line=1, character=8)),
            text="input()",
        ),
    )
    assert published.version == 2
    assert [diagnostic.code for diagnostic in published.diagnostics] == ["ASYNC250"]
    published = await _change(client, uri, 3, types.TextDocumentContentChangeWholeDocument(text="async def main():\n    pass\n"))
    assert published.version == 3 and list(published.diagnostics) == []
    await _change(client, uri, 4, types.TextDocumentContentChangeWholeDocument(text="async def main():\n    input()\n"))
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    cleared = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert cleared.uri == uri and list(cleared.diagnostics) == []


async def test_syntax_error_keeps_findings_that_still_match_and_never_leaves_the_document(client: LanguageClient):
    uri = "file:///tmp/typing.py"
    text = "import time\nasync def main():\n    time.sleep(1)\n"
    await _open(client, uri, text)
    broken = text + "    if (\n"
    published = await _change(client, uri, 2, types.TextDocumentContentChangeWholeDocument(text=broken))
    assert [diagnostic.code for diagnostic in published.diagnostics] == ["ASYNC251"]
    truncated = "import time\nasync def main(\n"
    published = await _change(client, uri, 3, types.TextDocumentContentChangeWholeDocument(text=truncated))
    assert list(published.diagnostics) == []


async def test_rapid_changes_publish_the_newest_version_last(client: LanguageClient):
    uri = "file:///tmp/fast.py"
    await _open(client, uri, "async def main():\n    pass\n")
    for version in range(2, 30):
        body = "input()" if version % 2 else "pass"
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=f"async def main():\n    {body}\n")],
            )
        )
    newest = await client.published.for_version(uri, 29)
    assert [diagnostic.code for diagnostic in newest] == ["ASYNC250"]
    # A stale run never publishes after a newer one: versions arrive in increasing order.
    arrived = [params.version for params in client.published.history if params.uri == uri]
    assert arrived == sorted(arrived) and arrived[-1] == 29


async def test_settings_from_initialization_and_configuration_change(client: LanguageClient):
    uri = "file:///tmp/settings.py"
    text = "from pathlib import Path\nimport time\nasync def main():\n    Path('x').read_text()\n    time.sleep(1)\n"
    published = await _open(client, uri, text)
    by_code = {diagnostic.code: diagnostic for diagnostic in published.diagnostics}
    assert by_code["AP101"].severity == types.DiagnosticSeverity.Error
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"asyncPatterns": {"ignore": ["ASYNC251"]}})
    )
    published = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [diagnostic.code for diagnostic in published.diagnostics] == ["AP101"]
    assert published.diagnostics[0].severity == types.DiagnosticSeverity.Warning


async def test_invalid_settings_are_logged_once_and_defaults_used(client: LanguageClient):
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"asyncPatterns": {"select": 42, "severity": {"ASYNC251": "loud"}, "colour": "red"}}
        )
    )
    published = await _open(client, "file:///tmp/defaults.py", "import time\nasync def main():\n    time.sleep(1)\n")
    assert [(d.code, d.severity) for d in published.diagnostics] == [("ASYNC251", types.DiagnosticSeverity.Warning)]
    warnings = [message.message for message in client.log_messages if message.type == types.MessageType.Warning]
    assert sum("'select'" in message for message in warnings) == 1
    assert sum("'loud'" in message for message in warnings) == 1
    assert sum("colour" in message for message in warnings) == 1
