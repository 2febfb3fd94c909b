"""Hover Markdown for an API name: what it does, the pattern, the pitfalls, the version it needs."""

from __future__ import annotations

import textwrap
from functools import cache

from .aiohttp_entries import AIOHTTP_ENTRIES
from .asyncio_entries import ASYNCIO_ENTRIES
from .asyncio_loop_entries import ASYNCIO_LOOP_ENTRIES
from .asyncio_member_entries import ASYNCIO_MEMBER_ENTRIES
from .model import ApiEntry, Version
from .links import document_link
from .names import canonical_name
from .reference import document_title, section_heading
from .signatures import (
    added_in,
    deprecated_in,
    parameter_notes,
    removed_in,
    short,
    signature_text,
    since_text,
    user_python,
    version_changes,
)


@cache
def _entries() -> dict[str, ApiEntry]:
    catalogue: dict[str, ApiEntry] = {}
    for entry in (*ASYNCIO_ENTRIES, *ASYNCIO_MEMBER_ENTRIES, *ASYNCIO_LOOP_ENTRIES, *AIOHTTP_ENTRIES):
        if entry.name in catalogue:
            raise ValueError(f"two hover entries are filed under {entry.name}")
        catalogue[entry.name] = entry
    return catalogue


def known_names() -> frozenset[str]:
    """Every name that has a hover entry, in its public spelling."""
    return frozenset(_entries())


def entry_count() -> int:
    return len(_entries())


def find_entry(qualified_name: str) -> ApiEntry | None:
    """The entry documenting a name, accepting defining-module spellings and subclass members."""
    entries = _entries()
    name = canonical_name(qualified_name, entries)
    return entries[name] if name is not None else None


def hover_markdown(
    qualified_name: str,
    *,
    requires_python: Version | None = None,
    python: Version | None = None,
    open_command: str | None = None,
    brief: bool = False,
) -> str | None:
    """Markdown for hovering `qualified_name`; None when there is no entry for it.

    `requires_python` is the workspace's lowest supported (major, minor) and `python` the one
    running the server (default: this interpreter); the signature and the version warnings are
    for the older of the two. `open_command` is the editor command that opens a bundled document
    (links are `file:` URIs without it). `brief` leaves out the pitfalls, the pattern and the
    version history, for a hover that a rule's explanation of the same call already fills.
    """
    entry = find_entry(qualified_name)
    if entry is None:
        # Names of the blocking-library catalogue (analysis/libraries/) have hovers of their own.
        from .library_hovers import library_hover_markdown

        return library_hover_markdown(qualified_name)
    return _render(entry, user_python(requires_python, python), requires_python is not None, open_command, brief)


@cache
def _render(entry: ApiEntry, python: Version, from_requires_python: bool, open_command: str | None, brief: bool) -> str:
    """What fits without scrolling comes first: the signature, what it does, the main pitfall.
    The pattern, the other pitfalls and the versions follow below a rule."""
    is_python = entry.name.startswith("asyncio.")
    notes = parameter_notes(entry, python)
    top = [
        f"### {entry.name}",
        _fence(signature_text(entry, python)),
        *([" · ".join(notes)] if notes else []),
        *_warnings(entry, python, from_requires_python),
        _prose(entry.summary),
    ]
    reference = _reference_link(entry, open_command)
    if brief:
        return "\n\n".join([*top, reference])
    top.append(f"**Pitfall:** {_prose(entry.pitfalls[0])}")
    rest = ["#### Pattern\n\n" + _fence(textwrap.dedent(entry.pattern).strip())]
    if entry.pitfalls[1:]:
        rest.append("#### More pitfalls\n\n" + "\n".join(f"- {_prose(pitfall)}" for pitfall in entry.pitfalls[1:]))
    library = "Python" if is_python else "aiohttp"
    versions = [f"**{since_text(entry)}**"] if since_text(entry) else []
    for version, change in version_changes(entry):
        caution = " (newer than your Python)" if is_python and python < version else ""
        versions.append(f"- Changed in {library} {short(version)}{caution}: {_prose(change)}")
    if versions:
        rest.append("\n".join(versions))
    rest.append(reference)
    return "\n\n".join([*top, "---", *rest])


def _warnings(entry: ApiEntry, python: Version, from_requires_python: bool) -> list[str]:
    warnings = []
    deprecated, removed = deprecated_in(entry), removed_in(entry)
    if deprecated is not None:
        removal = f", removed in Python {short(removed)}" if removed else ""
        warnings.append(f"⚠️ **Deprecated since Python {short(deprecated)}**{removal}: {entry.deprecation}")
    elif removed is not None:
        warnings.append(f"⚠️ **Removed in Python {short(removed)}**")
    added = added_in(entry)
    if entry.name.startswith("asyncio.") and added is not None and python < added:
        whose = "this project's `requires-python` allows" if from_requires_python else "this server runs on"
        warnings.append(
            f"⚠️ **Needs Python {short(added)}**, but {whose} Python {short(python)}: guard the call with "
            f"`sys.version_info >= {added[:2]}` or raise the minimum."
        )
    return warnings


def _reference_link(entry: ApiEntry, open_command: str | None) -> str:
    title = document_title(entry.document) or entry.document
    heading = section_heading(entry.document, entry.anchor) or entry.anchor
    link = document_link(entry.document, entry.anchor, open_command)
    return f"**Reference:** [{title} › {heading}]({link})"


def _fence(code: str) -> str:
    return f"```python\n{code}\n```"


def _prose(value: str) -> str:
    """Hand-written text wraps at the source's line length; the hover reflows it."""
    return " ".join(value.split())
