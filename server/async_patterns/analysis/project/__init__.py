"""Project index: what the project's modules say about each other — types across modules and the
functions that block the event loop when called (see `index`). Pure: it is fed module texts by
whoever uses it (lsp/, cli/) and never reads files or LSP types."""
