"""pygls handlers: each adapts LSP types to the analysis and back, nothing more."""

from __future__ import annotations

import asyncio
import importlib
import logging
import platform
import sys
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from async_patterns import __version__
from async_patterns.analysis import Finding, ParseProblem, Settings
from async_patterns.analysis.incremental import IncrementalAnalysis
from async_patterns.collector import collect_less_often
from async_patterns.analysis.engine import rule_set_for
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.project.view import ProjectView
from async_patterns.lsp.convert import to_diagnostic
from async_patterns.lsp.documents import PublishedFindings, SettingsResolver, path_of
from async_patterns.lsp.notebook_documents import NotebookAnalyses
from async_patterns.lsp.protocol import UNDECODABLE_BODY, AnsweringProtocol, DecodingTracebacks
from async_patterns.files import DEFAULT_MAX_FILE_BYTES
from async_patterns.lsp.safeguards import DocumentSafeguards
from async_patterns.lsp.watchdog import watch_editor_process
from async_patterns.lsp.workspace import LspTextDocument, LspWorkspace

if TYPE_CHECKING:
    from async_patterns.analysis.project.index import ProjectIndex
    from async_patterns.lsp.projects import WorkspaceProjects

logger = logging.getLogger(__name__)
SETTINGS_SECTION = "asyncPatterns"
# Documents edited last keep their large classes' syntax trees (a few MB each) for fast edits.
_DOCUMENTS_KEEPING_TREES = 2
# The rest of a module's summaries are worked out once no analysis was asked for this long, in
# steps of this many functions (about 0.1 ms each).
_QUIET_BEFORE_SUMMARIES = 0.3
_SUMMARIES_PER_STEP = 25


class AsyncPatternsServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "async-patterns",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            # Python cells of Jupyter notebooks arrive as notebookDocument/* (lsp/notebooks.py).
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[
                    types.NotebookDocumentFilterWithCells(
                        notebook="jupyter-notebook", cells=[types.NotebookCellLanguage(language="python")]
                    )
                ]
            ),
            protocol_cls=AnsweringProtocol,
        )
        self.settings = SettingsResolver(report=self.log_warning, workspace_folders=self._workspace_folder_uris)
        self.safeguards = DocumentSafeguards(log=self.log_warning)
        self.published: dict[str, PublishedFindings] = {}
        self.last_published: dict[str, tuple[int, list[types.Diagnostic]]] = {}
        # Findings from elsewhere than the analysis (recorded loop stalls), asked for each text a
        # document is published with; a source that changes re-publishes the documents it affects.
        self.finding_sources: list[Callable[[str, LineIndex, Settings], list[Finding]]] = []
        self.offer_snippets = True
        # The client's command that opens a bundled document at a line (VS Code's extension has one).
        self.open_document_command: str | None = None
        self.pending: dict[str, asyncio.Task] = {}
        self.last_scheduled = 0.0  # the event loop's time when an analysis was last asked for
        self.finishing_summaries: set[ProjectIndex] = set()
        # Per open document, the most recently analysed last.
        self.analyses: OrderedDict[str, IncrementalAnalysis] = OrderedDict()
        # One analysis thread: runs for one document are serialised and stale ones are dropped.
        self.analysis_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")
        self.notebooks = NotebookAnalyses()
        # The project index of open documents' projects (lsp/projects.py sets it).
        self.projects: WorkspaceProjects | None = None
        self.warmed_up = False
        self.start_up_note = "lsprotocol was already imported"
        self.protocol.report_malformed = self.log_warning

    def report_server_error(self, error: Exception, source: Any) -> None:
        if isinstance(error, UNDECODABLE_BODY):
            self.log_warning(f"ignored a message whose body is not JSON: {error}")
        else:  # a bug of ours: pygls shows it to the user (its traceback is in the log once)
            super().report_server_error(error, source)

    def log_warning(self, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))

    def log_info(self, message: str) -> None:
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Info, message=message))

    def describe_start(self) -> None:
        """What a user checking the log needs first: which server, on which Python, seeing what."""
        self.log_info(
            f"async-patterns {__version__} on Python {platform.python_version()} ({sys.executable}); "
            f"{self.start_up_note}"
        )
        folders = [folder.uri for folder in self.workspace.folders.values()] or [self.workspace.root_uri]
        for folder in filter(None, folders):
            self.log_info(f"workspace folder {folder}: {self.settings.describe_for(folder)}")
        self.log_info("ready")

    def _workspace_folder_uris(self) -> list[str]:
        workspace = self.workspace
        root = [workspace.root_uri] if workspace.root_uri else []
        return [*(folder.uri for folder in workspace.folders.values()), *root]

    def is_open(self, uri: str) -> bool:
        # pygls keys documents by the unquoted URI; clients quote spaces, "c:" and non-ASCII.
        return unquote(uri) in self.workspace.text_documents

    def schedule_analysis(self, uri: str) -> None:
        """Analyse the newest text of a document; a run for an older version is cancelled."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        loop = asyncio.get_running_loop()
        self.last_scheduled = loop.time()
        self.pending[uri] = loop.create_task(self._analyse_and_publish(uri))

    async def _analyse_and_publish(self, uri: str) -> None:
        await asyncio.sleep(0)  # let changes that are already queued arrive first
        if not self.is_open(uri):
            return
        document = self.workspace.get_text_document(uri)
        version, source = document.version, document.source
        lines = document.analysis_lines() if isinstance(document, LspTextDocument) else None
        if self.safeguards.too_large(uri, source):
            self.published.pop(uri, None)
            self.last_published.pop(uri, None)
            self.analyses.pop(uri, None)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=[]))
            return
        settings = self.settings.for_document(uri)
        analysis = self._analysis_of(uri)
        project = self.projects.view_for(uri, settings) if self.projects is not None else None
        loop = asyncio.get_running_loop()
        problem, findings, index = await loop.run_in_executor(
            self.analysis_thread, _analyse, analysis, source, settings, project, lines
        )
        if not self.is_open(uri) or self.workspace.get_text_document(uri).version != version:
            return
        self.safeguards.parse_problem(uri, problem)
        added = [finding for source in self.finding_sources for finding in source(uri, index, settings)]
        if findings is None:
            previous = self.published.get(uri)
            findings = previous.still_valid_in(index) if previous else []
        elif problem is None:
            self.published[uri] = PublishedFindings(findings, index, added)
        diagnostics = [to_diagnostic(finding, index, self.open_document_command) for finding in [*findings, *added]]
        # Analysed again for what changed elsewhere (the project index) but found the same: the
        # editor already shows it.
        if self.last_published.get(uri) != (version, diagnostics):
            self.last_published[uri] = (version, diagnostics)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=diagnostics)
            )
        if project is not None and project.index.summaries_pending and project.index not in self.finishing_summaries:
            self.finishing_summaries.add(project.index)
            loop.create_task(self._finish_summaries(project.index))
        if self.pending.get(uri) is asyncio.current_task():
            del self.pending[uri]
        if not self.warmed_up:
            self.warmed_up = True
            threading.Thread(target=_warm_up, name="warm-up", daemon=True).start()

    async def _finish_summaries(self, index: ProjectIndex) -> None:
        """What analyses did not ask of their own modules' summaries, worked out once no document
        changed for a moment, a few functions per step of the analysis thread: typing and opening
        files are not kept waiting for it."""
        loop = asyncio.get_running_loop()
        try:
            while True:
                quiet_for = loop.time() - self.last_scheduled
                if quiet_for < _QUIET_BEFORE_SUMMARIES:
                    await asyncio.sleep(_QUIET_BEFORE_SUMMARIES - quiet_for)
                elif not await loop.run_in_executor(self.analysis_thread, index.finish_summaries, _SUMMARIES_PER_STEP):
                    return
        finally:
            self.finishing_summaries.discard(index)

    def _analysis_of(self, uri: str) -> IncrementalAnalysis:
        analysis = self.analyses.get(uri)
        if analysis is not None and next(reversed(self.analyses)) == uri:
            return analysis
        analysis = self.analyses[uri] = analysis or IncrementalAnalysis()
        self.analyses.move_to_end(uri)
        if len(self.analyses) > _DOCUMENTS_KEEPING_TREES:
            # The thread owns the analyses: it drops the trees after the runs queued before.
            edited_earlier = list(self.analyses.values())[-_DOCUMENTS_KEEPING_TREES - 1]
            self.analysis_thread.submit(edited_earlier.release_syntax_trees)
        return analysis

    def forget(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.published.pop(uri, None)
        self.last_published.pop(uri, None)
        self.analyses.pop(uri, None)
        self.safeguards.forget(uri)
        if self.projects is not None:
            self.projects.closed(uri)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def reanalyse_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            if self.notebooks.notebook_of(self, uri) is None:
                self.schedule_analysis(uri)
        self.notebooks.schedule_all(self)


def _warm_up() -> None:
    """Load what hovers and fixes need (~250 ms) once the first diagnostics are out: start-up
    then waits only for what the first publish needs, and the first hover or fix does not pay."""
    from async_patterns.docs import known_names
    from async_patterns.fixes import apply  # noqa: F401  (libcst)

    known_names()


def _analyse(
    analysis: IncrementalAnalysis,
    source: str,
    settings: Settings,
    project: ProjectView | None = None,
    lines: list[str] | None = None,
) -> tuple[ParseProblem | None, list[Finding] | None, LineIndex]:
    """Why the text does not parse (if so), the findings to show (None after an internal error) and
    the text's lines. While the text does not parse, the findings shown are those of the code the
    error does not touch."""
    try:
        result = analysis.update(source, settings, project, lines)
    except Exception:  # a bug in one rule must cost this run its findings, not the server its life
        logger.exception("the analysis failed; keeping the previous findings")
        return ParseProblem("internal error in the analysis"), None, LineIndex.of(source)
    if result.error is not None:
        return result.error, analysis.standing_findings, analysis.index
    return None, result.findings, analysis.index


server = AsyncPatternsServer()


@server.feature(types.INITIALIZE)
def on_initialize(ls: AsyncPatternsServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    if isinstance(options, dict):
        options = dict(options)
        # Not a user setting: VS Code's client turns these off because its manifest has the snippets.
        ls.offer_snippets = options.pop("snippetCompletions", True) is not False
        command = options.pop("openDocumentCommand", None)
        ls.open_document_command = command if isinstance(command, str) and command else None
        if isinstance(options.get(SETTINGS_SECTION), dict):
            options = options[SETTINGS_SECTION]
    folders = [folder.uri for folder in params.workspace_folders or ()] or [params.root_uri]
    ls.settings.editor_base = next(filter(None, (path_of(uri) for uri in folders if uri)), None)
    ls.settings.set_editor_settings(options)
    watch_editor_process(params.process_id)
    # The rules load in the analysis thread while the editor reads this answer and opens a file.
    ls.analysis_thread.submit(rule_set_for, ls.settings.editor)
    # pygls has just built its workspace; ours only changes what a line is and skips disk reads.
    ls.workspace.__class__ = LspWorkspace


@server.feature(types.INITIALIZED)
async def on_initialized(ls: AsyncPatternsServer, params: types.InitializedParams) -> None:
    ls.describe_start()
    from async_patterns.lsp.projects import register_file_watcher

    await register_file_watcher(ls)


@server.feature(types.SHUTDOWN)
def on_shutdown(ls: AsyncPatternsServer, params: None) -> None:
    # pygls then cancels our requests the client has not answered (a progress bar, a file watcher)
    # while iterating over them, and each cancelled one removes itself: cancel them first.
    for message_id, future in list(ls.protocol._request_futures.items()):
        if message_id != ls.protocol.msg_id:
            future.cancel()


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def on_did_open(ls: AsyncPatternsServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule_analysis(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def on_did_change(ls: AsyncPatternsServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule_analysis(params.text_document.uri)
    if ls.projects is not None:
        ls.projects.edited(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def on_did_close(ls: AsyncPatternsServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.forget(params.text_document.uri)


@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def on_did_change_configuration(ls: AsyncPatternsServer, params: types.DidChangeConfigurationParams) -> None:
    settings = params.settings
    if isinstance(settings, dict) and SETTINGS_SECTION in settings:
        settings = settings[SETTINGS_SECTION]
    elif not settings:
        # A client on the pull model sends an empty notification: ask for the section.
        try:
            pulled = await ls.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SETTINGS_SECTION)])
            )
        except Exception as error:  # the client may not support workspace/configuration
            logger.info("workspace/configuration failed: %s", error)
            return
        settings = pulled[0] if pulled else None
    ls.settings.set_editor_settings(settings)
    ls.log_info(f"editor settings changed: {ls.settings.editor.describe()}")
    ls.reanalyse_all()


def serve_stdio(max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, start_up_note: str | None = None) -> int:
    """Serve until `exit` or the end of stdin; the exit status LSP asks for (1 without `shutdown`).

    `start_up_note` says how the protocol types were loaded, for the start-up line of the log."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # pygls logs every message it sends at INFO: too much for a server that answers every keystroke.
    logging.getLogger("pygls").setLevel(logging.WARNING)
    for name in ("pygls.server", "pygls.protocol.json_rpc"):
        logging.getLogger(name).addFilter(DecodingTracebacks())
    server.safeguards.max_file_bytes = max_file_bytes
    collect_less_often()
    if start_up_note:
        server.start_up_note = start_up_note
    server.start_io()
    # pygls computes this status on `exit` but swallows the SystemExit that carries it.
    return 0 if server.protocol._shutdown else 1


# Each LSP feature beyond document sync lives in its own module and decorates handlers on `server`.
_FEATURE_MODULES: tuple[str, ...] = ("code_actions", "completion", "hover", "notebooks", "projects", "stalls")
for _module in _FEATURE_MODULES:
    importlib.import_module(f"async_patterns.lsp.{_module}")
