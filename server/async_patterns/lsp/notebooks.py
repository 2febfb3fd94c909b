"""notebookDocument/* (LSP 3.17): the Python cells of Jupyter notebooks, analysed as one module.

pygls updates its workspace (see `LspWorkspace` for the cases it got wrong) before these handlers
run; they only schedule the analysis or drop what was kept (`notebook_documents`). Hover, code
actions and completions in a cell go through the usual handlers, since cells are text documents.
"""

from __future__ import annotations

from lsprotocol import types

from async_patterns.lsp.server import AsyncPatternsServer, server


@server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
def on_notebook_did_open(ls: AsyncPatternsServer, params: types.DidOpenNotebookDocumentParams) -> None:
    ls.notebooks.schedule(ls, params.notebook_document.uri)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
def on_notebook_did_change(ls: AsyncPatternsServer, params: types.DidChangeNotebookDocumentParams) -> None:
    # Cells' text, and cells added, removed or moved (their order is the module's order) change
    # what is analysed. The notebook's metadata and the cells' data (metadata, execution
    # summaries: sent after every run of a cell) do not; a cell that becomes Markdown or changes
    # its language is replaced by a new cell in a structure change.
    cells = params.change.cells
    if cells is None or (cells.structure is None and not cells.text_content):
        return
    if ls.workspace.get_notebook_document(notebook_uri=params.notebook_document.uri) is not None:
        ls.notebooks.schedule(ls, params.notebook_document.uri)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
def on_notebook_did_save(ls: AsyncPatternsServer, params: types.DidSaveNotebookDocumentParams) -> None:
    """Nothing to do: the analysis follows every change. Accepted quietly from clients that send it
    although the server does not ask for saves (pygls would log each one as unknown)."""


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
def on_notebook_did_close(ls: AsyncPatternsServer, params: types.DidCloseNotebookDocumentParams) -> None:
    ls.notebooks.forget(ls, params.notebook_document.uri)
