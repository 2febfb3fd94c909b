"""Hover Markdown for the blocking third-party APIs of the library catalogue (analysis/libraries/).

Hovering a catalogued call (`client.chat.completions.create`, `session.commit`, `Image.open`), a
catalogued constructor or class (`openai.OpenAI`, `redis.Redis`), or a module-level object
(`openai.chat.completions.create`) says what it waits for and what to use instead. Names arrive as
the symbol resolver spells them: a qualified name, or a receiver type and a member
("openai.resource.create").
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Iterable, Iterator

from async_patterns.analysis import catalogue
from async_patterns.analysis.libraries import BlockingEntry, Catalogue, Library, TypeEntry, builtin_catalogue



def library_hover_markdown(qualified_name: str, extra: Iterable[Library] = ()) -> str | None:
    """Markdown for a name the catalogue knows; None for any other name."""
    libraries = Catalogue(builtin_catalogue().libraries + tuple(extra))
    name = qualified_name.strip()
    calls = list(_entries_for_call(libraries, name))
    if calls:
        return _render_calls(libraries, name, calls)
    receiver, _, member = name.rpartition(".")
    receiver = _receiver_type(receiver) or receiver
    members = list(_entries_for_member(libraries, receiver, member))
    if members:
        return _render_calls(libraries, f"{_class_name(libraries, receiver)}.{member}", members)
    made = _type_made_by(libraries, name)
    return _render_type(libraries, name, made) if made is not None else None


def _receiver_type(written: str) -> str | None:
    """The type of a module-level object spelled out with attributes: `openai.chat.completions`."""
    parts = written.split(".")
    for split in range(len(parts), 0, -1):
        found = catalogue.VALUE_TYPES.get(".".join(parts[:split]))
        if found is None:
            continue
        for attribute in parts[split:]:
            found = catalogue.ATTRIBUTE_TYPES.get((found, attribute)) or catalogue.ATTRIBUTE_TYPES.get((found, "*"))
            if found is None:
                return None
        return found
    return None


def _entries_for_call(libraries: Catalogue, name: str) -> Iterator[BlockingEntry]:
    return (entry for entry in libraries.blocking() if name in entry.calls)


def _entries_for_member(libraries: Catalogue, receiver: str, member: str) -> Iterator[BlockingEntry]:
    for entry in libraries.blocking():
        if entry.receiver != receiver:
            continue
        if member in entry.properties:
            yield entry
        elif any(fnmatchcase(member, pattern) for pattern in entry.methods) and not any(
            fnmatchcase(member, pattern) for pattern in entry.except_methods
        ):
            yield entry


def _type_made_by(libraries: Catalogue, name: str) -> TypeEntry | None:
    for entry in libraries.types():
        if name in entry.annotations or any(made.call == name for made in entry.constructors):
            return entry
    return None


def _library(libraries: Catalogue, name: str) -> Library:
    found = libraries.library(name)
    assert found is not None, name  # every entry belongs to a library of the same catalogue
    return found


def _class_name(libraries: Catalogue, type_name: str) -> str:
    """The class behind a type, as users see it: `Session`, `SyncAPIResource`."""
    entry = next((entry for entry in libraries.types() if entry.name == type_name), None)
    return (entry.runtime_class if entry else type_name).rpartition(".")[2]


def _when(entry: BlockingEntry) -> str:
    parts = []
    if entry.when is not None:
        parts.append(f" when {entry.when.describe()}")
    if entry.unless is not None:
        parts.append(f" unless {entry.unless.describe()}")
    return "".join(parts)


def _render_calls(libraries: Catalogue, shown: str, entries: list[BlockingEntry]) -> str:
    """One section per library: a DB-API connection's method can be several drivers' at once."""
    by_library: dict[str, list[BlockingEntry]] = {}
    for entry in entries:
        by_library.setdefault(entry.library, []).append(entry)
    return "\n\n---\n\n".join(
        _render_library_calls(_library(libraries, name), shown, found) for name, found in by_library.items()
    )


def _render_library_calls(library: Library, shown: str, entries: list[BlockingEntry]) -> str:
    lines = [f"### `{shown}` · {library.name}", ""]
    for entry in entries:
        lines.append(f"⚠️ **Blocks the event loop**{_when(entry)}: it {entry.doing.rstrip(',')} ({entry.code} inside `async def`).")
        lines.append("")
    alternative = entries[0].alternative or library.alternative
    thread = "" if "to_thread" in alternative or not all(entry.fix for entry in entries) else (
        " or run it with `await asyncio.to_thread(...)`"
    )
    lines += [f"**Instead:** use {alternative}{thread}.", "", library.about]
    return "\n".join(lines)


def _render_type(libraries: Catalogue, name: str, made: TypeEntry) -> str:
    library = _library(libraries, _owner(libraries, made))
    blocking = [entry for entry in library.blocking if entry.receiver == made.name and entry.methods]
    constructor = [entry for entry in library.blocking if name in entry.calls]
    lines = [f"### `{name}` · {library.name}", "", library.about, ""]
    for entry in constructor:
        lines.append(f"⚠️ **Calling it blocks**{_when(entry)}: it {entry.doing.rstrip(',')}.")
    if not constructor and any(made.call == name for made in made.constructors):
        lines.append("Making one does no I/O; its methods do.")
    for entry in blocking:
        methods = ", ".join(f"`{method}`" for method in entry.methods)
        exceptions = f" (not {', '.join(f'`{method}`' for method in entry.except_methods)})" if entry.except_methods else ""
        lines.append(f"- {methods}{exceptions}{_when(entry)}: {entry.doing.rstrip(',')}")
    lines += ["", f"**Instead:** use {library.alternative}."]
    return "\n".join(lines)


def _owner(libraries: Catalogue, made: TypeEntry) -> str:
    return next(library.name for library in libraries.libraries if made in library.types)
