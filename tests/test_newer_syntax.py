"""Syntax newer than the running Python is named with the Python it needs, not called a typo.

Each sample is valid on the Python it names: on that Python or newer it must parse; on an older one
(the per-version test runs in scripts/test.sh) the problem must name the version.
"""

import sys

import pytest

from async_patterns.analysis import parse
from async_patterns.analysis.findings import ParseProblem

NEWER_SYNTAX = [
    pytest.param((3, 11), "try:\n    pass\nexcept* ValueError:\n    pass\n", id="except-star"),
    pytest.param((3, 11), "def f(*args: *Ts): ...\n", id="star-args-annotation"),
    pytest.param((3, 11), "Shape = tuple[int, *Ts]\nfirst = items[*where]\n", id="star-in-subscript"),
    pytest.param((3, 12), "type Seconds = float\n", id="type-alias"),
    pytest.param((3, 12), "def first[T](items: list[T]) -> T: ...\n", id="type-parameters"),
    pytest.param((3, 14), "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n", id="except-without-parentheses"),
    pytest.param((3, 14), 'greeting = t"hello {name}"\n', id="template-string"),
]


@pytest.mark.parametrize("needs, source", NEWER_SYNTAX)
def test_newer_syntax_parses_or_names_the_python_it_needs(needs, source):
    parsed = parse(source)
    if sys.version_info[:2] >= needs:
        assert not isinstance(parsed, ParseProblem), parsed
    else:
        assert isinstance(parsed, ParseProblem)
        assert parsed.needs_python == needs, parsed.message


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("try:\n    pass\nexcept ValueError\n    pass\n", id="missing-colon"),
        pytest.param("values = [*a, *b] )\n", id="list-display-then-typo"),
        pytest.param("result = f(a, *b) x\n", id="call-then-typo"),
    ],
)
def test_typos_near_similar_syntax_stay_syntax_errors(source):
    parsed = parse(source)
    assert isinstance(parsed, ParseProblem)
    assert parsed.needs_python is None, parsed.message
