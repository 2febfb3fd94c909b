"""The project index in the server: each open document's project (the folder with pyproject.toml
or .git above it, else its workspace folder) is indexed so that the analysis sees across modules.

- A document is analysed at once with what the index holds then (its own module at least): the
  first diagnostics never wait for the workspace to be indexed. The project's modules are found on
  disk in a background thread, then their declarations (what names they define, of which types,
  which functions are coroutine functions) are computed in the analysis thread in small steps
  (shown as `window/workDoneProgress`), and open documents of that project are analysed again.
  What a function does when called (its summary) is worked out for the modules an analysis
  reaches, when it first reaches them: most functions are never called from async code.
- Open documents win over disk. An edited document's module is refreshed in the index once typing
  pauses; files changed on disk arrive through `workspace/didChangeWatchedFiles` (registered when
  the client can). Either way, open documents whose findings read that module are analysed again.
- The index is only touched in the analysis thread (it is not thread-safe); this module only
  decides what to feed it and when.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from lsprotocol import types

from async_patterns.analysis.project.index import ProjectIndex
from async_patterns.analysis.project.layout import is_package, module_name, project_root
from async_patterns.analysis.project.view import ProjectView
from async_patterns.analysis.settings import Settings
from async_patterns.files import modules_under, read_source
from async_patterns.lsp.documents import path_of
from async_patterns.lsp.server import AsyncPatternsServer, server

logger = logging.getLogger(__name__)
# How long typing must pause before an edited module's facts are refreshed for other modules.
REFRESH_AFTER_SECONDS = 0.5
_MODULES_PER_STEP = 20
_WATCHER_ID = "async-patterns-python-files"


@dataclass
class _Project:
    root: Path
    index: ProjectIndex
    discovered: bool = False
    # uri -> (module, view): the view is kept so that the document's analysis sees one project.
    views: dict[str, tuple[str, ProjectView]] = field(default_factory=dict)


class WorkspaceProjects:
    def __init__(self, ls: AsyncPatternsServer) -> None:
        self.ls = ls
        self.projects: dict[Path, _Project] = {}
        self.refreshes: dict[str, asyncio.TimerHandle] = {}
        # Open documents whose text may differ from the file's: closing one changes its module.
        self.edited_uris: set[str] = set()
        self._progress_tokens = 0

    # -- texts ------------------------------------------------------------------------------------

    def _loader(self, path: Path) -> Callable[[], str | None]:
        uri = path.as_uri()
        documents = self.ls.workspace.text_documents

        def load() -> str | None:
            document = documents.get(uri)
            if document is not None:
                return document.source
            try:
                return read_source(path.read_bytes())
            except (OSError, ValueError):
                return None

        return load

    # -- documents --------------------------------------------------------------------------------

    def view_for(self, uri: str, settings: Settings) -> ProjectView | None:
        """The document's view of its project; the project is set up (and found on disk in the
        background) on first use. Called on the event loop; the view is used in the analysis thread."""
        known = self._project_with(uri)
        if known is not None and known.index.settings.fingerprint() == settings.fingerprint():
            return known.views[uri][1]  # on every keystroke: no look at the disk
        path = path_of(uri)
        if path is None or path.suffix != ".py":
            return None
        root = project_root(path, self._workspace_folder_of(path)) or path.parent
        project = self.projects.get(root)
        if project is None or project.index.settings.fingerprint() != settings.fingerprint():
            project = self.projects[root] = _Project(root, ProjectIndex(settings))
            self._discover(project)
        known = project.views.get(uri)
        if known is not None:
            return known[1]
        name = module_name(path, root) or path.stem
        view = ProjectView(project.index, name, is_package(path))
        project.views[uri] = (name, view)
        loader = self._loader(path)
        self.ls.analysis_thread.submit(project.index.set_module, name, str(path), is_package(path), loader)
        return view

    def _workspace_folder_of(self, path: Path) -> Path | None:
        for uri in self.ls._workspace_folder_uris():
            folder = path_of(uri)
            if folder is not None and (folder == path or folder in path.parents):
                return folder
        return None

    def edited(self, uri: str) -> None:
        """The document changed: refresh its module for the others once typing pauses."""
        self.edited_uris.add(uri)
        previous = self.refreshes.pop(uri, None)
        if previous is not None:
            previous.cancel()
        loop = asyncio.get_running_loop()
        self.refreshes[uri] = loop.call_later(REFRESH_AFTER_SECONDS, self._refresh_document, uri)

    def _refresh_document(self, uri: str) -> None:
        self.refreshes.pop(uri, None)
        path = path_of(uri)
        project = self._project_with(uri)
        if path is None or project is None or uri not in project.views:
            return
        name = project.views[uri][0]
        self._changed(project, name, path, removed=False)

    def closed(self, uri: str) -> None:
        """The document closed: its module is what is on disk again; its view is dropped."""
        timer = self.refreshes.pop(uri, None)
        if timer is not None:
            timer.cancel()
        project = self._project_with(uri)
        path = path_of(uri)
        if project is None or path is None:
            return
        name, _ = project.views.pop(uri)
        if uri in self.edited_uris:
            self.edited_uris.discard(uri)
            self._changed(project, name, path, removed=not path.exists())

    def _project_with(self, uri: str) -> _Project | None:
        return next((project for project in self.projects.values() if uri in project.views), None)

    # -- files on disk ----------------------------------------------------------------------------

    def files_changed(self, changes: list[types.FileEvent]) -> None:
        for change in changes:
            path = path_of(change.uri)
            if path is None or path.suffix != ".py" or self.ls.is_open(change.uri):
                continue
            for project in self.projects.values():
                name = module_name(path, project.root)
                if name is not None and project.discovered:
                    self._changed(project, name, path, removed=change.type == types.FileChangeType.Deleted)

    def _changed(self, project: _Project, name: str, path: Path, removed: bool) -> None:
        index = project.index
        if removed:
            self.ls.analysis_thread.submit(index.remove_module, name)
        else:
            self.ls.analysis_thread.submit(index.set_module, name, str(path), is_package(path), self._loader(path))
        self._reanalyse_readers(project, name)

    def _reanalyse_readers(self, project: _Project, changed: str | None) -> None:
        """Analyse again the open documents of the project whose findings read `changed` (all of
        them when None); the others are analysed afresh on their next change."""
        for uri, (name, view) in list(project.views.items()):
            if changed is None or name == changed or changed in view.consulted:
                if self.ls.is_open(uri):
                    self.ls.schedule_analysis(uri)

    # -- indexing in the background ---------------------------------------------------------------

    def _discover(self, project: _Project) -> None:
        loop = asyncio.get_running_loop()

        def walk() -> None:
            try:
                modules = modules_under(project.root)
            except OSError as error:
                logger.info("could not list the modules of %s: %s", project.root, error)
                return
            loop.call_soon_threadsafe(self._discovered, project, modules)

        threading.Thread(target=walk, name="project-discovery", daemon=True).start()

    def _discovered(self, project: _Project, modules: dict[str, tuple[str, bool]]) -> None:
        if self.projects.get(project.root) is not project:
            return  # replaced meanwhile (settings changed)
        open_modules = {name for name, _ in project.views.values()}
        index = project.index

        def install() -> None:
            for name, (module_path, package) in modules.items():
                if name not in open_modules:
                    index.set_module(name, module_path, package, self._loader(Path(module_path)))

        self.ls.analysis_thread.submit(install)
        project.discovered = True
        self.ls.log_info(f"project {project.root}: {len(modules)} modules")
        self._reanalyse_readers(project, None)
        asyncio.get_running_loop().create_task(self._index_in_steps(project, sorted(modules)))

    async def _index_in_steps(self, project: _Project, names: list[str]) -> None:
        """Compute every module's declarations ahead of need, a few modules per step of the analysis
        thread, so that keystrokes in between are analysed without waiting for the whole project."""
        token = await self._begin_progress(f"Indexing {project.root.name}")
        loop = asyncio.get_running_loop()
        index = project.index

        def step(batch: list[str]) -> None:
            for name in batch:
                index.declarations(name)

        for start in range(0, len(names), _MODULES_PER_STEP):
            if self.projects.get(project.root) is not project:
                break
            await loop.run_in_executor(self.ls.analysis_thread, step, names[start : start + _MODULES_PER_STEP])
            done = min(len(names), start + _MODULES_PER_STEP)
            if token is not None:
                report = types.WorkDoneProgressReport(message=f"{done}/{len(names)} modules", percentage=done * 100 // len(names))
                self.ls.work_done_progress.report(token, report)
        if token is not None:
            self.ls.work_done_progress.end(token, types.WorkDoneProgressEnd(message=f"{len(names)} modules"))
        self._reanalyse_readers(project, None)

    async def _begin_progress(self, title: str) -> str | None:
        capabilities = self.ls.client_capabilities.window
        if capabilities is None or not capabilities.work_done_progress:
            return None
        self._progress_tokens += 1
        token = f"async-patterns-index-{self._progress_tokens}"
        try:
            await self.ls.work_done_progress.create_async(token)
        except Exception as error:  # the client refused: index without showing it
            logger.info("work done progress refused: %s", error)
            return None
        self.ls.work_done_progress.begin(token, types.WorkDoneProgressBegin(title=title, percentage=0, cancellable=False))
        return token


projects = server.projects = WorkspaceProjects(server)


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def on_did_change_watched_files(ls: AsyncPatternsServer, params: types.DidChangeWatchedFilesParams) -> None:
    projects.files_changed(list(params.changes))


async def register_file_watcher(ls: AsyncPatternsServer) -> None:
    """Ask the client to tell us about Python files changed on disk (when it can register watchers)."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if watched is None or not watched.dynamic_registration:
        return
    registration = types.Registration(
        id=_WATCHER_ID,
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern="**/*.py")]
        ),
    )
    try:
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[registration]))
    except Exception as error:
        logger.info("could not register the file watcher: %s", error)
