"""The shape of one hover entry. The entries themselves are hand-written in the *_entries modules."""

from __future__ import annotations

from dataclasses import dataclass

Version = tuple[int, int]


@dataclass(frozen=True)
class ApiEntry:
    """What a senior engineer would say about one API, in the order the hover shows it.

    `reference` is "document.md#anchor": the anchor is the GitHub-style slug of a `##` heading in
    that reference document (a test keeps every pointer valid).
    `since` is the first Python with the API (standard library); `library_since` names the first
    release of a third-party library with it ("aiohttp 3.3"). An entry has exactly one of them.
    `signature` is written by hand and only shown when the running Python cannot produce one
    (the name is newer than the running Python, or `inspect.signature` cannot see it).
    `deprecation` says what is deprecated (a whole API or one way of calling it) and what to use
    instead; `deprecated` and `removed` are the Python versions where that happens.
    `changes` lists behaviour that changed after `since`, as (version, what changed).
    """

    name: str
    reference: str
    summary: str
    pattern: str
    pitfalls: tuple[str, ...]
    since: Version | None = None
    library_since: str | None = None
    signature: str | None = None
    deprecated: Version | None = None
    removed: Version | None = None
    deprecation: str | None = None
    changes: tuple[tuple[Version, str], ...] = ()

    @property
    def document(self) -> str:
        return self.reference.partition("#")[0]

    @property
    def anchor(self) -> str:
        return self.reference.partition("#")[2]
