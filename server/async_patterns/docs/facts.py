"""What each documented name is in every probed release: computed facts, never hand-written.

facts/asyncio.json comes from running scripts/docs_facts/probe_asyncio.py under every CPython 3.6+
(presence, `inspect.signature`, the DeprecationWarnings the code raises); facts/aiohttp.json from
reading the source of the last release of every aiohttp minor. `scripts/docs_facts/regenerate.py`
rewrites both. The hover takes versions, signatures and parameter history from here; the tests
compare every entry's text with the same facts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

Release = tuple[int, ...]

LIBRARIES = {"asyncio": "Python", "aiohttp": "aiohttp"}


def parse_release(text: str) -> Release:
    return tuple(int(part) for part in text.split("."))


def dotted(release: Release) -> str:
    return ".".join(str(part) for part in release)


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str  # inspect.Parameter.kind's name
    default: str | None  # as repr() or the source writes it; None when there is none


@dataclass(frozen=True)
class ParameterHistory:
    name: str
    added: Release | None  # None: present in the oldest probed release that has the name
    removed: Release | None
    deprecated: Release | None


@dataclass(frozen=True)
class Record:
    """One name as one release has it."""

    kind: str  # class, exception, function, method, coroutine function, coroutine method, property, attribute
    parameters: tuple[Parameter, ...] | None
    value: str | None
    deprecation_warnings: tuple[str, ...]
    calls_self: tuple[str, ...]
    bases: tuple[str, ...]

    @classmethod
    def of(cls, raw: dict) -> Record:
        parameters = raw.get("parameters")
        return cls(
            kind=raw["kind"],
            parameters=None if parameters is None else tuple(Parameter(*parameter) for parameter in parameters),
            value=raw.get("value"),
            deprecation_warnings=tuple(raw.get("deprecation_warnings", ())),
            calls_self=tuple(raw.get("calls_self", ())),
            bases=tuple(raw.get("bases", ())),
        )

    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(parameter.name for parameter in self.parameters or ())


@dataclass(frozen=True)
class NameFacts:
    name: str
    library: str  # "Python" or "aiohttp": what the releases are releases of
    probed: tuple[Release, ...]  # every release the library was probed in, oldest first
    runs: tuple[tuple[Release, Release, Record], ...]  # (first, last, record) over releases with the name

    @property
    def first_seen(self) -> Release:
        return self.runs[0][0]

    @property
    def added(self) -> Release | None:
        """The release that added the name; None when the oldest probed release already has it."""
        return None if self.first_seen == self.probed[0] else self.first_seen

    @property
    def last_seen(self) -> Release:
        return self.runs[-1][1]

    @property
    def removed(self) -> Release | None:
        """The first probed release without the name after it existed; None while it still exists."""
        later = [release for release in self.probed if release > self.last_seen]
        return later[0] if later else None

    def present_in(self, release: Release) -> bool:
        return any(first <= release <= last for first, last, _ in self.runs)

    def record_at(self, release: Release) -> Record:
        """The record of the newest probed release at or before `release` that has the name, or the
        oldest one when the name is newer than `release`."""
        chosen = self.runs[0][2]
        for first, last, record in self.runs:
            if first <= release:
                chosen = record
        return chosen

    @property
    def newest(self) -> Record:
        return self.runs[-1][2]

    def releases(self) -> list[tuple[Release, Record]]:
        return [(release, record) for first, last, record in self.runs for release in self.probed if first <= release <= last]

    @property
    def deprecated(self) -> Release | None:
        """The first release whose code warns that the name itself is deprecated."""
        short = self.name.rpartition(".")[2]
        for release, record in self.releases():
            if any(_names_itself(message, short) for message in record.deprecation_warnings):
                return release
        return None

    def deprecation_messages(self) -> list[tuple[Release, str]]:
        """Warnings about a way of calling the name (neither the name itself nor one parameter)."""
        short = self.name.rpartition(".")[2]
        found: dict[str, Release] = {}
        for release, record in self.releases():
            for message in record.deprecation_warnings:
                if not _names_itself(message, short) and not _parameters_named(message, record.parameter_names):
                    found.setdefault(message, release)
        return [(release, message) for message, release in found.items()]

    def parameter_histories(self) -> list[ParameterHistory]:
        """Every parameter the name ever had, in the order of the newest signature that has it."""
        order: list[str] = []
        for _, _, record in reversed(self.runs):
            for name in record.parameter_names:
                if name not in order:
                    order.append(name)
        histories = []
        releases = self.releases()
        for name in order:
            having = [release for release, record in releases if name in record.parameter_names]
            after = [release for release, _ in releases if release > having[-1]]
            deprecated = next(
                (
                    release
                    for release, record in releases
                    if any(name in _parameters_named(message, record.parameter_names) for message in record.deprecation_warnings)
                ),
                None,
            )
            histories.append(
                ParameterHistory(
                    name=name,
                    added=None if having[0] == releases[0][0] else having[0],
                    removed=after[0] if after else None,
                    deprecated=deprecated,
                )
            )
        return histories


def _names_itself(message: str, short_name: str) -> bool:
    """Whether a warning says the API itself is deprecated ("SafeChildWatcher is deprecated")."""
    if re.search(r"\b(argument|parameter)\b", message):
        return False
    return re.search(rf"(?<![\w.]){re.escape(short_name)}\b\W*(\{{name!r\}})?\W*(\(\))?( \w+)? is deprecated", message) is not None


def _parameters_named(message: str, parameters: tuple[str, ...]) -> set[str]:
    """The parameter a warning is about: the first one it names ("auth ... pass headers= instead")."""
    if not re.search(r"\b(argument|parameter)\b", message):
        return set()
    positions = {}
    for name in parameters:
        match = re.search(rf"(?<![\w.]){re.escape(name)}(?![\w(])", message)
        if match:
            positions[name] = match.start()
    return {min(positions, key=positions.__getitem__)} if positions else set()


@cache
def _library(library: str) -> tuple[tuple[Release, ...], dict[str, list]]:
    text = resources.files(__package__).joinpath("facts", f"{library}.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return tuple(parse_release(version) for version in data["versions"]), data["names"]


@cache
def facts_for(name: str) -> NameFacts | None:
    """The facts about a documented name (in its public spelling), or None when none were probed."""
    library = name.partition(".")[0]
    if library not in LIBRARIES:
        return None
    probed, names = _library(library)
    runs = names.get(name)
    if runs is None:
        return None
    return NameFacts(
        name=name,
        library=LIBRARIES[library],
        probed=probed,
        runs=tuple((parse_release(first), parse_release(last), Record.of(raw)) for first, last, raw in runs),
    )


@cache
def behaviour(fact: str) -> dict[Release, str]:
    """An observed behaviour per Python ("get_event_loop creating a loop" -> {(3, 12): "DeprecationWarning"})."""
    text = resources.files(__package__).joinpath("facts", "asyncio.json").read_text(encoding="utf-8")
    observed = json.loads(text)["behaviour"][fact]
    return {parse_release(version): outcome for version, outcome in observed.items()}


def probed_releases(library: str) -> tuple[Release, ...]:
    return _library(library)[0]
