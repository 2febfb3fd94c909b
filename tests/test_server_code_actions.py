"""Code actions end to end over stdio: list, resolve, apply; fix-all is idempotent; stale gets nothing."""

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from async_patterns.fixes.text import TextEdit, apply_edits
from conftest import SERVER_COMMAND

URI = "file:///tmp/actions.py"
SOURCE = 'import time\n\n\nasync def main():\n    label = "日本語😀"; time.sleep(1)\n'


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def _open(client, text, version=1):
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=URI, language_id="python", version=version, text=text)
        )
    )
    return await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def _actions(client, diagnostics, only=None):
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=diagnostics[0].range if diagnostics else types.Range(types.Position(0, 0), types.Position(0, 0)),
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )


def _apply(text, edit: types.WorkspaceEdit):
    [change] = edit.document_changes
    lines = text.split("\n")

    def codepoints(position):
        line = lines[position.line]
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return index
            units += 2 if ord(char) > 0xFFFF else 1
        return len(line)

    return apply_edits(
        text,
        [
            TextEdit(e.range.start.line + 1, codepoints(e.range.start), e.range.end.line + 1, codepoints(e.range.end), e.new_text)
            for e in change.edits
        ],
    )


async def test_quick_fix_is_listed_then_resolved_and_applied(client: LanguageClient):
    published = await _open(client, SOURCE)
    actions = await _actions(client, published.diagnostics)
    assert [action.title for action in actions] == [
        "Replace with `await asyncio.sleep(...)`",
        "Suppress ASYNC251 on this line",
        "Fix all async-patterns problems",
    ]
    assert all(action.edit is None for action in actions)
    fix = await client.code_action_resolve_async(actions[0])
    assert fix.is_preferred and fix.kind == types.CodeActionKind.QuickFix
    assert fix.edit.document_changes[0].text_document.version == 1
    assert _apply(SOURCE, fix.edit) == (
        'import asyncio\nimport time\n\n\nasync def main():\n    label = "日本語😀"; await asyncio.sleep(1)\n'
    )
    suppress = await client.code_action_resolve_async(actions[1])
    assert _apply(SOURCE, suppress.edit).endswith("time.sleep(1)  # noqa: ASYNC251\n")


async def test_fix_all_is_idempotent(client: LanguageClient):
    text = "import os\nimport time\n\nasync def main(p):\n    time.sleep(1)\n    return os.path.exists(p)\n"
    await _open(client, text)
    [fix_all] = await _actions(client, [], only=["source.fixAll"])
    assert fix_all.kind == "source.fixAll.async-patterns"
    resolved = await client.code_action_resolve_async(fix_all)
    fixed = _apply(text, resolved.edit)
    assert "await asyncio.sleep(1)" in fixed and "await asyncio.to_thread(os.path.exists, p)" in fixed
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    published = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert list(published.diagnostics) == []
    assert not await _actions(client, [], only=["source.fixAll"])


async def test_the_quick_fix_menu_offers_fix_all_when_the_file_has_more_than_one_fix(client: LanguageClient):
    text = "import os\nimport time\n\nasync def main(p):\n    time.sleep(1)\n    return os.path.exists(p)\n"
    published = await _open(client, text)
    first, second = published.diagnostics
    for diagnostic in (first, second):
        quick_fixes = await _actions(client, [diagnostic], only=[types.CodeActionKind.QuickFix])
        assert quick_fixes[-1].title == "Fix all async-patterns problems in this file"
        assert quick_fixes[-1].kind == types.CodeActionKind.QuickFix and not quick_fixes[-1].is_preferred
    resolved = await client.code_action_resolve_async(quick_fixes[-1])
    fixed = _apply(text, resolved.edit)
    assert "await asyncio.sleep(1)" in fixed and "await asyncio.to_thread(os.path.exists, p)" in fixed
    # Not on a position without one of our diagnostics, and not when a single fix is all there is.
    assert not await _actions(client, [], only=[types.CodeActionKind.QuickFix])
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=SOURCE)],
        )
    )
    [only_one] = (await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)).diagnostics
    titles = [action.title for action in await _actions(client, [only_one], only=[types.CodeActionKind.QuickFix])]
    assert "Fix all async-patterns problems in this file" not in titles and len(titles) == 2


async def test_stale_action_gets_no_edit(client: LanguageClient):
    published = await _open(client, SOURCE)
    [fix, *_] = await _actions(client, published.diagnostics)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=URI, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="\n" + SOURCE)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    resolved = await client.code_action_resolve_async(fix)
    assert resolved.edit is None
    # The client's old diagnostic no longer matches the text: nothing is offered for it.
    assert [action.kind for action in await _actions(client, published.diagnostics)] == ["source.fixAll.async-patterns"]
