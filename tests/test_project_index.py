"""The project index: types and blocking helpers across a project's own modules (AP109), in the
command line (with its cache) and in the server (disk changes and edits re-publish the callers)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from async_patterns.analysis.project.index import ProjectIndex
from async_patterns.analysis.project.layout import absolute_import, module_name
from conftest import IN_PROCESS_SERVER, SERVER_COMMAND, Publishes, run_cli


def _write(root: Path, files: dict[str, str]) -> None:
    (root / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _findings(capsys, *arguments: str) -> list[dict]:
    status, out, err = run_cli(capsys, "check", *arguments, "--format", "json")
    assert status in (0, 1), err
    return json.loads(out)


def _codes_at(findings: list[dict], path: str) -> list[tuple[str, int]]:
    return sorted((finding["code"], finding["line"]) for finding in findings if finding["path"].endswith(path))


STORAGE = """\
from pathlib import Path


def read(name):
    return Path(name).read_text()


def load_settings():
    return read("settings.toml").split()


def lines(name):
    with open(name) as stream:
        yield from stream


def total(values):
    return sum(values)
"""

HANDLERS = """\
import asyncio
from app.storage import load_settings, lines, total
from . import storage


async def handle():
    settings = load_settings()
    await asyncio.to_thread(load_settings)
    return lines("a.txt"), total([1]), storage.read("x"), settings
"""


@pytest.mark.parametrize("layout", ["app", "src/app"])
def test_direct_transitive_relative_and_src_layout(project, capsys, layout):
    _write(project, {f"{layout}/__init__.py": "", f"{layout}/storage.py": STORAGE, f"{layout}/handlers.py": HANDLERS})
    findings = _findings(capsys, ".", "--no-cache")
    # Through a helper (line 7) and a module attribute (line 9); not the offloaded call (line 8),
    # not the generator function, not the helper that does not block.
    assert _codes_at(findings, "handlers.py") == [("AP109", 7), ("AP109", 9)]
    message = next(finding["message"] for finding in findings if finding["line"] == 7)
    assert message.startswith("`load_settings()` blocks the event loop: it calls `read()` (storage.py:9)")
    assert "`Path.read_text()` (storage.py:5)" in message


def test_cycles_base_classes_properties_and_typed_attributes(project, capsys):
    _write(
        project,
        {
            "app/__init__.py": "",
            "app/config.py": "from pathlib import Path\n\nclass Config:\n    @property\n    def data_dir(self) -> Path:\n"
            "        return Path('/srv')\n",
            "app/base.py": "import time\n\nclass Base:\n    def _wait(self):\n        time.sleep(1)\n",
            "app/ping.py": "from app import pong\n\ndef ping(n):\n    return pong.pong(n - 1) if n else 0\n",
            "app/pong.py": "from app import ping\n\ndef pong(n):\n    return ping.ping(n - 1) if n else 0\n",
            "app/db.py": "import sqlite3\n\nclass Database:\n    def downloaded(self, url):\n"
            "        return sqlite3.connect('x.db').execute('select 1').fetchone()\n",
            "app/bot.py": "from typing import Optional\nfrom app.base import Base\nfrom app.config import Config\n"
            "from app.db import Database\nfrom app.ping import ping\n\n"
            "class Bot(Base):\n    config: Optional[Config]\n\n    def __init__(self, db: Database):\n        self.db = db\n\n"
            "    async def run(self, url):\n        self._wait()\n        self.db.downloaded(url)\n"
            "        self.config.data_dir.exists()\n        return ping(3)\n",
        },
    )
    findings = _findings(capsys, ".", "--no-cache")
    assert _codes_at(findings, "bot.py") == [("AP101", 16), ("AP109", 14), ("AP109", 15)]


def test_a_changed_helper_rechecks_its_callers_and_nothing_else(project, capsys, monkeypatch):
    _write(project, {"app/__init__.py": "", "app/storage.py": STORAGE, "app/handlers.py": HANDLERS, "app/other.py": "X = 1\n"})
    assert len(_codes_at(_findings(capsys, "."), "handlers.py")) == 2
    analysed: list[str] = []
    import async_patterns.cli as cli

    original = cli._analyse

    def recording(path, *rest):
        analysed.append(Path(path).name)
        return original(path, *rest)

    monkeypatch.setattr(cli, "_analyse", recording)
    (project / "app" / "storage.py").write_text(STORAGE.replace("Path(name).read_text()", "name"))
    assert _codes_at(_findings(capsys, "."), "handlers.py") == []
    assert sorted(analysed) == ["handlers.py", "storage.py"]


WORKER = """\
import time
from app.storage import load_settings


class Worker:
    def pause(self):
        time.sleep(1)

    async def run(self):
        self.pause()
        return load_settings()
"""


def test_a_module_being_analysed_is_not_parsed_again_by_the_index(project, capsys, monkeypatch):
    from async_patterns.analysis.project import index

    _write(project, {"app/__init__.py": "", "app/storage.py": STORAGE, "app/worker.py": WORKER})
    parsed: list[str] = []
    original = index.parse_module_text

    def recording(text):
        parsed.append("worker" if text == WORKER else "storage" if text == STORAGE else "other")
        return original(text)

    monkeypatch.setattr(index, "parse_module_text", recording)
    assert _codes_at(_findings(capsys, "app/worker.py", "--no-cache"), "worker.py") == [("AP109", 10), ("AP109", 11)]
    # storage.py is read for its helper; worker.py's own methods come from the analysis's tree.
    assert parsed == ["storage"]


def _index_counting_parses(monkeypatch, modules: dict[str, str]) -> tuple[ProjectIndex, list[str], dict[str, str]]:
    """An index of `modules` (name: text, editable through the returned dict) and the names of the
    modules it parses, in order."""
    from async_patterns.analysis.project import index as index_module

    texts = dict(modules)
    parsed: list[str] = []
    original = index_module.parse_module_text

    def recording(text: str):
        parsed.extend(name for name, known in texts.items() if known == text)
        return original(text)

    monkeypatch.setattr(index_module, "parse_module_text", recording)
    index = ProjectIndex()
    for name in texts:
        index.set_module(name, f"/p/{name.replace('.', '/')}.py", False, lambda name=name: texts[name])
    return index, parsed, texts


def _chain_calls(index: ProjectIndex, callee: str) -> list[str] | None:
    chain = index.blocking_chain(callee)
    return None if chain is None else [link.call.strip("`()") for link in chain]


def test_a_module_set_again_with_the_same_text_is_not_parsed_again(monkeypatch):
    index, parsed, texts = _index_counting_parses(monkeypatch, {"app.storage": STORAGE, "app.worker": WORKER})
    assert _chain_calls(index, "app.worker.Worker.pause") == ["time.sleep"]
    assert _chain_calls(index, "app.storage.load_settings") == ["read", "Path.read_text"]
    assert sorted(parsed) == ["app.storage", "app.worker"]
    # The editor opens both files: the same texts, given again.
    for name in texts:
        index.set_module(name, f"/p/{name}.py", False, lambda name=name: texts[name])
    assert _chain_calls(index, "app.worker.Worker.pause") == ["time.sleep"]
    assert _chain_calls(index, "app.storage.load_settings") == ["read", "Path.read_text"]
    assert sorted(parsed) == ["app.storage", "app.worker"]
    # A changed text is parsed, once.
    texts["app.storage"] = STORAGE.replace('return read("settings.toml").split()', "return []")
    index.set_module("app.storage", "/p/app/storage.py", False, lambda: texts["app.storage"])
    assert _chain_calls(index, "app.storage.load_settings") is None
    assert sorted(parsed) == ["app.storage", "app.storage", "app.worker"]


SESSION = {
    "app.http": "import requests\n\nsession = requests.Session()\n",
    "app.config": 'from app.http import session\n\n\ndef fetch():\n    return session.get("u")\n',
}
NOT_BLOCKING_SESSION = "import httpx\n\nsession = httpx.AsyncClient()\n"


def test_a_summary_that_read_another_modules_declarations_is_forgotten_when_they_change(monkeypatch):
    # fetch() blocks because of what app.http says `session` is: when that changes, so does fetch().
    index, parsed, texts = _index_counting_parses(monkeypatch, SESSION)
    assert _chain_calls(index, "app.config.fetch") == ["app.http.session.get"]
    texts["app.http"] = NOT_BLOCKING_SESSION
    index.set_module("app.http", "/p/app/http.py", False, lambda: texts["app.http"])
    assert _chain_calls(index, "app.config.fetch") is None


def test_a_module_waiting_to_take_over_its_old_summaries_still_loses_them_when_a_dependency_changes(monkeypatch):
    index, parsed, texts = _index_counting_parses(monkeypatch, SESSION)
    assert _chain_calls(index, "app.config.fetch") == ["app.http.session.get"]
    # app.config is given again unchanged (its old summaries wait to be taken over), then app.http changes.
    index.set_module("app.config", "/p/app/config.py", False, lambda: texts["app.config"])
    texts["app.http"] = NOT_BLOCKING_SESSION
    index.set_module("app.http", "/p/app/http.py", False, lambda: texts["app.http"])
    index.declarations("app.http")  # settled first, while app.config still waits
    assert _chain_calls(index, "app.config.fetch") is None


def test_analysing_an_open_module_does_not_parse_it_again_for_the_index(monkeypatch):
    from async_patterns.analysis import Settings
    from async_patterns.analysis.incremental import IncrementalAnalysis
    from async_patterns.analysis.project.view import ProjectView

    index, parsed, texts = _index_counting_parses(monkeypatch, {"app.storage": STORAGE, "app.worker": WORKER})
    for name in texts:  # indexed in the background first
        index.summaries(name)
    parsed.clear()
    # Opened in the editor, unchanged: the index takes over what it knew.
    index.set_module("app.worker", "/p/app/worker.py", False, lambda: texts["app.worker"])
    result = IncrementalAnalysis().update(texts["app.worker"], Settings(), ProjectView(index, "app.worker"))
    assert [(finding.code, finding.line) for finding in result.findings] == [("AP109", 10), ("AP109", 11)]
    assert parsed == []
    # Edited there: the analysis's own tree serves the index.
    texts["app.worker"] = WORKER.replace("time.sleep(1)", "time.sleep(2)")
    index.set_module("app.worker", "/p/app/worker.py", False, lambda: texts["app.worker"])
    result = IncrementalAnalysis().update(texts["app.worker"], Settings(), ProjectView(index, "app.worker"))
    assert [(finding.code, finding.line) for finding in result.findings] == [("AP109", 10), ("AP109", 11)]
    assert parsed == []


def test_an_analysis_summarises_only_the_helpers_it_asks_about_and_the_rest_are_summarised_after(monkeypatch):
    from async_patterns.analysis import Settings
    from async_patterns.analysis.incremental import IncrementalAnalysis
    from async_patterns.analysis.project import summaries
    from async_patterns.analysis.project.view import ProjectView

    unrelated = "".join(f"\n\ndef unrelated{number}():\n    return {number}\n" for number in range(30))
    worker = WORKER + unrelated + "\n\nclass Idle:\n    def wait(self):\n        time.sleep(1)\n"
    index, parsed, texts = _index_counting_parses(monkeypatch, {"app.storage": STORAGE, "app.worker": worker})
    for name in texts:  # indexed in the background first
        index.declarations(name)
    summarised: list[str] = []
    real_summarise = summaries._summarise
    monkeypatch.setattr(summaries, "_summarise", lambda function, *rest: summarised.append(function.name) or real_summarise(function, *rest))
    parsed.clear()
    result = IncrementalAnalysis().update(worker, Settings(), ProjectView(index, "app.worker"))
    assert [(finding.code, finding.line) for finding in result.findings] == [("AP109", 10), ("AP109", 11)]
    # Of its own functions, only the helper it calls (storage's, not being analysed, all at once).
    assert sorted(name for name in summarised if name in ("pause", "wait") or name.startswith("unrelated")) == ["pause"]
    summarised.clear()
    # The server works out the rest in steps, after it published the findings.
    steps = []
    while index.finish_summaries(most=10):
        steps.append(len(summarised))
    assert steps == [10, 20, 30]
    assert sorted(summarised) == sorted(["wait", *(f"unrelated{number}" for number in range(30))])
    assert "app.worker" not in parsed  # the rest came from the analysis's tree, not a second parse
    assert index.summaries("app.worker")["Idle.wait"].blocking[0] == "`time.sleep()`"
    assert summarised.count("pause") == 0


def test_an_open_module_is_checked_again_only_when_a_module_its_findings_read_changes(monkeypatch):
    from async_patterns.analysis import Settings, incremental
    from async_patterns.analysis.incremental import IncrementalAnalysis
    from async_patterns.analysis.project.view import ProjectView

    unrelated = "def unrelated():\n    return 1\n"
    index, parsed, texts = _index_counting_parses(monkeypatch, {"app.storage": STORAGE, "app.worker": WORKER, "app.other": unrelated})
    for name in texts:  # indexed in the background first
        index.declarations(name)
    analysis, view = IncrementalAnalysis(), ProjectView(index, "app.worker")
    assert [finding.line for finding in analysis.update(WORKER, Settings(), view).findings] == [10, 11]
    checked: list[int] = []
    real_check = incremental.check_unit
    monkeypatch.setattr(incremental, "check_unit", lambda unit, *rest: checked.append(unit.lineno) or real_check(unit, *rest))
    generation = index.generation
    # Another file opened in the editor, as it is on disk: the index has nothing new.
    index.set_module("app.other", "/p/app/other.py", False, lambda: texts["app.other"])
    assert index.generation == generation and not index.changed_since(generation, ["app.other"])
    # A module the findings did not read is edited: a keystroke checks its own line only.
    texts["app.other"] = unrelated.replace("1", "2")
    index.set_module("app.other", "/p/app/other.py", False, lambda: texts["app.other"])
    typed = "print(1)\n" + WORKER
    assert [finding.line for finding in analysis.update(typed, Settings(), view).findings] == [11, 12]
    assert checked == [1]
    # The module they read changes: everything is checked again, and the helper no longer blocks.
    checked.clear()
    texts["app.storage"] = STORAGE.replace('return read("settings.toml").split()', "return []")
    index.set_module("app.storage", "/p/app/storage.py", False, lambda: texts["app.storage"])
    assert [finding.line for finding in analysis.update(typed, Settings(), view).findings] == [11]
    assert checked == [1, 2, 3, 6]


def test_module_names_and_relative_imports():
    assert module_name(Path("/p/src/app/web/views.py"), Path("/p")) == "app.web.views"
    assert module_name(Path("/p/app/__init__.py"), Path("/p")) == "app"
    assert module_name(Path("/p/my-script.py"), Path("/p")) is None
    assert absolute_import("app.web.views", "..storage.load", package=False) == "app.storage.load"
    assert absolute_import("app.web", ".views.handle", package=True) == "app.web.views.handle"


# -- the server ---------------------------------------------------------------------------------


CYCLE = {
    # Modules importing each other, and a function that calls itself through both: no hang, no finding.
    "app/ping.py": "from app import pong\n\ndef ping(n):\n    return pong.pong(n - 1) if n else 0\n",
    "app/pong.py": "from app import ping\n\ndef pong(n):\n    return ping.ping(n - 1) if n else 0\n",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    handlers = HANDLERS.replace("    return lines(", "    ping(3)\n    return lines(").replace(
        "from . import storage\n", "from . import storage\nfrom .ping import ping\n"
    )
    _write(tmp_path, {"app/__init__.py": "", "app/storage.py": STORAGE, "app/handlers.py": handlers, **CYCLE})
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER_COMMAND))
async def client(lsp_client: LanguageClient, workspace: Path):
    lsp_client.publishes = Publishes(lsp_client)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[types.WorkspaceFolder(uri=workspace.as_uri(), name="app")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def _published_until(client: LanguageClient, uri: str, wanted) -> list[types.Diagnostic]:
    """The diagnostics of the first publish for `uri`, from now on, that `wanted` accepts."""
    start = client.publishes.mark()

    def accepted():
        return next(
            (params for params in client.publishes.history[start:] if params.uri == uri and wanted(params.diagnostics)), None
        )

    await client.publishes.until(lambda: accepted() is not None)
    return list(accepted().diagnostics)


def _helper_lines(diagnostics) -> list[int]:
    return sorted(diagnostic.range.start.line for diagnostic in diagnostics if diagnostic.code == "AP109")


@pytest.mark.asyncio
async def test_the_server_follows_helpers_in_other_files_on_disk_in_the_editor_and_deleted(client: LanguageClient, workspace: Path):
    handlers = (workspace / "app" / "handlers.py").as_uri()
    text = (workspace / "app" / "handlers.py").read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=handlers, language_id="python", version=1, text=text))
    )
    found = await _published_until(client, handlers, lambda diagnostics: len(_helper_lines(diagnostics)) == 2)
    chained = next(diagnostic for diagnostic in found if diagnostic.message.startswith("`load_settings()`"))
    assert [place.location.uri for place in chained.related_information] == [(workspace / "app" / "storage.py").as_uri()] * 2
    assert any(registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES for registration in client.registrations)
    # The project was indexed in the background with a progress bar that began and ended.
    deadline = asyncio.get_running_loop().time() + 30
    while not any(reports and isinstance(reports[-1], types.WorkDoneProgressEnd) for reports in client.progress_reports.values()):
        assert asyncio.get_running_loop().time() < deadline, client.progress_reports
        await asyncio.sleep(0.1)
    indexing = next(reports for reports in client.progress_reports.values() if reports)
    assert indexing[0].title == f"Indexing {workspace.name}" and indexing[-1].message == "5 modules"

    # A file changed on disk: the callers are published again.
    storage = workspace / "app" / "storage.py"
    storage.write_text(STORAGE.replace("Path(name).read_text()", "name"))
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(storage.as_uri(), types.FileChangeType.Changed)])
    )
    await _published_until(client, handlers, lambda diagnostics: _helper_lines(diagnostics) == [])

    # The same file open and edited: once typing pauses, the callers follow the editor's text.
    text = storage.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(types.TextDocumentItem(uri=storage.as_uri(), language_id="python", version=1, text=text))
    )
    blocking_again = STORAGE
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=storage.as_uri(), version=2),
            [types.TextDocumentContentChangeWholeDocument(text=blocking_again)],
        )
    )
    await _published_until(client, handlers, lambda diagnostics: len(_helper_lines(diagnostics)) == 2)

    # Closed, then deleted on disk: the helpers are gone, and so are the findings that named them.
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=storage.as_uri())))
    storage.unlink()
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams([types.FileEvent(storage.as_uri(), types.FileChangeType.Deleted)])
    )
    await _published_until(client, handlers, lambda diagnostics: _helper_lines(diagnostics) == [])


def test_findings_stand_while_the_text_does_not_parse_though_the_project_changes_meanwhile():
    # The project is indexed (or a file saved) while the user is mid-typing: the squiggles of the
    # code the typing does not touch stay until the text parses again.
    from async_patterns.analysis import Settings
    from async_patterns.analysis.incremental import IncrementalAnalysis
    from async_patterns.analysis.project.view import ProjectView

    texts = {"app.worker": WORKER, "app.storage": STORAGE}
    index = ProjectIndex()
    for name in texts:
        index.set_module(name, f"/p/{name}.py", False, lambda name=name: texts[name])
    analysis = IncrementalAnalysis()
    view = ProjectView(index, "app.worker")
    assert [finding.line for finding in analysis.update(WORKER, Settings(), view).findings] == [10, 11]
    broken = WORKER + "    if (\n"
    assert analysis.update(broken, Settings(), view).error is not None
    assert [finding.line for finding in analysis.standing_findings] == [10, 11]
    index.set_module("app.storage", "/p/app/storage.py", False, lambda: STORAGE + "\n")
    assert analysis.update(broken, Settings(), view).error is not None
    assert [finding.line for finding in analysis.standing_findings] == [10, 11]


# Drives the server in-process: opens a module of a project and prints, once its findings are out,
# which of its own functions the index summarised and whether the rest wait; then the same after a
# quiet moment.
SUMMARIES_PROBE = IN_PROCESS_SERVER + r"""
import sys
from pathlib import Path
import async_patterns.lsp.projects  # registers the project index with the server
from async_patterns.analysis.project import summaries

summarised = []
real_summarise = summaries._summarise
summaries._summarise = lambda function, *rest: summarised.append(function.name) or real_summarise(function, *rest)

async def main():
    root = Path(sys.argv[1])
    worker = root / "app" / "worker.py"
    server.protocol.set_writer(Discard())
    feed({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}}})
    feed({"method": "initialized", "params": {}})
    await asyncio.sleep(1)  # the project is found and indexed
    uri = worker.as_uri()
    feed({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": worker.read_text()}}})
    while uri not in server.last_published:
        await asyncio.sleep(0.001)
    [project] = server.projects.projects.values()
    print(sorted(set(summarised) - {"read", "load_settings", "lines", "total"}), project.index.summaries_pending)
    await asyncio.sleep(1)
    print(sorted(set(summarised) - {"read", "load_settings", "lines", "total"}), project.index.summaries_pending)

asyncio.run(main())
"""


def test_the_server_summarises_the_rest_of_an_opened_module_after_publishing_once_quiet(tmp_path):
    import subprocess
    import sys

    unrelated = "".join(f"\n\ndef unrelated{number}():\n    return {number}\n" for number in range(3))
    _write(tmp_path, {"app/__init__.py": "", "app/storage.py": STORAGE, "app/worker.py": WORKER + unrelated})
    output = subprocess.run(
        [sys.executable, "-c", SUMMARIES_PROBE, str(tmp_path)], check=True, capture_output=True, text=True, timeout=120
    )
    assert output.stdout.split("\n")[:2] == [
        "['pause'] True",
        "['pause', 'unrelated0', 'unrelated1', 'unrelated2'] False",
    ], output.stderr[-2000:]
