"""Hover entries against the computed facts: versions, deprecations and signatures are never
hand-written where a probed release shows them, and what is hand-written agrees with the facts.

The facts (server/async_patterns/docs/facts/*.json) come from scripts/docs_facts/regenerate.py,
which probes every CPython 3.6+ pyenv holds and the last release of every aiohttp minor. These
tests only read the files, so they run under any Python.
"""

from __future__ import annotations

import re

import pytest

from async_patterns.docs import hover_markdown, known_names
from async_patterns.docs.facts import behaviour, facts_for, probed_releases
from async_patterns.docs.hover import find_entry
from async_patterns.docs.signatures import deprecated_in, parameter_notes, signature_text

ENTRIES = sorted(known_names())
ASYNCIO_ENTRIES = [name for name in ENTRIES if name.startswith("asyncio.")]

# Names no probe can see: Windows-only classes (the probes run on Linux) and an attribute set on
# the instance. Their hand-written facts must name a source.
WITHOUT_FACTS = {
    "asyncio.IocpProactor",
    "asyncio.ProactorEventLoop",
    "asyncio.WindowsProactorEventLoopPolicy",
    "asyncio.WindowsSelectorEventLoopPolicy",
    "asyncio.subprocess.Process.pid",
}

PARAMETER_EVENT = re.compile(r"\b(new|added|removed|deprecated)\b.{0,40}\b(parameter|argument)s?\b|"
                             r"\b(parameter|argument)s?\b.{0,30}\b(added|removed|deprecated)\b")


def entry_text(name: str) -> str:
    entry = find_entry(name)
    return " ".join([entry.summary, *entry.pitfalls, *(text for _, text in entry.changes), entry.deprecation or ""])


@pytest.mark.parametrize("name", ENTRIES)
def test_every_entry_has_probed_facts_or_names_its_source(name: str) -> None:
    facts = facts_for(name)
    if name in WITHOUT_FACTS:
        assert facts is None
        assert find_entry(name).facts_source, f"{name}: nothing probed, so its facts need a source"
    else:
        assert facts is not None, f"{name} is in no probed release: regenerate the facts or fix the name"


@pytest.mark.parametrize("name", ENTRIES)
def test_hand_written_deprecation_and_removal_only_where_no_probe_shows_them(name: str) -> None:
    entry, facts = find_entry(name), facts_for(name)
    if entry.deprecated is not None:
        assert facts is None or facts.deprecated is None, f"{name}: the deprecation is computed, drop `deprecated`"
        assert entry.facts_source, f"{name}: a deprecation no release warns about needs a source"
    if entry.removed is not None:
        newest = probed_releases(name.partition(".")[0])[-1]
        assert entry.removed > newest[:2], f"{name}: a removal in a probed release is computed, drop `removed`"
        assert entry.facts_source, f"{name}: an announced removal needs a source"
    assert (deprecated_in(entry) is None) == (entry.deprecation is None), f"{name}: say what replaces it"


@pytest.mark.parametrize("name", ENTRIES)
def test_hand_written_signatures_only_where_the_facts_have_none(name: str) -> None:
    entry, facts = find_entry(name), facts_for(name)
    if entry.signature is None or facts is None:
        return
    record = facts.newest
    computed = record.parameters is not None or record.value or record.kind in ("class", "exception")
    assert not computed, f"{name}: the signature is computed, drop it"


@pytest.mark.parametrize("name", ENTRIES)
def test_hand_written_changes_are_behaviour_in_releases_that_have_the_name(name: str) -> None:
    entry, facts = find_entry(name), facts_for(name)
    for version, text in entry.changes:
        assert not PARAMETER_EVENT.search(text), f"{name}: parameter changes are computed: {text!r}"
        if facts is not None and facts.added is not None:
            assert version >= facts.added[:2], f"{name}: a change in {version} before the name existed"


@pytest.mark.parametrize("name", ASYNCIO_ENTRIES)
def test_version_mentions_of_asyncio_names_agree_with_the_facts(name: str) -> None:
    """"`asyncio.timeout()` (3.11+)" and "(3.13+) `queue.shutdown()`" name the release that added it."""
    text = entry_text(name)
    mentions = re.findall(r"`(asyncio\.[\w.]+)(?:\(\))?`\s*\((?:Python )?3\.(\d+)\+?\)", text)
    mentions += [(api, minor) for minor, api in re.findall(r"\((?:Python )?3\.(\d+)\+\)\s*(?:call |use )?`(asyncio\.[\w.]+)", text)]
    for api, minor in mentions:
        facts = facts_for(api) or facts_for(api.removesuffix("()"))
        assert facts is not None, f"{name} mentions {api}, which no release has"
        assert facts.added is not None and facts.added[:2] == (3, int(minor)), (name, api, minor, facts.added)


@pytest.mark.parametrize("name", ASYNCIO_ENTRIES)
def test_warnings_about_a_way_of_calling_in_supported_pythons_are_mentioned(name: str) -> None:
    facts = facts_for(name)
    if facts is None:
        return
    for release, _ in facts.deprecation_messages():
        if release >= (3, 10):
            assert re.search(r"deprecat|removed|warn", entry_text(name), re.IGNORECASE), (name, release)


def test_get_event_loop_is_deprecated_from_the_first_python_that_warns_when_it_creates_a_loop() -> None:
    observed = behaviour("get_event_loop creating a loop")
    first_warning = min(version for version, outcome in observed.items() if outcome == "DeprecationWarning")
    assert find_entry("asyncio.get_event_loop").deprecated == first_warning


@pytest.mark.parametrize(
    ("name", "python", "shown", "notes"),
    [
        # Each parameter newer than the user's Python is named below the signature with the release
        # that added it; the signature itself stays on one line.
        ("asyncio.Task", (3, 11), "class asyncio.Task(coro, *, loop=None, name=None, context=None, eager_start=False)", ["`eager_start`: Python 3.12+"]),
        ("asyncio.Task", (3, 12), "eager_start=False", []),
        ("asyncio.create_task", (3, 10), "def asyncio.create_task(coro, *, name=None, context=None)", ["`context`: Python 3.11+"]),
        ("asyncio.create_task", (3, 13), "def asyncio.create_task(coro, *, name=None, context=None)", []),
        ("asyncio.gather", (3, 13), "def asyncio.gather(*coros_or_futures, return_exceptions=False)", []),
        ("asyncio.run", (3, 11), "loop_factory=None", ["`loop_factory`: Python 3.12+"]),
        ("asyncio.AbstractEventLoop.create_connection", (3, 12), "async def asyncio.AbstractEventLoop.create_connection(", []),
        ("aiohttp.ClientSession.head", (3, 12), "def aiohttp.ClientSession.head(url, *, allow_redirects=False, **kwargs)", []),
        ("aiohttp.ClientSession.patch", (3, 12), "def aiohttp.ClientSession.patch(url, *, data=None, **kwargs)", []),
    ],
)
def test_the_signature_is_the_users_python_with_newer_parameters_named(name, python, shown, notes) -> None:
    signature = signature_text(find_entry(name), python)
    assert shown in signature and "\n" not in signature
    assert parameter_notes(find_entry(name), python) == notes


def test_the_hover_uses_requires_python_when_it_is_older_than_the_server() -> None:
    markdown = hover_markdown("asyncio.create_task", requires_python=(3, 10), python=(3, 13))
    assert "`context`: Python 3.11+" in markdown
    assert "`context`: Python" not in hover_markdown("asyncio.create_task", requires_python=(3, 12), python=(3, 13))
    # A server older than requires-python describes the Python it runs on.
    assert "`eager_start`: Python 3.12+" in hover_markdown("asyncio.Task", requires_python=(3, 13), python=(3, 11))


@pytest.mark.parametrize(
    ("name", "since"),
    [
        ("asyncio.Server", "Since Python 3.9"),
        ("asyncio.AbstractEventLoop.set_exception_handler", "Since Python 3.6 or earlier"),
        ("asyncio.create_task", "Since Python 3.7"),
        ("asyncio.TaskGroup", "Since Python 3.11"),
        ("aiohttp.ClientSession", "Since aiohttp 2.3 or earlier"),
        ("aiohttp.web.Application.cleanup_ctx", "Since aiohttp 3.1"),
        ("aiohttp.web.AppKey", "Since aiohttp 3.9"),
    ],
)
def test_since_lines_come_from_the_facts(name: str, since: str) -> None:
    assert f"**{since}**" in hover_markdown(name)


def test_parameter_history_is_computed_into_the_changes() -> None:
    gather = hover_markdown("asyncio.gather", python=(3, 13))
    assert "Changed in Python 3.8: parameter `loop` deprecated." in gather
    assert "Changed in Python 3.10: parameter `loop` removed." in gather
    datagram = hover_markdown("asyncio.AbstractEventLoop.create_datagram_endpoint", python=(3, 13))
    assert "Changed in Python 3.11: parameter `reuse_address` removed." in datagram
