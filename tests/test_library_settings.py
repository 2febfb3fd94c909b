"""A project's own catalogue files (`library-catalogues`): the same in pyproject.toml, the command
line and the editor, with clear problems for files that are missing or malformed."""

import shutil

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from async_patterns.analysis import analyze
from async_patterns.analysis.settings import parse_settings, settings_for_path
from async_patterns.cli import main
from conftest import ROOT, SERVER_COMMAND

DATA = ROOT / "tests" / "data"
USES_ACME = (
    "import acme\n"
    "client = acme.connect('billing')\n"
    "async def invoices():\n"
    "    client.with_timeout(5)\n"
    "    return client.invoices.list()\n"
)


def _project(tmp_path, setting='["catalogues/acme_sdk.toml"]'):
    (tmp_path / "catalogues").mkdir()
    shutil.copy(DATA / "acme_sdk.toml", tmp_path / "catalogues" / "acme_sdk.toml")
    (tmp_path / "pyproject.toml").write_text(f"[tool.async-patterns]\nlibrary-catalogues = {setting}\n", encoding="utf-8")
    (tmp_path / "app.py").write_text(USES_ACME, encoding="utf-8")
    return tmp_path


def test_a_pyproject_catalogue_path_is_relative_to_the_pyproject(tmp_path):
    settings, problems = settings_for_path(_project(tmp_path) / "app.py")
    assert problems == []
    [finding] = analyze(USES_ACME, settings).findings
    assert finding.code == "AP110"
    assert finding.message.startswith("`client.invoices.list()` (acme-sdk) waits for the network")
    assert "`acme.aio.Client`" in finding.message


def test_without_the_setting_the_company_sdk_is_unknown():
    assert analyze(USES_ACME).findings == []


def test_a_missing_or_malformed_catalogue_is_a_problem_and_the_rest_still_applies(tmp_path):
    (tmp_path / "broken.toml").write_text("[library]\nname = 'x'\n", encoding="utf-8")
    settings, fields, problems = parse_settings(
        {"libraryCatalogues": ["missing.toml", "broken.toml", str(DATA / "acme_sdk.toml")], "ignore": ["AP1"]},
        "editor settings",
        tmp_path,
    )
    assert fields == {"library_catalogues", "ignore"}
    assert [library.name for library in settings.library_catalogues] == ["acme-sdk"]
    assert len(problems) == 2
    assert "missing.toml: cannot read" in problems[0]
    assert "broken.toml: " in problems[1] and "'alternative' is required" in problems[1]


def test_a_relative_path_needs_a_folder_to_start_from():
    _, _, problems = parse_settings({"libraryCatalogues": ["acme_sdk.toml"]}, "editor settings")
    assert problems == ["editor settings: 'libraryCatalogues' entry 'acme_sdk.toml' is relative, and there is no folder to resolve it from"]


def test_the_command_line_reads_the_pyproject_setting(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(_project(tmp_path))
    assert main(["check", "app.py", "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "app.py:5:12: AP110 `client.invoices.list()` (acme-sdk)" in out


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[types.WorkspaceFolder(uri=DATA.as_uri(), name="data")],
            initialization_options={"libraryCatalogues": ["acme_sdk.toml"]},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_the_editor_setting_is_relative_to_the_workspace_folder(client: LanguageClient):
    uri = (DATA / "uses_acme.py").as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=USES_ACME)
        )
    )
    published = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    [diagnostic] = published.diagnostics
    assert diagnostic.code == "AP110"
    assert "(acme-sdk)" in diagnostic.message
    assert diagnostic.range.start == types.Position(line=4, character=11)


def test_the_readme_s_example_catalogue_is_valid_and_works(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n# tools/acme-sdk.toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "acme-sdk.toml").write_text(block, encoding="utf-8")
    settings, _, problems = parse_settings({"libraryCatalogues": ["acme-sdk.toml"]}, "test", tmp_path)
    assert problems == []
    source = "import acme\nasync def main():\n    acme.connect(lazy=True)\n    client = acme.connect()\n    return client.invoices\n"
    [finding] = analyze(source, settings).findings
    assert (finding.line, finding.code) == (4, "AP110") and "(acme-sdk)" in finding.message
