"""Hovers for the library catalogue's entries: every blocking call and method says what it waits
for and what to use instead, through the symbol resolver and over stdio."""

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from async_patterns.analysis.libraries import builtin_catalogue
from async_patterns.analysis.symbols import symbol_at
from async_patterns.docs import hover_markdown
from conftest import SERVER_COMMAND

_WILDCARD = set("*?[")


def _hovered_names():
    """Each blocking function, and for each method entry one method it covers, by the name the
    symbol resolver gives a call on a receiver of that type."""
    for library in builtin_catalogue().libraries:
        for entry in library.blocking:
            for call in entry.calls:
                yield pytest.param(library, entry, call, id=call)
            literal = [name for name in (*entry.methods, *entry.properties) if not _WILDCARD & set(name)]
            if entry.receiver is not None:
                member = literal[0] if literal else "some_method_" + entry.methods[0].strip("*?[]")
                yield pytest.param(library, entry, f"{entry.receiver}.{member}", id=f"{entry.receiver}.{member}")


@pytest.mark.parametrize("library, entry, name", list(_hovered_names()))
def test_every_entry_has_a_hover_naming_the_library_and_what_to_use(library, entry, name):
    markdown = hover_markdown(name)
    assert markdown is not None, name
    assert f"· {library.name}" in markdown
    assert "Blocks the event loop" in markdown and entry.doing.rstrip(",") in markdown
    assert (entry.alternative or library.alternative) in markdown
    assert library.about in markdown


def test_excepted_methods_and_unknown_names_have_no_library_hover():
    assert hover_markdown("openai.resource.verify_signature") is None
    assert hover_markdown("redis.Redis.pipeline") is None
    assert hover_markdown("mylib.Client.fetch") is None


def test_constructors_and_annotations_describe_their_type():
    markdown = hover_markdown("redis.Redis")
    assert "### `redis.Redis` · redis" in markdown
    assert "when `single_connection_client` is `True`" in markdown
    assert "`redis.asyncio.Redis`" in markdown
    assert "Making one does no I/O" in hover_markdown("openai.OpenAI")


def test_a_chain_of_resources_resolves_to_the_blocking_method():
    source = "import openai\nclient = openai.OpenAI()\nasync def main():\n    client.chat.completions.create(model='m')\n"
    symbol = symbol_at(source, 4, 30)
    assert symbol is not None and symbol.qualname == "openai.resource.create"
    assert "`SyncAPIResource.create` · openai" in hover_markdown(symbol.qualname)


def test_a_module_level_resource_resolves_through_its_value_type():
    assert "`openai.AsyncOpenAI`" in hover_markdown("openai.chat.completions.create")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities("visual-studio-code")))
    yield
    await lsp_client.shutdown_session()


async def test_hovering_a_blocking_call_in_the_editor_shows_the_library_hover_and_the_rule(client: LanguageClient):
    uri = "file:///tmp/llm_handler.py"
    text = "from anthropic import Anthropic\nclient = Anthropic()\nasync def answer(q):\n    return client.messages.create(model='m', max_tokens=10, messages=[])\n"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text))
    )
    published = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [diagnostic.code for diagnostic in published.diagnostics] == ["AP110"]
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=3, character=30))
    )
    assert hover is not None
    assert "`SyncAPIResource.create` · anthropic" in hover.contents.value
    assert "`anthropic.AsyncAnthropic`" in hover.contents.value
    assert "AP110 · blocking-library-call" in hover.contents.value
