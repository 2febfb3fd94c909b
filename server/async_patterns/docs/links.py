"""Links from hovers and diagnostics to the documents that ship inside the package.

Every editor gets a `file:` URI with the heading's anchor. VS Code's extension registers a command
that opens the bundled document in the Markdown preview at the heading, and says so when it
starts the server (`openDocumentCommand`); its hovers then link through that command, with the
heading's line, because a `file:` link would open the Markdown source instead.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from .reference import slugify

RULES_DOCUMENT = "rules.md"


def document_path(document: str) -> Path:
    """Where a bundled document is on disk: a reference document, or rules.md."""
    package = resources.files(__package__)
    target = package.joinpath(document) if document == RULES_DOCUMENT else package.joinpath("reference", document)
    return Path(str(target))


@cache
def heading_line(document: str, anchor: str) -> int | None:
    """The 0-based line of the `#`-heading whose anchor is `anchor`, outside code blocks."""
    inside_code = False
    for number, line in enumerate(document_path(document).read_text(encoding="utf-8").splitlines()):
        if line.startswith("```"):
            inside_code = not inside_code
            continue
        heading = re.match(r"^#{1,6} +(.+?) *$", line)
        if heading and not inside_code and slugify(heading.group(1)) == anchor:
            return number
    return None


def document_link(document: str, anchor: str, command: str | None = None) -> str:
    """A link that opens `document` at the heading `anchor`, through `command` when given."""
    path = document_path(document)
    if command:
        arguments = [{"path": str(path), "line": heading_line(document, anchor) or 0}]
        return f"command:{command}?{quote(json.dumps(arguments))}"
    return f"{path.as_uri()}#{anchor}" if anchor else path.as_uri()
