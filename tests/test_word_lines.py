"""The text prefilter of module-wide searches: skipping the statements whose lines do not name what
a search looks for never changes what it finds."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from async_patterns.analysis import outside_async
from async_patterns.analysis.generator_consumers import closed_generators, private_async_generators
from async_patterns.analysis.names import functions_rebinding_globals
from async_patterns.analysis.positions import LineIndex
from async_patterns.analysis.word_lines import WordSearch, lines_may_name, statements_naming

# Each parses on its own at module level (`ast.parse` accepts `await` anywhere), so any sequence does.
FRAGMENTS = [
    "async def _stream():\n    with open('f') as f:\n        yield f\n",
    # `ﬁ` is read as `fi`: this defines `_file_lines`, which the text never spells so.
    "async def _ﬁle_lines():\n    with lock:\n        yield 1\n",
    "async def closes():\n    async with aclosing(_stream()) as stream:\n        pass\n",
    "async def closes_in_finally():\n    s = _stream()\n    try:\n        pass\n    finally:\n        await s.aclose()\n",
    "async def leaves_open():\n    async for line in _file_lines():\n        pass\n",
    "async def leaves_ﬁle_open():\n    async for line in _ﬁle_lines():\n        pass\n",
    "def rebinds():\n    global counter\n    counter = 1\n",
    "def rebinds_nested():\n    def inner():\n        global state\n        state = 2\n",
    "class Holder:\n    async def _gen(self):\n        with x:\n            yield 2\n\n    async def run(self):\n        async for item in self._gen():\n            pass\n",
    "class Outer:\n    def method(self):\n        global state\n        state = 3\n",
    "class Plain:\n    size = 1\n\n    def get(self):\n        return self.size\n",
    "x = await thing()\n",
    "@decorate(await make())\ndef decorated():\n    pass\n",
    "def defaults(a=[y async for y in z]):\n    pass\n",
    "async def header(a=await default()):\n    pass\n",
    "def long_header(\n    a=1,\n    b=await default(),\n):\n    pass\n",
    "async def closes_ﬁle():\n    async with aclosing(_ﬁle_lines()) as lines:\n        pass\n",
    "class Meta(Base, metaclass=await m()):\n    pass\n",
    "class WithAsyncBody:\n    async with lock:\n        pass\n",
    "value = 'ünïcode' + ﬁle\n",
    "async def fine():\n    await other()\n",
    "for item in items:\n    async for inner in item:\n        pass\n",
]


def _first_offender(statements: list[ast.stmt]) -> tuple[int, int] | None:
    found = min(outside_async._offenders(list(statements)), key=lambda pair: (pair[0].lineno, pair[0].col_offset), default=None)
    return None if found is None else (found[0].lineno, found[0].col_offset)  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8))
def test_the_searches_find_the_same_with_the_text_filter_as_without(fragments: list[str]):
    source = "\n".join(fragments)
    tree = ast.parse(source)
    index = LineIndex.of(source)
    body = tree.body

    candidates = private_async_generators(body)
    assert private_async_generators(body, index) == candidates
    assert closed_generators(body, candidates, index) == closed_generators(body, candidates)
    assert functions_rebinding_globals(body, index) == functions_rebinding_globals(body)
    problem = outside_async.top_level_async_problem(body, index)
    expected = _first_offender(body)
    if expected is None:
        assert problem is None
    else:
        assert problem is not None and problem.line == expected[0]


def test_a_word_spelled_with_compatibility_characters_is_found_as_the_parser_reads_it():
    index = LineIndex.of("x = 1\nstream = _ﬁle_lines()\ny = 'ünïcode'\n")
    words = WordSearch.of(["_file_lines"])
    assert lines_may_name(index, 2, 2, words)
    assert not lines_may_name(index, 1, 1, words)
    assert not lines_may_name(index, 3, 3, words)  # not ASCII, and no spelling of the word


def test_of_a_class_only_the_members_that_name_a_word_are_kept():
    source = "class Holder:\n    def a(self):\n        return 1\n\n    def b(self):\n        global g\n"
    tree = ast.parse(source)
    kept = list(statements_naming(tree.body, LineIndex.of(source), WordSearch.of(["global"])))
    assert [node.name for node in kept] == ["b"]  # type: ignore[attr-defined]
