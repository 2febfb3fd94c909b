"""Hover over stdio: every public asyncio name, plain and aliased, values of known type, the
workspace's minimum Python, and rule explanations on diagnostics and noqa codes."""

import asyncio

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from conftest import SERVER_COMMAND

PUBLIC_NAMES = sorted(set(asyncio.__all__) | {"TaskGroup", "timeout", "Runner"})


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def _open(client: LanguageClient, uri: str, text: str) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)


async def _hover(client: LanguageClient, uri: str, line: int, character: int) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=character))
    )


def _assert_substantive(markdown: str, name: str) -> None:
    assert f"### asyncio.{name}" in markdown, markdown[:200]
    assert "**Pitfall:**" in markdown and "Since Python" in markdown and "Reference:" in markdown
    assert len(markdown.split()) >= 40


async def test_every_public_asyncio_name_plain_and_aliased(client: LanguageClient):
    uri = "file:///tmp/hover_all.py"
    imports = ["import asyncio", "import asyncio as aio"]
    imports += [f"from asyncio import {name} as alias_{name}" for name in PUBLIC_NAMES]
    body = [line for name in PUBLIC_NAMES for line in (f"asyncio.{name}", f"aio.{name}", f"alias_{name}")]
    await _open(client, uri, "\n".join(imports + body) + "\n")
    first = len(imports)
    for number, name in enumerate(PUBLIC_NAMES):
        for offset, column in ((0, len("asyncio.") + 1), (1, len("aio.") + 1), (2, 1)):
            hover = await _hover(client, uri, first + 3 * number + offset, column)
            assert hover is not None, (name, offset)
            assert hover.contents.kind == types.MarkupKind.Markdown
            _assert_substantive(hover.contents.value, name)


async def test_values_of_known_type_and_aiohttp(client: LanguageClient):
    uri = "file:///tmp/hover_values.py"
    text = (
        "import asyncio\nimport aiohttp\n\n\nasync def main(session: aiohttp.ClientSession):\n"
        "    jobs = asyncio.Queue()\n    await jobs.get()\n"
        "    async with asyncio.TaskGroup() as group:\n        group.create_task(main(session))\n"
        "    async with session.get('https://example.org') as response:\n        await response.json()\n"
    )
    await _open(client, uri, text)
    expectations = {(6, 16): "asyncio.Queue.get", (8, 15): "asyncio.TaskGroup.create_task",
                    (9, 24): "aiohttp.ClientSession.get", (10, 25): "aiohttp.ClientResponse.json"}
    for (line, character), name in expectations.items():
        hover = await _hover(client, uri, line, character)
        assert hover is not None and f"### {name}" in hover.contents.value, name


async def test_requires_python_below_the_apis_version_is_called_out(client: LanguageClient, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "old"\nrequires-python = ">=3.9"\n')
    uri = (tmp_path / "app.py").as_uri()
    await _open(client, uri, "import asyncio\nasyncio.TaskGroup\nasyncio.gather\n")
    task_group = await _hover(client, uri, 1, 10)
    assert "Needs Python 3.11" in task_group.contents.value and "3.9" in task_group.contents.value
    gather = await _hover(client, uri, 2, 10)
    assert "Needs Python" not in gather.contents.value


async def test_rule_explanations_on_a_diagnostic_and_on_a_noqa_code(client: LanguageClient):
    uri = "file:///tmp/hover_rules.py"
    await _open(client, uri, "import time\n\n\nasync def main():\n    time.sleep(1)\n    time.sleep(2)  # noqa: ASYNC251\n")
    on_call = await _hover(client, uri, 4, 10)
    assert "### asyncio" not in on_call.contents.value
    # On the squiggle the editor shows the message; the rule's part is its name and a link.
    assert on_call.contents.value.startswith("**ASYNC251 · blocking-sleep** · [why, and how to fix it](")
    on_code = await _hover(client, uri, 5, 30)
    assert on_code.contents.value.startswith("### ASYNC251 · blocking-sleep")
    assert on_code.range.start == types.Position(line=5, character=27)


async def test_nothing_to_say_gives_no_hover(client: LanguageClient):
    uri = "file:///tmp/hover_nothing.py"
    await _open(client, uri, "value = 1\n")
    assert await _hover(client, uri, 0, 2) is None
    assert await _hover(client, uri, 40, 0) is None
    assert await _hover(client, "file:///tmp/never_opened.py", 0, 0) is None


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def vscode_client(lsp_client: LanguageClient):
    """A client that, like our VS Code extension, has a command to open bundled documents."""
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            initialization_options={"openDocumentCommand": "asyncPatterns.openDocument"},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_with_an_open_command_the_rule_links_open_the_rule_through_it(vscode_client: LanguageClient):
    import json
    from urllib.parse import unquote

    from async_patterns.docs.links import RULES_DOCUMENT, document_path

    uri = "file:///tmp/rule_links.py"
    vscode_client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text="import time\n\n\nasync def main():\n    time.sleep(1)\n")
        )
    )
    published = await vscode_client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    [diagnostic] = published.diagnostics
    command, _, arguments = diagnostic.code_description.href.partition("?")
    assert command == "command:asyncPatterns.openDocument"
    (target,) = json.loads(unquote(arguments))
    assert target["path"] == str(document_path(RULES_DOCUMENT))
    assert document_path(RULES_DOCUMENT).read_text(encoding="utf-8").splitlines()[target["line"]] == "## ASYNC251"
    hover = await _hover(vscode_client, uri, 4, 10)
    assert f"]({diagnostic.code_description.href})" in hover.contents.value
