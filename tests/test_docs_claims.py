"""Every sentence of the hover entries and reference documents is run by a check or names its source.

The checks live in tests/test_docs_claims_*.py, one file per area; the mechanism (how sentences
are found, `claim()`, source marks) is described in tests/docs_claims.py.
"""

from __future__ import annotations

import importlib
import re
import sys

import pytest

from async_patterns.docs import reference_documents
from async_patterns.docs.facts import facts_for
from async_patterns.docs.hover import _entries
from docs_claims import (
    Sentence,
    all_claims,
    coverage,
    document_sentences,
    entry_sentences,
    split_sentences,
)

CLAIMS = all_claims()
NEWEST_PYTHON = (3, 13)  # the newest supported Python, where every cited function must exist
ENTRIES = sorted(_entries())
DOCUMENTS = sorted(reference_documents())


def sentences_of(where: str) -> list[Sentence]:
    return document_sentences(where) if where.endswith(".md") else entry_sentences(where)


@pytest.mark.parametrize(
    "found", CLAIMS, ids=[f"{found.where[0]}: {found.quote[:40]}" for found in CLAIMS]
)
def test_every_check_quotes_one_sentence_of_each_text_it_names(found) -> None:
    quote = " ".join(found.quote.split())
    for where in found.where:
        assert where in _entries() or where in reference_documents(), f"{found.test}: no entry or document {where}"
        holding = [sentence.text for sentence in sentences_of(where) if quote in sentence.text]
        assert len(holding) == 1, (
            f"{found.test} checks {quote!r}, which is in {len(holding)} sentences of {where}: "
            "re-read the check against the text and quote the one sentence it runs"
        )


@pytest.mark.parametrize("name", ENTRIES)
def test_every_source_of_an_entry_quotes_one_of_its_sentences(name: str) -> None:
    sentences = [sentence.text for sentence in entry_sentences(name)]
    for source in _entries()[name].sources:
        quote = " ".join(source.quote.split())
        holding = [sentence for sentence in sentences if quote in sentence]
        assert len(holding) == 1, f"{name}: the source quote {quote!r} is in {len(holding)} sentences"


@pytest.mark.parametrize("where", [*ENTRIES, *DOCUMENTS])
def test_every_sentence_is_checked_or_sourced(where: str) -> None:
    neither = [sentence.text for sentence in coverage()["neither"] if sentence.where == where]
    assert not neither, (
        f"{where} has sentences that no check runs and no source backs. Run each that code can show "
        "in a test with @claim(where, quote) in tests/test_docs_claims_*.py; for the others add "
        "Source(quote, origin) to the entry's `sources`, or `<!-- source: origin -->` after the "
        "sentence in a document:\n" + "\n".join(f"- {text}" for text in neither)
    )


# --- where a source points must be a specific place ------------------------------------------------

CODE_ORIGIN = re.compile(
    r"^(?P<path>(?:Lib/|server/)?(?P<module>(?:asyncio|aiohttp|concurrent|\w+)[\w/]*)\.py): (?P<qualname>[\w.]+)$"
)
# A page is named by its address; documentation and RFCs also by the section's anchor.
PAGE_ORIGIN = re.compile(r"^https://(?P<host>[\w.-]+)/(?P<path>[^\s#]+)(?:#(?P<anchor>[\w.=-]+))?$")
SECTIONED_HOSTS = ("docs.python.org", "docs.aiohttp.org", "www.rfc-editor.org", "peps.python.org")


def origins() -> list[tuple[str, str]]:
    found = [(name, source.origin) for name in ENTRIES for source in _entries()[name].sources]
    found += [(name, _entries()[name].facts_source) for name in ENTRIES if _entries()[name].facts_source]
    found += [(document, origin) for document in DOCUMENTS for sentence in document_sentences(document) for origin in sentence.sources]
    return found


@pytest.mark.parametrize(("where", "origin"), origins(), ids=[f"{where}: {origin}" for where, origin in origins()])
def test_every_source_is_a_function_in_a_source_file_or_a_section_of_a_page(where: str, origin: str) -> None:
    code, page = CODE_ORIGIN.match(origin), PAGE_ORIGIN.match(origin)
    assert code or page, f"{where}: {origin!r} is neither 'path/to/file.py: Function' nor a page's address"
    if code:
        # CPython's and aiohttp's sources, or ours where a document describes how this tool works.
        assert code["path"].startswith(("Lib/", "aiohttp/", "server/async_patterns/")), origin
        module = code["module"].replace("/", ".").removesuffix(".__init__")
        try:
            namespace = importlib.import_module(module)
        except ImportError:
            pytest.skip(f"{module} is not in this Python; the source is checked where it is")
        for part in code["qualname"].split("."):
            if not hasattr(namespace, part) and sys.version_info < NEWEST_PYTHON:
                pytest.skip(f"{module} has no {code['qualname']} in this Python; checked under the newest")
            assert hasattr(namespace, part), f"{where}: {origin}: {module} has no {code['qualname']}"
            namespace = getattr(namespace, part)
    elif page["host"] in SECTIONED_HOSTS and not page["anchor"]:
        pytest.fail(f"{where}: {origin} names a whole page; add the #anchor of the section")
    elif page["anchor"] and re.fullmatch(r"(asyncio|aiohttp)\.[\w.]+", page["anchor"]):
        # An API anchor names something a probed release has (the docs write loop methods `loop.x`).
        name = page["anchor"].replace("asyncio.loop.", "asyncio.AbstractEventLoop.")
        assert facts_for(name) is not None or _entries().get(name) is not None, f"{where}: no API {name} ({origin})"


# --- the sentence splitter ------------------------------------------------------------------------


def test_sentences_end_at_a_full_stop_before_a_capital_or_code_not_after_an_abbreviation() -> None:
    assert split_sentences("Raises the error (e.g. ConnectionResetError) late. `drain()` waits.") == [
        "Raises the error (e.g. ConnectionResetError) late.",
        "`drain()` waits.",
    ]
    assert split_sentences('It logs ("never retrieved"). Prefer it. Version 3.12.1 is fine.') == [
        'It logs ("never retrieved").',
        "Prefer it.",
        "Version 3.12.1 is fine.",
    ]


def test_a_source_mark_belongs_to_the_sentence_before_it(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "# T\n\nFirst claim. <!-- source: A --> Second\nclaim.\n\n```python\nignored. Code.\n```\n\n- item one.<!-- source: B -->\n- item two.\n"
    monkeypatch.setattr("docs_claims.reference_documents", lambda: {"t.md": text})
    assert document_sentences("t.md") == [
        Sentence("t.md", "First claim.", ("A",)),
        Sentence("t.md", "Second claim."),
        Sentence("t.md", "item one.", ("B",)),
        Sentence("t.md", "item two."),
    ]


def test_a_source_mark_inside_a_sentence_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("docs_claims.reference_documents", lambda: {"t.md": "A claim <!-- source: A --> goes on.\n"})
    with pytest.raises(ValueError, match="inside a sentence"):
        document_sentences("t.md")


def test_only_links_lead_ins_and_the_introduction_may_be_marked_as_not_a_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    allowed = (
        "# T\n\nAn introduction. <!-- not a claim -->\n\nSee [there](other.md). <!-- not a claim -->\n\n"
        "Do these steps in order: <!-- not a claim -->\n\n- one.\n"
    )
    monkeypatch.setattr("docs_claims.reference_documents", lambda: {"t.md": allowed})
    assert [sentence.exempt for sentence in document_sentences("t.md")] == [True, True, True, False]
    monkeypatch.setattr("docs_claims.reference_documents", lambda: {"t.md": "Intro.\n\nA claim. <!-- not a claim -->\n"})
    with pytest.raises(ValueError, match="not claims"):
        document_sentences("t.md")
