"""The shape of one hover entry. The entries themselves are hand-written in the *_entries modules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

Version = tuple[int, int]


class Source(NamedTuple):
    """Where one sentence that no test runs comes from.

    `quote` is a piece of the sentence, enough to find it (the tests split an entry's text into
    sentences and require every sentence to be run by a check in tests/test_docs_claims_*.py or to
    contain the quote of a Source). `origin` is the specific place that says it: a source file and
    the function in it ("Lib/asyncio/tasks.py: Task.cancel", "aiohttp/client.py:
    ClientSession._request"), or a documentation page with the anchor of its section
    ("https://docs.python.org/3/library/asyncio-dev.html#debug-mode").
    """

    quote: str
    origin: str


@dataclass(frozen=True)
class ApiEntry:
    """What a senior engineer would say about one API, in the order the hover shows it.

    Facts about versions are not written here: when a name and each of its parameters appeared,
    changed, were deprecated or removed, and the signature itself, come from the probed releases
    (facts.py). What stays hand-written:
    `reference` is "document.md#anchor": the anchor is the GitHub-style slug of a `##` heading in
    that reference document (a test keeps every pointer valid).
    `signature` only for names whose facts have no parameters to show (properties, attributes).
    `deprecated` / `removed` only for what no probed release shows: a deprecation that is
    documented but raises no warning, or a removal announced for a release newer than those probed.
    `facts_source` says where a hand-written `deprecated` or `removed` comes from, and the facts
    of a name no probe can see (a Windows-only class).
    `deprecation` says what is deprecated (a whole API or one way of calling it) and what to use
    instead.
    `changes` lists behaviour that changed, as (version, what changed); parameter changes are
    computed, so they are not listed here.
    `sources` marks, sentence by sentence, the claims of `summary`, `pitfalls`, `changes` and
    `deprecation` that no test runs, each with where it comes from; every other sentence is run by
    a check (tests/test_docs_claims_*.py).
    """

    name: str
    reference: str
    summary: str
    pattern: str
    pitfalls: tuple[str, ...]
    signature: str | None = None
    deprecated: Version | None = None
    removed: Version | None = None
    facts_source: str | None = None
    deprecation: str | None = None
    changes: tuple[tuple[Version, str], ...] = ()
    sources: tuple[Source, ...] = ()

    @property
    def document(self) -> str:
        return self.reference.partition("#")[0]

    @property
    def anchor(self) -> str:
        return self.reference.partition("#")[2]

    @property
    def texts(self) -> tuple[str, ...]:
        """The hand-written prose whose sentences are claims: checked by a test or sourced."""
        return (self.summary, *self.pitfalls, *(text for _, text in self.changes), *filter(None, [self.deprecation]))
