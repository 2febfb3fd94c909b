"""The language server: thin pygls handlers that turn LSP requests into analysis calls and back."""
