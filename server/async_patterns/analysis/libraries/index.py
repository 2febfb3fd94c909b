"""The catalogue's blocking entries for one rule, indexed the way the engine dispatches calls."""

from __future__ import annotations

import ast
from fnmatch import fnmatchcase
from typing import Iterable, Mapping

from async_patterns.analysis.libraries import _WILDCARD, BlockingEntry, Catalogue, TypedScope


class BlockingIndex:
    def __init__(self, catalogue: Catalogue, code: str) -> None:
        self.alternatives = {library.name: library.alternative for library in catalogue.libraries}
        self.by_call: dict[str, list[BlockingEntry]] = {}
        self.by_receiver: dict[str, list[BlockingEntry]] = {}
        self.by_property: dict[tuple[str, str], BlockingEntry] = {}
        for entry in catalogue.blocking():
            if entry.code != code:
                continue
            for call in entry.calls:
                self.by_call.setdefault(call, []).append(entry)
            if entry.receiver is not None:
                if entry.methods:
                    self.by_receiver.setdefault(entry.receiver, []).append(entry)
                for name in entry.properties:
                    self.by_property.setdefault((entry.receiver, name), entry)

    @property
    def calls(self) -> frozenset[str]:
        return frozenset(self.by_call)

    @property
    def methods(self) -> dict[str, frozenset[str]]:
        """Method names by receiver type for the engine's tables; "*" where a pattern needs matching."""
        return {
            receiver: frozenset(
                "*" if _WILDCARD & set(pattern) or entry.except_methods else pattern
                for entry in entries
                for pattern in entry.methods
            )
            for receiver, entries in self.by_receiver.items()
        }

    @property
    def properties(self) -> dict[str, frozenset[str]]:
        found: dict[str, set[str]] = {}
        for receiver, name in self.by_property:
            found.setdefault(receiver, set()).add(name)
        return {receiver: frozenset(names) for receiver, names in found.items()}

    def entry_for_call(
        self,
        call: ast.Call,
        scope: TypedScope,
        qualname: str | None,
        receiver_type: str | None,
        method: str | None,
    ) -> BlockingEntry | None:
        """The entry a call matches: a function by its qualified name, else a method of its
        receiver's type; either only when the entry's argument condition holds."""
        candidates: Iterable[BlockingEntry] = self.by_call.get(qualname, ()) if qualname else ()
        for entry in candidates:
            if entry.applies_to(call, scope):
                return entry
        if receiver_type is None or method is None:
            return None
        for entry in self.by_receiver.get(receiver_type, ()):
            if (
                any(fnmatchcase(method, pattern) for pattern in entry.methods)
                and not any(fnmatchcase(method, pattern) for pattern in entry.except_methods)
                and entry.applies_to(call, scope)
            ):
                return entry
        return None

    def alternative_for(self, entry: BlockingEntry) -> str:
        return entry.alternative or self.alternatives.get(entry.library, "an async library")


def merged_methods(
    own: Mapping[str, frozenset[str]], catalogued: Mapping[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """A rule's own method table with the catalogue's, per receiver type."""
    return {receiver: own.get(receiver, frozenset()) | catalogued.get(receiver, frozenset()) for receiver in {*own, *catalogued}}


def matches_own_tables(site_qualname: str | None, receiver_type: str | None, method: str | None, calls: frozenset[str], methods: Mapping[str, frozenset[str]]) -> bool:
    """Whether a call matched a rule's hand-written tables (rather than its catalogue entries)."""
    if site_qualname in calls:
        return True
    own = methods.get(receiver_type, frozenset()) if receiver_type else frozenset()
    return "*" in own or method in own
