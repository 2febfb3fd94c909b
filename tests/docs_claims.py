"""Claims as tests: the mechanism shared by tests/test_docs_claims*.py.

Every sentence of a hover entry's prose (summary, pitfalls, changes, deprecation) and of a
reference document's prose (paragraphs and list items; code blocks are run by
test_docs_examples.py) is a claim. A claim that code can show is run by a check: a test decorated
with `claim(where, quote)`, where `where` is the entry's name or the document's file name (or a
tuple of them, for a sentence several entries share) and `quote` a piece of the one sentence it
checks. A claim no test can run (advice, design guidance, behaviour of another platform) is
marked where it is written: in its entry by a `Source(quote, origin)`, in a document by an
`<!-- source: origin -->` comment right after the sentence. test_docs_claims.py fails on any
sentence that is neither, and on any quote that no longer finds its sentence.

Run as a script (`python tests/docs_claims.py`) it prints how many sentences are checked and
sourced.
"""

from __future__ import annotations

import asyncio
import importlib
import re
import sys
from collections.abc import Callable, Iterator
from functools import cache
from dataclasses import dataclass
from pathlib import Path

import pytest

from async_patterns.docs import reference_documents
from async_patterns.docs.hover import _entries

TESTS = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Claim:
    where: tuple[str, ...]
    quote: str
    test: str


CLAIMS: list[Claim] = []


def claim(where: str | tuple[str, ...], quote: str) -> Callable:
    """Mark a test as the check of the sentence quoting `quote` in each entry/document of `where`."""
    places = (where,) if isinstance(where, str) else tuple(where)

    def decorate(test: Callable) -> Callable:
        CLAIMS.append(Claim(places, quote, f"{test.__module__}::{test.__name__}"))
        return test

    return decorate


def pythons(first: tuple[int, int], last: tuple[int, int] | None = None) -> pytest.MarkDecorator:
    """The Pythons a claim is about: the test is skipped outside them."""
    running = sys.version_info[:2]
    outside = running < first or (last is not None and running > last)
    span = f"{first[0]}.{first[1]}" + (f"-{last[0]}.{last[1]}" if last else "+")
    return pytest.mark.skipif(outside, reason=f"the claim is about Python {span}")


def run(coroutine_function: Callable) -> object:
    return asyncio.run(coroutine_function())


def all_claims() -> list[Claim]:
    """The claims of every test module that checks some (importing them registers them): the
    tests/test_docs_claims_*.py files, and tests of our own features that a document describes."""
    for path in sorted(TESTS.glob("test_*.py")):
        if path.name.startswith("test_docs_claims_") or "from docs_claims import claim" in path.read_text(encoding="utf-8"):
            importlib.import_module(path.stem)
    return list(CLAIMS)


# --- sentences ------------------------------------------------------------------------------------

# A sentence ends at . ! or ? (perhaps closed by a quote or parenthesis) before a capital, a code
# span, a quote or a parenthesis; "e.g." and "i.e." end nothing.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"')]))(?<!\be\.g\.)(?<!\bi\.e\.)\s+(?=[A-Z`\"(*_\[])")
# `<!-- source: ORIGIN -->` after a sentence sources it; `<!-- not a claim -->` exempts a sentence
# that only points elsewhere (it holds a link), leads into the list or example after it (it ends
# with a colon), or introduces the document (its first paragraph).
_MARK = re.compile(r"<!--\s*(?:source:\s*(?P<origin>.*?)|(?P<exempt>not a claim))\s*-->")
_FENCE = re.compile(r"^```.*?^```[^\n]*$", re.MULTILINE | re.DOTALL)
_LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+\.)\s+")
_LABEL = re.compile(r"^(?:\S+ ){0,2}\S+:$")  # "Notes:", "Rules of thumb:" introduce what follows


def split_sentences(text: str) -> list[str]:
    text = " ".join(text.split())
    return [sentence for sentence in _SENTENCE_END.split(text) if sentence]


@dataclass(frozen=True)
class Sentence:
    where: str
    text: str
    sources: tuple[str, ...] = ()  # a document's `<!-- source: ... -->` marks right after it
    exempt: bool = False  # a document's `<!-- not a claim -->` mark right after it


def entry_sentences(name: str) -> list[Sentence]:
    entry = _entries()[name]
    return [Sentence(name, sentence) for text in entry.texts for sentence in split_sentences(text)]


def document_sentences(document: str) -> list[Sentence]:
    """The prose of a reference document, sentence by sentence, with the marks of each."""
    sentences = []
    for number, unit in enumerate(_prose_units(reference_documents()[document])):
        marks: list[tuple[int, re.Match]] = []
        plain = ""
        position = 0
        for match in _MARK.finditer(unit):
            plain += unit[position:match.start()]
            marks.append((len(plain), match))
            position = match.end()
        plain += unit[position:]
        if _LABEL.match(" ".join(plain.split())):
            continue
        start = 0
        for boundary in [*_SENTENCE_END.finditer(plain), None]:
            end, after = (boundary.start(), boundary.end()) if boundary else (len(plain), len(plain))
            text = " ".join(plain[start:end].split())
            mine = [mark for offset, mark in marks if end <= offset <= after]
            if any(start < offset < end for offset, _ in marks):
                raise ValueError(f"{document}: a mark inside a sentence, not after it: {text!r}")
            exempt = any(mark["exempt"] for mark in mine)
            if exempt and number > 0 and "](" not in text and not text.endswith(":"):
                raise ValueError(f"{document}: only links, lead-ins and the introduction are not claims: {text!r}")
            sources = tuple(mark["origin"] for mark in mine if mark["origin"])
            sentences.append(Sentence(document, text, sources, exempt))
            start = after
    return sentences


def _prose_units(markdown: str) -> Iterator[str]:
    """Paragraphs and list items outside code blocks and headings."""
    for block in re.split(r"\n\s*\n", _FENCE.sub("\n\n", markdown)):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#")]
        item: list[str] = []
        for line in lines:
            if _LIST_ITEM.match(line) and item:
                yield " ".join(item)
                item = []
            item.append(_LIST_ITEM.sub("", line) if _LIST_ITEM.match(line) else line.strip())
        if item:
            yield " ".join(item)


def all_sentences() -> list[Sentence]:
    return [
        *(sentence for name in sorted(_entries()) for sentence in entry_sentences(name)),
        *(sentence for document in sorted(reference_documents()) for sentence in document_sentences(document)),
    ]


def entry_source_quotes(name: str) -> list[str]:
    return [source.quote for source in _entries()[name].sources]


@cache
def coverage() -> dict[str, list[Sentence]]:
    """Every sentence filed as checked (a claim quotes it), sourced, or neither."""
    quotes: dict[str, list[str]] = {}
    for found in all_claims():
        for where in found.where:
            quotes.setdefault(where, []).append(" ".join(found.quote.split()))
    filed: dict[str, list[Sentence]] = {"checked": [], "sourced": [], "not a claim": [], "neither": []}
    for sentence in all_sentences():
        if any(quote in sentence.text for quote in quotes.get(sentence.where, ())):
            filed["checked"].append(sentence)
        elif sentence.exempt:
            filed["not a claim"].append(sentence)
        elif sentence.sources or (
            sentence.where in _entries()
            and any(" ".join(quote.split()) in sentence.text for quote in entry_source_quotes(sentence.where))
        ):
            filed["sourced"].append(sentence)
        else:
            filed["neither"].append(sentence)
    return filed


def print_counts() -> None:
    filed = coverage()
    total = sum(len(sentences) for sentences in filed.values())
    for kind, sentences in filed.items():
        entries = sum(1 for sentence in sentences if not sentence.where.endswith(".md"))
        print(f"{kind:11} {len(sentences):5}  (entries {entries}, documents {len(sentences) - entries})")
    print(f"{'total':11} {total:5}")


if __name__ == "__main__":
    sys.path.insert(0, str(TESTS))
    importlib.import_module("docs_claims").print_counts()
