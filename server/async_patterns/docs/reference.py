"""The reference documents shipped in docs/reference/ and the `##` sections hover entries point to."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_SECTION_HEADING = re.compile(r"^## +(.+?) *$", re.MULTILINE)
_FENCED_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_NOT_IN_SLUG = re.compile(r"[^\w\- ]")


@cache
def _documents() -> dict[str, str]:
    folder = resources.files(__package__).joinpath("reference")
    return {
        item.name: item.read_text(encoding="utf-8")
        for item in sorted(folder.iterdir(), key=lambda item: item.name)
        if item.name.endswith(".md")
    }


def reference_documents() -> dict[str, str]:
    """File name -> Markdown text of every reference document."""
    return dict(_documents())


def slugify(heading: str) -> str:
    """The anchor GitHub (and VS Code's Markdown preview) gives a heading."""
    return _NOT_IN_SLUG.sub("", heading.strip().lower()).replace(" ", "-")


@cache
def _sections(document: str) -> dict[str, str]:
    # A "## " line inside a code block is not a section.
    text = _FENCED_BLOCK.sub("", _documents().get(document, ""))
    return {slugify(heading): heading for heading in _SECTION_HEADING.findall(text)}


def section_heading(document: str, anchor: str) -> str | None:
    """The heading text of `document`'s section whose anchor is `anchor`, if there is one."""
    return _sections(document).get(anchor)


def document_title(document: str) -> str | None:
    """The text of the document's `# ` title line."""
    match = re.search(r"^# +(.+?) *$", _documents().get(document, ""), re.MULTILINE)
    return match.group(1) if match else None
