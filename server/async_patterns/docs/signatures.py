"""Signatures and version history for the hover, from the probed facts (facts.py).

The signature is the one the user's Python has: the interpreter running the server, or the
project's `requires-python` lower bound when that is older. Parameters newer than that Python
stay in the signature, marked with the release that added them; parameters it has that a later
release deprecated or removed are marked too. aiohttp signatures are those of the documented
release (the newest probed), with parameters newer than the name marked.
"""

from __future__ import annotations

import sys

from .facts import NameFacts, Parameter, Release, dotted, facts_for
from .model import ApiEntry


def user_python(requires_python: Release | None, running: Release | None = None) -> Release:
    running = running or tuple(sys.version_info[:2])
    return min(running, requires_python) if requires_python else running


def short(release: Release) -> str:
    """A release as the hover names it: aiohttp 3.14.5 is "3.14"; every probed one is a minor's last."""
    return dotted(release[:2])


def signature_text(entry: ApiEntry, python: Release) -> str:
    """The signature on one line (the hover wraps it); `parameter_notes` says which parameters the
    user's Python lacks or will lose, so a long parameter list does not push the rest down."""
    facts = facts_for(entry.name)
    if facts is None:
        return entry.signature or entry.name
    target = python if facts.library == "Python" else facts.probed[-1]
    record = facts.record_at(target)
    if record.kind == "attribute":
        return f"{entry.name} = {record.value}" if record.value else entry.signature or entry.name
    if record.parameters is None:
        if record.kind in ("class", "exception"):
            return f"class {entry.name}({', '.join(record.bases)})" if record.bases else f"class {entry.name}"
        return entry.signature or (f"{entry.name}  # property" if record.kind == "property" else entry.name)
    keyword = {"class": "class", "exception": "class", "coroutine function": "async def", "coroutine method": "async def"}
    pieces = _with_separators(_shown_parameters(facts, target))
    return f"{keyword.get(record.kind, 'def')} {entry.name}({', '.join(text for _, text in pieces)})"


def parameter_notes(entry: ApiEntry, python: Release) -> list[str]:
    """"`name`: Python 3.12+" for each parameter of the signature newer than the user's Python, and
    the deprecation or removal of those it has; aiohttp parameters with the release that added them."""
    facts = facts_for(entry.name)
    if facts is None:
        return []
    target = python if facts.library == "Python" else facts.probed[-1]
    if facts.record_at(target).parameters is None:
        return []
    marks = _parameter_marks(facts, target)
    shown = [parameter.name for parameter in _shown_parameters(facts, target)]
    return [f"`{name}`: {marks[name]}" for name in shown if name in marks]


def _shown_parameters(facts: NameFacts, target: Release) -> list[Parameter]:
    """The target release's parameters, with those added later inserted where the newest has them."""
    at_target = list(facts.record_at(target).parameters or ())
    newest = list(facts.newest.parameters or ())
    names_at_target = {parameter.name for parameter in at_target}
    shown = list(at_target)
    for index, parameter in enumerate(newest):
        if parameter.name in names_at_target:
            continue
        before = [p.name for p in newest[:index]]
        position = max((i + 1 for i, p in enumerate(shown) if p.name in before), default=0)
        shown.insert(position, parameter)
        names_at_target.add(parameter.name)
    return shown


def _parameter_marks(facts: NameFacts, target: Release) -> dict[str, str]:
    library = facts.library
    present = set(facts.record_at(target).parameter_names)
    marks = {}
    for history in facts.parameter_histories():
        if facts.library == "Python":
            if history.added and history.added > target:
                marks[history.name] = f"Python {short(history.added)}+"
            elif history.name in present and history.removed:
                marks[history.name] = f"removed in Python {short(history.removed)}"
            elif history.name in present and history.deprecated:
                marks[history.name] = f"deprecated since Python {short(history.deprecated)}"
        elif history.added:
            marks[history.name] = f"{library} {short(history.added)}+"
        elif history.deprecated:
            marks[history.name] = f"deprecated since {library} {short(history.deprecated)}"
    return marks


def _with_separators(parameters: list[Parameter]) -> list[tuple[str, str]]:
    """(parameter name, text) pairs, with the `/` and `*` markers Python's own signatures show."""
    pieces: list[tuple[str, str]] = []
    seen_star = False
    for index, parameter in enumerate(parameters):
        if parameter.kind == "KEYWORD_ONLY" and not seen_star:
            pieces.append(("", "*"))
            seen_star = True
        if parameter.kind == "VAR_POSITIONAL":
            seen_star = True
            text = f"*{parameter.name}"
        elif parameter.kind == "VAR_KEYWORD":
            text = f"**{parameter.name}"
        else:
            text = parameter.name if parameter.default is None else f"{parameter.name}={parameter.default}"
        pieces.append((parameter.name, text))
        following = parameters[index + 1].kind if index + 1 < len(parameters) else None
        if parameter.kind == "POSITIONAL_ONLY" and following != "POSITIONAL_ONLY":
            pieces.append(("", "/"))
    return pieces


def version_changes(entry: ApiEntry) -> list[tuple[Release, str]]:
    """Parameter changes the facts show, and the entry's hand-written behaviour changes."""
    facts = facts_for(entry.name)
    changes: list[tuple[Release, str]] = [(version, text) for version, text in entry.changes]
    if facts is not None:
        for history in facts.parameter_histories():
            if history.added:
                changes.append((history.added, f"new parameter `{history.name}`."))
            if history.deprecated:
                changes.append((history.deprecated, f"parameter `{history.name}` deprecated."))
            if history.removed:
                changes.append((history.removed, f"parameter `{history.name}` removed."))
    return sorted(changes, key=lambda change: change[0])


def since_text(entry: ApiEntry) -> str | None:
    facts = facts_for(entry.name)
    if facts is None:
        return None
    if facts.added is None:
        return f"Since {facts.library} {short(facts.probed[0])} or earlier"
    return f"Since {facts.library} {short(facts.added)}"


def added_in(entry: ApiEntry) -> Release | None:
    facts = facts_for(entry.name)
    return facts.added if facts is not None else None


def deprecated_in(entry: ApiEntry) -> Release | None:
    facts = facts_for(entry.name)
    computed = facts.deprecated if facts is not None else None
    return computed or entry.deprecated


def removed_in(entry: ApiEntry) -> Release | None:
    facts = facts_for(entry.name)
    computed = facts.removed if facts is not None else None
    return computed or entry.removed
