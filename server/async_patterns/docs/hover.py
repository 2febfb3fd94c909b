"""Hover Markdown for an API name: what it does, the pattern, the pitfalls, the version it needs."""

from __future__ import annotations

import textwrap
from functools import cache

from .aiohttp_entries import AIOHTTP_ENTRIES
from .asyncio_entries import ASYNCIO_ENTRIES
from .asyncio_loop_entries import ASYNCIO_LOOP_ENTRIES
from .asyncio_member_entries import ASYNCIO_MEMBER_ENTRIES
from .model import ApiEntry, Version
from .names import canonical_name
from .reference import document_title, section_heading
from .signatures import runtime_signature


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


def signature_of(entry: ApiEntry) -> str:
    """The running Python's signature where it has the name, else the hand-written one."""
    return runtime_signature(entry.name) or entry.signature or entry.name


def hover_markdown(qualified_name: str, *, requires_python: Version | None = None) -> str | None:
    """Markdown for hovering `qualified_name`; None when there is no entry for it.

    `requires_python` is the workspace's lowest supported (major, minor); when the API needs a
    newer Python the hover says so, and marks later behaviour changes the workspace cannot rely on.
    """
    entry = find_entry(qualified_name)
    if entry is None:
        return None
    return _render(entry, requires_python)


@cache
def _render(entry: ApiEntry, requires_python: Version | None) -> str:
    blocks = [f"### {entry.name}", _fence(signature_of(entry))]
    warnings = []
    if entry.deprecated is not None:
        removal = f", removed in Python {_dotted(entry.removed)}" if entry.removed else ""
        warnings.append(f"⚠️ **Deprecated since Python {_dotted(entry.deprecated)}**{removal}: {entry.deprecation}")
    if entry.since is not None and requires_python is not None and requires_python < entry.since:
        warnings.append(
            f"⚠️ **Needs Python {_dotted(entry.since)}**, but this project's `requires-python` allows "
            f"Python {_dotted(requires_python)}: guard the call with `sys.version_info >= "
            f"{entry.since}` or raise the minimum."
        )
    blocks.extend(warnings)
    blocks.append(_prose(entry.summary))
    blocks.append("#### Pattern\n\n" + _fence(textwrap.dedent(entry.pattern).strip()))
    blocks.append("#### Pitfalls\n\n" + "\n".join(f"- {_prose(pitfall)}" for pitfall in entry.pitfalls))
    blocks.append(f"**Since Python {_dotted(entry.since)}**" if entry.since else f"**Since {entry.library_since}**")
    changes = []
    for version, change in entry.changes:
        newer = requires_python is not None and requires_python < version
        caution = " (newer than this project's minimum)" if newer else ""
        changes.append(f"- Changed in Python {_dotted(version)}{caution}: {_prose(change)}")
    if changes:
        blocks.append("\n".join(changes))
    blocks.append(_reference_line(entry))
    return "\n\n".join(blocks)


def _reference_line(entry: ApiEntry) -> str:
    title = document_title(entry.document) or entry.document
    heading = section_heading(entry.document, entry.anchor) or entry.anchor
    return f"**Reference:** {title} › {heading} (`{entry.reference}`)"


def _fence(code: str) -> str:
    return f"```python\n{code}\n```"


def _prose(value: str) -> str:
    """Hand-written text wraps at the source's line length; the hover reflows it."""
    return " ".join(value.split())


def _dotted(version: Version) -> str:
    return ".".join(str(part) for part in version)
