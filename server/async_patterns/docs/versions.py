"""The lowest Python minor version a `requires-python` specifier (PEP 440) allows."""

from __future__ import annotations

import re

from .model import Version

_CLAUSE = re.compile(r"^(~=|===|==|!=|<=|>=|<|>)\s*(\d+(?:\.\d+)*)(\.\*)?$")

# Python minors a specifier is tested against, oldest first: 2.0-2.7, then 3.0-3.99.
_CANDIDATE_MINORS: tuple[Version, ...] = tuple((2, minor) for minor in range(8)) + tuple(
    (3, minor) for minor in range(100)
)


def parse_requires_python(spec: str) -> Version | None:
    """Return the lowest (major, minor) with at least one release the specifier allows.

    ">=3.10" -> (3, 10); "~=3.11" -> (3, 11); ">=3.9,<4" -> (3, 9); ">=3.9,!=3.9.*" -> (3, 10).
    None when the text is not a PEP 440 specifier set, has no lower bound, or allows nothing.
    """
    clauses = []
    for raw in spec.split(","):
        match = _CLAUSE.match(raw.strip())
        if match is None:
            return None
        operator, digits, wildcard = match.groups()
        release = tuple(int(part) for part in digits.split("."))
        if wildcard and operator not in ("==", "!="):
            return None
        if operator == "~=" and len(release) < 2:
            return None
        clauses.append((operator, release, bool(wildcard)))
    if not any(operator in ("~=", "===", "==", ">=", ">") for operator, _, _ in clauses):
        return None
    for minor in _CANDIDATE_MINORS:
        if all(_minor_may_satisfy(minor, *clause) for clause in clauses):
            return minor
    return None


def _minor_may_satisfy(minor: Version, operator: str, release: tuple[int, ...], wildcard: bool) -> bool:
    """Whether some release X.Y.z of `minor` can satisfy one clause."""
    lowest = _pad(minor)
    wanted = _pad(release)
    if operator in ("==", "==="):
        if wildcard:
            return release == minor[: len(release)] or (len(release) > 2 and release[:2] == minor)
        return wanted[:2] == minor
    if operator == "!=":
        # Only a wildcard can exclude a whole minor; `!=3.9.1` leaves 3.9.2.
        return not (wildcard and len(release) <= 2 and release == minor[: len(release)])
    if operator in (">=", ">"):
        return minor >= wanted[:2]
    if operator == "<=":
        return lowest <= wanted
    if operator == "<":
        return lowest < wanted
    # "~=X.Y" means >=X.Y, ==X.*; "~=X.Y.Z" means >=X.Y.Z, ==X.Y.*.
    prefix = release[:-1]
    return minor >= wanted[:2] and minor[: len(prefix)] == prefix[:2]


def _pad(release: tuple[int, ...]) -> tuple[int, int, int]:
    padded = (*release, 0, 0, 0)
    return padded[0], padded[1], padded[2]
