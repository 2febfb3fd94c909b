"""pygls handlers: each adapts LSP types to the analysis and back, nothing more."""

from __future__ import annotations

import asyncio
import importlib
import logging
from concurrent.futures import ThreadPoolExecutor

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from async_patterns import __version__
from async_patterns.analysis import AnalysisResult, Settings, analyze
from async_patterns.analysis.positions import LineIndex
from async_patterns.lsp.convert import to_diagnostic
from async_patterns.lsp.documents import PublishedFindings, SettingsResolver

logger = logging.getLogger(__name__)
SETTINGS_SECTION = "asyncPatterns"


class AsyncPatternsServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("async-patterns", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.settings = SettingsResolver(report=self.log_warning)
        self.published: dict[str, PublishedFindings] = {}
        self.pending: dict[str, asyncio.Task] = {}
        # One analysis thread: runs for one document are serialised and stale ones are dropped.
        self.analysis_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="analysis")

    def log_warning(self, message: str) -> None:
        logger.warning(message)
        self.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))

    def is_open(self, uri: str) -> bool:
        return uri in self.workspace.text_documents

    def schedule_analysis(self, uri: str) -> None:
        """Analyse the newest text of a document; a run for an older version is cancelled."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.get_running_loop().create_task(self._analyse_and_publish(uri))

    async def _analyse_and_publish(self, uri: str) -> None:
        await asyncio.sleep(0)  # let changes that are already queued arrive first
        if not self.is_open(uri):
            return
        document = self.workspace.get_text_document(uri)
        version, source = document.version, document.source
        settings = self.settings.for_document(uri)
        loop = asyncio.get_running_loop()
        result, index = await loop.run_in_executor(self.analysis_thread, _analyse, source, settings)
        if not self.is_open(uri) or self.workspace.get_text_document(uri).version != version:
            return
        if result.error is None:
            findings = result.findings
            self.published[uri] = PublishedFindings(findings, index)
        else:
            previous = self.published.get(uri)
            findings = previous.still_valid_in(index) if previous else []
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=[to_diagnostic(finding, index) for finding in findings]
            )
        )
        if self.pending.get(uri) is asyncio.current_task():
            del self.pending[uri]

    def forget(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.published.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def reanalyse_all(self) -> None:
        for uri in list(self.workspace.text_documents):
            self.schedule_analysis(uri)


def _analyse(source: str, settings: Settings) -> tuple[AnalysisResult, LineIndex]:
    return analyze(source, settings), LineIndex.of(source)


server = AsyncPatternsServer()


@server.feature(types.INITIALIZE)
def on_initialize(ls: AsyncPatternsServer, params: types.InitializeParams) -> None:
    options = params.initialization_options
    if isinstance(options, dict) and isinstance(options.get(SETTINGS_SECTION), dict):
        options = options[SETTINGS_SECTION]
    ls.settings.set_editor_settings(options)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def on_did_open(ls: AsyncPatternsServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.schedule_analysis(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def on_did_change(ls: AsyncPatternsServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule_analysis(params.text_document.uri)


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
    ls.reanalyse_all()


def serve_stdio() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # pygls logs every message it sends at INFO: too much for a server that answers every keystroke.
    logging.getLogger("pygls").setLevel(logging.WARNING)
    server.start_io()


# Each LSP feature beyond document sync lives in its own module and decorates handlers on `server`.
_FEATURE_MODULES: tuple[str, ...] = ()
for _module in _FEATURE_MODULES:
    importlib.import_module(f"async_patterns.lsp.{_module}")
